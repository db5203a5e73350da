/* The floor: one hand-written C function per benchmark filter, what a person would write for the
   same test without any BPF machinery. Each follows its tcpdump program's exact verdict, captured
   length checks included (a load past caplen drops the packet), so every runner accepts the same
   frames. The loop around each function is instantiated per filter so gcc inlines it. */
#include <stddef.h>
#include <string.h>

typedef unsigned char u8;

static inline unsigned be16(const u8 *p) { return (unsigned)p[0] << 8 | p[1]; }
static inline unsigned be32(const u8 *p) { return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3]; }

/* IPv6 with next header `nh` (no extension headers, as tcpdump's program) and an L4 source or
   destination port `match`es: libpcap reads the source port first and accepts on it alone. */
#define IP6_PORTS(nh, match)                            \
  do {                                                  \
    if (len < 21 || p[20] != (nh) || len < 56) return 0; \
    unsigned v = be16(p + 54);                          \
    if (match) return 1;                                \
    if (len < 58) return 0;                             \
    v = be16(p + 56);                                   \
    return match;                                       \
  } while (0)

/* IPv4, protocol `pr`, first fragment only, header length from IHL. */
#define IP4_PORTS(pr, match)                                                  \
  do {                                                                        \
    if (len < 24 || p[23] != (pr) || (be16(p + 20) & 0x1fff) != 0) return 0; \
    size_t x = (size_t)(p[14] & 15) * 4;                                      \
    if (x + 16 > len) return 0;                                               \
    unsigned v = be16(p + x + 14);                                            \
    if (match) return 1;                                                      \
    if (x + 18 > len) return 0;                                               \
    v = be16(p + x + 16);                                                     \
    return match;                                                             \
  } while (0)

static inline int arp(const u8 *p, size_t len) { return len >= 14 && be16(p + 12) == 0x806; }

static inline int arp_reply(const u8 *p, size_t len) {
  return len >= 22 && be16(p + 12) == 0x806 && be16(p + 20) == 2;
}

static inline int udp_dhcp(const u8 *p, size_t len) {
  if (len < 14) return 0;
  unsigned et = be16(p + 12);
  if (et == 0x86dd) IP6_PORTS(17, v == 67 || v == 68);
  if (et == 0x800) IP4_PORTS(17, v == 67 || v == 68);
  return 0;
}

static inline int tcp_web(const u8 *p, size_t len) {
  if (len < 14) return 0;
  unsigned et = be16(p + 12);
  if (et == 0x86dd) IP6_PORTS(6, v == 80 || v == 443);
  if (et == 0x800) IP4_PORTS(6, v == 80 || v == 443);
  return 0;
}

static inline int tcp_80(const u8 *p, size_t len) {
  if (len < 14) return 0;
  unsigned et = be16(p + 12);
  if (et == 0x86dd) IP6_PORTS(6, v == 80);
  if (et == 0x800) IP4_PORTS(6, v == 80);
  return 0;
}

static inline int udp_dns_dhcp(const u8 *p, size_t len) {
  if (len < 14) return 0;
  unsigned et = be16(p + 12);
  if (et == 0x86dd) IP6_PORTS(17, v == 53 || v == 67 || v == 68);
  if (et == 0x800) IP4_PORTS(17, v == 53 || v == 67 || v == 68);
  return 0;
}

static inline int host_ssh_https(const u8 *p, size_t len) {
  if (len < 30 || be16(p + 12) != 0x800) return 0;
  if (be32(p + 26) != 0x0a000001 && (len < 34 || be32(p + 30) != 0x0a000001)) return 0;
  IP4_PORTS(6, v == 22 || v == 443);
}

static inline int ip6_not_icmp6(const u8 *p, size_t len) {
  if (len < 21 || be16(p + 12) != 0x86dd) return 0;
  unsigned nh = p[20];
  if (nh == 58) return 0;
  if (nh == 44 && (len < 55 || p[54] == 58)) return 0;
  return 1;
}

/* 10.0.0.1 .. 10.0.0.12 as one unsigned range test. */
static inline int in_hosts(unsigned a) { return a - 0x0a000001u < 12; }

static inline int hosts12(const u8 *p, size_t len) {
  if (len < 14) return 0;
  unsigned et = be16(p + 12);
  if (et == 0x800) return len >= 30 && (in_hosts(be32(p + 26)) || (len >= 34 && in_hosts(be32(p + 30))));
  if (et == 0x806 || et == 0x8035)
    return len >= 32 && (in_hosts(be32(p + 28)) || (len >= 42 && in_hosts(be32(p + 38))));
  return 0;
}

#define COUNT(fn)                                                                         \
  static size_t count_##fn(const u8 *buf, const size_t *off, const unsigned *len, size_t n) { \
    size_t c = 0;                                                                         \
    for (size_t i = 0; i < n; i++) c += fn(buf + off[i], len[i]) != 0;                   \
    return c;                                                                             \
  }
COUNT(arp)
COUNT(arp_reply)
COUNT(udp_dhcp)
COUNT(tcp_web)
COUNT(tcp_80)
COUNT(udp_dns_dhcp)
COUNT(host_ssh_https)
COUNT(ip6_not_icmp6)
COUNT(hosts12)

typedef size_t (*counter)(const u8 *, const size_t *, const unsigned *, size_t);

static const struct {
  const char *expr;
  counter count;
} FLOORS[] = {
    {"arp", count_arp},
    {"arp[6:2] = 2", count_arp_reply},
    {"udp port 67 or udp port 68", count_udp_dhcp},
    {"tcp port 80 or tcp port 443", count_tcp_web},
    {"tcp port 80", count_tcp_80},
    {"udp port 53 or udp port 67 or udp port 68", count_udp_dns_dhcp},
    {"host 10.0.0.1 and (tcp port 22 or tcp port 443)", count_host_ssh_https},
    {"ip6 and not icmp6", count_ip6_not_icmp6},
    {"host 10.0.0.1 or host 10.0.0.2 or host 10.0.0.3 or host 10.0.0.4 or host 10.0.0.5 or host "
     "10.0.0.6 or host 10.0.0.7 or host 10.0.0.8 or host 10.0.0.9 or host 10.0.0.10 or host "
     "10.0.0.11 or host 10.0.0.12",
     count_hosts12},
};

/** The floor's counting loop for `expr`, or NULL when the set has no hand-written function for it. */
counter floor_for(const char *expr) {
  for (size_t i = 0; i < sizeof FLOORS / sizeof FLOORS[0]; i++)
    if (strcmp(FLOORS[i].expr, expr) == 0) return FLOORS[i].count;
  return NULL;
}
