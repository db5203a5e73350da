// Relative TCP sequence numbers as tcpdump prints them without -S: per-conversation state across packets.
import { parseIpv4, parseIpv6 } from './addr.js';
import type { Ipv4Layer } from './ipv4.js';
import type { Ipv6Layer } from './ipv6.js';
import type { TcpLayer } from './tcp.js';

/** Conversation bases seen so far; create one per capture with createTcpSeqState() and pass it to every summarize call. */
export interface TcpSeqState {
  readonly conversations: Map<string, { seq: number; ack: number }>;
}

/** The numbers to print for one segment; `sackBase` is subtracted from SACK block edges. */
export interface TcpSeqView {
  seq: number;
  ack: number;
  sackBase: number;
}

/** A fresh, empty state. */
export function createTcpSeqState(): TcpSeqState {
  return { conversations: new Map() };
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * The seq/ack numbers tcpdump prints for this segment, following print-tcp.c's tcp_print: only
 * segments with ACK are tracked; the first one of a conversation (or any SYN+ACK) records the bases
 * and prints absolute numbers, later ones print offsets from them. The conversation key puts the
 * lower address (then port) first, so both directions share one entry.
 */
export function relativeTcpSeq(
  state: TcpSeqState,
  ip: Ipv4Layer | Ipv6Layer,
  tcp: TcpLayer,
): TcpSeqView {
  if ((tcp.flags & 0x10) === 0) return { seq: tcp.seq, ack: tcp.ack, sackBase: 0 };
  const parse = ip.kind === 'ipv6' ? parseIpv6 : parseIpv4;
  const c = compareBytes(parse(ip.src), parse(ip.dst));
  const rev = c > 0 || (c === 0 && tcp.srcPort > tcp.dstPort);
  const key = rev
    ? `${ip.kind} ${ip.dst} ${ip.src} ${tcp.dstPort} ${tcp.srcPort}`
    : `${ip.kind} ${ip.src} ${ip.dst} ${tcp.srcPort} ${tcp.dstPort}`;
  const th = state.conversations.get(key);
  // SACK blocks name the peer's sequence space, so they are offset by the other base.
  if (!th || (tcp.flags & 0x02) !== 0) {
    const fresh = rev
      ? { ack: tcp.seq, seq: (tcp.ack - 1) >>> 0 }
      : { seq: tcp.seq, ack: (tcp.ack - 1) >>> 0 };
    state.conversations.set(key, fresh);
    return { seq: tcp.seq, ack: tcp.ack, sackBase: rev ? fresh.seq : fresh.ack };
  }
  return rev
    ? { seq: (tcp.seq - th.ack) >>> 0, ack: (tcp.ack - th.seq) >>> 0, sackBase: th.seq }
    : { seq: (tcp.seq - th.seq) >>> 0, ack: (tcp.ack - th.ack) >>> 0, sackBase: th.ack };
}
