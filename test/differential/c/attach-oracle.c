/*
 * The Linux kernel as a validator oracle: for each stdin line of program hex (8-byte little-endian
 * sock_filter records) it attaches the program to a UDP socket with SO_ATTACH_FILTER and prints
 * "1" if the kernel accepts it, "0 <errno>" otherwise. Needs no privileges.
 * Built at test time: gcc -O2 -o attach-oracle attach-oracle.c
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int main(void) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) { perror("socket"); return 1; }
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, stdin)) >= 0) {
        size_t len = (size_t)got;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
        if (len % 16) { printf("0 bad-hex\n"); continue; }
        size_t n = len / 16;
        unsigned char *b = malloc(len / 2 + 1);
        int bad = 0;
        for (size_t i = 0; i < len; i += 2) {
            int hi = hexval((unsigned char)line[i]), lo = hexval((unsigned char)line[i + 1]);
            if (hi < 0 || lo < 0) bad = 1;
            b[i / 2] = (unsigned char)(hi << 4 | lo);
        }
        if (bad) { printf("0 bad-hex\n"); free(b); continue; }
        struct sock_filter *f = calloc(n ? n : 1, sizeof *f);
        for (size_t i = 0; i < n; i++) {
            const unsigned char *r = b + 8 * i;
            f[i].code = (unsigned short)(r[0] | r[1] << 8);
            f[i].jt = r[2];
            f[i].jf = r[3];
            f[i].k = (unsigned)r[4] | (unsigned)r[5] << 8 | (unsigned)r[6] << 16 | (unsigned)r[7] << 24;
        }
        struct sock_fprog prog = { (unsigned short)n, f };
        int rc = n > 0xffff ? -1 : setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
        int err = rc < 0 ? (n > 0xffff ? EINVAL : errno) : 0;
        if (rc == 0) {
            printf("1\n");
            setsockopt(s, SOL_SOCKET, SO_DETACH_FILTER, NULL, 0);
        } else {
            printf("0 %d\n", err);
        }
        free(f);
        free(b);
    }
    free(line);
    close(s);
    return 0;
}
