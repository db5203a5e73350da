/* Capture benchmark sender: send(2)s one frame N times on an AF_PACKET socket inherited as fd 3,
   varying byte 15. usage: flood N HEXFRAME ; prints {"ok":sent,"ms":elapsed} */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

int main(int argc, char **argv) {
  long n = atol(argv[1]);
  size_t len = strlen(argv[2]) / 2;
  unsigned char f[2048];
  for (size_t i = 0; i < len && i < sizeof f; i++) sscanf(argv[2] + 2 * i, "%2hhx", &f[i]);
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  long ok = 0;
  for (long i = 0; i < n; i++) {
    f[15] = (unsigned char)i;
    if (send(3, f, len, 0) > 0) ok++;
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("{\"ok\":%ld,\"ms\":%.3f}", ok, (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
  return 0;
}
