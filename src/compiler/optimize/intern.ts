// Identical blocks become one (libpcap optimize.c's intern_blocks): same statements, same terminator, same
// successors once those are merged. This shares return blocks and tails that several paths end with, and a
// test whose two targets turn out identical becomes a goto.
import type { Block, BlockId, Cfg, Stmt, Term } from '../ir.js';
import { walkKey } from '../walk.js';
import { BlockTable, retarget, topoOrder } from './graph.js';

/** One sweep from the returns upwards; true if an edge moved. */
export function internBlocks(cfg: Cfg, order: readonly BlockId[] = topoOrder(cfg)): boolean {
  const canon = new BlockTable<BlockId>(cfg.blocks.length);
  // Blocks by a number that equal blocks share; only blocks that share one are compared, by their keys
  // (most blocks have a number of their own, and then no key is built).
  const byHash = new Map<number, BlockId | BlockId[]>();
  const map = (id: BlockId) => canon.get(id) ?? id;
  let changed = false;
  for (let i = order.length - 1; i >= 0; i--) {
    const b = cfg.blocks[order[i]];
    changed = retarget(b, map) || changed;
    const h = blockHash(b);
    const seen = byHash.get(h);
    if (seen === undefined) {
      byHash.set(h, b.id);
      continue;
    }
    const same = typeof seen === 'number' ? [seen] : seen;
    const key = blockKey(b);
    const rep = same.find((id) => blockKey(cfg.blocks[id]) === key);
    if (rep !== undefined) canon.set(b.id, rep);
    else if (typeof seen === 'number') byHash.set(h, [seen, b.id]);
    else seen.push(b.id);
  }
  if (canon.has(cfg.entry)) {
    cfg.entry = map(cfg.entry);
    changed = true;
  }
  return changed;
}

/** A number equal for blocks with equal statements and terminators (and, rarely, for others). */
function blockHash(b: Block): number {
  const t = b.term;
  let h =
    t.kind === 'branch'
      ? mix(mix(mix(t.k, t.t), t.f), t.cond.length + (t.src === 'k' ? 0 : 8))
      : t.kind === 'goto'
        ? mix(t.target, 16)
        : t.kind === 'ret'
          ? mix(t.k, 17)
          : 18;
  for (const s of b.stmts)
    h = mix(mix(h, s.kind.length * 64 + s.kind.charCodeAt(s.kind.length - 1)), 'k' in s ? s.k : 0);
  // 30 bits: a small integer, which a Map keeps without a heap number per key.
  return h & 0x3fffffff;
}

const mix = (h: number, x: number): number => Math.imul(h ^ x, 0x9e3779b1) ^ (h >>> 15);

/** A string equal for blocks with equal statements and terminators. */
function blockKey(b: Block): string {
  let key = termKey(b.term);
  for (const s of b.stmts) key += `|${stmtKey(s)}`;
  return key;
}

function termKey(t: Term): string {
  switch (t.kind) {
    case 'ret':
      return `r${t.k}`;
    case 'retA':
      return 'ra';
    case 'goto':
      return `g${t.target}`;
    case 'branch':
      return `${t.cond}${t.src === 'k' ? t.k : 'x'},${t.t},${t.f}`;
  }
}

function stmtKey(s: Stmt): string {
  switch (s.kind) {
    case 'ldAbs':
    case 'ldInd':
      return `${s.kind}${s.size},${s.k}`;
    case 'ldExt':
      return `ldExt${s.size},${s.ext}`;
    case 'alu':
      return s.src === 'k' ? `${s.op}${s.k}` : `${s.op}x`;
    case 'walk':
      return `walk${walkKey(s)},${s.slot}`;
    case 'ldImm':
    case 'ldMem':
    case 'ldxImm':
    case 'ldxMem':
    case 'ldxMsh':
    case 'st':
    case 'stx':
      return `${s.kind}${s.k}`;
    default:
      return s.kind;
  }
}
