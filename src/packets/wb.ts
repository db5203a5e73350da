// The LBL whiteboard (wb) protocol as tcpdump's print-wb.c prints it without -v.
import type { Printer } from './printer.js';

/** The part after the type; false for tcpdump's ` (invalid)`. */
function body(p: Printer, type: number, o: number, len0: number): boolean {
  let len = len0;
  switch (type) {
    case 1: {
      p.print(' wb-id:');
      if (len < 28) return false;
      len -= 28;
      p.print(
        ` ${p.u32(o + 12)}/${p.ip4(o + 16)}:${p.u32(o + 20)} (max ${p.u32(o)}/${p.ip4(o + 4)}:${p.u32(o + 8)}) `,
      );
      p.need(o, 28);
      const nid = p.u16(o + 24);
      if (len < 8 * nid) return false;
      len -= 8 * nid;
      let io = o + 28;
      let c = '<';
      for (let i = 0; i < nid; i++, io += 8) {
        p.print(`${c}${p.ip4(io)}:${p.u32(io + 4)}`);
        c = ',';
      }
      p.print('> "');
      p.printjnp(io, len);
      p.print('"');
      return true;
    }
    case 2:
      p.print(' wb-rreq:');
      if (len < 20) return false;
      p.print(
        ` please repair ${p.ip4(o)} ${p.ip4(o + 4)}:${p.u32(o + 8)}<${p.u32(o + 12)}:${p.u32(o + 16)}>`,
      );
      return true;
    case 3:
      p.print(' wb-rrep:');
      if (len < 20) return false;
      p.print(
        ` for ${p.ip4(o)} ${p.ip4(o + 4)}:${p.u32(o + 8)}<${p.u32(o + 12)}:${p.u32(o + 16)}>`,
      );
      return true;
    case 0:
      p.print(' wb-dop:');
      if (len < 16) return false;
      p.print(` ${p.ip4(o)}:${p.u32(o + 4)}<${p.u32(o + 8)}:${p.u32(o + 12)}>`);
      return true;
    case 5:
      p.print(' wb-preq:');
      if (len < 16) return false;
      p.print(` need ${p.u32(o + 8)}/${p.ip4(o)}:${p.u32(o + 4)}`);
      p.need(o, 16);
      return true;
    case 7: {
      p.print(' wb-prep:');
      if (len < 4) return false;
      let n = p.u32(o);
      let ps = o + 4;
      while (n !== 0) {
        let c = '<';
        p.print(` ${p.u32(ps)}/${p.ip4(ps + 4)}:${p.u32(ps + 8)}`);
        p.need(ps, 16);
        let io = ps + 16;
        const end = io + 8 * p.u8(ps + 12);
        for (; io < end; io += 8) {
          p.print(`${c}${p.ip4(io)}:${p.u32(io + 4)}`);
          c = ',';
        }
        p.print('>');
        ps = io;
        n--;
      }
      return true;
    }
    default:
      p.print(` wb-${type}!`);
      return false;
  }
}

export function printWb(p: Printer, o: number, len: number): void {
  p.protocol = 'wb';
  if (len < 12) {
    p.invalid();
    return;
  }
  p.need(o, 12);
  if (p.u8(o + 11)) p.print('*');
  const type = p.u8(o + 10);
  if (type === 4) {
    p.print(' wb-kill');
    return;
  }
  if (!body(p, type, o + 12, len - 12)) p.invalid();
}
