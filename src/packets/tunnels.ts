// UDP tunnels: VXLAN (RFC 7348) and Geneve (RFC 8926), as tcpdump's print-vxlan.c/print-geneve.c.

import { ETHERTYPE_NAMES } from './ethertypes.js';
import { printNsh } from './nsh.js';
import { bittok2str, type Printer, type Tok, tok2str } from './printer.js';

const GENEVE_FLAGS: Tok = new Map([
  [0x80, 'O'],
  [0x40, 'C'],
  [0x20, 'R1'],
  [0x10, 'R2'],
  [0x08, 'R3'],
  [0x04, 'R4'],
  [0x02, 'R5'],
  [0x01, 'R6'],
]);

/** vxlan_print: the header, a line break, and the inner Ethernet frame. */
export function printVxlan(p: Printer, o: number, len: number): void {
  p.protocol = 'vxlan';
  p.protocolCaps();
  if (len < 8) {
    p.invalid();
    return;
  }
  const flags = p.u8(o);
  p.print(
    `, flags [${bittok2str(new Map([[0x08, 'I']]), 'invalid', flags, '')}] (0x${flags.toString(16).padStart(2, '0')}), `,
  );
  p.print(`vni ${p.u24(o + 4)}\n`);
  p.need(o + 7, 1);
  p.next.printEther(p, o + 8, len - 8, p.avail(o + 8));
}

/** geneve_print. */
export function printGeneve(p: Printer, o: number, len0: number): void {
  p.protocol = 'geneve';
  p.print('Geneve');
  if (len0 < 8) {
    p.print(` [length ${len0} < 8]`);
    p.invalid();
    return;
  }
  if (!p.has(o, 8)) {
    p.trunc();
    return;
  }
  const verOpt = p.u8(o);
  const version = verOpt >> 6;
  if (version !== 0) {
    p.print(` ERROR: unknown-version ${version}`);
    return;
  }
  const flags = p.u8(o + 1);
  const prot = p.u16(o + 2);
  const vni = p.u24(o + 4);
  const reserved = p.u8(o + 7);
  let len = len0 - 8;
  p.print(`, Flags [${bittok2str(GENEVE_FLAGS, 'none', flags, '')}]`);
  p.print(`, vni 0x${vni.toString(16)}`);
  if (reserved) p.print(`, rsvd 0x${reserved.toString(16)}`);
  if (p.eflag)
    p.print(
      `, proto ${tok2str(ETHERTYPE_NAMES, 'unknown', prot)} (0x${prot.toString(16).padStart(4, '0')})`,
    );
  const optsLen = (verOpt & 0x3f) * 4;
  if (len < optsLen) {
    p.print(` truncated-geneve - ${optsLen - len} bytes missing`);
    return;
  }
  if (!p.has(o + 8, optsLen)) {
    p.trunc();
    return;
  }
  if (optsLen > 0) p.print(`, options [${optsLen} bytes]`);
  const bp = o + 8 + optsLen;
  len -= optsLen;
  p.print(': ');
  if (!p.next.printEthertype(p, prot, bp, len, p.avail(bp))) {
    if (prot === 0x6558) p.next.printEther(p, bp, len, p.avail(bp));
    else p.print(`geneve-proto-0x${prot.toString(16)}`);
  }
}

/** otv_print: like VXLAN with an overlay id, then the inner Ethernet frame on the next line. */
export function printOtv(p: Printer, o: number, len: number): void {
  p.protocol = 'otv';
  p.print('OTV, ');
  if (len < 8) {
    p.print(`[length ${len} < 8]`);
    p.invalid();
    p.need(o, len);
    return;
  }
  const flags = p.u8(o);
  p.print(`flags [${flags & 0x08 ? 'I' : '.'}] (0x${flags.toString(16).padStart(2, '0')}), `);
  p.print(`overlay ${p.u24(o + 1)}, `);
  p.print(`instance ${p.u24(o + 4)}\n`);
  p.need(o + 7, 1);
  p.next.printEther(p, o + 8, len - 8, p.avail(o + 8));
}

const GPE_FLAGS: Tok = new Map([
  [0x08, 'I'],
  [0x04, 'P'],
  [0x02, 'B'],
  [0x01, 'O'],
]);

/** vxlan_gpe_print: VXLAN Generic Protocol Extension (UDP port 4790). */
export function printVxlanGpe(p: Printer, o: number, len: number): void {
  p.protocol = 'vxlan_gpe';
  p.print('VXLAN-GPE, ');
  if (len < 8) {
    p.print(` (len ${len} < 8)`);
    p.invalid();
    return;
  }
  p.print(`flags [${bittok2str(GPE_FLAGS, 'none', p.u8(o), '')}], `);
  const next = p.u8(o + 3);
  const vni = p.u24(o + 4);
  p.need(o + 7, 1);
  p.print(`vni ${vni}: `);
  const bp = o + 8;
  switch (next) {
    case 1:
      p.next.printIp(p, bp, len - 8);
      break;
    case 2:
      p.next.printIp6(p, bp, len - 8);
      break;
    case 3:
      p.next.printEther(p, bp, len - 8, p.avail(bp));
      break;
    case 4:
      printNsh(p, bp, len - 8);
      break;
    default:
      p.print('ERROR: unknown-next-protocol');
      p.invalid();
  }
}
