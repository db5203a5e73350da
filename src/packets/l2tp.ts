// L2TP (RFC 2661) as tcpdump's print-l2tp.c prints it: the header, control messages' AVPs, data
// messages' PPP frame in braces.

import { charText, type Printer, type Tok, tok2str } from './printer.js';

const MSGTYPES: Tok = new Map([
  [1, 'SCCRQ'],
  [2, 'SCCRP'],
  [3, 'SCCCN'],
  [4, 'StopCCN'],
  [6, 'HELLO'],
  [7, 'OCRQ'],
  [8, 'OCRP'],
  [9, 'OCCN'],
  [10, 'ICRQ'],
  [11, 'ICRP'],
  [12, 'ICCN'],
  [14, 'CDN'],
  [15, 'WEN'],
  [16, 'SLI'],
]);

const AVPS: Tok = new Map([
  ...[
    'MSGTYPE',
    'RESULT_CODE',
    'PROTO_VER',
    'FRAMING_CAP',
    'BEARER_CAP',
    'TIE_BREAKER',
    'FIRM_VER',
    'HOST_NAME',
    'VENDOR_NAME',
    'ASSND_TUN_ID',
    'RECV_WIN_SIZE',
    'CHALLENGE',
    'Q931_CC',
    'CHALLENGE_RESP',
    'ASSND_SESS_ID',
    'CALL_SER_NUM',
    'MINIMUM_BPS',
    'MAXIMUM_BPS',
    'BEARER_TYPE',
    'FRAMING_TYPE',
    'PACKET_PROC_DELAY',
    'CALLED_NUMBER',
    'CALLING_NUMBER',
    'SUB_ADDRESS',
    'TX_CONN_SPEED',
    'PHY_CHANNEL_ID',
    'INI_RECV_LCP',
    'LAST_SENT_LCP',
    'LAST_RECV_LCP',
    'PROXY_AUTH_TYPE',
    'PROXY_AUTH_NAME',
    'PROXY_AUTH_CHAL',
    'PROXY_AUTH_ID',
    'PROXY_AUTH_RESP',
    'CALL_ERRORS',
    'ACCM',
    'RANDOM_VECTOR',
    'PRIVATE_GRP_ID',
    'RX_CONN_SPEED',
    'SEQ_REQUIRED',
  ].map((n, i): [number, string] => [i, n]),
  [46, 'PPP_DISCON_CC'],
]);

const AUTH_TYPES: Tok = new Map(
  ['Reserved', 'Textual', 'CHAP', 'PAP', 'No Auth', 'MS-CHAPv1'].map((n, i) => [i, n]),
);
const CC_DIRECTIONS: Tok = new Map(['global error', 'at peer', 'at local'].map((n, i) => [i, n]));

const SHORT = 'AVP too short';

function str(p: Printer, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += charText(p.u8(o + i));
  return s;
}

function octets(p: Printer, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++)
    s += p
      .u8(o + i)
      .toString(16)
      .padStart(2, '0');
  return s;
}

const hex = (v: number, w: number) => v.toString(16).padStart(w, '0');

/** Counters of 4 bytes after 2 reserved ones (Call Errors, ACCM), each `name=value `. */
function counters(
  p: Printer,
  o: number,
  len: number,
  names: string[],
  fmt: (v: number) => string,
): string {
  if (len < 2) return SHORT;
  let s = '';
  let at = o + 2;
  let left = len - 2;
  for (const n of names) {
    if (left < 4) return s + SHORT;
    s += `${n}=${fmt(p.u32(at))} `;
    at += 4;
    left -= 4;
  }
  return s;
}

/** The value of an IETF AVP, as l2tp_avp_print's cases print it. */
function avpValue(p: Printer, type: number, d: number, len: number): string {
  const bits = (a: string, b: string) => {
    if (len < 4) return SHORT;
    const v = p.u32(d);
    return (v & 2 ? a : '') + (v & 1 ? b : '');
  };
  switch (type) {
    case 0:
      return len < 2 ? SHORT : tok2str(MSGTYPES, 'MSGTYPE-#%u', p.u16(d));
    case 1: {
      if (len < 2) return SHORT;
      let s = `${p.u16(d)}`;
      if (len === 2) return s;
      if (len < 4) return `${s} ${SHORT}`;
      s += `/${p.u16(d + 2)}`;
      if (len === 4) return s;
      return `${s} ${str(p, d + 4, len - 4)}`;
    }
    case 2:
      return len < 2 ? SHORT : `${p.u16(d) >> 8}.${p.u16(d) & 0xff}`;
    case 3:
    case 19:
      return bits('A', 'S');
    case 4:
    case 18:
      return bits('A', 'D');
    case 5:
      return len < 8 ? SHORT : octets(p, d, 8);
    case 6:
    case 9:
    case 10:
    case 14:
      return len < 2 ? SHORT : `${p.u16(d)}`;
    case 7:
    case 8:
    case 22:
    case 21:
    case 23:
    case 30:
    case 37:
      return str(p, d, len);
    case 11:
    case 26:
    case 27:
    case 28:
    case 31:
    case 33:
    case 36:
      return octets(p, d, len);
    case 12: {
      if (len < 3) return SHORT;
      const s = `${p.u16(d)}, ${hex(p.u8(d + 2), 2)}`;
      return len > 3 ? `${s} ${str(p, d + 3, len - 3)}` : s;
    }
    case 13:
      return len < 16 ? SHORT : octets(p, d, 16);
    case 15:
    case 16:
    case 17:
    case 24:
    case 25:
    case 38:
      return len < 4 ? SHORT : `${p.u32(d)}`;
    case 20:
      return 'obsolete';
    case 29:
      return len < 2 ? SHORT : tok2str(AUTH_TYPES, 'AuthType-#%u', p.u16(d));
    case 32:
      return len < 2 ? SHORT : `${p.u16(d) & 0xff}`;
    case 34:
      return counters(
        p,
        d,
        len,
        ['CRCErr', 'FrameErr', 'HardOver', 'BufOver', 'Timeout', 'AlignErr'],
        String,
      );
    case 35:
      return counters(p, d, len, ['send', 'recv'], (v) => hex(v, 8));
    case 46: {
      if (len < 5) return SHORT;
      const s = `${hex(p.u16(d), 4)}, ${hex(p.u16(d + 2), 4)} ${tok2str(CC_DIRECTIONS, 'Direction-#%u', p.u8(d + 4))}`;
      return len > 5 ? `${s} ${str(p, d + 5, len - 5)}` : s;
    }
    default:
      return '';
  }
}

/** l2tp_avp_print: returns the AVP's length, 0 when tcpdump stops at it (after its marker). */
function printAvp(p: Printer, o: number, length: number): number {
  p.print(' ');
  const len = p.u16(o) & 0x3ff;
  if (len < 6 || len > length || !p.has(o, len)) {
    p.trunc();
    return 0;
  }
  const flags = p.u16(o);
  if (flags & 0x8000) p.print('*');
  const hidden = (flags & 0x4000) !== 0;
  if (hidden) p.print('?');
  const vendor = p.u16(o + 2);
  if (vendor) {
    p.print(`VENDOR${hex(vendor, 4)}:ATTR${hex(p.u16(o + 4), 4)}(${octets(p, o + 6, len - 6)})`);
    return len;
  }
  const type = p.u16(o + 4);
  p.print(`${tok2str(AVPS, 'AVP-#%u', type)}(`);
  p.print(hidden ? '???' : avpValue(p, type, o + 6, len - 6));
  p.print(')');
  return len;
}

export function printL2tp(p: Printer, o: number, length0: number): void {
  p.protocol = 'l2tp';
  let length = length0;
  let ptr = o;
  const first = p.u16(ptr);
  if ((first & 0xf) === 1) {
    p.print(' l2f:');
    return;
  }
  if ((first & 0xf) !== 2) {
    p.print(' Unknown Version, neither L2F(1) nor L2TP(2)');
    return;
  }
  p.print(' l2tp:[');
  const flagT = (first & 0x8000) !== 0;
  const flagL = (first & 0x4000) !== 0;
  const flagS = (first & 0x0800) !== 0;
  const flagO = (first & 0x0200) !== 0;
  p.print(
    `${flagT ? 'T' : ''}${flagL ? 'L' : ''}${flagS ? 'S' : ''}${flagO ? 'O' : ''}${first & 0x100 ? 'P' : ''}]`,
  );
  ptr += 2;
  let cnt = 2;
  let l2tpLen = 0;
  if (flagL) {
    l2tpLen = p.u16(ptr);
    ptr += 2;
    cnt += 2;
  }
  p.print(`(${p.u16(ptr)}/`);
  p.print(`${p.u16(ptr + 2)})`);
  ptr += 4;
  cnt += 4;
  if (flagS) {
    p.print(`Ns=${p.u16(ptr)},`);
    p.print(`Nr=${p.u16(ptr + 2)}`);
    ptr += 4;
    cnt += 4;
  }
  if (flagO) {
    const pad = p.u16(ptr);
    if (!p.has(ptr + 2, pad)) {
      p.trunc();
      return;
    }
    ptr += 2 + pad;
    cnt += 2 + pad;
  }
  if (flagL) {
    if (length < l2tpLen) {
      p.print(` Length ${l2tpLen} larger than packet`);
      return;
    }
    length = l2tpLen;
  }
  if (length < cnt) {
    p.print(` Length ${length} smaller than header length`);
    return;
  }
  if (!flagT) {
    p.print(' {');
    p.next.printPpp(p, ptr, length - cnt);
    p.print('}');
    return;
  }
  if (!flagL) {
    p.print(' No length');
    return;
  }
  if (length - cnt === 0) {
    p.print(' ZLB');
    return;
  }
  while (length - cnt !== 0) {
    const n = printAvp(p, ptr, length - cnt);
    if (n === 0) break;
    cnt += n;
    ptr += n;
  }
}
