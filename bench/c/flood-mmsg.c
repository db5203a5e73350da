/* Capture benchmark sender at the fastest rate one thread reaches: sendmmsg(2) batches of up to 1024
   frames on an AF_PACKET socket inherited as fd 3, byte 15+OFF of each frame varying.
   usage: flood-mmsg N HEXFRAME ; prints {"ok":sent,"ms":elapsed} */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define BATCH 1024

int main(int argc, char **argv) {
  long n = atol(argv[1]);
  size_t len = strlen(argv[2]) / 2;
  static unsigned char f[BATCH][2048];
  static struct mmsghdr msgs[BATCH];
  static struct iovec iov[BATCH];
  if (len > sizeof f[0]) len = sizeof f[0];
  for (size_t i = 0; i < len; i++) sscanf(argv[2] + 2 * i, "%2hhx", &f[0][i]);
  for (int b = 0; b < BATCH; b++) {
    memcpy(f[b], f[0], len);
    f[b][len - 1] = (unsigned char)b;
    iov[b].iov_base = f[b];
    iov[b].iov_len = len;
    memset(&msgs[b], 0, sizeof msgs[b]);
    msgs[b].msg_hdr.msg_iov = &iov[b];
    msgs[b].msg_hdr.msg_iovlen = 1;
  }
  struct timespec a, z;
  clock_gettime(CLOCK_MONOTONIC, &a);
  long ok = 0;
  while (ok < n) {
    int want = n - ok < BATCH ? (int)(n - ok) : BATCH;
    int r = sendmmsg(3, msgs, want, 0);
    if (r <= 0) break;
    ok += r;
  }
  clock_gettime(CLOCK_MONOTONIC, &z);
  printf("{\"ok\":%ld,\"ms\":%.3f}", ok, (z.tv_sec - a.tv_sec) * 1e3 + (z.tv_nsec - a.tv_nsec) / 1e6);
  return 0;
}
