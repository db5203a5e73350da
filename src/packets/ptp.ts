// PTP (IEEE 1588v2) as tcpdump's print-ptp.c prints it (the same text with or without -v).
import { bittok2str, type Printer, type Tok, tok2str } from './printer.js';

const MSG_TYPES: Tok = new Map([
  [0x0, 'sync msg'],
  [0x1, 'delay req msg'],
  [0x2, 'peer delay req msg'],
  [0x3, 'peer delay resp msg'],
  [0x8, 'follow up msg'],
  [0x9, 'delay resp msg'],
  [0xa, 'pdelay resp fup msg'],
  [0xb, 'announce msg'],
  [0xc, 'signalling msg'],
  [0xd, 'management msg'],
]);
const CONTROL: Tok = new Map([
  [0, 'Sync'],
  [1, 'Delay_Req'],
  [2, 'Follow_Up'],
  [3, 'Delay_Resp'],
  [4, 'Management'],
  [5, 'Other'],
]);
const FLAGS: Tok = new Map([
  [0x1, 'l1 61'],
  [0x2, 'l1 59'],
  [0x4, 'utc reasonable'],
  [0x8, 'timescale'],
  [0x10, 'time tracable'],
  [0x20, 'frequency tracable'],
  [0x100, 'alternate master'],
  [0x200, 'two step'],
  [0x400, 'unicast'],
  [0x1000, 'profile specific 1'],
  [0x2000, 'profile specific 2'],
  [0x4000, 'security mask'],
  [0x18c0, 'unknown'],
]);

function u48(p: Printer, o: number): bigint {
  return (BigInt(p.u16(o)) << 32n) | BigInt(p.u32(o + 2));
}

/** ptp_print. */
export function printPtp(p: Printer, o: number, length: number): void {
  p.protocol = 'ptp';
  if (length < 34) {
    p.print(` [length ${length} < 34]`);
    p.invalid();
    return;
  }
  const vers = p.u16(o) & 0xff;
  p.print(`PTPv${vers}`);
  if (vers === 1) p.print(' (not implemented)');
  else if (vers === 2) ptp2(p, o);
}

function ptp2(p: Printer, o: number): void {
  const foct = p.u8(o);
  p.print(`, v1 compat : ${foct & 0x10 ? 'yes' : 'no'}`);
  const type = foct & 0x0f;
  p.print(`, msg type : ${tok2str(MSG_TYPES, 'Reserved', type)}`);
  p.print(`, length : ${p.u16(o + 2)}`);
  p.print(`, domain : ${(p.u16(o + 4) & 0xff00) >> 8}`);
  p.print(`, reserved1 : ${p.u16(o + 4) & 0xff}`);
  p.print(`, Flags [${bittok2str(FLAGS, 'none', p.u16(o + 6))}]`);
  p.print(`, NS correction : ${u48(p, o + 8)}`);
  p.print(`, sub NS correction : ${p.u16(o + 14)}`);
  p.print(`, reserved2 : ${p.u32(o + 16)}`);
  p.print(`, clock identity : 0x${p.u64(o + 20).toString(16)}`);
  p.print(`, port id : ${p.u16(o + 28)}`);
  p.print(`, seq id : ${p.u16(o + 30)}`);
  const control = p.u8(o + 32);
  p.print(`, control : ${control} (${tok2str(CONTROL, 'Reserved', control)})`);
  p.print(`, log message interval : ${p.u16(o + 32) & 0xff}`);
  const bp = o + 34;
  const ts = (name: string) => {
    p.print(`, ${name} :`);
    p.print(` ${u48(p, bp)} seconds,`);
    p.print(` ${p.u32(bp + 6)} nanoseconds`);
  };
  const tsId = (name: string) => {
    ts(name);
    p.print(`, port identity : 0x${p.u64(bp + 10).toString(16)}`);
    p.print(`, port id : ${p.u16(bp + 18)}`);
  };
  const portId = () => {
    p.print(`, port identity : 0x${p.u64(bp).toString(16)}`);
    p.print(`, port id : ${p.u16(bp + 8)}`);
  };
  switch (type) {
    case 0x0:
    case 0x1:
      ts('originTimeStamp');
      break;
    case 0x2:
      tsId('preciseOriginTimeStamp');
      break;
    case 0x3:
    case 0x9:
      tsId('receiveTimeStamp');
      break;
    case 0x8:
      ts('preciseOriginTimeStamp');
      break;
    case 0xa:
      tsId('preciseOriginTimeStamp');
      break;
    case 0xb:
      p.print(', originTimeStamp :');
      p.print(` ${u48(p, bp)} seconds`);
      p.print(` ${p.u32(bp + 6)} nanoseconds`);
      p.print(`, origin cur utc :${p.u16(bp + 10)}`);
      p.print(`, rsvd : ${p.u8(bp + 12)}`);
      p.print(`, gm priority_1 : ${p.u8(bp + 13)}`);
      p.print(`, gm clock class : ${p.u8(bp + 14)}`);
      p.print(`, gm clock accuracy : ${p.u8(bp + 15)}`);
      p.print(`, gm clock variance : ${p.u16(bp + 16)}`);
      p.print(`, gm priority_2 : ${p.u8(bp + 18)}`);
      p.print(`, gm clock id : 0x${p.u64(bp + 19).toString(16)}`);
      p.print(`, steps removed : ${p.u16(bp + 27)}`);
      p.print(`, time source : 0x${p.u8(bp + 29).toString(16)}`);
      break;
    case 0xc:
      portId();
      break;
    case 0xd: {
      portId();
      // tcpdump's print_field reads each of these from the same (unadvanced) offset.
      const v = p.u8(bp);
      p.print(`, , start boundary hops  ${v}`);
      p.print(`, , boundary hops  ${p.u8(bp)}`);
      p.print(`, , flags  0x${p.u8(bp).toString(16)}`);
      p.print(`, , reserved  0x${p.u8(bp).toString(16)}`);
      break;
    }
  }
}
