// TIPC (Transparent Inter-Process Communication) as tcpdump's print-tipc.c prints it without -v.
import { type Printer, type Tok, tok2str } from './printer.js';

const USERS: Tok = new Map([
  [0, 'Low Importance Data payload'],
  [1, 'Medium Importance Data payload'],
  [2, 'High Importance Data payload'],
  [3, 'Critical Importance Data payload'],
  [5, 'Broadcast Link Protocol internal'],
  [6, 'Message Bundler Protocol internal'],
  [7, 'Link State Protocol internal'],
  [8, 'Connection Manager internal'],
  [10, 'Link Changeover Protocol internal'],
  [11, 'Name Table Update Protocol internal'],
  [12, 'Message Fragmentation Protocol internal'],
  [13, 'Neighbor Detection Protocol internal'],
]);

// tcpdump's table swaps the names of types 1 and 3.
const MTYPES: Tok = new Map([
  [0, 'CONN_MSG'],
  [1, 'MCAST_MSG'],
  [2, 'NAMED_MSG'],
  [3, 'DIRECT_MSG'],
]);

const LINKCONF_MTYPES: Tok = new Map([
  [0, 'Link request'],
  [1, 'Link response'],
]);

const addr = (a: number) => `${a >>> 24}.${(a >>> 12) & 0xfff}.${a & 0xfff}`;

export function printTipc(p: Printer, o: number): void {
  p.protocol = 'tipc';
  const w0 = p.u32(o);
  const user = (w0 >>> 25) & 0xf;
  const ver = (w0 >>> 29) & 7;
  const hsize = (w0 >>> 21) & 0xf;
  const msize = w0 & 0x1ffff;
  const head = (from: string, to: string) =>
    `TIPC v${ver}.0 ${from} > ${to}, headerlength ${hsize * 4} bytes, MessageSize ${msize} bytes, ${tok2str(USERS, 'unknown', user)}, messageType `;
  switch (user) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 11:
    case 8: {
      const mtype = (p.u32(o + 4) >>> 29) & 7;
      const prev = p.u32(o + 12);
      const origPort = p.u32(o + 16);
      const destPort = p.u32(o + 20);
      if (hsize <= 6) p.print(head(`${addr(prev)}:${origPort}`, `${destPort}`));
      else {
        const orig = p.u32(o + 24);
        const dest = p.u32(o + 28);
        p.print(head(`${addr(orig)}:${origPort}`, `${addr(dest)}:${destPort}`));
      }
      p.print(tok2str(MTYPES, 'Unknown', mtype));
      break;
    }
    case 13: {
      const mtype = (p.u32(o + 4) >>> 29) & 7;
      const dest = p.u32(o + 8);
      const prev = p.u32(o + 12);
      p.print(head(addr(prev), addr(dest)) + tok2str(LINKCONF_MTYPES, 'Unknown', mtype));
      break;
    }
    case 5:
    case 6:
    case 7:
    case 10:
    case 12: {
      const w1 = p.u32(o + 4);
      const orig = p.u32(o + 24);
      const dest = p.u32(o + 28);
      p.print(
        `${head(addr(orig), addr(dest))}${tok2str(MTYPES, 'Unknown', (w1 >>> 29) & 7)} (0x${w1.toString(16).padStart(8, '0')})`,
      );
      break;
    }
  }
}
