/*
 * The libpcap oracle for cbpf's `libpcap` profile. Reads the batch format of `cbpf run --batch`
 * on stdin ("<program hex> <wirelen> <packet hex>", program = 8-byte little-endian sock_filter
 * records) and prints "valid=<0|1> ret=<u32>" per line, using libpcap's own bpf_validate and
 * bpf_filter with the hardening cbpf documents for that profile:
 *   - only the 49 canonical opcodes (1.10's validator passes others, then bpf_filter aborts);
 *   - constant shifts >= 32 rejected (no defined meaning in 1.10; libpcap master rejects them);
 *   - scratch memory zeroed by running the program behind "ld #0; st M[0] ... st M[15]"
 *     (1.10 leaves M[] uninitialised). Validation runs on the original program: jumps are
 *     relative, so the prefix changes no target, but a wrapped backward ja that 1.10 would
 *     reject could otherwise land inside the prefix.
 * Built at test time: gcc -O2 -o filter-oracle filter-oracle.c -lpcap
 */
#define _DEFAULT_SOURCE
#include <sys/types.h>
#include <pcap/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint16_t canonical[] = {
    0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x00, 0x80, 0x60, 0x01, 0x81, 0x61, 0xb1,
    0x02, 0x03, 0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x94, 0x9c, 0x44,
    0x4c, 0x54, 0x5c, 0xa4, 0xac, 0x64, 0x6c, 0x74, 0x7c, 0x84, 0x05, 0x15, 0x1d,
    0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x06, 0x16, 0x07, 0x87,
};

static int is_canonical(unsigned code) {
    for (size_t i = 0; i < sizeof canonical / sizeof canonical[0]; i++)
        if (canonical[i] == code) return 1;
    return 0;
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes hex [s, s+len) into out; -1 if odd length or not hex. */
static long unhex(const char *s, size_t len, unsigned char *out) {
    if (len % 2) return -1;
    for (size_t i = 0; i < len; i += 2) {
        int hi = hexval((unsigned char)s[i]), lo = hexval((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0) return -1;
        out[i / 2] = (unsigned char)(hi << 4 | lo);
    }
    return (long)(len / 2);
}

#define PREFIX 17

static int evaluate(char *line, size_t len, unsigned *ret) {
    /* split on runs of spaces/tabs, keeping a leading empty field, exactly as cbpf does */
    const char *f[4];
    size_t fl[4];
    int nf = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || line[i] == ' ' || line[i] == '\t') {
            if (nf == 4) return 0;
            f[nf] = line + start;
            fl[nf] = i - start;
            nf++;
            while (i < len && (line[i + 1] == ' ' || line[i + 1] == '\t')) i++;
            start = i + 1;
        }
    }
    if (nf < 2 || nf > 3) return 0;
    if (nf == 2) { f[2] = ""; fl[2] = 0; }

    unsigned char *prog = malloc(fl[0] / 2 + 1), *pkt = malloc(fl[2] / 2 + 1);
    int valid = 0;
    long pn = unhex(f[0], fl[0], prog), kn = unhex(f[2], fl[2], pkt);
    if (pn < 0 || kn < 0 || pn % 8 != 0 || pn == 0) goto out;
    if (fl[1] < 1 || fl[1] > 10) goto out;
    uint64_t wirelen = 0;
    for (size_t i = 0; i < fl[1]; i++) {
        if (f[1][i] < '0' || f[1][i] > '9') goto out;
        wirelen = wirelen * 10 + (uint64_t)(f[1][i] - '0');
    }
    if (wirelen > 0xffffffffu) goto out;

    size_t n = (size_t)pn / 8;
    struct bpf_insn *insns = calloc(n + PREFIX, sizeof *insns);
    struct bpf_insn *body = insns + PREFIX;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *r = prog + 8 * i;
        unsigned code = (unsigned)r[0] | (unsigned)r[1] << 8;
        body[i].code = (u_short)code;
        body[i].jt = r[2];
        body[i].jf = r[3];
        body[i].k = (bpf_u_int32)r[4] | (bpf_u_int32)r[5] << 8 | (bpf_u_int32)r[6] << 16 | (bpf_u_int32)r[7] << 24;
        if (!is_canonical(code)) goto free_insns;
        if ((code == 0x64 || code == 0x74) && body[i].k >= 32) goto free_insns;
    }
    if (!bpf_validate(body, (int)n)) goto free_insns;
    insns[0].code = BPF_LD | BPF_IMM; /* ld #0 */
    for (int m = 0; m < 16; m++) { insns[1 + m].code = BPF_ST; insns[1 + m].k = (bpf_u_int32)m; }
    valid = 1;
    *ret = bpf_filter(insns, pkt, (u_int)wirelen, (u_int)kn);
free_insns:
    free(insns);
out:
    free(prog);
    free(pkt);
    return valid;
}

int main(void) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, stdin)) >= 0) {
        size_t len = (size_t)got;
        if (len && line[len - 1] == '\n') len--;
        if (len && line[len - 1] == '\r') len--;
        unsigned ret = 0;
        int valid = evaluate(line, len, &ret);
        printf("valid=%d ret=%u\n", valid, valid ? ret : 0u);
    }
    free(line);
    return 0;
}
