// DECnet Phase IV routing and NSP, as tcpdump's print-decnet.c without -v.
import { type Printer, type Tok, tok2str } from './printer.js';

const REASONS: Tok = new Map([
  [0, 'object rejected connect'],
  [1, 'insufficient resources'],
  [2, 'unrecognized node name'],
  [3, 'node is shutting down'],
  [4, 'unrecognized object'],
  [5, 'invalid object name format'],
  [6, 'object too busy'],
  [7, 'protocol error discovered'],
  [8, 'third party abort'],
  [9, 'user abort'],
  [10, 'invalid node name format'],
  [11, 'local node shutting down'],
  [32, 'insufficient local resources'],
  [33, 'insufficient remote user resources'],
  [34, 'invalid access control information'],
  [36, 'bad ACCOUNT information'],
  [38, 'no response from object'],
  [39, 'node unreachable'],
  [41, 'no link terminate'],
  [42, 'disconnect complete'],
  [43, 'bad image data in connect'],
  [54, 'cryptographic service mismatch'],
]);

/** dnnum_string: area.node. */
const dn = (a: number) => `${(a & 0xfc00) >> 10}.${a & 0x3ff}`;

/** decnet_print: returns after printing; `(invalid)` on the length errors tcpdump checks. */
export function printDecnet(p: Printer, o: number, length0: number, caplen0: number): void {
  p.protocol = 'decnet';
  if (!decnet(p, o, length0, caplen0)) p.invalid();
}

function decnet(p: Printer, o0: number, length0: number, caplen0: number): boolean {
  let o = o0;
  let length = length0;
  let caplen = caplen0;
  if (length < 6) {
    p.print(` (length ${length} < 6)`);
    return false;
  }
  const pktlen = p.le16(o);
  if (pktlen < 6) {
    p.print(` (pktlen ${pktlen} < 6)`);
    return false;
  }
  if (pktlen > length) {
    p.print(` (pktlen ${pktlen} > ${length})`);
    return false;
  }
  length = pktlen;
  let rh = o + 2;
  let mflags = p.u8(rh);
  if (mflags & 0x80) {
    const padlen = mflags & 0x7f;
    if (length < padlen + 2) {
      p.print(` (length ${length} < ${padlen + 2})`);
      return false;
    }
    p.need(o + 2, padlen);
    o += padlen;
    length -= padlen;
    caplen -= padlen;
    rh = o + 2;
    mflags = p.u8(rh);
  }
  if (mflags & 0x40) {
    p.print('future-version-decnet');
    p.defaultPrint(o, Math.min(length, caplen), 'never');
    return true;
  }
  if (mflags & 1) return ctlmsg(p, rh, length, caplen);
  let dst: number;
  let src: number;
  let nsp: number;
  let nsplen: number;
  switch (mflags & 7) {
    case 6:
      if (length < 21) {
        p.print(` (length ${length} < 21)`);
        return false;
      }
      p.need(rh, 21);
      dst = p.le16(rh + 7);
      src = p.le16(rh + 15);
      nsp = o + 2 + 21;
      nsplen = length - 21;
      break;
    case 2:
      dst = p.le16(rh + 1);
      src = p.le16(rh + 3);
      p.u8(rh + 5);
      nsp = o + 2 + 6;
      nsplen = length - 6;
      break;
    default:
      p.print('unknown message flags under mask');
      p.defaultPrint(o, Math.min(length, caplen), 'never');
      return true;
  }
  p.print(`${dn(src)} > ${dn(dst)} ${pktlen} `);
  return printNsp(p, nsp, nsplen);
}

function tInfo(info: number): string {
  let s = ['reserved-ntype? ', 'l2rout ', 'l1rout ', 'endnode '][info & 3];
  if (info & 4) s += 'verif ';
  if (info & 8) s += 'blo ';
  return s;
}

function iInfo(info: number): string {
  let s = ['reserved-ntype? ', 'l2rout ', 'l1rout ', 'endnode '][info & 3];
  if (info & 4) s += 'verif ';
  if (info & 0x20) s += 'nomcast ';
  if (info & 0x40) s += 'blo ';
  return s;
}

function routes(p: Printer, o: number, len0: number, what: string): void {
  let rp = o;
  let len = len0;
  while (len > 6) {
    p.need(rp, 6);
    const count = p.le16(rp);
    if (count > 1024) return;
    const id = p.le16(rp + 2);
    const info = p.le16(rp + 4);
    rp += 6;
    len -= 6;
    p.print(`{${what} ${id}-${id + count} cost ${info & 0x1ff} hops ${(info >> 10) & 0x1f}} `);
  }
}

function ctlmsg(p: Printer, rh: number, length: number, caplen: number): boolean {
  const mflags = p.u8(rh);
  switch (mflags & 0x0f) {
    case 1: {
      p.print('init ');
      if (length < 12) return false;
      p.need(rh, 12);
      const src = p.le16(rh + 1);
      const info = p.u8(rh + 3);
      p.print(tInfo(info));
      p.print(
        `src ${dn(src)}blksize ${p.le16(rh + 4)} vers ${p.u8(rh + 6)} eco ${p.u8(rh + 7)} ueco ${p.u8(rh + 8)} hello ${p.le16(rh + 9)}`,
      );
      break;
    }
    case 3:
      p.print('verification ');
      if (length < 4) return false;
      p.print(`src ${dn(p.le16(rh + 1))} fcnval ${p.u8(rh + 3).toString(8)}`);
      break;
    case 5:
      p.print('test ');
      if (length < 4) return false;
      p.print(`src ${dn(p.le16(rh + 1))} data ${p.u8(rh + 3).toString(8)}`);
      break;
    case 7:
      p.print('lev-1-routing ');
      if (length < 4) return false;
      p.need(rh, 4);
      p.print(`src ${dn(p.le16(rh + 1))} `);
      routes(p, rh + 4, length - 4, 'ids');
      break;
    case 9:
      p.print('lev-2-routing ');
      if (length < 4) return false;
      p.need(rh, 4);
      p.print(`src ${dn(p.le16(rh + 1))} `);
      routes(p, rh + 4, length - 4, 'areas');
      break;
    case 11:
      p.print('router-hello ');
      if (length < 18) return false;
      p.need(rh, 18);
      p.print(iInfo(p.u8(rh + 10)));
      p.print(
        `vers ${p.u8(rh + 1)} eco ${p.u8(rh + 2)} ueco ${p.u8(rh + 3)} src ${dn(p.le16(rh + 8))} blksize ${p.le16(rh + 11)} pri ${p.u8(rh + 13)} hello ${p.le16(rh + 15)}`,
      );
      break;
    case 13: {
      p.print('endnode-hello ');
      if (length < 32) return false;
      const vers = p.u8(rh + 1);
      const eco = p.u8(rh + 2);
      const ueco = p.u8(rh + 3);
      const src = p.le16(rh + 8);
      const info = p.u8(rh + 10);
      const blksize = p.le16(rh + 11);
      const dst = p.le16(rh + 26);
      const hello = p.le16(rh + 28);
      const other = p.u8(rh + 31);
      p.print(iInfo(info));
      p.print(
        `vers ${vers} eco ${eco} ueco ${ueco} src ${dn(src)} blksize ${blksize} rtr ${dn(dst)} hello ${hello} data ${other.toString(8)}`,
      );
      break;
    }
    default:
      p.print('unknown control message');
      p.defaultPrint(rh, Math.min(length, caplen), 'never');
  }
  return true;
}

/** The ack fields of data/interrupt/link-service/ack messages. */
function acks(p: Printer, first: number, names: [string, string, string, string]): number {
  let ack = p.le16(first);
  let used = 0;
  if (ack & 0x8000) {
    p.print(`${(ack & 0x9000) === 0x9000 ? names[1] : names[0]} ${ack & 0xfff} `);
    used = 2;
    ack = p.le16(first + 2);
    if ((ack & 0xa000) === 0xa000) {
      p.print(`${(ack & 0xb000) === 0xb000 ? names[3] : names[2]} ${ack & 0xfff} `);
      used = 4;
      ack = -1;
    }
  }
  return used;
}

function printNsp(p: Printer, o: number, nsplen: number): boolean {
  if (nsplen < 5) {
    p.print(` (nsplen ${nsplen} < 5)`);
    return false;
  }
  const flags = p.u8(o);
  const dst = p.le16(o + 1);
  const src = p.le16(o + 3);
  const sub = flags & 0x70;
  // The data and interrupt forms read up to three sequence words, each only when there is room.
  const seqs = (names: [string, string, string, string]): boolean => {
    let off = 7;
    if (nsplen < off) return false;
    let ack = p.le16(o + 5);
    if (ack & 0x8000) {
      p.print(`${(ack & 0x9000) === 0x9000 ? names[1] : names[0]} ${ack & 0xfff} `);
      off += 2;
      if (nsplen < off) return false;
      ack = p.le16(o + 7);
      if ((ack & 0xa000) === 0xa000) {
        p.print(`${(ack & 0xb000) === 0xb000 ? names[3] : names[2]} ${ack & 0xfff} `);
        off += 2;
        if (nsplen < off) return false;
        ack = p.le16(o + 9);
      }
    }
    p.print(`seg ${ack & 0xfff} `);
    return true;
  };
  switch (flags & 0x0c) {
    case 0:
      switch (sub) {
        case 0x20:
        case 0x00:
        case 0x40:
        case 0x60:
          p.print(`data ${src}>${dst} `);
          if (!seqs(['ack', 'nak', 'oack', 'onak'])) return false;
          break;
        case 0x30:
          p.print('intr ');
          if (!seqs(['ack', 'nak', 'ackdat', 'nakdat'])) return false;
          break;
        case 0x10: {
          p.print(`link-service ${src}>${dst} `);
          if (nsplen < 13) return false;
          let ack = p.le16(o + 5);
          if (ack & 0x8000) {
            p.print(`${(ack & 0x9000) === 0x9000 ? 'nak' : 'ack'} ${ack & 0xfff} `);
            ack = p.le16(o + 7);
            if ((ack & 0xa000) === 0xa000) {
              p.print(`${(ack & 0xb000) === 0xb000 ? 'nakdat' : 'ackdat'} ${ack & 0xfff} `);
              ack = p.le16(o + 9);
            }
          }
          p.print(`seg ${ack & 0xfff} `);
          const lsflags = p.u8(o + 11);
          const fcval = p.u8(o + 12);
          switch (lsflags & 0x0c) {
            case 0:
              p.print(`dat seg count ${fcval} `);
              switch (lsflags & 3) {
                case 0:
                  break;
                case 1:
                  p.print('donotsend-data ');
                  break;
                case 2:
                  p.print('send-data ');
                  break;
                default:
                  p.print(`reserved-fcmod? ${lsflags.toString(16)}`);
              }
              break;
            case 4:
              p.print(`intr req count ${fcval} `);
              break;
            default:
              p.print(`reserved-fcval-int? ${lsflags.toString(16)}`);
          }
          break;
        }
        default:
          p.print(`reserved-subtype? ${flags.toString(16)} ${src} > ${dst}`);
      }
      break;
    case 4:
      switch (sub) {
        case 0x00:
          p.print(`data-ack ${src}>${dst} `);
          if (nsplen < 9) return false;
          p.need(o, 9);
          acks(p, o + 5, ['ack', 'nak', 'oack', 'onak']);
          break;
        case 0x10:
          p.print(`ils-ack ${src}>${dst} `);
          if (nsplen < 9) return false;
          p.need(o, 9);
          acks(p, o + 5, ['ack', 'nak', 'ackdat', 'nakdat']);
          break;
        case 0x20:
          p.print(`conn-ack ${dst}`);
          break;
        default:
          p.print(`reserved-acktype? ${flags.toString(16)} ${src} > ${dst}`);
      }
      break;
    case 8:
      switch (sub) {
        case 0x10:
        case 0x60: {
          p.print(sub === 0x10 ? 'conn-initiate ' : 'retrans-conn-initiate ');
          p.print(`${src}>${dst} `);
          if (nsplen < 9) return false;
          connectInfo(p, p.u8(o + 5), p.u8(o + 6), p.le16(o + 7));
          break;
        }
        case 0x20: {
          p.print(`conn-confirm ${src}>${dst} `);
          if (nsplen < 10) return false;
          const optlen = p.u8(o + 9);
          connectInfo(p, p.u8(o + 5), p.u8(o + 6), p.le16(o + 7));
          if (optlen) p.print(`optlen ${optlen} `);
          break;
        }
        case 0x30: {
          p.print(`disconn-initiate ${src}>${dst} `);
          if (nsplen < 8) return false;
          const reason = p.le16(o + 5);
          const optlen = p.u8(o + 7);
          p.print(`${tok2str(REASONS, 'reason-%u', reason)} `);
          if (optlen) p.print(`optlen ${optlen} `);
          break;
        }
        case 0x40:
          p.print(`disconn-confirm ${src}>${dst} `);
          p.print(`${tok2str(REASONS, 'reason-%u', p.le16(o + 5))} `);
          break;
        default:
          p.print(`reserved-ctltype? ${flags.toString(16)} ${src} > ${dst}`);
      }
      break;
    default:
      p.print(`reserved-type? ${flags.toString(16)} ${src} > ${dst}`);
  }
  return true;
}

function connectInfo(p: Printer, services: number, info: number, segsize: number): void {
  const cos = services & 0x0c;
  if (cos === 4) p.print('seg ');
  else if (cos === 8) p.print('msg ');
  p.print(['ver 3.2 ', 'ver 3.1 ', 'ver 4.0 ', 'ver 4.1 '][info & 3]);
  p.print(`segsize ${segsize} `);
}
