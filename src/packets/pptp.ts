// PPTP control messages (RFC 2637) as tcpdump's print-pptp.c prints them without -v.
import { type Printer, type Tok, tok2str } from './printer.js';

const MSG_TYPES = [
  'NOT_DEFINED',
  'SCCRQ',
  'SCCRP',
  'StopCCRQ',
  'StopCCRP',
  'ECHORQ',
  'ECHORP',
  'OCRQ',
  'OCRP',
  'ICRQ',
  'ICRP',
  'ICCN',
  'CCRQ',
  'CDN',
  'WEN',
  'SLI',
];

const BEARER_TYPES: Tok = new Map([
  [1, 'A'],
  [2, 'D'],
  [3, 'Any'],
]);
const FRAMING_TYPES: Tok = new Map([
  [1, 'A'],
  [2, 'S'],
  [3, 'E'],
]);

/**
 * A message body as a list of fields: [kind, offset]. Kinds print as print-pptp.c's helpers do;
 * they run in order, so a cut-off capture ends the line where tcpdump's does.
 */
type Field = [string, number];

const BODIES: Readonly<Record<number, Field[]>> = {
  1: [
    ['proto_ver', 0],
    ['rsv2', 2],
    ['framing_cap', 4],
    ['bearer_cap', 8],
    ['max_channel', 12],
    ['firm_rev', 14],
    ['hostname', 16],
    ['vendor', 80],
  ],
  2: [
    ['proto_ver', 0],
    ['result', 2],
    ['err', 3],
    ['framing_cap', 4],
    ['bearer_cap', 8],
    ['max_channel', 12],
    ['firm_rev', 14],
    ['hostname', 16],
    ['vendor', 80],
  ],
  3: [
    ['reason', 0],
    ['rsv1', 1],
    ['rsv2', 2],
  ],
  4: [
    ['result', 0],
    ['err', 1],
    ['rsv2', 2],
  ],
  5: [['id', 0]],
  6: [
    ['id', 0],
    ['result', 4],
    ['err', 5],
    ['rsv2', 6],
  ],
  7: [
    ['call_id', 0],
    ['call_ser', 2],
    ['min_bps', 4],
    ['max_bps', 8],
    ['bearer_type', 12],
    ['framing_type', 16],
    ['recv_win', 20],
    ['proc_delay', 22],
    ['phone_no_len', 24],
    ['rsv2', 26],
    ['phone_no', 28],
    ['subaddr', 92],
  ],
  8: [
    ['call_id', 0],
    ['peer_call_id', 2],
    ['result', 4],
    ['err', 5],
    ['cause', 6],
    ['conn_speed', 8],
    ['recv_win', 12],
    ['proc_delay', 14],
    ['phy_chan_id', 16],
  ],
  9: [
    ['call_id', 0],
    ['call_ser', 2],
    ['bearer_type', 4],
    ['phy_chan_id', 8],
    ['dialed_no_len', 12],
    ['dialing_no_len', 14],
    ['dialed_no', 16],
    ['dialing_no', 80],
    ['subaddr', 144],
  ],
  10: [
    ['call_id', 0],
    ['peer_call_id', 2],
    ['result', 4],
    ['err', 5],
    ['recv_win', 6],
    ['proc_delay', 8],
    ['rsv2', 10],
  ],
  11: [
    ['peer_call_id', 0],
    ['rsv2', 2],
    ['conn_speed', 4],
    ['recv_win', 8],
    ['proc_delay', 10],
    ['framing_type', 12],
  ],
  12: [
    ['call_id', 0],
    ['rsv2', 2],
  ],
  13: [
    ['call_id', 0],
    ['result', 2],
    ['err', 3],
    ['cause', 4],
    ['rsv2', 6],
    ['call_stats', 8],
  ],
  14: [
    ['peer_call_id', 0],
    ['rsv2', 2],
    ['crc_err', 4],
    ['framing_err', 8],
    ['hw_overrun', 12],
    ['buf_overrun', 16],
    ['timeout_err', 20],
    ['align_err', 24],
  ],
  15: [
    ['peer_call_id', 0],
    ['rsv2', 2],
    ['send_accm', 4],
    ['recv_accm', 8],
  ],
};

/** Simple numeric fields: kind -> [label, bytes]. */
const NUMBERS: Readonly<Record<string, [string, 1 | 2 | 4]>> = {
  max_channel: ['MAX_CHAN', 2],
  firm_rev: ['FIRM_REV', 2],
  result: ['RESULT_CODE', 1],
  err: ['ERR_CODE', 1],
  reason: ['REASON', 1],
  id: ['ID', 4],
  call_id: ['CALL_ID', 2],
  call_ser: ['CALL_SER_NUM', 2],
  min_bps: ['MIN_BPS', 4],
  max_bps: ['MAX_BPS', 4],
  recv_win: ['RECV_WIN', 2],
  proc_delay: ['PROC_DELAY', 2],
  phone_no_len: ['PHONE_NO_LEN', 2],
  peer_call_id: ['PEER_CALL_ID', 2],
  cause: ['CAUSE_CODE', 2],
  conn_speed: ['CONN_SPEED', 4],
  phy_chan_id: ['PHY_CHAN_ID', 4],
  dialed_no_len: ['DIALED_NO_LEN', 2],
  dialing_no_len: ['DIALING_NO_LEN', 2],
  crc_err: ['CRC_ERR', 4],
  framing_err: ['FRAMING_ERR', 4],
  hw_overrun: ['HARDWARE_OVERRUN', 4],
  buf_overrun: ['BUFFER_OVERRUN', 4],
  timeout_err: ['TIMEOUT_ERR', 4],
  align_err: ['ALIGN_ERR', 4],
};

function field(p: Printer, kind: string, d: number, body: number): void {
  const num = NUMBERS[kind];
  if (num) {
    const [label, size] = num;
    const v = size === 1 ? p.u8(d) : size === 2 ? p.u16(d) : p.u32(d);
    p.print(` ${label}(${v})`);
    return;
  }
  const text = (label: string, n: number) => {
    p.print(` ${label}(`);
    p.printjnp(d, n);
    p.print(')');
  };
  switch (kind) {
    case 'proto_ver':
      p.print(` PROTO_VER(${p.u16(d) >> 8}.${p.u16(d) & 0xff})`);
      break;
    case 'rsv1':
      if (p.u8(d)) p.print(` [ERROR: reserved=${p.u8(d)} must be zero]`);
      break;
    case 'rsv2':
      if (p.u16(d)) p.print(` [ERROR: reserved=${p.u16(d)} must be zero]`);
      break;
    case 'framing_cap': {
      const v = p.u32(d);
      p.print(` FRAME_CAP(${v & 1 ? 'A' : ''}${v & 2 ? 'S' : ''})`);
      break;
    }
    case 'bearer_cap': {
      const v = p.u32(d);
      p.print(` BEARER_CAP(${v & 2 ? 'D' : ''}${v & 1 ? 'A' : ''})`);
      break;
    }
    case 'bearer_type':
      p.print(` BEARER_TYPE(${tok2str(BEARER_TYPES, '?', p.u32(d))})`);
      break;
    case 'framing_type':
      p.print(` FRAME_TYPE(${tok2str(FRAMING_TYPES, '?', p.u32(d))})`);
      break;
    case 'hostname':
      text('HOSTNAME', 64);
      break;
    case 'vendor':
      text('VENDOR', 64);
      break;
    case 'subaddr':
      text('SUB_ADDR', 64);
      break;
    case 'call_stats':
      text('CALL_STATS', 128);
      break;
    case 'phone_no':
      text('PHONE_NO', Math.min(64, p.u16(body + 24)));
      break;
    case 'dialed_no':
      text('DIALED_NO', Math.min(64, p.u16(body + 12)));
      break;
    case 'dialing_no':
      text('DIALING_NO', Math.min(64, p.u16(body + 14)));
      break;
    case 'send_accm':
      p.print(` SEND_ACCM(0x${p.u32(d).toString(16).padStart(8, '0')})`);
      break;
    case 'recv_accm':
      p.print(` RECV_ACCM(0x${p.u32(d).toString(16).padStart(8, '0')})`);
      break;
  }
}

export function printPptp(p: Printer, o: number): void {
  p.protocol = 'pptp';
  p.print(': pptp');
  const mc = p.u32(o + 4);
  const mcHex = mc.toString(16).padStart(8, '0');
  if (mc !== 0x1a2b3c4d) p.print(` UNEXPECTED Magic-Cookie!!(${mcHex}) Magic-Cookie=${mcHex}`);
  const type = p.u16(o + 8);
  p.print(
    type < MSG_TYPES.length ? ` CTRL_MSGTYPE=${MSG_TYPES[type]}` : ` UNKNOWN_CTRL_MSGTYPE(${type})`,
  );
  if (p.u16(o + 10)) p.print(` [ERROR: reserved=${p.u16(o + 10)} must be zero]`);
  const body = o + 12;
  for (const [kind, off] of BODIES[type] ?? []) field(p, kind, body + off, body);
}
