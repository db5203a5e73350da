// AppleTalk as tcpdump's print-atalk.c prints it with -n: DDP (long and short, over LocalTalk LLAP),
// ATP, NBP and AARP; other DDP types by name and length.
import { printEigrp } from './eigrp.js';
import { charText, type Printer, type Tok, tok2str } from './printer.js';

const DDP_TYPES: Tok = new Map([
  [1, 'rtmp'],
  [5, 'rtmpReq'],
  [4, 'echo'],
  [22, 'IP'],
  [23, 'ARP'],
  [0x4b, 'KLAP'],
]);

/** ataddr_string with -n: `net.node`, or just `net` for the broadcast node 255. */
function ataddr(net: number, node: number): string {
  return node !== 255 ? `${net}.${node}` : `${net}`;
}

/** llap_print: LocalTalk's header and the DDP datagram in it; returns the header length (0: cut off). */
export function printLlap(p: Printer, o: number, length0: number): number {
  p.protocol = 'llap';
  let length = length0;
  if (length < 3) {
    p.print(` [|llap ${length}]`);
    return length;
  }
  if (!p.has(o, 3)) {
    p.trunc();
    return 0;
  }
  const dst = p.u8(o);
  const src = p.u8(o + 1);
  const type = p.u8(o + 2);
  const bp = o + 3;
  length -= 3;
  switch (type) {
    case 1: {
      if (length < 5) {
        p.print(` [|sddp ${length}]`);
        return length;
      }
      if (!p.has(bp, 5)) {
        p.print(' [|sddp]');
        return 0;
      }
      const srcSkt = p.u8(bp + 3);
      p.print(`${ataddr(0, src)}.${srcSkt}`);
      p.print(` > ${ataddr(0, dst)}.${p.u8(bp + 2)}:`);
      printDdp(p, bp + 5, length - 5, p.u8(bp + 4), 0, src, srcSkt);
      return 8;
    }
    case 2: {
      if (length < 13) {
        p.print(` [|ddp ${length}]`);
        return length;
      }
      if (!p.has(bp, 13)) {
        p.print(' [|ddp]');
        return 0;
      }
      const snet = printDdpAddrs(p, bp, ':');
      printDdp(p, bp + 13, length - 13, p.u8(bp + 12), snet, p.u8(bp + 9), p.u8(bp + 11));
      return 16;
    }
    default:
      p.print(`${src} > ${dst} at-lap#${type} ${length}`);
      return 3;
  }
}

/** The addresses of a long DDP header; returns the source network. */
function printDdpAddrs(p: Printer, o: number, colon: string): number {
  const snet = p.u16(o + 6);
  p.print(`${ataddr(snet, p.u8(o + 9))}.${p.u8(o + 11)}`);
  p.print(` > ${ataddr(p.u16(o + 4), p.u8(o + 8))}.${p.u8(o + 10)}${colon}`);
  return snet;
}

/** atalk_print: EtherTalk (and the like), a long DDP header first. */
export function printAtalk(p: Printer, o: number, length: number): void {
  p.protocol = 'atalk';
  if (!p.eflag) p.print('AT ');
  if (length < 13) {
    p.print(` [|ddp ${length}]`);
    return;
  }
  if (!p.has(o, 13)) {
    p.print(' [|ddp]');
    return;
  }
  const snet = printDdpAddrs(p, o, ': ');
  printDdp(p, o + 13, length - 13, p.u8(o + 12), snet, p.u8(o + 9), p.u8(o + 11));
}

/** aarp_print. */
export function printAarp(p: Printer, o: number, length: number): void {
  p.protocol = 'aarp';
  p.print('aarp ');
  if (!p.has(o, 28)) {
    p.trunc();
    return;
  }
  if (length < 28) {
    p.print(` [|aarp ${length}]`);
    return;
  }
  const at = (a: number) => ataddr((p.u8(a + 1) << 8) | p.u8(a + 2), p.u8(a + 3));
  const op = p.u16(o + 6);
  if (p.u16(o) === 1 && p.u16(o + 2) === 0x809b && p.u8(o + 4) === 6 && p.u8(o + 5) === 4) {
    switch (op) {
      case 1:
        p.print(`who-has ${at(o + 24)} tell ${at(o + 14)}`);
        return;
      case 2:
        p.print(`reply ${at(o + 14)} is-at ${p.mac(o + 8)}`);
        return;
      case 3:
        p.print(`probe ${at(o + 24)} tell ${at(o + 14)}`);
        return;
    }
  }
  const ptype = p.u16(o + 2);
  p.print(
    `len ${length} op ${op} htype ${p.u16(o)} ptype ${ptype === 0 ? '0' : `0x${ptype.toString(16)}`} halen ${p.u8(o + 4)} palen ${p.u8(o + 5)}`,
  );
}

function printDdp(
  p: Printer,
  o: number,
  length: number,
  type: number,
  snet: number,
  snode: number,
  skt: number,
): void {
  switch (type) {
    case 2:
      printNbp(p, o, length, snet, snode, skt);
      break;
    case 3:
      printAtp(p, o, length);
      break;
    case 88:
      printEigrp(p, o, length);
      break;
    default:
      p.print(` at-${tok2str(DDP_TYPES, '#%d', type)} ${length}`);
  }
}

function bitmapText(bm0: number): string {
  let bm = bm0;
  let s = '';
  if ((bm + 1) & bm) {
    let c = '<';
    for (let i = 0; bm; ++i) {
      if (bm & 1) {
        s += `${c}${i}`;
        c = ',';
      }
      bm >>= 1;
    }
    return `${s}>`;
  }
  let i = 0;
  for (; bm; ++i) bm >>= 1;
  return i > 1 ? `<0-${i - 1}>` : '<0>';
}

function printAtp(p: Printer, o: number, length0: number): void {
  if (!p.has(o, 8)) {
    p.trunc();
    return;
  }
  if (length0 < 8) {
    p.print(` [|atp ${length0}]`);
    return;
  }
  const length = length0 - 8;
  const control = p.u8(o);
  const transId = p.u16(o + 2);
  const bitmap = p.u8(o + 1);
  switch (control & 0xc0) {
    case 0x40:
      p.print(` atp-req${control & 0x20 ? ' ' : '*'} ${transId}${bitmapText(bitmap)}`);
      if (length !== 0) p.print(` [len=${length}]`);
      switch (control & 0x18) {
        case 0x10:
          p.print(' [EOM]');
          break;
        case 0x08:
          p.print(' [STS]');
          break;
        case 0x18:
          p.print(' [EOM,STS]');
          break;
      }
      break;
    case 0x80:
      p.print(` atp-resp${control & 0x10 ? '*' : ' '}${transId}:${bitmap} (${length})`);
      switch (control & 0x28) {
        case 0x20:
          p.print(' [XO]');
          break;
        case 0x08:
          p.print(' [STS]');
          break;
        case 0x28:
          p.print(' [XO,STS]');
          break;
      }
      break;
    case 0xc0: {
      p.print(` atp-rel  ${transId}${bitmapText(bitmap)}`);
      if (length) p.print(` [len=${length}]`);
      if (control & 0x38) {
        const flags: string[] = [];
        if (control & 0x20) flags.push('XO');
        if (control & 0x10) flags.push('EOM');
        if (control & 0x08) flags.push('STS');
        p.print(`[${flags.join(',')}]`);
      }
      break;
    }
    default:
      p.print(` atp-0x${control.toString(16)}  ${transId} (${length})`);
  }
  const data = p.u32(o + 4);
  if (data !== 0) p.print(` 0x${data.toString(16)}`);
}

function printNbp(
  p: Printer,
  o: number,
  length0: number,
  snet: number,
  snode: number,
  skt: number,
): void {
  if (length0 < 2) {
    p.print(` truncated-nbp ${length0}`);
    return;
  }
  const length = length0 - 2;
  if (length < 8) {
    p.print(` truncated-nbp ${length0}`);
    return;
  }
  const tp = o + 2;
  const ep = p.snapend;
  if (tp > ep) {
    p.trunc();
    return;
  }
  const control = p.u8(o);
  const kind = control & 0xf0;
  switch (kind) {
    case 0x10:
    case 0x20: {
      p.print(`${kind === 0x20 ? ' nbp-lkup' : ' nbp-brRq'} ${p.u8(o + 1)}:`);
      if (tp + 5 > ep) {
        p.trunc();
        return;
      }
      printNbpName(p, tp, ep);
      if ((control & 0xf) !== 1) p.print(` [ntup=${control & 0xf}]`);
      if (p.u8(tp + 4)) p.print(` [enum=${p.u8(tp + 4)}]`);
      if (p.u16(tp) !== snet || p.u8(tp + 2) !== snode || p.u8(tp + 3) !== skt)
        p.print(` [addr=${ataddr(p.u16(tp), p.u8(tp + 2))}.${p.u8(tp + 3)}]`);
      break;
    }
    case 0x30: {
      p.print(` nbp-reply ${p.u8(o + 1)}:`);
      let t = tp;
      for (let i = control & 0xf; i !== 0 && t; i--) {
        if (t + 5 > ep) {
          p.trunc();
          break;
        }
        const next = printNbpName(p, t, ep);
        if (p.u8(t + 4) !== 1) p.print(`(${p.u8(t + 4)})`);
        if (p.u8(t + 3) !== skt) p.print(` ${p.u8(t + 3)}`);
        if (p.u16(t) !== snet || p.u8(t + 2) !== snode)
          p.print(` [addr=${ataddr(p.u16(t), p.u8(t + 2))}]`);
        t = next;
      }
      break;
    }
    default:
      p.print(` nbp-0x${control.toString(16)}  ${p.u8(o + 1)} (${length})`);
  }
}

/** print_cstring: the offset after the string, 0 when it was cut off or too long. */
function printCstring(p: Printer, cp0: number, ep: number): number {
  let cp = cp0;
  if (cp >= ep) {
    p.trunc();
    return 0;
  }
  let length = p.u8(cp);
  cp++;
  if (length > 32) {
    p.print(`[len=${length}]`);
    return 0;
  }
  while (length !== 0) {
    if (cp >= ep) {
      p.trunc();
      return 0;
    }
    p.print(charText(p.u8(cp)));
    cp++;
    length--;
  }
  return cp;
}

/** nbp_name_print: `"object:type@zone"`; returns the offset after it, 0 when cut off. */
function printNbpName(p: Printer, tp: number, ep: number): number {
  p.print(' "');
  let cp = printCstring(p, tp + 5, ep);
  if (cp) {
    p.print(':');
    cp = printCstring(p, cp, ep);
    if (cp) {
      p.print('@');
      cp = printCstring(p, cp, ep);
      if (cp) p.print('"');
    }
  }
  return cp;
}
