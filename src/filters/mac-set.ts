// Membership of a 48-bit MAC address in a set, as a balanced search tree the kernel runs: the address is
// one 2-byte and one 4-byte field, each compared with `jgt` down to short `jeq` chains. A packet costs
// about log2(n) comparisons, not n, and the program grows by about three instructions a MAC, so some
// 1,000 MACs fit Linux's 4,096 (a `jeq` list of 4 instructions a MAC stopped at 60 within jt/jf's reach).

import { emit } from '../compiler/emit.js';
import type { Block, BlockId, Cfg, Stmt } from '../compiler/ir.js';
import type { RawInsn } from '../core/insn.js';
import { ld, tax, txa } from '../core/insn.js';

/** Linux's BPF_MAXINSNS: the most a kernel filter may hold. */
export const KERNEL_MAX_INSNS = 4096;

/** A MAC address's six bytes, from `aa:bb:cc:dd:ee:ff`, `aa-bb-…` or `aabb.ccdd.eeff`. */
export function macBytes(mac: string): Uint8Array {
  const t = mac.trim();
  const dotted = /^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$/i.exec(t); // Cisco's aabb.ccdd.eeff
  const parts = dotted
    ? dotted.slice(1).flatMap((g) => [g.slice(0, 2), g.slice(2)])
    : t.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p)))
    throw new RangeError(`expected a MAC address like 52:54:00:12:34:56, got '${mac}'`);
  return Uint8Array.from(parts, (p) => Number.parseInt(p, 16));
}

/** How a tree splits the address: which field is compared first. */
type Split = '2+4' | '4+2';

/** Adds IR blocks to the program being built: a guard in front of the tree uses it. */
export interface BlockBuilder {
  add(stmts: Stmt[], term: Block['term']): BlockId;
  ret(k: number): BlockId;
}

/** Blocks being built; ids are indices. */
class Builder implements BlockBuilder {
  readonly blocks: Block[] = [];
  add(stmts: Stmt[], term: Block['term']): BlockId {
    const id = this.blocks.length;
    this.blocks.push({ id, stmts, term });
    return id;
  }
  ret(k: number): BlockId {
    return this.add([], { kind: 'ret', k });
  }
}

/** Where a chain of `jeq`s goes: the i-th key's target on a match, `miss` otherwise. */
interface Ends {
  match(i: number): BlockId;
  readonly miss: BlockId;
}

/**
 * A search over sorted, distinct `keys` (A holds the value): `jgt` halves the range until at most
 * `chain` keys remain, which are tested by a `jeq` chain. `endsOf` gives each chain its targets, so
 * a chain's returns sit next to it and its jumps stay short.
 */
function searchTree(
  b: Builder,
  keys: readonly number[],
  chain: number,
  endsOf: (first: number, count: number) => Ends,
): BlockId {
  const build = (lo: number, hi: number): BlockId => {
    if (hi - lo <= chain) {
      const ends = endsOf(lo, hi - lo);
      let next = ends.miss;
      for (let i = hi - 1; i >= lo; i--)
        next = b.add([], {
          kind: 'branch',
          cond: 'jeq',
          src: 'k',
          k: keys[i],
          t: ends.match(i),
          f: next,
        });
      return next;
    }
    const mid = (lo + hi) >>> 1;
    const right = build(mid, hi);
    const left = build(lo, mid);
    return b.add([], {
      kind: 'branch',
      cond: 'jgt',
      src: 'k',
      k: keys[mid - 1],
      t: right,
      f: left,
    });
  };
  return build(0, keys.length);
}

/** The (first field, second field) words of each MAC for a split, with their loads at `offset`. */
function fields(split: Split, mac: Uint8Array): [number, number] {
  const dv = new DataView(mac.buffer, mac.byteOffset, 6);
  return split === '2+4' ? [dv.getUint16(0), dv.getUint32(2)] : [dv.getUint32(0), dv.getUint16(4)];
}

function loads(split: Split, offset: number): [Stmt, Stmt] {
  return split === '2+4'
    ? [ld.abs(offset, 2) as Stmt, ld.abs(offset + 2, 4) as Stmt]
    : [ld.abs(offset, 4) as Stmt, ld.abs(offset + 4, 2) as Stmt];
}

/** Unique sorted numbers. */
const sortedUnique = (xs: Iterable<number>) => [...new Set(xs)].sort((a, b) => a - b);

function treeBlocks(
  b: Builder,
  macs: readonly Uint8Array[],
  offset: number,
  accept: number,
  split: Split,
  chain: number,
): BlockId {
  const groups = new Map<number, number[]>();
  for (const m of macs) {
    const [first, second] = fields(split, m);
    const g = groups.get(first);
    if (g) g.push(second);
    else groups.set(first, [second]);
  }
  const firsts = sortedUnique(groups.keys());
  const [loadFirst, loadSecond] = loads(split, offset);
  // Returns shared by a chain and whatever small groups it leads to (created on first use).
  const localEnds = () => {
    let acc: BlockId | undefined;
    let drop: BlockId | undefined;
    return {
      get accept() {
        acc ??= b.ret(accept);
        return acc;
      },
      get drop() {
        drop ??= b.ret(0);
        return drop;
      },
    };
  };
  const secondTree = (seconds: readonly number[], outer: ReturnType<typeof localEnds>) => {
    const root = searchTree(b, seconds, chain, (_, count) => {
      // A group that fits one chain shares its parent chain's returns; a bigger one has its own.
      const ends = count === seconds.length ? outer : localEnds();
      return { match: () => ends.accept, miss: ends.drop };
    });
    b.blocks[root].stmts.unshift(txa() as Stmt);
    return root;
  };
  const root = searchTree(b, firsts, chain, (first, count) => {
    const ends = localEnds();
    const targets = firsts
      .slice(first, first + count)
      .map((f) => secondTree(sortedUnique(groups.get(f)!), ends));
    return { match: (i) => targets[i - first], miss: ends.drop };
  });
  // Both fields are loaded once up front, the second kept in X: a kernel turns each packet load into
  // several eBPF instructions and charges the filter's eBPF size to the socket's optmem, where `txa`
  // costs one. A packet too short for either field is no member, so loading first changes no verdict.
  b.blocks[root].stmts.unshift(loadSecond, tax() as Stmt, loadFirst);
  return root;
}

/** A program from IR blocks that `build` adds, returning the entry (for filters around a MAC set). */
export function programFromBlocks(build: (b: BlockBuilder) => BlockId): RawInsn[] {
  const b = new Builder();
  const entry = build(b);
  return emit({ blocks: b.blocks, entry });
}

export interface MacSetOptions {
  /** Where the address starts in the packet: 0 Ethernet destination, 6 source, 22 ARP sender. */
  offset: number;
  /** What a packet whose address is in the set returns. Default 0xffffffff. */
  accept?: number;
  /** Statements run first, and the program's entry when they pass: e.g. "is it an ARP reply?". */
  guard?: (b: BlockBuilder, next: BlockId) => BlockId;
}

/**
 * A program accepting packets whose MAC at `offset` is in `macs` (duplicates ignored). It tries both
 * field orders and chain lengths 4, 8 and 16, and keeps the shortest program with the shortest chains
 * that fits `KERNEL_MAX_INSNS`; throws RangeError when none fits.
 */
export function macSetProgram(macs: readonly string[], options: MacSetOptions): RawInsn[] {
  if (macs.length === 0) throw new RangeError('a MAC set needs at least one address');
  const parsed = macs.map(macBytes);
  let best: RawInsn[] | undefined;
  for (const chain of [4, 8, 16]) {
    for (const split of ['2+4', '4+2'] as const) {
      const b = new Builder();
      const tree = treeBlocks(
        b,
        parsed,
        options.offset,
        options.accept ?? 0xffffffff,
        split,
        chain,
      );
      const entry = options.guard ? options.guard(b, tree) : tree;
      const cfg: Cfg = { blocks: b.blocks, entry };
      const program = emit(cfg);
      if (!best || program.length < best.length) best = program;
    }
    if (best && best.length <= KERNEL_MAX_INSNS) return best;
  }
  throw new RangeError(
    `${macs.length} MACs need ${best!.length} instructions; a kernel filter holds at most ${KERNEL_MAX_INSNS}`,
  );
}
