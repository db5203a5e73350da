// PPP (RFC 1661) with its control protocols, CHAP/PAP and HDLC-escaped frames, as tcpdump's
// print-ppp.c without -v.
import { printChdlc } from './chdlc.js';
import { printUnknownData } from './icmpv6.js';
import { printIpx } from './ipx.js';
import { bittok2str, charText, type Printer, type Tok, tok2str, withBuffer } from './printer.js';

export const PPP_TYPES: Tok = new Map([
  [0x0021, 'IP'],
  [0x0023, 'OSI'],
  [0x0025, 'NS'],
  [0x0027, 'DECNET'],
  [0x0029, 'APPLE'],
  [0x002b, 'IPX'],
  [0x002d, 'VJC IP'],
  [0x002f, 'VJNC IP'],
  [0x0031, 'BRPDU'],
  [0x0033, 'STII'],
  [0x0035, 'VINES'],
  [0x0281, 'MPLS'],
  [0x0283, 'MPLS'],
  [0x00fd, 'Compressed'],
  [0x003d, 'MLPPP'],
  [0x0057, 'IP6'],
  [0x0201, 'HELLO'],
  [0x0231, 'LUXCOM'],
  [0x0233, 'SNS'],
  [0x8021, 'IPCP'],
  [0x8023, 'OSICP'],
  [0x8025, 'NSCP'],
  [0x8027, 'DECNETCP'],
  [0x8029, 'APPLECP'],
  [0x802b, 'IPXCP'],
  [0x8033, 'STIICP'],
  [0x8035, 'VINESCP'],
  [0x8057, 'IP6CP'],
  [0x8281, 'MPLSCP'],
  [0xc021, 'LCP'],
  [0xc023, 'PAP'],
  [0xc025, 'LQM'],
  [0xc223, 'CHAP'],
  [0xc227, 'EAP'],
  [0xc027, 'SPAP'],
  [0xc123, 'Old-SPAP'],
  [0xc02b, 'BACP'],
  [0xc02d, 'BAP'],
  [0xc03d, 'MLPPP-CP'],
  [0x80fd, 'CCP'],
]);
const CP_CODES: Tok = new Map([
  [0, 'Vendor-Extension'],
  [1, 'Conf-Request'],
  [2, 'Conf-Ack'],
  [3, 'Conf-Nack'],
  [4, 'Conf-Reject'],
  [5, 'Term-Request'],
  [6, 'Term-Ack'],
  [7, 'Code-Reject'],
  [8, 'Prot-Reject'],
  [9, 'Echo-Request'],
  [10, 'Echo-Reply'],
  [11, 'Disc-Req'],
  [12, 'Ident'],
  [13, 'Time-Rem'],
  [14, 'Reset-Req'],
  [15, 'Reset-Ack'],
]);
const CHAP_CODES: Tok = new Map([
  [1, 'Challenge'],
  [2, 'Response'],
  [3, 'Success'],
  [4, 'Fail'],
]);
const PAP_CODES: Tok = new Map([
  [1, 'Auth-Req'],
  [2, 'Auth-ACK'],
  [3, 'Auth-NACK'],
]);
const ML_FLAGS: Tok = new Map([
  [0x80, 'begin'],
  [0x40, 'end'],
]);

const x2 = (v: number) => v.toString(16).padStart(2, '0');
const x4 = (v: number) => v.toString(16).padStart(4, '0');

/** ppp_if_print (DLT_PPP). */
export function printPppIf(p: Printer, length: number, caplen: number): void {
  p.protocol = 'ppp';
  if (caplen < 4) {
    p.trunc();
    p.llHdrLen += caplen;
    return;
  }
  p.llHdrLen += 4;
  printPpp(p, 0, length);
}

/** ppp_hdlc_if_print (DLT_PPP_SERIAL/DLT_PPP_HDLC). */
export function printPppHdlcIf(p: Printer, length: number, caplen: number): void {
  p.protocol = 'ppp_hdlc';
  if (caplen < 2) {
    p.trunc();
    p.llHdrLen += caplen;
    return;
  }
  const a = p.u8(0);
  if (a === 0x0f || a === 0x8f) {
    p.protocol = 'chdlc';
    p.llHdrLen += printChdlc(p, 0, length);
    return;
  }
  if (caplen < 4) {
    p.trunc();
    p.llHdrLen += caplen;
    return;
  }
  if (p.eflag) p.print(`${x2(a)} ${x2(p.u8(1))} ${length} `);
  if (a === 0xff) {
    const proto = p.u16(2);
    p.print(`${tok2str(PPP_TYPES, 'unknown PPP protocol (0x%04x)', proto)}: `);
    handlePpp(p, proto, 4, length - 4);
  } else p.print(`unknown addr ${x2(p.u8(2))}; ctrl ${x2(p.u8(3))}`);
  p.llHdrLen += 4;
}

/** ppp_print: address/control (optional), protocol, payload; returns the header length. */
export function printPpp(p: Printer, o: number, length0: number): number {
  p.protocol = 'ppp';
  let q = o;
  let length = length0;
  let hdr = 0;
  if (length < 2) {
    p.trunc();
    return 0;
  }
  const h = p.u16(q);
  if (h === 0x0003 || h === 0x0103 || h === 0xff03) {
    if (p.eflag && h === 0x0003) p.print('In  ');
    if (p.eflag && h === 0x0103) p.print('Out ');
    q += 2;
    length -= 2;
    hdr += 2;
  }
  if (length < 2) {
    p.trunc();
    return 0;
  }
  let proto: number;
  if (p.u8(q) % 2) {
    proto = p.u8(q);
    q++;
    length--;
    hdr++;
  } else {
    proto = p.u16(q);
    q += 2;
    length -= 2;
    hdr += 2;
  }
  if (p.eflag) {
    const name = PPP_TYPES.get(proto);
    p.print(`${name ?? 'unknown'} (0x${x4(proto)}), length ${length0}`);
    if (!name) return hdr;
    p.print(': ');
  }
  handlePpp(p, proto, q, length);
  return hdr;
}

/** handle_ppp: the payload of a PPP protocol number. */
export function handlePpp(p: Printer, proto: number, o: number, length: number): void {
  if ((proto & 0xff00) === 0x7e00) {
    pppHdlc(p, o - 1, length);
    return;
  }
  switch (proto) {
    case 0xc021:
    case 0x8021:
    case 0x8023:
    case 0x8281:
    case 0x8057:
    case 0x80fd:
    case 0xc02b:
      ctrlProto(p, proto, o, length);
      break;
    case 0x003d:
      if (!p.eflag) p.print('MLPPP, ');
      if (length < 2 || !p.has(o, 2)) p.print('[|mlppp]');
      else
        p.print(
          `seq 0x${(p.u16(o) & 0x0fff).toString(16).padStart(3, '0')}, Flags [${bittok2str(ML_FLAGS, 'none', p.u8(o) & 0xc0)}], length ${length}`,
        );
      break;
    case 0xc223:
      chap(p, o, length);
      break;
    case 0xc023:
      pap(p, o, length);
      break;
    case 0xc02d:
      break;
    case 0x0800:
    case 0x002f:
    case 0x0021:
      p.next.printIp(p, o, length);
      break;
    case 0x86dd:
    case 0x0057:
      p.next.printIp6(p, o, length);
      break;
    case 0x8137:
    case 0x002b:
      printIpx(p, o, length);
      break;
    case 0x0023:
      p.next.printIsoclns(p, o, length);
      break;
    case 0x0281:
    case 0x0283:
      p.next.printMpls(p, o, length);
      break;
    case 0x00fd:
      p.print('compressed PPP data');
      break;
    default:
      p.print(`${tok2str(PPP_TYPES, 'unknown PPP protocol (0x%04x)', proto)} `);
      printUnknownData(p, o, '\n\t', length);
  }
}

function ctrlProto(p: Printer, proto: number, o: number, length: number): void {
  const type = tok2str(PPP_TYPES, 'unknown ctrl-proto (0x%04x)', proto);
  p.print(`${type}, `);
  if (length < 4 || !p.has(o, 2)) {
    p.print(`[|${type}]`);
    return;
  }
  const code = p.u8(o);
  p.print(
    `${tok2str(CP_CODES, 'Unknown Opcode', code)} (0x${x2(code)}), id ${p.u8(o + 1)}, length ${length + 2}`,
  );
}

function chap(p: Printer, o: number, length: number): void {
  if (length < 1) {
    p.print('[|chap]');
    return;
  }
  if (length < 4) {
    p.print(`[|chap 0x${x2(p.u8(o))}]`);
    return;
  }
  const code = p.u8(o);
  p.print(`CHAP, ${tok2str(CHAP_CODES, 'unknown', code)} (0x${x2(code)})`);
  p.print(`, id ${p.u8(o + 1)}`);
  const len = p.u16(o + 2);
  let q = o + 4;
  if (code === 1 || code === 2) {
    if (length - (q - o) < 1) return;
    const vs = p.u8(q);
    q++;
    if (length - (q - o) < vs) return;
    p.print(', Value ');
    for (let i = 0; i < vs; i++) p.print(x2(p.u8(q++)));
    const ns = (len - (q - o)) >>> 0;
    p.print(', Name ');
    for (let i = 0; i < ns; i++) p.print(charText(p.u8(q++)));
  } else if (code === 3 || code === 4) {
    const ms = (len - (q - o)) >>> 0;
    p.print(', Msg ');
    for (let i = 0; i < ms; i++) p.print(charText(p.u8(q++)));
  }
}

function pap(p: Printer, o: number, length0: number): void {
  if (length0 < 1) {
    p.print('[|pap]');
    return;
  }
  if (length0 < 4) {
    p.print(`[|pap 0x${x2(p.u8(o))}]`);
    return;
  }
  const code = p.u8(o);
  p.print(`PAP, ${tok2str(PAP_CODES, 'unknown', code)} (0x${x2(code)})`);
  p.print(`, id ${p.u8(o + 1)}`);
  const len = p.u16(o + 2);
  let q = o + 4;
  if (len > length0) {
    p.print(`, length ${len} > packet size`);
    return;
  }
  const length = len;
  if (length < 4) {
    p.print(`, length ${length} < PAP header length`);
    return;
  }
  const field = (label: string): boolean => {
    if (length - (q - o) < 1) return false;
    const n = p.u8(q);
    q++;
    if (length - (q - o) < n) return false;
    p.print(label);
    for (let i = 0; i < n; i++) p.print(charText(p.u8(q++)));
    return true;
  };
  if (code === 1) {
    if (len < 6) {
      p.print('[|pap]');
      return;
    }
    if (field(', Peer ')) field(', Name ');
  } else if (code === 2 || code === 3) {
    if (len < 5) {
      p.print('[|pap]');
      return;
    }
    field(', Msg ');
  }
}

/** ppp_hdlc: unescape the 0x7d-escaped bytes into a private buffer and print from there. */
function pppHdlc(p: Printer, o: number, length: number): void {
  const caplen = p.avail(o);
  if (caplen === 0 || length === 0) return;
  const out: number[] = [];
  for (let i = caplen, s = o; i !== 0; i--) {
    let c = p.u8(s++);
    if (c === 0x7d) {
      if (i <= 1) break;
      i--;
      c = p.u8(s++) ^ 0x20;
    }
    out.push(c);
  }
  withBuffer(p, Uint8Array.from(out), (q) => {
    const len = out.length;
    if (len < 1) return q.trunc();
    const one = q.u8(0);
    if (one === 0x21) return q.next.printIp(q, 1, len - 1);
    if (one === 0x57) return q.next.printIp6(q, 1, len - 1);
    if (len < 2) return q.trunc();
    let proto = q.u16(0);
    if (proto === 0xff03) {
      if (len < 4) return q.trunc();
      proto = q.u16(2);
      if ((proto & 0xff00) === 0x7e00) q.print(`(protocol 0x${x4(proto)} invalid)`);
      else handlePpp(q, proto, 4, len - 4);
    } else if ((proto & 0xff00) === 0x7e00) q.print(`(protocol 0x${x4(proto)} invalid)`);
    else handlePpp(q, proto, 2, len - 2);
  });
}
