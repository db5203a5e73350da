// SCTP (RFC 9260) chunk lists, and the ForCES (RFC 5810) message names it carries, as tcpdump's
// print-sctp.c and print-forces.c without -v.
import { type Printer, type Tok, tok2str } from './printer.js';

const CHUNK_NAMES: Tok = new Map([
  [0x00, 'DATA'],
  [0x01, 'INIT'],
  [0x02, 'INIT ACK'],
  [0x03, 'SACK'],
  [0x04, 'HB REQ'],
  [0x05, 'HB ACK'],
  [0x06, 'ABORT'],
  [0x07, 'SHUTDOWN'],
  [0x08, 'SHUTDOWN ACK'],
  [0x09, 'OP ERR'],
  [0x0a, 'COOKIE ECHO'],
  [0x0b, 'COOKIE ACK'],
  [0x0c, 'ECN ECHO'],
  [0x0d, 'ECN CWR'],
  [0x0e, 'SHUTDOWN COMPLETE'],
  [0xc0, 'FOR CUM TSN'],
  [0xc1, 'REL CTRL'],
  [0xc2, 'REL CTRL ACK'],
]);
const PPID_NAMES: Tok = new Map([
  [1, 'ISDN Q.921'],
  [2, 'M2UA'],
  [3, 'M3UA'],
  [4, 'SUA'],
  [5, 'M2PA'],
  [6, 'V5.2'],
  [7, 'H.248'],
  [8, 'BICC'],
  [9, 'TALI'],
  [10, 'DUA'],
  [11, 'ASAP'],
  [12, 'ENRP'],
  [13, 'H.323'],
  [14, 'Q.IPC'],
  [15, 'SIMCO'],
  [16, 'DDPSC'],
  [17, 'DDPSSC'],
  [18, 'S1AP'],
  [19, 'RUA'],
  [20, 'HNBAP'],
  [21, 'ForCES HP'],
  [22, 'ForCES MP'],
  [23, 'ForCES LP'],
  [24, 'SBc-AP'],
  [25, 'NBAP'],
  [27, 'X2AP'],
]);
const FORCES_CHANNELS: Tok = new Map([
  [6704, 'ForCES HP'],
  [6705, 'ForCES MP'],
  [6706, 'ForCES LP'],
]);

class Stop {}

/** sctp_print: `a.p > b.q: sctp (1) [INIT] ... , (2) [...]`. */
export function printSctp(p: Printer, o: number, ip: number, length: number): void {
  p.protocol = 'sctp';
  if (length < 12) {
    p.print(`truncated-sctp - ${12 - length} bytes missing!`);
    return;
  }
  if (!p.has(o, 12)) {
    p.trunc();
    return;
  }
  const sport = p.u16(o);
  const dport = p.u16(o + 2);
  const v6 = p.u8(ip) >> 4 === 6;
  p.print(
    v6
      ? `${p.ip6(ip + 8)}.${sport} > ${p.ip6(ip + 24)}.${dport}: sctp`
      : `${p.ip4(ip + 12)}.${sport} > ${p.ip4(ip + 16)}.${dport}: sctp`,
  );
  let forces = false;
  for (const port of [sport, dport])
    if (FORCES_CHANNELS.has(port)) {
      p.print(`[${FORCES_CHANNELS.get(port)}]`);
      forces = true;
    }
  let bp = o + 12;
  let rem = length - 12;
  let sep = ' (';
  try {
    for (let n = 1; rem !== 0; n++) {
      if (rem < 4) {
        p.print(`${sep}${n}) [chunk descriptor cut off at end of packet]`);
        break;
      }
      if (!p.has(bp, 4)) throw new Stop();
      const chunkLen = p.u16(bp + 2);
      if (chunkLen < 4) {
        p.print(`${sep}${n}) [Bad chunk length ${chunkLen}, < size of chunk descriptor]`);
        break;
      }
      let left = chunkLen;
      const align = chunkLen % 4 ? 4 - (chunkLen % 4) : 0;
      if (rem < align) {
        p.print(`${sep}${n}) [Bad chunk length ${chunkLen}, > remaining data in packet]`);
        break;
      }
      if (!p.has(bp, chunkLen)) throw new Stop();
      const id = p.u8(bp);
      const flg = p.u8(bp + 1);
      bp += 4;
      rem = (rem - 4) >>> 0;
      left -= 4;
      p.print(`${sep}${n}) `);
      p.print(`[${tok2str(CHUNK_NAMES, 'Unknown chunk type: 0x%x', id)}] `);
      const bogus = () => p.print(`bogus chunk length ${chunkLen}]`);
      switch (id) {
        case 0: {
          if (flg & 4) p.print('(U)');
          if (flg & 2) p.print('(B)');
          if (flg & 1) p.print('(E)');
          if (flg & 7) p.print(' ');
          if (left < 12) {
            bogus();
            return;
          }
          const ppid = p.u32(bp + 8);
          p.print(`[TSN: ${p.u32(bp)}] `);
          p.print(`[SID: ${p.u16(bp + 4)}] `);
          p.print(`[SSEQ ${p.u16(bp + 6)}] `);
          p.print(`[PPID ${tok2str(PPID_NAMES, '0x%x', ppid)}] `);
          if (!forces) forces = ppid === 21 || ppid === 22 || ppid === 23;
          bp += 12;
          rem = (rem - 12) >>> 0;
          left -= 12;
          const size = left;
          if (size === 0) {
            bogus();
            return;
          }
          if (forces) {
            printForces(p, bp, size);
            p.protocol = 'sctp';
          }
          bp += size;
          rem = (rem - size) >>> 0;
          left = 0;
          break;
        }
        case 1:
        case 2:
          if (left < 16) {
            bogus();
            return;
          }
          p.print(`[init tag: ${p.u32(bp)}] `);
          p.print(`[rwnd: ${p.u32(bp + 4)}] `);
          p.print(`[OS: ${p.u16(bp + 8)}] `);
          p.print(`[MIS: ${p.u16(bp + 10)}] `);
          p.print(`[init TSN: ${p.u32(bp + 12)}] `);
          bp += left;
          rem = (rem - left) >>> 0;
          left = 0;
          break;
        case 3: {
          if (left < 12) {
            bogus();
            return;
          }
          const cum = p.u32(bp);
          p.print(`[cum ack ${cum}] `);
          p.print(`[a_rwnd ${p.u32(bp + 4)}] `);
          p.print(`[#gap acks ${p.u16(bp + 8)}] `);
          p.print(`[#dup tsns ${p.u16(bp + 10)}] `);
          const sack = bp;
          bp += 12;
          rem = (rem - 12) >>> 0;
          left -= 12;
          for (let f = 0; left !== 0 && f < p.u16(sack + 8); f++) {
            if (left < 4) {
              bogus();
              return;
            }
            p.print(
              `\n\t\t[gap ack block #${f + 1}: start = ${(cum + p.u16(bp)) >>> 0}, end = ${(cum + p.u16(bp + 2)) >>> 0}] `,
            );
            bp += 4;
            rem = (rem - 4) >>> 0;
            left -= 4;
          }
          for (let t = 0; left !== 0 && t < p.u16(sack + 10); t++) {
            if (left < 4) {
              bogus();
              return;
            }
            p.print(`\n\t\t[dup TSN #${t + 1}: ${p.u32(bp)}] `);
            bp += 4;
            rem = (rem - 4) >>> 0;
            left -= 4;
          }
          break;
        }
        default:
          bp += left;
          rem = (rem - left) >>> 0;
          left = 0;
      }
      bp += left;
      rem = (rem - left) >>> 0;
      sep = ', (';
      if (align !== 0) {
        if (!p.has(bp, align)) throw new Stop();
        bp += align;
        rem = (rem - align) >>> 0;
      }
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    p.trunc();
  }
}

const FORCES_TYPES: Tok = new Map([
  [0x01, 'Association Setup'],
  [0x02, 'Association TearDown'],
  [0x03, 'Config'],
  [0x04, 'Query'],
  [0x05, 'Event Notification'],
  [0x06, 'Packet Redirect'],
  [0x0f, 'HeartBeat'],
  [0x11, 'Association Response'],
  [0x13, 'Config Response'],
  [0x14, 'Query Response'],
]);

/** forces_print without -v: the message type, or why the header is wrong. */
function printForces(p: Printer, o: number, len: number): void {
  p.protocol = 'forces';
  if (!p.has(o, 24)) {
    p.trunc();
    return;
  }
  const tom = p.u8(o + 1);
  const error = () => {
    p.hex('\n\t[', o, len, 0);
    p.print('\n\t]');
  };
  const valid = tom > 0 && !(tom >= 0x7 && tom <= 0xe) && tom !== 0x10 && tom <= 0x14;
  if (!valid) {
    p.print(`Invalid ForCES message type ${tom}\n`);
    error();
    return;
  }
  const mlen = p.u16(o + 2) << 2;
  const name = FORCES_TYPES.get(tom);
  if (!name) {
    p.print(`\n\tUnknown ForCES message type=0x${tom.toString(16)}`);
    error();
    return;
  }
  p.print(`\n\tForCES ${name} `);
  if (!(len >= 24 && mlen >= 24 && mlen === len)) {
    p.print(`Illegal ForCES pkt len - min 24, total recvd ${len}, advertised ${mlen} `);
    error();
    return;
  }
}
