// LISP control messages (RFC 6830) as tcpdump's print-lisp.c prints them without -v: Map-Register and
// Map-Notify with their EID records and locators.
import { type Printer, type Tok, tok2str } from './printer.js';

const TYPES: Tok = new Map([
  [0, 'LISP-Reserved'],
  [1, 'LISP-Map-Request'],
  [2, 'LISP-Map-Reply'],
  [3, 'LISP-Map-Register'],
  [4, 'LISP-Map-Notify'],
  [8, 'LISP-Encapsulated-Contol-Message'],
]);

export function printLisp(p: Printer, o: number, length: number): void {
  p.protocol = 'lisp';
  if (!p.has(o, 16)) {
    p.trunc();
    return;
  }
  const flags = p.u8(o);
  const type = flags >> 4;
  p.print(`${tok2str(TYPES, 'unknown-type-%u', type)},`);
  if (type !== 3 && type !== 4) return;
  const xtr = type === 3 ? flags & 2 : flags & 8;
  const authLen = p.u16(o + 14);
  let off = 16;
  let records = p.u8(o + 3);
  p.print(` ${records} record(s),`);
  off = (off + authLen) & 0xffff;
  if (records === 0) {
    p.invalid();
    return;
  }
  while (length > off && records !== 0) {
    records--;
    if (!p.has(o + off, 12)) {
      p.trunc();
      return;
    }
    p.print('\n');
    const eid = o + off;
    off = (off + 12) & 0xffff;
    const maskLen = p.u8(eid + 5);
    const afi = p.u16(eid + 10);
    let locs = p.u8(eid + 4);
    if (afi === 1) {
      p.print(` EID ${p.ip4(o + off)}/${maskLen},`);
      off = (off + 4) & 0xffff;
    } else if (afi === 2) {
      p.print(` EID ${p.ip6(o + off)}/${maskLen},`);
      off = (off + 16) & 0xffff;
    } else return;
    p.print(` ${locs} locator(s)`);
    while (locs !== 0) {
      locs--;
      if (!p.has(o + off, 8)) {
        p.trunc();
        return;
      }
      const loc = o + off;
      off = (off + 8) & 0xffff;
      const locAfi = p.u16(loc + 6);
      if (locAfi === 1) {
        if (!p.has(o + off, 4)) {
          p.trunc();
          return;
        }
        p.print(` LOC ${p.ip4(loc + 8)}`);
        off = (off + 4) & 0xffff;
      } else if (locAfi === 2) {
        if (!p.has(o + off, 16)) {
          p.trunc();
          return;
        }
        p.print(` LOC ${p.ip6(loc + 8)}`);
        off = (off + 16) & 0xffff;
      }
    }
  }
  if (xtr) {
    if (!p.has(o + off, 24)) {
      p.invalid();
      return;
    }
    p.hex('\n    xTR-ID: ', o + off, 16, 0);
    p.print(`\n    SITE-ID: ${p.u64(o + off + 16)}`);
  } else if (o + off < p.snapend) p.hex('\n    Data: ', o + off, p.avail(o + off), 0);
}
