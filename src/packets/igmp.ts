// IGMP (RFC 1112/2236/3376) with the DVMRP, PIMv1 and mtrace messages it carries, as tcpdump's
// print-igmp.c and print-dvmrp.c without -v.
import { printPimv1 } from './pim.js';
import { type Printer, reltsText, type Tok, tok2str } from './printer.js';

const DVMRP_TYPES: Tok = new Map([
  [1, 'Probe'],
  [2, 'Report'],
  [3, 'Ask-neighbors(old)'],
  [4, 'Neighbors(old)'],
  [5, 'Ask-neighbors2'],
  [6, 'Neighbors2'],
  [7, 'Prune'],
  [8, 'Graft'],
  [9, 'Graft-ACK'],
]);

/** igmp_print. */
export function printIgmp(p: Printer, o: number, len: number): void {
  p.protocol = 'igmp';
  if (p.qflag) {
    p.print('igmp');
    return;
  }
  const type = p.u8(o);
  switch (type) {
    case 0x11:
      p.print('igmp query');
      if (len >= 12) igmpv3Query(p, o, len);
      else {
        const mrt = p.u8(o + 1);
        if (mrt) {
          p.print(' v2');
          if (mrt !== 100) p.print(` [max resp time ${mrt}]`);
        } else p.print(' v1');
        if (p.u32(o + 4)) p.print(` [gaddr ${p.ip4(o + 4)}]`);
        if (len !== 8) p.print(` [len ${len}]`);
      }
      break;
    case 0x12:
      p.print(`igmp v1 report ${p.ip4(o + 4)}`);
      if (len !== 8) p.print(` [len ${len}]`);
      break;
    case 0x16:
      p.print(`igmp v2 report ${p.ip4(o + 4)}`);
      break;
    case 0x22:
      p.print('igmp v3 report');
      if (len < 16 || len & 3) p.print(` [invalid len ${len}]`);
      else p.print(`, ${p.u16(o + 6)} group record(s)`);
      break;
    case 0x17:
      p.print(`igmp leave ${p.ip4(o + 4)}`);
      break;
    case 0x13:
      p.print('igmp dvmrp');
      if (len < 8) p.print(` [len ${len}]`);
      else printDvmrp(p, o, len);
      break;
    case 0x14:
      p.print('igmp pimv1');
      printPimv1(p, o, len);
      break;
    case 0x1e:
    case 0x1f: {
      const name = type === 0x1e ? 'mresp' : 'mtrace';
      if (len < 8 + 16) {
        p.print(` [invalid len ${len}]`);
        break;
      }
      const t = o + 8;
      p.print(`${name} ${p.u24(t + 13)}: ${p.ip4(t)} to ${p.ip4(t + 4)} reply-to ${p.ip4(t + 8)}`);
      if ((p.u32(t + 8) & 0xf0000000) >>> 0 === 0xe0000000) p.print(` with-ttl ${p.u8(t + 12)}`);
      break;
    }
    default:
      p.print(`igmp-${type}`);
  }
}

function igmpv3Query(p: Printer, o: number, len: number): void {
  p.print(' v3');
  if (len < 12 || len & 3) {
    p.print(` [invalid len ${len}]`);
    return;
  }
  const mrc = p.u8(o + 1);
  const mrt = mrc < 128 ? mrc : ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3);
  if (mrc !== 100) {
    p.print(' [max resp time ');
    p.print(mrt < 600 ? `${(mrt * 0.1).toFixed(1)}s` : reltsText(Math.floor(mrt / 10)));
    p.print(']');
  }
  if (p.u32(o + 4) === 0) return;
  p.print(` [gaddr ${p.ip4(o + 4)}`);
  const nsrcs = p.u16(o + 10);
  if (nsrcs > 0) {
    if (len < 12 + (nsrcs << 2)) p.print(' [invalid number of sources]');
    else p.print(`, ${nsrcs} source(s)`);
  }
  p.print(']');
}

/** dvmrp_print without -v. */
function printDvmrp(p: Printer, o: number, len0: number): void {
  p.protocol = 'dvmrp';
  const type = p.u8(o + 1);
  let bp = o + 8;
  let len = len0 - 8;
  p.print(` ${tok2str(DVMRP_TYPES, '[type %u]', type)}`);
  const invalid = () => p.invalid();
  switch (type) {
    case 4:
      while (len > 0) {
        if (len < 7) {
          p.print(` [length ${len} < 7]`);
          invalid();
          return;
        }
        const laddr = bp;
        const metric = p.u8(bp + 4);
        const thresh = p.u8(bp + 5);
        let ncount = p.u8(bp + 6);
        bp += 7;
        len -= 7;
        while (--ncount >= 0) {
          if (len < 4) {
            p.print(` [length ${len} < 4]`);
            invalid();
            return;
          }
          p.print(` [${p.ip4(laddr)} ->`);
          p.print(` ${p.ip4(bp)}, (${metric}/${thresh})]`);
          bp += 4;
          len -= 4;
        }
      }
      break;
    case 6: {
      p.print(` (v ${p.u8(o + 7)}.${p.u8(o + 6)}):`);
      while (len > 0) {
        if (len < 8) {
          p.print(` [length ${len} < 8]`);
          invalid();
          return;
        }
        const laddr = bp;
        const metric = p.u8(bp + 4);
        const thresh = p.u8(bp + 5);
        const flags = p.u8(bp + 6);
        let ncount = p.u8(bp + 7);
        bp += 8;
        len -= 8;
        while (--ncount >= 0 && len > 0) {
          if (len < 4) {
            p.print(` [length ${len} < 4]`);
            invalid();
            return;
          }
          p.print(` [${p.ip4(laddr)} -> `);
          p.print(`${p.ip4(bp)} (${metric}/${thresh}`);
          if (flags & 0x01) p.print('/tunnel');
          if (flags & 0x02) p.print('/srcrt');
          if (flags & 0x40) p.print('/querier');
          if (flags & 0x20) p.print('/disabled');
          if (flags & 0x10) p.print('/down');
          p.print(')]');
          bp += 4;
          len -= 4;
        }
        if (ncount !== -1) {
          p.print(' [invalid ncount]');
          invalid();
          return;
        }
      }
      break;
    }
    case 7:
      p.print(` src ${p.ip4(bp)} grp ${p.ip4(bp + 4)}`);
      p.print(` timer ${reltsText(p.u32(bp + 8))}`);
      break;
    case 8:
    case 9:
      p.print(` src ${p.ip4(bp)} grp ${p.ip4(bp + 4)}`);
      break;
  }
}
