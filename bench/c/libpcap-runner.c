/* Benchmark runner: libpcap's bpf_filter over every frame of a pcap held in memory.
   usage: libpcap-runner FILE.pcap REPS 'expr' ... ; prints "count<TAB>median ns/packet" per expression. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t *pc = pcap_open_offline(argv[1], err);
  if (!pc) { fprintf(stderr, "%s\n", err); return 1; }
  int reps = atoi(argv[2]);
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
  for (int e = 3; e < argc; e++) {
    struct bpf_program prog;
    if (pcap_compile_nopcap(65535, DLT_EN10MB, &prog, argv[e], 1, PCAP_NETMASK_UNKNOWN) != 0) { fprintf(stderr, "compile failed: %s\n", argv[e]); return 1; }
    double *t = malloc(reps * sizeof *t);
    size_t count = 0;
    for (int r = 0; r < reps; r++) {
      struct timespec a, b;
      clock_gettime(CLOCK_MONOTONIC, &a);
      count = 0;
      for (size_t i = 0; i < n; i++) count += bpf_filter(prog.bf_insns, buf + off[i], wl[i], len[i]) != 0;
      clock_gettime(CLOCK_MONOTONIC, &b);
      t[r] = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n;
    }
    qsort(t, reps, sizeof *t, cmp);
    printf("%zu\t%.2f\n", count, t[reps / 2]);
    pcap_freecode(&prog);
  }
  return 0;
}
