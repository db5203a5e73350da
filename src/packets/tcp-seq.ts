// Relative TCP sequence numbers as tcpdump prints them without -S: per-conversation state across packets.

/**
 * What tcpdump remembers between the packets of one capture: TCP conversation bases (relative sequence
 * numbers) and the IKEv1 initiator cookies it matches replies against. Create one per capture with
 * createTcpSeqState() and pass it to every summarize call.
 */
export interface TcpSeqState {
  readonly conversations: Map<string, { seq: number; ack: number }>;
  /** print-isakmp.c's 20-slot cookie cache (slots start zeroed, as its static array does). */
  readonly isakmp?: { cookies: IsakmpCookie[]; next: number };
  /** print-sl.c's compressed-TCP state for -e: payload lengths by direction and connection. */
  readonly slip?: { lastlen: Uint32Array; lastconn: number };
}

/** One IKEv1 initiator cookie with the addresses of its first packet. */
export interface IsakmpCookie {
  cookie: string;
  version: number;
  initiator: string;
  responder: string;
}

/** A fresh, empty state. */
export function createTcpSeqState(): TcpSeqState {
  return {
    conversations: new Map(),
    isakmp: {
      cookies: Array.from({ length: 20 }, () => ({
        cookie: '0000000000000000',
        version: 0,
        initiator: '',
        responder: '',
      })),
      next: 0,
    },
    slip: { lastlen: new Uint32Array(512), lastconn: 255 },
  };
}

/** What tcp_print uses from its conversation table for one segment. */
export interface TcpSeqLookup {
  /** The numbers to print. */
  seq: number;
  ack: number;
  /** The conversation's bases (SACK blocks are offset by one of them) and the direction. */
  thseq: number;
  thack: number;
  rev: boolean;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/**
 * As print-tcp.c's tcp_print for a segment with ACK set: the conversation is keyed with the higher
 * port (then, on equal ports, the higher address) second, so both directions share one entry; the
 * first segment seen (or any SYN) records the bases and prints absolute numbers, later ones print
 * offsets from them.
 */
export function tcpSeqLookup(
  state: TcpSeqState,
  src: Uint8Array,
  dst: Uint8Array,
  sport: number,
  dport: number,
  syn: boolean,
  seq: number,
  ack: number,
): TcpSeqLookup {
  const rev = sport > dport || (sport === dport && compareBytes(src, dst) > 0);
  const key = rev
    ? `${src.length} ${hex(dst)} ${hex(src)} ${dport} ${sport}`
    : `${src.length} ${hex(src)} ${hex(dst)} ${sport} ${dport}`;
  const th = state.conversations.get(key);
  if (!th || syn) {
    const fresh = rev ? { ack: seq, seq: (ack - 1) >>> 0 } : { seq, ack: (ack - 1) >>> 0 };
    state.conversations.set(key, fresh);
    return { seq, ack, thseq: fresh.seq, thack: fresh.ack, rev };
  }
  return rev
    ? { seq: (seq - th.ack) >>> 0, ack: (ack - th.seq) >>> 0, thseq: th.seq, thack: th.ack, rev }
    : { seq: (seq - th.seq) >>> 0, ack: (ack - th.ack) >>> 0, thseq: th.seq, thack: th.ack, rev };
}
