// Lowering for a Linux packet socket: the program the kernel runs must give the verdict the expression
// gives on the frame as it is captured (and as `-r` filters it later), although the kernel runs it on
// other bytes. A Linux receive path moves the outermost 802.1Q/802.1ad tag out of the frame into the
// socket buffer's metadata (always, offload or not; only the outermost tag), and libpcap (like cbpf)
// puts it back into the captured bytes. A cooked (SOCK_DGRAM) socket sees no link header at all: the
// SLL/SLL2 header is built from metadata after the filter ran. So the same expression is compiled for
// the captured layout, then every packet load is rewritten for the kernel's view, once for a frame
// whose tag went to metadata and once for one without, behind a test of SKF_AD_VLAN_TAG_PRESENT.
//
// libpcap goes part of this way (its gen_vlan tests the metadata and then an inline tag) but not all:
// `ip` or `ether[14:2] & 0xfff = 100` still read the untagged kernel bytes on a live capture and give
// other verdicts than on the saved file (libpcap issue 1169), and it has no `vlan` on cooked captures at
// all (issue 1105). Here every load is rewritten, so a live verdict is always the offline one.
import { type AncillaryName, DLT } from '../../core/opcodes.js';
import type { Span } from '../ast.js';
import { CompileError } from '../errors.js';
import type { Block, BlockId, Cfg, Stmt, Term } from '../ir.js';

/** A load the kernel cannot make on this socket (an SLL address byte, a load across a field's edge). */
export class KernelViewError extends CompileError {
  constructor(message: string, span: Span = [0, 0]) {
    super('UNSUPPORTED', message, span);
  }
}

/** Where a run of captured bytes comes from in the kernel's view. */
type Source =
  | { readonly kind: 'ext'; readonly ext: AncillaryName }
  | { readonly kind: 'zero' }
  | { readonly kind: 'none'; readonly what: string };

/** A field of the captured header: bytes [at, at + width), big-endian, read from `src`. */
interface Field {
  readonly at: number;
  readonly width: number;
  readonly src: Source;
}

/**
 * One world: the captured layout's header fields, and where the kernel's bytes start. Captured offset
 * k >= `data` is kernel offset k - `shift`; k < `data` must lie inside one field.
 */
interface World {
  readonly fields: readonly Field[];
  /** Captured offsets [0, direct) are the kernel's own bytes [0, direct) (Ethernet's addresses). */
  readonly direct: number;
  readonly data: number;
  readonly shift: number;
}

const ext = (e: AncillaryName): Source => ({ kind: 'ext', ext: e });
const NONE = (what: string): Source => ({ kind: 'none', what });

/** The two worlds of a link type (tag in metadata, no tag in metadata), or undefined when loads stay as they are. */
function worldsOf(linktype: number): { tagged: World; plain: World; cooked: boolean } | undefined {
  switch (linktype) {
    case DLT.EN10MB:
      return {
        // dst, src, then the tag the kernel took out, then its own bytes from the inner type on.
        tagged: {
          fields: [
            { at: 12, width: 2, src: ext('vlan_tpid') },
            { at: 14, width: 2, src: ext('vlan_tag') },
          ],
          direct: 12,
          data: 16,
          shift: 4,
        },
        plain: { fields: [], direct: 0, data: 0, shift: 0 },
        cooked: false,
      };
    case DLT.LINUX_SLL2: {
      // protocol, reserved, ifindex, hatype, pkttype, halen, address[8]; cbpf puts a tag after the header
      // with the TPID in the protocol field (the SLL v1 layout's rule, which libpcap has no SLL2 form of).
      const common = (proto: Source): Field[] => [
        { at: 0, width: 2, src: proto },
        { at: 2, width: 2, src: { kind: 'zero' } },
        { at: 4, width: 4, src: ext('ifindex') },
        { at: 8, width: 2, src: ext('hatype') },
        { at: 10, width: 1, src: ext('pkttype') },
        { at: 11, width: 1, src: NONE('the SLL2 address length') },
        { at: 12, width: 8, src: NONE('the SLL2 link-layer address') },
      ];
      return {
        tagged: {
          fields: [
            ...common(ext('vlan_tpid')),
            { at: 20, width: 2, src: ext('vlan_tag') },
            { at: 22, width: 2, src: ext('protocol') },
          ],
          direct: 0,
          data: 24,
          shift: 24,
        },
        plain: { fields: common(ext('protocol')), direct: 0, data: 20, shift: 20 },
        cooked: true,
      };
    }
    case DLT.LINUX_SLL: {
      // pkttype, hatype, halen, address[8], protocol; a tag goes before the protocol (libpcap's vlan_offset 14).
      const common: Field[] = [
        { at: 0, width: 2, src: ext('pkttype') },
        { at: 2, width: 2, src: ext('hatype') },
        { at: 4, width: 2, src: NONE('the SLL address length') },
        { at: 6, width: 8, src: NONE('the SLL link-layer address') },
      ];
      return {
        tagged: {
          fields: [
            ...common,
            { at: 14, width: 2, src: ext('vlan_tpid') },
            { at: 16, width: 2, src: ext('vlan_tag') },
            { at: 18, width: 2, src: ext('protocol') },
          ],
          direct: 0,
          data: 20,
          shift: 20,
        },
        plain: {
          fields: [...common, { at: 14, width: 2, src: ext('protocol') }],
          direct: 0,
          data: 16,
          shift: 16,
        },
        cooked: true,
      };
    }
    default:
      // Raw IP (tun, cooked RAW), radiotap and the rest: the kernel runs on the captured bytes, and a
      // stripped tag has no place in them (libpcap does not put one back either).
      return undefined;
  }
}

const MASK = [0, 0xff, 0xffff, 0, 0xffffffff];

/** Why a statement has no kernel form: thrown inside the mapping, caught per block. */
class Unmappable extends Error {}

/** Statements leaving in A what `size` bytes at captured offset `k` hold, in world `w`. */
function mapAbs(w: World, size: 1 | 2 | 4, k: number): Stmt[] {
  if (k >= w.data) return [{ kind: 'ldAbs', size, k: k - w.shift }];
  if (k + size <= w.direct) return [{ kind: 'ldAbs', size, k }];
  const f = w.fields.find((x) => k >= x.at && k < x.at + x.width);
  if (!f || k + size > f.at + f.width)
    throw new Unmappable(`a ${size}-byte load at ${k} spans fields the kernel keeps apart`);
  if (f.src.kind === 'none')
    throw new Unmappable(`a kernel filter cannot read ${f.src.what} (offset ${k})`);
  if (f.src.kind === 'zero') return [{ kind: 'ldImm', k: 0 }];
  const out: Stmt[] = [{ kind: 'ldExt', size, ext: f.src.ext }];
  const below = 8 * (f.at + f.width - (k + size));
  if (below > 0) out.push({ kind: 'alu', op: 'rsh', src: 'k', k: below });
  if (size < f.width) out.push({ kind: 'alu', op: 'and', src: 'k', k: MASK[size] as number });
  return out;
}

/** The u32 result of a constant ALU step, or undefined (division by zero, a shift past 31). */
function constAlu(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case 'add':
      return (a + b) >>> 0;
    case 'sub':
      return (a - b) >>> 0;
    case 'mul':
      return Math.imul(a, b) >>> 0;
    case 'and':
      return (a & b) >>> 0;
    case 'or':
      return (a | b) >>> 0;
    case 'lsh':
      return b < 32 ? (a << b) >>> 0 : undefined;
    case 'rsh':
      return b < 32 ? a >>> b : undefined;
    default:
      return undefined;
  }
}

/**
 * A block's statements for world `w`: packet loads moved, `len` lengthened by what the kernel lacks.
 * Constants in A and X are followed within the block, since lowering reads `ether[14:2]` as `ldx #14;
 * ldh [x + 0]` and leaves folding that to the optimizer.
 */
function mapStmts(w: World, stmts: readonly Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  let a: number | undefined;
  let x: number | undefined;
  for (const s of stmts) {
    switch (s.kind) {
      case 'ldAbs':
        out.push(...mapAbs(w, s.size, s.k));
        a = undefined;
        break;
      case 'ldInd':
        if (x !== undefined && x + s.k < 0x100000000) out.push(...mapAbs(w, s.size, x + s.k));
        // X is a length the expression computed (a header's), never negative: [x + k] stays past the
        // header when k does.
        else if (s.k >= w.data) out.push({ ...s, k: s.k - w.shift });
        else if (w.shift === 0) out.push(s);
        else throw new Unmappable(`an indexed load from ${s.k} may read the moved header`);
        a = undefined;
        break;
      case 'ldxMsh':
        if (s.k >= w.data) out.push({ ...s, k: s.k - w.shift });
        else if (s.k < w.direct || w.shift === 0) out.push(s);
        else throw new Unmappable(`an IP header length load at ${s.k} reads the moved header`);
        x = undefined;
        break;
      case 'ldLen':
        out.push(s);
        if (w.shift > 0) out.push({ kind: 'alu', op: 'add', src: 'k', k: w.shift });
        a = undefined;
        break;
      case 'walk':
        // Protochain's header walk reads from its network offset onward only.
        if (s.nl >= w.data) out.push({ ...s, nl: s.nl - w.shift });
        else if (w.shift === 0) out.push(s);
        else throw new Unmappable(`a protochain walk from ${s.nl} may read the moved header`);
        a = undefined;
        x = undefined;
        break;
      case 'ldxLen':
        if (w.shift > 0) throw new Unmappable('`ldx len` where the kernel sees a shorter packet');
        out.push(s);
        x = undefined;
        break;
      default:
        out.push(s);
        if (s.kind === 'ldImm') a = s.k >>> 0;
        else if (s.kind === 'ldxImm') x = s.k >>> 0;
        else if (s.kind === 'tax') x = a;
        else if (s.kind === 'txa') a = x;
        else if (s.kind === 'alu')
          a =
            a === undefined || (s.src === 'x' && x === undefined)
              ? undefined
              : constAlu(s.op, a, s.src === 'k' ? s.k >>> 0 : (x as number));
        else if (s.kind === 'ldxMem') x = undefined;
        else if (s.kind !== 'st' && s.kind !== 'stx') a = undefined;
    }
  }
  return out;
}

const ETH_P_8021Q = 0x8100;
const ETH_P_8021AD = 0x88a8;
const PACKET_OUTGOING = 4;

/**
 * On cooked link types the kernel program accepts every outgoing frame whose tags were inline (see
 * linuxSocketView): a capture must run the ordinary program on those (direction OUTGOING, VLAN
 * metadata reported) itself.
 */
export function needsOutgoingVlanRecheck(linktype: number): boolean {
  return worldsOf(linktype)?.cooked === true;
}

/**
 * A block with a load the kernel cannot make returns this instead, with the reason: the optimizer keeps
 * it apart from real verdicts and drops it where it proves the block unreachable (an IPv4 test in the
 * tagged copy of `tcp port 80`, whose type field is a TPID); checkKernelView() then finds any left.
 */
export interface KernelView extends Cfg {
  /** The return value standing for "cannot run in the kernel" (none of the graph's own). */
  readonly unmappable?: { readonly k: number; readonly why: string };
}

/**
 * Rewrites `cfg`, compiled for the captured layout of `linktype`, into the graph a Linux packet socket
 * of that link type runs (raw for EN10MB, cooked for LINUX_SLL/LINUX_SLL2). Other link types come back
 * as they are. Optimize the result, then call checkKernelView() on it.
 */
export function linuxSocketView(cfg: Cfg, linktype: number): KernelView {
  const worlds = worldsOf(linktype);
  if (!worlds) return cfg;
  const n = cfg.blocks.length;
  // Blocks 0 and 1 are the shared returns; every other block is copied once per world, keeping the
  // "edges go to lower ids" order lowering guarantees: the untagged copy first, then the tagged one.
  const isShared = (b: Block) => b.id < 2 && b.term.kind === 'ret' && b.stmts.length === 0;
  if (cfg.blocks.filter(isShared).length !== 2)
    throw new Error('internal error: the lowered graph does not start with its returns');
  const used = new Set(cfg.blocks.map((b) => (b.term.kind === 'ret' ? b.term.k : -1)));
  let sentinel = 0xfffffffe;
  while (used.has(sentinel)) sentinel--;
  let why: string | undefined;
  const blocks: Block[] = cfg.blocks.slice(0, 2).map((b) => ({ ...b, stmts: [...b.stmts] }));
  const copy = (w: World, base: number) => {
    const id = (b: BlockId) => (b < 2 ? b : b + base);
    const term = (t: Term): Term =>
      t.kind === 'branch'
        ? { ...t, t: id(t.t), f: id(t.f) }
        : t.kind === 'goto'
          ? { kind: 'goto', target: id(t.target) }
          : t;
    for (const b of cfg.blocks.slice(2)) {
      try {
        blocks.push({ id: id(b.id), stmts: mapStmts(w, b.stmts), term: term(b.term) });
      } catch (e) {
        if (!(e instanceof Unmappable)) throw e;
        why ??= e.message;
        blocks.push({ id: id(b.id), stmts: [], term: { kind: 'ret', k: sentinel } });
      }
    }
    return id(cfg.entry);
  };
  const plainEntry = copy(worlds.plain, 0);
  const taggedEntry = copy(worlds.tagged, n - 2);
  const add = (stmts: Stmt[], t: Term): BlockId => {
    const id = blocks.length;
    blocks.push({ id, stmts, term: t });
    return id;
  };
  const branch = (k: number, t: BlockId, f: BlockId): Term => ({
    kind: 'branch',
    cond: 'jeq',
    src: 'k',
    k,
    t,
    f,
  });
  // The kernel only ever puts an 802.1Q or 802.1ad tag into metadata; saying so lets the optimizer see
  // that the tagged copy's type field holds one of the two (a filter without `vlan` then drops it whole).
  const ad = add([], branch(ETH_P_8021AD, taggedEntry, 1));
  const q = add(
    [{ kind: 'ldExt', size: 2, ext: 'vlan_tpid' }],
    branch(ETH_P_8021Q, taggedEntry, ad),
  );
  let untagged = plainEntry;
  if (worlds.cooked) {
    // Linux 6.10 on: a cooked socket's outgoing frame with its tags inline is handed over as if the
    // outer tag were metadata (innermost protocol, data past the tags), but filtered as it is: the tag
    // bytes are in no place a classic BPF load reaches. Such frames pass here; the caller filters them
    // in user space on the frame as captured (OUTGOING_VLAN_RECHECK).
    const outgoing = add(
      [{ kind: 'ldExt', size: 1, ext: 'pkttype' }],
      branch(PACKET_OUTGOING, 0, plainEntry),
    );
    const ad2 = add([], branch(ETH_P_8021AD, outgoing, plainEntry));
    untagged = add(
      [{ kind: 'ldExt', size: 2, ext: 'protocol' }],
      branch(ETH_P_8021Q, outgoing, ad2),
    );
  }
  const entry = add([{ kind: 'ldExt', size: 1, ext: 'vlan_tag_present' }], branch(1, q, untagged));
  return {
    blocks,
    entry,
    keepLoads: cfg.keepLoads,
    unmappable: why === undefined ? undefined : { k: sentinel, why },
  };
}

/** Throws KernelViewError if a block the kernel cannot run is still reachable in `optimized`. */
export function checkKernelView(view: KernelView, optimized: Cfg): void {
  const u = view.unmappable;
  if (!u) return;
  const seen = new Set<BlockId>();
  const stack = [optimized.entry];
  while (stack.length) {
    const id = stack.pop() as BlockId;
    if (seen.has(id)) continue;
    seen.add(id);
    const t = (optimized.blocks[id] as Block).term;
    if (t.kind === 'ret' && t.k === u.k) throw new KernelViewError(u.why);
    if (t.kind === 'branch') stack.push(t.t, t.f);
    else if (t.kind === 'goto') stack.push(t.target);
  }
}
