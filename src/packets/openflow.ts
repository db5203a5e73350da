// OpenFlow (1.0 and 1.3 message names) as tcpdump's print-openflow.c prints it without -v: one
// `version, type, length, xid` line per message of the TCP payload.
import { type Printer, type Tok, tok2str } from './printer.js';

const VERSIONS: Tok = new Map([
  [1, '1.0'],
  [2, '1.1'],
  [3, '1.2'],
  [4, '1.3'],
  [5, '1.4'],
  [6, '1.5'],
]);

/** Message name, and the body length it requires: [name, 'fix' | 'min' | 'none', bytes after the header]. */
type MsgType = readonly [string, 'fix' | 'min' | 'none', number];
const OF10: readonly MsgType[] = [
  ['HELLO', 'min', 0],
  ['ERROR', 'min', 4],
  ['ECHO_REQUEST', 'min', 0],
  ['ECHO_REPLY', 'min', 0],
  ['VENDOR', 'min', 4],
  ['FEATURES_REQUEST', 'fix', 0],
  ['FEATURES_REPLY', 'min', 24],
  ['GET_CONFIG_REQUEST', 'fix', 0],
  ['GET_CONFIG_REPLY', 'fix', 4],
  ['SET_CONFIG', 'fix', 4],
  ['PACKET_IN', 'min', 10],
  ['FLOW_REMOVED', 'fix', 80],
  ['PORT_STATUS', 'fix', 56],
  ['PACKET_OUT', 'min', 8],
  ['FLOW_MOD', 'min', 64],
  ['PORT_MOD', 'fix', 24],
  ['STATS_REQUEST', 'min', 4],
  ['STATS_REPLY', 'min', 4],
  ['BARRIER_REQUEST', 'fix', 0],
  ['BARRIER_REPLY', 'fix', 0],
  ['QUEUE_GET_CONFIG_REQUEST', 'fix', 4],
  ['QUEUE_GET_CONFIG_REPLY', 'min', 8],
];
const OF13: readonly MsgType[] = [
  ['HELLO', 'min', 0],
  ['ERROR', 'min', 4],
  ['ECHO_REQUEST', 'min', 0],
  ['ECHO_REPLY', 'min', 0],
  ['EXPERIMENTER', 'min', 8],
  ['FEATURES_REQUEST', 'fix', 0],
  ['FEATURES_REPLY', 'fix', 24],
  ['GET_CONFIG_REQUEST', 'fix', 0],
  ['GET_CONFIG_REPLY', 'fix', 4],
  ['SET_CONFIG', 'fix', 4],
  ['PACKET_IN', 'none', 0],
  ['FLOW_REMOVED', 'none', 0],
  ['PORT_STATUS', 'fix', 72],
  ['PACKET_OUT', 'none', 0],
  ['FLOW_MOD', 'none', 0],
  ['GROUP_MOD', 'none', 0],
  ['PORT_MOD', 'fix', 32],
  ['TABLE_MOD', 'fix', 8],
  ['MULTIPART_REQUEST', 'none', 0],
  ['MULTIPART_REPLY', 'none', 0],
  ['BARRIER_REQUEST', 'fix', 0],
  ['BARRIER_REPLY', 'fix', 0],
  ['QUEUE_GET_CONFIG_REQUEST', 'fix', 8],
  ['QUEUE_GET_CONFIG_REPLY', 'none', 0],
  ['ROLE_REQUEST', 'fix', 16],
  ['ROLE_REPLY', 'fix', 16],
  ['GET_ASYNC_REQUEST', 'fix', 0],
  ['GET_ASYNC_REPLY', 'fix', 24],
  ['SET_ASYNC', 'fix', 24],
  ['METER_MOD', 'none', 0],
];

/** openflow_print: `: OpenFlow` and a line per message. */
export function printOpenflow(p: Printer, o: number, length: number): void {
  p.protocol = 'openflow';
  p.print(': OpenFlow');
  let cp = o;
  let len = length;
  while (len) {
    const version = p.u8(cp);
    cp++;
    len--;
    p.print(`\n\tversion ${tok2str(VERSIONS, 'unknown (0x%02x)', version)}`);
    const partial = () => {
      p.print(' (end of TCP payload)');
      p.need(cp, len);
    };
    if (len < 1) {
      partial();
      return;
    }
    const type = p.u8(cp);
    cp++;
    len--;
    const mti = version === 1 ? OF10[type] : version === 4 ? OF13[type] : undefined;
    p.print(mti ? `, type ${mti[0]}` : `, type unknown (0x${type.toString(16).padStart(2, '0')})`);
    if (len < 2) {
      partial();
      return;
    }
    const mlen = p.u16(cp);
    cp += 2;
    len -= 2;
    p.print(`, length ${mlen}${mlen < 8 ? ' (too short!)' : ''}`);
    if (len < 4) {
      partial();
      return;
    }
    p.print(`, xid 0x${p.u32(cp).toString(16).padStart(8, '0')}`);
    cp += 4;
    len -= 4;
    if (mlen < 8) {
      p.invalid();
      p.need(cp, len);
      return;
    }
    const body = mlen - 8;
    if (mti && ((mti[1] === 'fix' && body !== mti[2]) || (mti[1] === 'min' && body < mti[2])))
      p.invalid();
    p.need(cp, body);
    if (body > len) break;
    cp += body;
    len -= body;
  }
}
