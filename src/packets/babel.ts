// Babel (RFC 8966) as tcpdump's print-babel.c prints it without -v: the TLV names.
import type { Printer } from './printer.js';

const NAMES: Readonly<Record<number, string>> = {
  1: 'padN',
  2: 'ack-req',
  3: 'ack',
  4: 'hello',
  5: 'ihu',
  6: 'router-id',
  7: 'nh',
  9: 'route-request',
  10: 'seqno-request',
  11: 'tspc',
  12: 'hmac',
  13: 'ss-update',
  14: 'ss-request',
  15: 'ss-mh-request',
  16: 'mac',
  17: 'pc',
  18: 'challenge_request',
  19: 'challenge_reply',
};

/** babel_print. */
export function printBabel(p: Printer, o: number, length: number): void {
  p.protocol = 'babel';
  p.print('babel');
  if (!p.has(o, 4)) {
    p.trunc();
    return;
  }
  if (p.u8(o) !== 42) {
    p.print(' invalid header');
    return;
  }
  p.print(` ${p.u8(o + 1)}`);
  if (p.u8(o + 1) !== 2) {
    p.print(' unknown version');
    return;
  }
  if (length < 4) {
    p.invalid();
    return;
  }
  const bodylen = p.u16(o + 2);
  p.print(` (${bodylen})`);
  let len = length - 4;
  const cp = o + 4;
  if (len < bodylen) {
    p.invalid();
    return;
  }
  let r = tlvs(p, cp, bodylen, len);
  if (r === 'trunc') {
    p.trunc();
    return;
  }
  if (r === 'invalid') {
    p.invalid();
    return;
  }
  len -= bodylen;
  if (len !== 0) {
    p.print(' |');
    r = tlvs(p, cp + bodylen, len, len);
    if (r === 'trunc') {
      p.trunc();
      return;
    }
    if (r === 'invalid') {
      p.invalid();
      return;
    }
  }
}

function tlvs(
  p: Printer,
  cp: number,
  tlvsLength: number,
  remaining: number,
): 'ok' | 'trunc' | 'invalid' {
  let i = 0;
  const icheck = (l: number) => i + l > tlvsLength || i + l > remaining;
  while (i < tlvsLength) {
    const m = cp + i;
    if (icheck(1)) return 'invalid';
    const type = p.u8(m);
    if (type === 0) {
      p.print(' pad1');
      i += 1;
      continue;
    }
    if (icheck(2)) return 'invalid';
    if (!p.has(m, 2)) return 'trunc';
    const len = p.u8(m + 1);
    if (icheck(2 + len)) return 'invalid';
    if (!p.has(m, 2 + len)) return 'trunc';
    if (type === 8) {
      p.print(' update');
      if (len < 10) return 'invalid';
      const f = p.u8(m + 3);
      p.print(`${f & 0x80 ? '/prefix' : ''}${f & 0x40 ? '/id' : ''}${f & 0x3f ? '/unknown' : ''}`);
    } else p.print(` ${NAMES[type] ?? 'unknown'}`);
    i += len + 2;
  }
  return 'ok';
}
