// Per-call lowering state: the link layer being compiled for, and the header offsets that `vlan`, `mpls`,
// `pppoes`, `lane` and `geneve` move for everything lowered after them (libpcap's documented left-to-right
// behaviour). Offsets follow libpcap's model: a constant part, plus for variable-length headers (radio
// headers, 802.11, pflog, Geneve) the run-time value of a scratch register.
import type { DirQual, Span } from '../ast.js';
import { fail } from '../errors.js';
import type { BlockId } from '../ir.js';
import type { AddBlock, Pred } from './pred.js';

/** libpcap's OFFSET_NOT_SET: a link type without that header. Added to like a u_int (it wraps), as libpcap does. */
export const NOT_SET = -1;

/** The register that holds the variable part of an offset; allocated on first use (libpcap gen_abs_offset_varpart). */
export interface VarPart {
  reg: number | null;
}

/** An absolute offset: `k` plus, when `v` is set, the value of its register at run time. */
export interface Off {
  readonly k: number;
  readonly v: VarPart | null;
}

/** Scratch words: relations take them from M[0] up, variable offsets from M[15] down. */
export const MEMWORDS = 16;

/** What one link type provides (libpcap init_linktype and the per-DLT cases of gencode.c); link/*.ts make them. */
export interface LinkLayer {
  /** DLT value. */
  readonly dlt: number;
  /** libpcap's description of the link type, used in its messages ("not supported on Token ring"). */
  readonly name: string;
  /** Offset of the link-layer header (after a fixed pseudo-header). */
  readonly offLinkHdr: number;
  /** A variable-length prefix (radio header) comes first: offLinkHdr is relative to its end. */
  readonly varLinkHdr?: boolean;
  /** Offset of the protocol-type field, NOT_SET when there is none. */
  readonly offLinkType: number;
  /** Offset of the link payload; relative to a run-time header length when varLinkPl. */
  readonly offLinkPl: number;
  readonly varLinkPl?: boolean;
  /** Network header offset from the payload (8 after LLC+SNAP); NOT_SET when unknown. */
  readonly offNl: number;
  /** OSI network header offset from the payload (after an LLC header without SNAP). */
  readonly offNlNosnap: number;
  /** Test that the network protocol is `proto`: an ethertype, or an LLC SAP when <= 1500 (gen_linktype). */
  linktype(ctx: Ctx, proto: number, span: Span): Pred;
  /** 48-bit MAC address test by direction (gen_ehostop and friends); absent: no MAC addresses. */
  macHost?(ctx: Ctx, mac: readonly number[], dir: DirQual | null, span: Span): Pred;
  /** Link-layer multicast test (gen_multicast); absent: not supported. */
  macMulticast?(ctx: Ctx, span: Span): Pred;
  /** Link-layer broadcast test (gen_broadcast); absent: "not a broadcast link". */
  macBroadcast?(ctx: Ctx, span: Span): Pred;
  /** inbound/outbound from the link header (gen_inbound); absent: Linux's packet-type ancillary field. */
  direction?(ctx: Ctx, outbound: boolean, span: Span): Pred;
  /** ifindex from the link header; absent: Linux's ifindex ancillary field. */
  ifindex?(ctx: Ctx, index: number, span: Span): Pred;
  /** `llc` alone (gen_llc); absent: not supported. */
  llc?(ctx: Ctx, span: Span): Pred;
  /** Whether `vlan` is supported. */
  readonly vlan?: boolean;
  /** The protocol value `mpls` tests with linktype() on the outermost header; absent: no MPLS. */
  readonly mpls?: number;
  /**
   * Code run before the filter (libpcap insert_compute_vloffsets, and the PPI DLT check): fills the
   * registers of the variable offsets that lowering used; returns the new entry block. `reject` returns 0.
   */
  prefix?(ctx: Ctx, add: AddBlock, next: BlockId, reject: BlockId): BlockId;
}

export interface Ctx {
  /** The link layer tests apply to now (libpcap's cstate->linktype: PPP after `pppoes`, Ethernet after `lane`). */
  link: LinkLayer;
  /** The one before (libpcap prevlinktype), after `pppoes`, `lane` or `geneve`. */
  prevLink: LinkLayer | null;
  /** The capture's link layer (libpcap outermostlinktype). */
  readonly outer: LinkLayer;
  /** Netmask for `ip broadcast`; tcpdump compiling without a device uses 0. */
  readonly netmask: number | null;
  readonly resolve: ((name: string) => string[]) | undefined;
  /** Compiling for a capture file (tcpdump -r) rather than a live capture; `swapped`: its byte order is not the host's. */
  readonly savefile: boolean;
  readonly swapped: boolean;
  /** LowerOptions.portsPerTransport. */
  readonly portsPerTransport: boolean;
  /** Set when a port test of several transports was lowered in the shared shape. */
  sharedPortTests?: boolean;
  /** Start of the current link header, base of `link[...]`/`ether[...]`. */
  offLinkHdr: Off;
  offPrevLinkHdr: Off;
  offLinkType: Off;
  offLinkPl: Off;
  /** Network header offset relative to offLinkPl (MPLS labels push it). */
  offNl: number;
  /** OSI network header offset relative to offLinkPl (libpcap off_nl_nosnap). */
  offNlNosnap: number;
  /** The outermost header's variable parts, filled by the link layer's prefix code when used. */
  readonly outerHdrVar: VarPart | null;
  readonly outerPlVar: VarPart | null;
  mplsDepth: number;
  vlanDepth: number;
  /** After `geneve`: tests look inside the Geneve payload. */
  isGeneve: boolean;
  /** SunATM: `vpi`/`vci` and the ATM keywords apply (stays set after `lane`, as in libpcap). */
  readonly isAtm: boolean;
  /** Lowest scratch word taken by variable offsets; relations use the words below it. */
  topReg: number;
  /**
   * libpcap's register allocator, used instead where the capture's link layer has variable offsets: their
   * registers are filled before the filter runs, and libpcap lets a relation lowered earlier reuse one it
   * had freed, which changes verdicts (`len > 200 and ip` on radiotap). Mirroring its allocation
   * reproduces them.
   */
  readonly lp: RegAlloc | null;
  /**
   * Registers a path may read before any write (Geneve's offsets, read after an `or` where Geneve did not
   * match): set to 0 first, as libpcap does for VLAN offsets, so the program stays valid for Linux.
   */
  readonly zeroRegs: number[];
  /**
   * Set once protochain, Geneve or a jump in prefix code is lowered, even where a constant then absorbs it:
   * libpcap's no_optimize, so its program keeps every load and is never "rejects all packets".
   */
  noOptimize?: boolean;
}

/** libpcap's register table: which are in use, and where the round-robin search stands. */
export interface RegAlloc {
  readonly used: boolean[];
  cur: number;
}

/**
 * Takes a scratch word for a variable offset: libpcap's alloc_reg (the first free one from where the last
 * search stopped) in libpcap-register mode, else from M[15] down, above what relations use.
 */
export function allocReg(ctx: Ctx, span: Span): number {
  const lp = ctx.lp;
  if (lp) {
    for (let n = 0; n < MEMWORDS; n++) {
      if (!lp.used[lp.cur]) {
        lp.used[lp.cur] = true;
        return lp.cur;
      }
      lp.cur = (lp.cur + 1) % MEMWORDS;
    }
    return fail('TOO_COMPLEX', 'too many registers needed to evaluate expression', span);
  }
  if (ctx.topReg <= 0)
    fail('TOO_COMPLEX', 'too many registers needed to evaluate expression', span);
  ctx.topReg--;
  return ctx.topReg;
}

/** Returns a register to libpcap's table (libpcap free_reg). */
export function freeReg(ctx: Ctx, reg: number): void {
  if (ctx.lp) ctx.lp.used[reg] = false;
}

/** The register of a variable offset part, allocating it on first use. */
export function regOf(ctx: Ctx, v: VarPart, span: Span): number {
  if (v.reg === null) v.reg = allocReg(ctx, span);
  return v.reg;
}
