// AST -> IR: picks the link layer for the DLT and lowers the expression to a CFG ending in accept/reject returns.
// Semantics follow libpcap 1.10 gencode.c primitive by primitive; comments there name the function mirrored.
import type { Expr, Span } from '../ast.js';
import { fail } from '../errors.js';
import type { Cfg } from '../ir.js';
import { ETHERTYPE, IPPROTO } from '../names.js';
import { relation } from './arith.js';
import { type Ctx, MEMWORDS, type VarPart } from './context.js';
import { ISO, ip6Proto, ipProto, isoProto, protoTest } from './ip.js';
import { keyword } from './keyword.js';
import { DLT_MATCHING_MAX, DLT_MATCHING_MIN, linkLayerOf } from './link/index.js';
import { linktype } from './linktype.js';
import { abortBadLoads, and, foldsTo, hasGraph, not, or, type Pred, TRUE, toCfg } from './pred.js';
import { lowerPrimitive } from './primitive.js';
import { lowerSpecial } from './special.js';

export { linkLayerOf } from './link/index.js';

/** What lowering needs besides the expression. */
export interface LowerOptions {
  /** Link type: a DLT value, or a LINKTYPE value from a capture file (names.ts dltOfLinktype). */
  readonly linktype: number;
  /** Value returned on accept; default 262144, as tcpdump's default snaplen. */
  readonly snaplen?: number;
  /**
   * IPv4 netmask for `ip broadcast` (as a u32); default 0, as tcpdump compiling without a device. `null` means
   * unknown, and `ip broadcast` is then an error, as libpcap with PCAP_NETMASK_UNKNOWN.
   */
  readonly netmask?: number | null;
  /** Resolves a host name to address strings (IPv4 dotted, IPv6, MAC); without it host names are an UNKNOWN_NAME error. */
  readonly resolve?: (name: string) => string[];
  /**
   * For a capture file, as tcpdump -r compiles (libpcap with a savefile): BSD loopback IPv6 is any of the
   * BSDs' AF_INET6 values (24, 28, 30) rather than Linux's 10, and Linux's ancillary fields (inbound,
   * outbound, ifindex where the link header has none) are errors. `swapped`: the file's byte order is not
   * little-endian, so a loopback header's host-order family is compared as written.
   */
  readonly savefile?: boolean;
  readonly swapped?: boolean;
  /**
   * Port tests in libpcap's own shape: protocol, fragment and ports tested once per transport (gen_portop)
   * rather than the protocols first and the rest once. Longer, and the optimizer gains nothing from it; the
   * compiler asks for it only to see a filter as libpcap's optimizer does (compileStages).
   */
  readonly portsPerTransport?: boolean;
}

/** Default accept value: tcpdump's default snapshot length. */
export const DEFAULT_SNAPLEN = 262144;

/**
 * Lowers a parsed expression to the IR for `options.linktype`; throws CompileError.
 * Shape of the result: block 0 returns the accept value, block 1 returns 0; every edge goes from a higher block id
 * to a lower one (blocks are built continuation-first), so the graph is acyclic and descending id order is a
 * topological order. Scratch words: relations use M[0] up within one test; variable header offsets (radio
 * headers, 802.11, pflog, Geneve) and protochain's walk results (a word per IP version) use M[15] down. Linux ancillary loads (`ldExt`
 * pkttype/ifindex) appear only for inbound/outbound/ifindex on link types without those fields.
 * @example lower(parse('tcp port 80'), { linktype: DLT.EN10MB })
 */
export function lower(ast: Expr, options: LowerOptions): Cfg {
  const link = linkLayerOf(options.linktype);
  if (link === undefined)
    return fail(
      'UNSUPPORTED_FOR_LINKTYPE',
      `unknown data link type ${options.linktype} (min ${DLT_MATCHING_MIN}, max ${DLT_MATCHING_MAX})`,
      [0, 0],
    );
  const hdrVar: VarPart | null = link.varLinkHdr ? { reg: null } : null;
  const plVar: VarPart | null = link.varLinkPl ? { reg: null } : null;
  const hdr = { k: link.offLinkHdr, v: hdrVar };
  const ctx: Ctx = {
    link,
    prevLink: null,
    outer: link,
    netmask: options.netmask === null ? null : (options.netmask ?? 0) >>> 0,
    resolve: options.resolve,
    savefile: options.savefile ?? false,
    swapped: options.swapped ?? false,
    portsPerTransport: options.portsPerTransport ?? false,
    offLinkHdr: hdr,
    offPrevLinkHdr: hdr,
    offLinkType: { k: link.offLinkType, v: null },
    offLinkPl: { k: link.offLinkPl, v: plVar },
    offNl: link.offNl,
    offNlNosnap: link.offNlNosnap,
    outerHdrVar: hdrVar,
    outerPlVar: plVar,
    mplsDepth: 0,
    vlanDepth: 0,
    isGeneve: false,
    isAtm: link.dlt === 123,
    topReg: MEMWORDS,
    lp: hdrVar || plVar ? { used: new Array<boolean>(MEMWORDS).fill(false), cur: 0 } : null,
    zeroRegs: [],
  };
  // Tests before an absorbing constant stay (as in libpcap's gencode): whether their loads may go is the
  // optimizer's call, since libpcap's optimizer removes some such dead loads and keeps others.
  const pred = abortBadLoads(lowerExpr(ctx, ast));
  // The empty filter accepts everything: no prefix code (libpcap compiles nothing for it).
  const prefix = ast.kind === 'empty' ? undefined : link.prefix;
  const cfg = toCfg(pred, options.snaplen ?? DEFAULT_SNAPLEN, (add, next, reject) => {
    const entry = prefix ? prefix(ctx, add, next, reject) : next;
    if (ctx.zeroRegs.length === 0) return entry;
    return add(
      [{ kind: 'ldImm', k: 0 }, ...ctx.zeroRegs.map((k) => ({ kind: 'st' as const, k }))],
      { kind: 'goto', target: entry },
    );
  });
  // Caught here when constants alone prove it (`arp` on RAW, `ip and arp` on RAW); the optimizer catches the
  // rest. Not through protochain's loop, which libpcap's optimizer cannot see through either.
  if (!ctx.noOptimize && foldsTo(pred) === false)
    fail('REJECTS_ALL', 'expression rejects all packets', ast.span);
  // libpcap does not optimize a program with protochain's loop or jumps inside statement lists at all.
  if (hasGraph(pred) || ctx.noOptimize) cfg.keepLoads = true;
  if (ctx.sharedPortTests) cfg.sharedPortTests = true;
  return cfg;
}

/** A chain of and/or being lowered (lowerExpr): its right operands, innermost first, and where it stands. */
interface ChainFrame {
  readonly kind: 'chain';
  readonly rights: readonly { op: 'and' | 'or'; right: Expr }[];
  /** The right operand being lowered, counting down (the outermost is rights[0]). */
  i: number;
  /** The chain so far; undefined until its leftmost operand is lowered. */
  acc: Pred | undefined;
  /** The run of one operator being gathered (runs become one n-ary node at once: pairwise folding would
   * copy the list each time, quadratic on long host lists). */
  op: 'and' | 'or';
  items: Pred[];
}

/**
 * Lowers `e`, left to right in source order (vlan/mpls/pppoes shift what follows them). A chain's left
 * spine and a run of `not`s are walked in loops; right operands by recursion up to SHALLOW levels, and
 * below that with a stack (`a or (b or (c ...))`: generated filters nest thousands deep).
 */
export function lowerExpr(ctx: Ctx, root: Expr): Pred {
  return lowerShallow(ctx, root, 0);
}

/** A chain's right operands, innermost first, and its leftmost operand (a loop: chains are long). */
function leftSpine(e: Expr): { rights: { op: 'and' | 'or'; right: Expr }[]; leftmost: Expr } {
  const rights: { op: 'and' | 'or'; right: Expr }[] = [];
  let cur = e;
  for (; cur.kind === 'and' || cur.kind === 'or'; cur = cur.left)
    rights.push({ op: cur.kind, right: cur.right });
  return { rights, leftmost: cur };
}

/** What a run of `not`s negates, and whether their number is odd (an even number cancels out). */
function underNots(e: Expr): { odd: boolean; inner: Expr } {
  let odd = false;
  let inner = e;
  for (; inner.kind === 'not'; inner = inner.expr) odd = !odd;
  return { odd, inner };
}

/** How deep lowerShallow() recurses before lowerDeep() takes a subtree (most trees are a few deep). */
const SHALLOW = 100;

/** lowerExpr() by recursion (no frames to make), in the same order; past SHALLOW levels, lowerDeep(). */
function lowerShallow(ctx: Ctx, e: Expr, depth: number): Pred {
  if (depth >= SHALLOW) return lowerDeep(ctx, e);
  if (e.kind === 'not') {
    const { odd, inner } = underNots(e);
    const p = lowerShallow(ctx, inner, depth + 1);
    return odd ? not(p) : p;
  }
  if (e.kind !== 'and' && e.kind !== 'or') return lowerLeaf(ctx, e);
  const { rights, leftmost } = leftSpine(e);
  let acc = lowerShallow(ctx, leftmost, depth + 1);
  for (let i = rights.length - 1; i >= 0; ) {
    const op = (rights[i] as { op: 'and' | 'or' }).op;
    const items = [acc];
    for (; i >= 0 && (rights[i] as { op: string }).op === op; i--)
      items.push(lowerShallow(ctx, (rights[i] as { right: Expr }).right, depth + 1));
    acc = op === 'and' ? and(...items) : or(...items);
  }
  return acc;
}

/** lowerExpr() with a stack. */
function lowerDeep(ctx: Ctx, root: Expr): Pred {
  const stack: (ChainFrame | { readonly kind: 'not'; readonly odd: boolean })[] = [];
  let e = root;
  for (;;) {
    // Down to the leftmost leaf, a frame for each chain and each run of nots on the way.
    let value: Pred;
    for (;;) {
      if (e.kind === 'and' || e.kind === 'or') {
        const { rights, leftmost } = leftSpine(e);
        stack.push({
          kind: 'chain',
          rights,
          i: rights.length - 1,
          acc: undefined,
          op: 'and',
          items: [],
        });
        e = leftmost;
      } else if (e.kind === 'not') {
        const { odd, inner } = underNots(e);
        stack.push({ kind: 'not', odd });
        e = inner;
      } else {
        value = lowerLeaf(ctx, e);
        break;
      }
    }
    // Up with the value, until a chain has a right operand still to lower.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return value;
      if (top.kind === 'not') {
        stack.pop();
        if (top.odd) value = not(value);
        continue;
      }
      if (top.acc === undefined) top.acc = value;
      else {
        top.items.push(value);
        top.i--;
        if (top.i < 0 || (top.rights[top.i] as { op: string }).op !== top.op) {
          top.acc = top.op === 'and' ? and(...top.items) : or(...top.items);
          top.items = [];
        }
      }
      if (top.i < 0) {
        stack.pop();
        value = top.acc;
        continue;
      }
      const next = top.rights[top.i] as { op: 'and' | 'or'; right: Expr };
      if (top.items.length === 0) {
        top.op = next.op;
        top.items = [top.acc];
      }
      e = next.right;
      break;
    }
  }
}

function lowerLeaf(ctx: Ctx, e: Expr): Pred {
  switch (e.kind) {
    case 'empty':
      return TRUE;
    case 'not':
    case 'and':
    case 'or':
      // lowerExpr walks these itself.
      return lowerExpr(ctx, e);
    case 'relation':
      return relation({ ctx, abbrev: (p, span) => protoAbbrev(ctx, p, span) }, e);
    case 'protoAbbrev':
      return protoAbbrev(ctx, e.proto, e.span);
    case 'keyword':
      return keyword(ctx, e);
    case 'primitive':
      return lowerPrimitive(ctx, e);
    default:
      return lowerSpecial(ctx, e);
  }
}

/** IS-IS PDU types behind `l1`, `l2`, `iih` ... (libpcap gen_proto_abbrev, in its order). */
const ISIS_PDUS: Readonly<Record<string, readonly number[]>> = {
  l1: [26, 24, 18, 15, 17],
  l2: [27, 25, 20, 16, 17],
  iih: [17, 15, 16],
  lsp: [18, 20],
  snp: [27, 26, 24, 25],
  csnp: [24, 25],
  psnp: [26, 27],
};

/** A protocol alone (libpcap gen_proto_abbrev). */
export function protoAbbrev(ctx: Ctx, proto: string, span: Span): Pred {
  const lt = (t: number) => linktype(ctx, t, span);
  switch (proto) {
    case 'ip':
      return lt(ETHERTYPE.IP);
    case 'ip6':
      return lt(ETHERTYPE.IPV6);
    case 'arp':
      return lt(ETHERTYPE.ARP);
    case 'rarp':
      return lt(ETHERTYPE.REVARP);
    case 'atalk':
      return lt(ETHERTYPE.ATALK);
    case 'aarp':
      return lt(ETHERTYPE.AARP);
    case 'decnet':
      return lt(ETHERTYPE.DN);
    case 'lat':
      return lt(ETHERTYPE.LAT);
    case 'sca':
      return lt(ETHERTYPE.SCA);
    case 'moprc':
      return lt(ETHERTYPE.MOPRC);
    case 'mopdl':
      return lt(ETHERTYPE.MOPDL);
    case 'iso':
      return lt(0xfe);
    case 'stp':
      return lt(0x42);
    case 'ipx':
      return lt(0xe0);
    case 'netbeui':
      return lt(0xf0);
    case 'clnp':
      return isoProto(ctx, ISO.CLNP, span);
    case 'esis':
      return isoProto(ctx, ISO.ESIS, span);
    case 'isis':
      return isoProto(ctx, ISO.ISIS, span);
    case 'l1':
    case 'l2':
    case 'iih':
    case 'lsp':
    case 'snp':
    case 'csnp':
    case 'psnp':
      return or(...(ISIS_PDUS[proto] as number[]).map((t) => protoTest(ctx, t, 'isis', span)));
    case 'tcp':
      return protoTest(ctx, IPPROTO.TCP, null, span);
    case 'udp':
      return protoTest(ctx, IPPROTO.UDP, null, span);
    case 'sctp':
      return protoTest(ctx, IPPROTO.SCTP, null, span);
    case 'pim':
      return protoTest(ctx, IPPROTO.PIM, null, span);
    case 'ah':
      return protoTest(ctx, IPPROTO.AH, null, span);
    case 'esp':
      return protoTest(ctx, IPPROTO.ESP, null, span);
    case 'icmp':
      return ipProto(ctx, IPPROTO.ICMP, span);
    case 'igmp':
      return ipProto(ctx, IPPROTO.IGMP, span);
    case 'igrp':
      return ipProto(ctx, IPPROTO.IGRP, span);
    case 'vrrp':
      return ipProto(ctx, IPPROTO.VRRP, span);
    case 'carp':
      return ipProto(ctx, IPPROTO.CARP, span);
    case 'icmp6':
      return ip6Proto(ctx, IPPROTO.ICMPV6, span);
    case 'link':
    case 'ether':
      return fail('SYNTAX', 'link layer applied in wrong context', span);
    default:
      return fail('UNSUPPORTED', `'${proto}' is not supported by cbpf`, span);
  }
}
