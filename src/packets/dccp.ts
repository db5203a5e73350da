// DCCP (RFC 4340), as tcpdump's print-dccp.c prints it without -v.
import type { Printer } from './printer.js';

const TYPES = [
  'DCCP-Request',
  'DCCP-Response',
  'DCCP-Data',
  'DCCP-Ack',
  'DCCP-DataAck',
  'DCCP-CloseReq',
  'DCCP-Close',
  'DCCP-Reset',
  'DCCP-Sync',
  'DCCP-SyncAck',
];
const RESET_CODES = [
  'unspecified',
  'closed',
  'aborted',
  'no_connection',
  'packet_error',
  'option_error',
  'mandatory_error',
  'connection_refused',
  'bad_service_code',
  'too_busy',
  'bad_init_cookie',
  'aggression_penalty',
];

/** dccp_print. */
export function printDccp(p: Printer, o: number, ip: number, len: number): void {
  p.protocol = 'dccp';
  if (o + 12 > p.snapend) {
    p.trunc();
    return;
  }
  if (len < 12) {
    p.print(`truncated-dccp - ${12 - len} bytes missing!`);
    return;
  }
  const x = p.u8(o + 8) & 1;
  let fixed = x ? 16 : 12;
  if (len < fixed) {
    p.print(`truncated-dccp - ${fixed - len} bytes missing!`);
    return;
  }
  if (!p.has(o, fixed)) {
    p.trunc();
    return;
  }
  const sport = p.u16(o);
  const dport = p.u16(o + 2);
  const v6 = p.u8(ip) >> 4 === 6;
  p.print(
    v6
      ? `${p.ip6(ip + 8)}.${sport} > ${p.ip6(ip + 24)}.${dport}: `
      : `${p.ip4(ip + 12)}.${sport} > ${p.ip4(ip + 16)}.${dport}: `,
  );
  p.protocolCaps();
  if (p.qflag) {
    const hlen = p.u8(o + 4) * 4;
    p.print(` ${(len - hlen) >>> 0}`);
    if (hlen > len) p.print(` [bad hdr length ${hlen} - too long, > ${len}]`);
    return;
  }
  p.print(' ');
  const type = (p.u8(o + 8) >> 1) & 0xf;
  const name = TYPES[type] ?? '';
  const need = (extra: number): boolean => {
    fixed += extra;
    if (len < fixed) {
      p.print(`truncated-${name} - ${fixed - len} bytes missing!`);
      return false;
    }
    return true;
  };
  const body = o + (x ? 16 : 12);
  switch (type) {
    case 0:
      if (!need(4)) return;
      if (!p.has(body, 4)) {
        p.trunc();
        return;
      }
      p.print(`${name} (service=${p.u32(body)}) `);
      break;
    case 1:
      if (!need(12)) return;
      if (!p.has(body, 12)) {
        p.trunc();
        return;
      }
      p.print(`${name} (service=${p.u32(body + 8)}) `);
      break;
    case 2:
      p.print(`${name} `);
      break;
    case 7: {
      if (!need(12)) return;
      if (!p.has(body, 12)) {
        p.trunc();
        return;
      }
      const code = p.u8(body + 8);
      p.print(`${name} (code=${RESET_CODES[code] ?? 'invalid'}) `);
      break;
    }
    case 3:
    case 4:
    case 5:
    case 6:
    case 8:
    case 9:
      if (!need(8)) return;
      p.print(`${name} `);
      break;
    default:
      p.print(`unknown-type-${type} `);
  }
  if (type !== 2 && type !== 0) {
    const ack = x ? p.u16(body + 2) * 2 ** 32 + p.u32(body + 4) : p.u24(body + 1);
    p.print(`(ack=${ack}) `);
  }
}
