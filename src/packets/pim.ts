// PIM (RFC 7761 version 2, and version 1 carried in IGMP), as tcpdump's print-pim.c without -v.
import { type Printer, type Tok, tok2str } from './printer.js';

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
