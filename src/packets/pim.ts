// PIM (RFC 7761 version 2, and version 1 carried in IGMP), as tcpdump's print-pim.c without -v.
import { type Printer, reltsText, type Tok, tok2str } from './printer.js';

const PIMV2_TYPES = [
  'Hello',
  'Register',
  'Register Stop',
  'Join / Prune',
  'Bootstrap',
  'Assert',
  'Graft',
  'Graft Acknowledgement',
  'Candidate RP Advertisement',
  'Prune Refresh',
  'DF Election',
  'ECMP Redirect',
];
const PIMV1_TYPES: Tok = new Map([
  [0, 'Query'],
  [1, 'Register'],
  [2, 'Register-Stop'],
  [3, 'Join/Prune'],
  [4, 'RP-reachable'],
  [5, 'Assert'],
  [6, 'Graft'],
  [7, 'Graft-ACK'],
]);

/** pim_print: `PIMv2, Hello, length N`. */
export function printPim(p: Printer, o: number, len: number): void {
  p.protocol = 'pim';
  const tv = p.u8(o);
  const ver = tv >> 4;
  if (ver === 2) p.print(`PIMv2, ${PIMV2_TYPES[tv & 0x0f] ?? 'Unknown Type'}, length ${len}`);
  else p.print(`PIMv${ver}, length ${len}`);
}

/** pimv1_print (from IGMP type 0x14). */
export function printPimv1(p: Printer, o: number, _len: number): void {
  p.protocol = 'pimv1';
  const type = p.u8(o + 1);
  p.print(` ${tok2str(PIMV1_TYPES, '[type %u]', type)}`);
  switch (type) {
    case 0:
      if (p.has(o + 8, 1)) {
        const m = p.u8(o + 8) >> 4;
        p.print(
          m === 0
            ? ' Dense-mode'
            : m === 1
              ? ' Sparse-mode'
              : m === 2
                ? ' Sparse-Dense-mode'
                : ` mode-${m}`,
        );
      }
      break;
    case 1:
      if (!p.has(o + 8, 20)) {
        p.trunc();
        return;
      }
      p.print(` for ${p.ip4(o + 20)} > ${p.ip4(o + 24)}`);
      break;
    case 2:
      p.print(` for ${p.ip4(o + 8)} > ${p.ip4(o + 12)}`);
      break;
    case 5:
      p.print(` for ${p.ip4(o + 16)} > ${p.ip4(o + 8)}`);
      if (p.u32(o + 12) !== 0xffffffff) p.print(`/${p.ip4(o + 12)}`);
      p.print(
        ` ${p.u8(o + 20) & 0x80 ? 'RP-tree' : 'SPT'} pref ${p.u32(o + 20) & 0x7fffffff} metric ${p.u32(o + 24)}`,
      );
      break;
  }
  if (p.u8(o + 4) >> 4 !== 1) p.print(` [v${p.u8(o + 4) >> 4}]`);
}

/** cisco_autorp_print: Cisco's Auto-RP announcements and mappings (UDP port 496). */
export function printCiscoAutoRp(p: Printer, o: number, len0: number): void {
  p.protocol = 'cisco_autorp';
  let len = len0;
  let bp = o;
  if (len < 8) {
    p.trunc();
    return;
  }
  p.print(' auto-rp ');
  const type = p.u8(bp);
  p.print(
    type === 0x11
      ? 'candidate-advert'
      : type === 0x12
        ? 'mapping'
        : `type-0x${type.toString(16).padStart(2, '0')}`,
  );
  let numrps = p.u8(bp + 1);
  p.print(' Hold ');
  const hold = p.u16(bp + 2);
  p.print(hold ? reltsText(hold) : 'FOREVER');
  bp += 8;
  len -= 8;
  const x2 = (v: number) => v.toString(16).padStart(2, '0');
  while (numrps !== 0) {
    if (len < 4) {
      p.trunc();
      return;
    }
    p.print(` RP ${p.ip4(bp)}`);
    bp += 4;
    len -= 4;
    if (len < 1) {
      p.trunc();
      return;
    }
    p.print([' PIMv?', ' PIMv1', ' PIMv2', ' PIMv1+2'][p.u8(bp) & 3]);
    if (p.u8(bp) & 0xfc) p.print(` [rsvd=0x${x2(p.u8(bp) & 0xfc)}]`);
    bp += 1;
    len -= 1;
    if (len < 1) {
      p.trunc();
      return;
    }
    let nentries = p.u8(bp);
    bp += 1;
    len -= 1;
    let s = ' ';
    while (nentries !== 0) {
      if (len < 6) {
        p.trunc();
        return;
      }
      p.print(`${s}${p.u8(bp) & 1 ? '!' : ''}${p.ip4(bp + 2)}/${p.u8(bp + 1)}`);
      if (p.u8(bp) & 2) p.print(' bidir');
      if (p.u8(bp) & 0xfc) p.print(`[rsvd=0x${x2(p.u8(bp) & 0xfc)}]`);
      s = ',';
      bp += 6;
      len -= 6;
      nentries--;
    }
    numrps--;
  }
}
