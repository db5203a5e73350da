// TCP options as tcpdump prints them (print-tcp.c's option loop and print-mptcp.c): names, values,
// MPTCP subtypes, Fast Open cookies, TCP-AO and the experimental (RFC 6994) form.
import { type Printer, type Tok, tok2str } from './printer.js';

const OPTION_NAMES: Tok = new Map([
  [0, 'eol'],
  [1, 'nop'],
  [2, 'mss'],
  [3, 'wscale'],
  [4, 'sackOK'],
  [5, 'sack'],
  [6, 'echo'],
  [7, 'echoreply'],
  [8, 'TS'],
  [11, 'cc'],
  [12, 'ccnew'],
  [13, ''],
  [19, 'md5'],
  [20, 'scps'],
  [28, 'uto'],
  [29, 'tcp-ao'],
  [30, 'mptcp'],
  [34, 'tfo'],
  [254, 'exp'],
]);

const hex2 = (v: number) => v.toString(16).padStart(2, '0');

/** Why the option loop stopped early: a malformed option or the end of the capture. */
export type OptionsEnd = 'ok' | 'bad' | 'trunc';

/**
 * The `, options [...]` list of a TCP header whose options are `hlen` bytes at `o`. Returns how the
 * list ended; the caller prints tcpdump's `[bad opt]` / truncation wording.
 */
export function printTcpOptions(
  p: Printer,
  o: number,
  hlen0: number,
  flags: number,
  seqBase: { rev: boolean; thseq: number; thack: number },
  payloadEnd: number,
): { end: OptionsEnd; sep: boolean } {
  let hlen = hlen0;
  let cp = o;
  let sep = false;
  p.print(', options [');
  while (hlen > 0) {
    if (sep) p.print(',');
    const opt = p.u8(cp);
    cp++;
    let len: number;
    if (opt === 0 || opt === 1) len = 1;
    else {
      len = p.u8(cp);
      cp++;
      if (len < 2 || len > hlen) return { end: 'bad', sep };
      hlen--;
    }
    hlen--;
    let datalen = 0;
    // LENCHECK: the data must be inside the option space and captured.
    const lencheck = (l: number): OptionsEnd => {
      if (l > hlen) return 'bad';
      if (!p.has(cp, l)) return 'trunc';
      return 'ok';
    };
    p.print(tok2str(OPTION_NAMES, 'unknown-%u', opt));
    let r: OptionsEnd = 'ok';
    switch (opt) {
      case 2:
        datalen = 2;
        r = lencheck(datalen);
        if (r === 'ok') p.print(` ${p.u16(cp)}`);
        break;
      case 3:
        datalen = 1;
        r = lencheck(datalen);
        if (r === 'ok') p.print(` ${p.u8(cp)}`);
        break;
      case 5:
        datalen = len - 2;
        if (datalen % 8 !== 0) p.print(' invalid sack');
        else {
          p.print(` ${datalen / 8} `);
          for (let i = 0; i < datalen; i += 8) {
            r = lencheck(i + 4);
            if (r !== 'ok') break;
            let s = p.u32(cp + i);
            r = lencheck(i + 8);
            if (r !== 'ok') break;
            let e = p.u32(cp + i + 4);
            const base = seqBase.rev ? seqBase.thseq : seqBase.thack;
            s = (s - base) >>> 0;
            e = (e - base) >>> 0;
            p.print(`{${s}:${e}}`);
          }
        }
        break;
      case 11:
      case 12:
      case 13:
      case 6:
      case 7:
        datalen = 4;
        r = lencheck(datalen);
        if (r === 'ok') p.print(` ${p.u32(cp)}`);
        break;
      case 8:
        datalen = 8;
        r = lencheck(datalen);
        if (r === 'ok') p.print(` val ${p.u32(cp)} ecr ${p.u32(cp + 4)}`);
        break;
      case 19: {
        datalen = 16;
        r = lencheck(datalen);
        if (r !== 'ok') break;
        // tcpdump with libcrypto cannot check the signature without a secret (-M) and says so.
        p.print(' ');
        p.print(
          payloadEnd > p.snapend ? 'snaplen too short, ' : 'shared secret not supplied with -M, ',
        );
        let sig = '';
        for (let i = 0; i < 16; i++) sig += hex2(p.u8(cp + i));
        p.print(`can't check - ${sig}`);
        break;
      }
      case 20:
        datalen = 2;
        r = lencheck(datalen);
        if (r === 'ok') p.print(` cap ${hex2(p.u8(cp))} id ${p.u8(cp + 1)}`);
        break;
      case 29:
        datalen = len - 2;
        if (datalen < 2) p.invalid();
        else {
          r = lencheck(1);
          if (r !== 'ok') break;
          p.print(` keyid ${p.u8(cp)}`);
          r = lencheck(2);
          if (r !== 'ok') break;
          p.print(` rnextkeyid ${p.u8(cp + 1)}`);
          if (datalen > 2) {
            p.print(' mac 0x');
            for (let i = 2; i < datalen; i++) {
              r = lencheck(i + 1);
              if (r !== 'ok') break;
              p.print(hex2(p.u8(cp + i)));
            }
          }
        }
        break;
      case 0:
      case 1:
      case 4:
        break;
      case 28: {
        datalen = 2;
        r = lencheck(datalen);
        if (r !== 'ok') break;
        let uto = p.u16(cp);
        p.print(` 0x${uto.toString(16)}`);
        if (uto & 1) uto = (uto >> 1) * 60;
        else uto >>= 1;
        p.print(` ${uto}`);
        break;
      }
      case 30: {
        datalen = len - 2;
        r = lencheck(datalen);
        if (r !== 'ok') break;
        // mptcp_print sees only the option's bytes.
        const saved = p.snapend;
        p.snapend = Math.min(cp - 2 + len, p.snapend);
        let ok: boolean;
        try {
          ok = printMptcp(p, cp - 2, len, flags);
        } finally {
          p.snapend = saved;
        }
        if (!ok) return { end: 'bad', sep };
        break;
      }
      case 34:
        datalen = len - 2;
        r = lencheck(datalen);
        if (r !== 'ok') break;
        p.print(' ');
        printFastOpen(p, cp, datalen, false);
        break;
      case 254: {
        datalen = len - 2;
        r = lencheck(datalen);
        if (r !== 'ok') break;
        if (datalen < 2) return { end: 'bad', sep };
        const magic = p.u16(cp);
        p.print('-');
        if (magic === 0xf989) printFastOpen(p, cp + 2, datalen - 2, true);
        else p.print(magic.toString(16).padStart(4, '0'));
        break;
      }
      default:
        datalen = len - 2;
        if (datalen) p.print(' 0x');
        for (let i = 0; i < datalen; i++) {
          r = lencheck(i + 1);
          if (r !== 'ok') break;
          p.print(hex2(p.u8(cp + i)));
        }
    }
    if (r !== 'ok') return { end: r, sep };
    cp += datalen;
    hlen -= datalen;
    datalen++;
    if (opt !== 0 && opt !== 1) datalen++;
    if (datalen !== len) p.print(`[len ${len}]`);
    sep = true;
    if (opt === 0) break;
  }
  p.print(']');
  return { end: 'ok', sep };
}

function printFastOpen(p: Printer, o: number, datalen: number, exp: boolean): void {
  if (exp) p.print('tfo');
  if (datalen === 0) p.print(' cookiereq');
  else if (datalen % 2 !== 0 || datalen < 4 || datalen > 16) p.invalid();
  else {
    p.print(' cookie ');
    for (let i = 0; i < datalen; i++) p.print(hex2(p.u8(o + i)));
  }
}

// ---- MPTCP (RFC 8684), as print-mptcp.c ----

const SYN = 0x02;
const ACK = 0x10;
const MPTCP_SUBTYPES = [
  'capable',
  'join',
  'dss',
  'add-addr',
  'rem-addr',
  'prio',
  'fail',
  'fast-close',
  'unknown',
];
const ADD_ADDR_ECHO: Tok = new Map([
  [0x6, 'v0-ip6'],
  [0x4, 'v0-ip4'],
  [0x1, 'v1-echo'],
  [0x0, 'v1'],
]);

const hex64 = (v: bigint) => v.toString(16);

/** mptcp_print: ` len subtype ...`; false when tcpdump calls the option bad. */
function printMptcp(p: Printer, o: number, len: number, flags: number): boolean {
  p.protocol = 'mptcp';
  if (len < 3) return false;
  const subtype = Math.min(p.u8(o + 2) >> 4, 8);
  p.print(` ${len} ${MPTCP_SUBTYPES[subtype]}`);
  switch (subtype) {
    case 0: {
      if (
        !((len === 12 || len === 4) && flags & SYN) &&
        !((len === 20 || len === 22) && (flags & (SYN | ACK)) === ACK)
      )
        return false;
      const version = p.u8(o + 2) & 0xf;
      if (version > 1) {
        p.print(` Unknown Version (${version})`);
        return true;
      }
      p.print(` v${version}`);
      if (p.u8(o + 3) & 0x80) p.print(' csum');
      if (len === 12 || len >= 20) {
        p.print(` {0x${hex64(p.u64(o + 4))}`);
        if (len >= 20) p.print(`,0x${hex64(p.u64(o + 12))}`);
        p.print('}');
      }
      return true;
    }
    case 1: {
      if (
        !(len === 12 && flags & SYN) &&
        !(len === 16 && (flags & (SYN | ACK)) === (SYN | ACK)) &&
        !(len === 24 && flags & ACK)
      )
        return false;
      if (len !== 24) {
        if (p.u8(o + 2) & 0x01) p.print(' backup');
        p.print(` id ${p.u8(o + 3)}`);
      }
      if (len === 12)
        p.print(` token 0x${p.u32(o + 4).toString(16)} nonce 0x${p.u32(o + 8).toString(16)}`);
      else if (len === 16)
        p.print(` hmac 0x${hex64(p.u64(o + 4))} nonce 0x${p.u32(o + 12).toString(16)}`);
      else {
        // tcpdump reads the 20 MAC bytes without a bounds check; the option length covers them.
        let mac = '';
        for (let i = 0; i < 20; i++) mac += hex2(p.b[o + 4 + i] ?? 0);
        p.print(` hmac 0x${mac}`);
      }
      return true;
    }
    case 2: {
      if (len < 4) return false;
      if (flags & SYN) return false;
      const f = p.u8(o + 3);
      if (f & 0x10) p.print(' fin');
      let q = o + 4;
      let rest = len - 4;
      /** Prints the next 8-byte (wide) or 4-byte number; false when the option is too short for it. */
      const number = (wide: boolean): boolean => {
        const n = wide ? 8 : 4;
        if (rest < n) return false;
        p.print(wide ? p.u64(q).toString() : String(p.u32(q)));
        q += n;
        rest -= n;
        return true;
      };
      if (f & 0x01) {
        p.print(' ack ');
        if (!number((f & 0x02) !== 0)) return false;
      }
      if (f & 0x04) {
        p.print(' seq ');
        if (!number((f & 0x08) !== 0)) return false;
        if (rest < 4) return false;
        p.print(` subseq ${p.u32(q)}`);
        q += 4;
        rest -= 4;
        if (rest < 2) return false;
        p.print(` len ${p.u16(q)}`);
        q += 2;
        rest -= 2;
        if (rest >= 2) {
          p.print(` csum 0x${p.u16(q).toString(16)}`);
          rest -= 2;
        }
      }
      return rest === 0;
    }
    case 3: {
      if (![8, 10, 16, 18, 20, 22, 28, 30].includes(len)) return false;
      p.print(` ${tok2str(ADD_ADDR_ECHO, '[bad version/echo]', p.u8(o + 2) & 0xf)}`);
      p.print(` id ${p.u8(o + 3)}`);
      if (len === 8 || len === 10 || len === 16 || len === 18) {
        p.print(` ${p.ip4(o + 4)}`);
        if (len === 10 || len === 18) p.print(`:${p.u16(o + 8)}`);
        if (len === 16) p.print(` hmac 0x${hex64(p.u64(o + 8))}`);
        if (len === 18) p.print(` hmac 0x${hex64(p.u64(o + 10))}`);
      } else {
        p.print(` ${p.ip6(o + 4)}`);
        if (len === 22 || len === 30) p.print(`:${p.u16(o + 20)}`);
        if (len === 28) p.print(` hmac 0x${hex64(p.u64(o + 20))}`);
        if (len === 30) p.print(` hmac 0x${hex64(p.u64(o + 22))}`);
      }
      return true;
    }
    case 4: {
      if (len < 4) return false;
      p.print(' id');
      for (let i = 0; i < len - 3; i++) p.print(` ${p.u8(o + 3 + i)}`);
      return true;
    }
    case 5:
      if (len !== 3 && len !== 4) return false;
      p.print(p.u8(o + 2) & 0x01 ? ' backup' : ' non-backup');
      if (len === 4) p.print(` id ${p.u8(o + 3)}`);
      return true;
    case 6:
      if (len !== 12) return false;
      p.print(` seq ${p.u64(o + 4)}`);
      return true;
    case 7:
      if (len !== 12) return false;
      p.print(` key 0x${hex64(p.u64(o + 4))}`);
      return true;
    default:
      return true;
  }
}
