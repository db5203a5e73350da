// Values a program computes, as terms over the packet: what `ld`, ALU and scratch statements build up in
// A and X, hash-consed so equal values are one object (and compare by identity).
import { evalAlu } from '../../core/alu.js';
import type { AluOp } from '../../core/insn.js';

export type Term =
  | { readonly t: 'const'; readonly v: number; readonly id: number }
  /** `size` bytes at the absolute packet offset `at` (big-endian). */
  | { readonly t: 'load'; readonly size: 1 | 2 | 4; readonly at: Term; readonly id: number }
  /** The wire length (`ld #len`). */
  | { readonly t: 'len'; readonly id: number }
  | {
      readonly t: 'bin';
      readonly op: AluOp;
      readonly a: Term;
      readonly b: Term;
      readonly id: number;
    }
  | { readonly t: 'neg'; readonly a: Term; readonly id: number }
  /** A Linux metadata field (SKF_AD_*), a header-relative load or `ld #rand`: no pcap-filter spelling. */
  | { readonly t: 'meta'; readonly what: string; readonly id: number };

/** Makes terms; equal terms are the same object. */
export class Terms {
  private readonly table = new Map<string, Term>();

  private intern<T extends Term>(key: string, make: (id: number) => T): T {
    let t = this.table.get(key);
    if (!t) {
      t = make(this.table.size);
      this.table.set(key, t);
    }
    return t as T;
  }

  const(v: number): Term {
    const u = v >>> 0;
    return this.intern(`c${u}`, (id) => ({ t: 'const', v: u, id }));
  }

  load(size: 1 | 2 | 4, at: Term): Term {
    return this.intern(`l${size},${at.id}`, (id) => ({ t: 'load', size, at, id }));
  }

  len(): Term {
    return this.intern('len', (id) => ({ t: 'len', id }));
  }

  meta(what: string): Term {
    return this.intern(`m${what}`, (id) => ({ t: 'meta', what, id }));
  }

  neg(a: Term): Term {
    if (a.t === 'const') return this.const(-a.v);
    return this.intern(`n${a.id}`, (id) => ({ t: 'neg', a, id }));
  }

  /**
   * `a op b`, folded when both are constants (except a division by 0, which stays to stop the run) and
   * for the identities a compiler would write (`+ 0`, `* 1`); shifts use the profile's rule for wide counts.
   */
  bin(op: AluOp, a: Term, b: Term, wideMod32: boolean): Term {
    if (a.t === 'const' && b.t === 'const') {
      const v = fold(op, a.v, b.v, wideMod32);
      if (v !== undefined) return this.const(v);
    }
    if (
      b.t === 'const' &&
      b.v === 0 &&
      (op === 'add' || op === 'sub' || op === 'or' || op === 'xor')
    )
      return a;
    if (b.t === 'const' && b.v === 1 && (op === 'mul' || op === 'div')) return a;
    return this.intern(`b${op},${a.id},${b.id}`, (id) => ({ t: 'bin', op, a, b, id }));
  }
}

function fold(op: AluOp, a: number, b: number, wideMod32: boolean): number | undefined {
  // A shift count past 31: Linux takes it mod 32 (`wideMod32`), libpcap gives 0.
  if ((op === 'lsh' || op === 'rsh') && b >= 32) return wideMod32 ? evalAlu(op, a, b & 31) : 0;
  return evalAlu(op, a, b);
}

/** Whether `t` has a pcap-filter spelling (no metadata inside). */
export function expressible(t: Term): boolean {
  switch (t.t) {
    case 'const':
    case 'len':
      return true;
    case 'meta':
      return false;
    case 'load':
      return expressible(t.at);
    case 'neg':
      return expressible(t.a);
    case 'bin':
      return expressible(t.a) && expressible(t.b);
  }
}
