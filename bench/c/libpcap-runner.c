/* Benchmark runner: libpcap's bpf_filter, and the hand-written C floor (floor.c), over every frame
   of a pcap held in memory.
   usage: libpcap-runner FILE.pcap 'expr' ... ; then one request per stdin line, "lp I" or "floor I"
   (I indexes the expressions), each answered with "count<TAB>ns/packet" for one timed pass.
   Serving requests lets bench/filters.ts interleave every runner's passes in one run. Time is the
   process's CPU time, so time spent descheduled on a shared machine is not counted. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef size_t (*counter)(const unsigned char *, const size_t *, const unsigned *, size_t);
counter floor_for(const char *expr);

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

/* tcpdump's program for `expr` on Ethernet, optimized, as pcap_compile_nopcap does. */
static int compile(struct bpf_program *prog, const char *expr) {
  pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
  int r = pcap_compile(dead, prog, expr, 1, PCAP_NETMASK_UNKNOWN);
  pcap_close(dead);
  return r;
}

int main(int argc, char **argv) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t *pc = pcap_open_offline(argv[1], err);
  if (!pc) { fprintf(stderr, "%s\n", err); return 1; }
  size_t cap = 1 << 20, n = 0, used = 0, bufcap = 1 << 28;
  unsigned char *buf = malloc(bufcap);
  size_t *off = malloc(cap * sizeof *off);
  unsigned *len = malloc(cap * sizeof *len), *wl = malloc(cap * sizeof *wl);
  struct pcap_pkthdr *h; const u_char *d;
  while (pcap_next_ex(pc, &h, &d) == 1) {
    if (n == cap) { cap *= 2; off = realloc(off, cap * sizeof *off); len = realloc(len, cap * sizeof *len); wl = realloc(wl, cap * sizeof *wl); }
    if (used + h->caplen > bufcap) { bufcap *= 2; buf = realloc(buf, bufcap); }
    memcpy(buf + used, d, h->caplen);
    off[n] = used; len[n] = h->caplen; wl[n] = h->len; used += h->caplen; n++;
  }
  int nexpr = argc - 2;
  struct bpf_program *progs = calloc(nexpr, sizeof *progs);
  counter *floors = calloc(nexpr, sizeof *floors);
  for (int e = 0; e < nexpr; e++) {
    if (compile(&progs[e], argv[e + 2]) != 0) {
      fprintf(stderr, "compile failed: %s\n", argv[e + 2]);
      return 1;
    }
    floors[e] = floor_for(argv[e + 2]);
  }
  printf("ready\n");
  fflush(stdout);
  char line[64], what[16];
  int e;
  while (fgets(line, sizeof line, stdin)) {
    if (sscanf(line, "%15s %d", what, &e) != 2 || e < 0 || e >= nexpr) { fprintf(stderr, "bad request: %s", line); return 1; }
    size_t count = 0;
    double a = now();
    if (strcmp(what, "lp") == 0) {
      const struct bpf_insn *insns = progs[e].bf_insns;
      for (size_t i = 0; i < n; i++) count += bpf_filter(insns, buf + off[i], wl[i], len[i]) != 0;
    } else if (floors[e]) {
      count = floors[e](buf, off, len, n);
    } else {
      printf("none\n");
      fflush(stdout);
      continue;
    }
    double b = now();
    printf("%zu\t%.2f\n", count, (b - a) / n);
    fflush(stdout);
  }
  return 0;
}
