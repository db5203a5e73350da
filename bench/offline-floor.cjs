// The floor for `-r IN -w OUT EXPR` in Node: what any Node program doing this job costs, with none of
// cbpf around it. bench/offline.ts times it beside cbpf and tcpdump. It takes the filter as the JavaScript
// `cbpf jit --print --profile libpcap EXPR` prints (made before the timed runs), reads the file in 512 KiB
// chunks, runs the filter at each record, copies the matching records as they are and writes 1 MiB at a
// time. Only little-endian microsecond pcap files (the bench's), with records no longer than the output's
// snap length: then its output is tcpdump's, byte for byte, which the bench checks.
// Usage: node bench/offline-floor.cjs IN OUT FILTER.js
'use strict';
const { closeSync, openSync, readFileSync, readSync, writeSync } = require('node:fs');

const [input, output, filterFile] = process.argv.slice(2);
// Negative offsets (Linux's ancillary area) never come up in a libpcap-profile program of the bench's.
const filter = new Function('rt', `${readFileSync(filterFile, 'utf8')}\nreturn filter;`)({
  rel: () => -1,
});
const fd = openSync(input, 'r');
const out = openSync(output, 'w');
let buf = new Uint8Array(1 << 19);
const dst = new Uint8Array(1 << 20);
let used = 0;
let end = readSync(fd, buf, 0, buf.length, null);
if (end < 24 || buf[0] !== 0xd4 || buf[1] !== 0xc3 || buf[2] !== 0xb2 || buf[3] !== 0xa1)
  throw new Error(`${input}: not a little-endian microsecond pcap`);
dst.set(buf.subarray(0, 24));
used = 24;
let p = 24;
for (;;) {
  while (p + 16 <= end) {
    const cap = buf[p + 8] | (buf[p + 9] << 8) | (buf[p + 10] << 16) | (buf[p + 11] << 24);
    const wire = buf[p + 12] | (buf[p + 13] << 8) | (buf[p + 14] << 16) | (buf[p + 15] << 24);
    if (p + 16 + cap > end) break;
    if (filter(buf, p + 16, cap, wire) !== 0) {
      if (used + 16 + cap > dst.length) {
        writeSync(out, dst, 0, used);
        used = 0;
      }
      dst.set(buf.subarray(p, p + 16 + cap), used);
      used += 16 + cap;
    }
    p += 16 + cap;
  }
  buf.copyWithin(0, p, end);
  end -= p;
  p = 0;
  if (end === buf.length) {
    const bigger = new Uint8Array(2 * buf.length);
    bigger.set(buf);
    buf = bigger;
  }
  const got = readSync(fd, buf, end, buf.length - end, null);
  if (got === 0) break;
  end += got;
}
writeSync(out, dst, 0, used);
closeSync(out);
closeSync(fd);
