/* Benchmark runner: libpcap's pcap_compile, optimizer on, timed in process.
   usage: compile-runner FILE   where FILE has one "<DLT name>\t<expression>" per line.
   Then one request per stdin line:
     "pass"    compile every expression once; answer one line of tab-separated CPU nanoseconds
               per expression (-1 where pcap_compile refused it);
     "total"   compile every expression once (refusals too); answer the CPU nanoseconds of the whole
               pass, with no clock read between expressions;
     "one I N" compile expression I N times; answer the total CPU nanoseconds;
     "count I" compile expression I once; answer its instruction count (or "error: <libpcap's
               message>"), a tab, and the CPU nanoseconds it took.
   Serving requests lets bench/compile.ts interleave libpcap's passes with cbpf's in one run. Time is
   the process's CPU time, so time spent descheduled on a shared machine is not counted. Each DLT's
   pcap_t (pcap_open_dead, snaplen 262144 as tcpdump's default) is opened once: only the compile is
   timed, as only compile() is timed on cbpf's side. The netmask is 0, as tcpdump's without a device. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

struct expr {
  pcap_t *dead;
  char *text;
};

static struct expr *exprs;
static int nexpr;

/* One pcap_t per link type, opened on first use. */
static pcap_t *dead_for(const char *name) {
  static char names[256][32];
  static pcap_t *handles[256];
  static int n;
  for (int i = 0; i < n; i++)
    if (strcmp(names[i], name) == 0) return handles[i];
  int dlt = pcap_datalink_name_to_val(name);
  if (dlt < 0 || n == 256 || strlen(name) >= 32) return NULL;
  strcpy(names[n], name);
  handles[n] = pcap_open_dead(dlt, 262144);
  return handles[n++];
}

/* Compiles expression i once; returns its instruction count, or -1 (libpcap's message in *err). */
static int compile_one(int i, const char **err) {
  struct bpf_program prog;
  if (exprs[i].dead == NULL) {
    *err = "unknown link type";
    return -1;
  }
  if (pcap_compile(exprs[i].dead, &prog, exprs[i].text, 1, 0) != 0) {
    *err = pcap_geterr(exprs[i].dead);
    return -1;
  }
  int n = (int)prog.bf_len;
  pcap_freecode(&prog);
  return n;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: compile-runner FILE\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "r");
  if (!f) {
    perror(argv[1]);
    return 1;
  }
  size_t cap = 1024;
  exprs = calloc(cap, sizeof *exprs);
  char *line = NULL;
  size_t linecap = 0;
  ssize_t got;
  while ((got = getline(&line, &linecap, f)) > 0) {
    if (line[got - 1] == '\n') line[--got] = '\0';
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = '\0';
    if ((size_t)nexpr == cap) exprs = realloc(exprs, (cap *= 2) * sizeof *exprs);
    exprs[nexpr].dead = dead_for(line);
    exprs[nexpr].text = strdup(tab + 1);
    nexpr++;
  }
  fclose(f);
  printf("ready %d\n", nexpr);
  fflush(stdout);
  char req[128];
  while (fgets(req, sizeof req, stdin)) {
    const char *err;
    int i, n;
    if (strncmp(req, "pass", 4) == 0) {
      for (i = 0; i < nexpr; i++) {
        double t0 = now();
        int r = compile_one(i, &err);
        double t = now() - t0;
        printf(i ? "\t%.0f" : "%.0f", r < 0 ? -1.0 : t);
      }
      printf("\n");
    } else if (strncmp(req, "total", 5) == 0) {
      double t0 = now();
      for (i = 0; i < nexpr; i++) compile_one(i, &err);
      printf("%.0f\n", now() - t0);
    } else if (sscanf(req, "one %d %d", &i, &n) == 2 && i >= 0 && i < nexpr && n > 0) {
      double t0 = now();
      for (int k = 0; k < n; k++) compile_one(i, &err);
      printf("%.0f\n", now() - t0);
    } else if (sscanf(req, "count %d", &i) == 1 && i >= 0 && i < nexpr) {
      double t0 = now();
      int r = compile_one(i, &err);
      double t = now() - t0;
      if (r < 0) printf("error: %s\t%.0f\n", err, t);
      else printf("%d\t%.0f\n", r, t);
    } else {
      fprintf(stderr, "bad request: %s", req);
      return 1;
    }
    fflush(stdout);
  }
  return 0;
}
