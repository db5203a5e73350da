// Emits JavaScript source for a validated forward-only program (cbpf-reference.md 2).
// The DAG becomes nested labeled blocks: block `Lt` encloses everything before instruction t,
// so any forward jump to t is `break Lt` and each instruction is emitted once, with no dispatch loop.
// Cases the straight code does not model (Linux negative offsets and SKF_AD loads, libpcap backward
// `ja`) emit `return slow()`: a rerun on the interpreter, which is exact because a filter is pure.
import type { Program } from '../encode.js';
import type { ProfileFacts } from '../profiles.js';

const SIZE: Record<number, number> = { 0: 4, 1: 2, 2: 1 };

/** True when the program needs the interpreter for some path (decided once, at compile time). */
export function hasBackwardJump(program: Program, facts: ProfileFacts): boolean {
  if (!facts.backwardJa) return false;
  return program.some((i) => i.code === 0x05 && i.k >= 0x80000000);
}

/** A big-endian read at `o` (a number folds the byte offsets, so the source reads p[12], p[13]). */
function load(size: number, o: string | number): string {
  const at = (d: number): string => (typeof o === 'number' ? `b + ${o + d}` : d === 0 ? o : `${o} + ${d}`);
  if (size === 1) return `p[${at(0)}]`;
  if (size === 2) return `((p[${at(0)}] << 8) | p[${at(1)}])`;
  return `(((p[${at(0)}] << 24) | (p[${at(1)}] << 16) | (p[${at(2)}] << 8) | p[${at(3)}]) >>> 0)`;
}

/** Source of the body `(p, b, len, wl, slow) => u32` over p[b .. b + len); every literal is a number from the validated program. */
export function emitBody(program: Program, facts: ProfileFacts): string {
  const n = program.length;
  const targets = new Set<number>();
  program.forEach((ins, pc) => {
    const cls = ins.code & 7;
    if (cls !== 5) return;
    if (ins.code === 0x05) targets.add(pc + 1 + (ins.k >>> 0));
    else {
      targets.add(pc + 1 + (ins.jt >>> 0));
      targets.add(pc + 1 + (ins.jf >>> 0));
    }
  });
  const sorted = [...targets].filter((t) => t <= n).sort((a, b) => b - a);
  const out: string[] = ['let A = 0, X = 0;'];
  // Only the scratch words the program touches (a read of an unwritten word is 0).
  const used = new Set<number>();
  for (const ins of program) {
    const cls = ins.code & 7;
    if (cls === 2 || cls === 3 || ((cls === 0 || cls === 1) && (ins.code & 0xe0) === 0x60)) used.add((ins.k >>> 0) & 15);
  }
  for (const m of [...used].sort((a, b) => a - b)) out.push(`let M${m} = 0;`);
  for (const t of sorted) out.push(`L${t}: {`);
  const linux = facts.linuxExtensions;
  const mod32 = facts.wideShift === 'mod32';
  program.forEach((ins, pc) => {
    if (targets.has(pc)) out.push(`} // L${pc}`);
    const code = ins.code >>> 0;
    const jt = ins.jt >>> 0;
    const jf = ins.jf >>> 0;
    const k = ins.k >>> 0;
    const c = `/* ${pc} */ `;
    const cls = code & 7;
    switch (cls) {
      case 0: // ld
      case 1: {
        // ldx
        const mode = code & 0xe0;
        const size = SIZE[(code >> 3) & 3];
        const R = cls === 0 ? 'A' : 'X';
        if (mode === 0x00) out.push(`${c}${R} = ${k};`);
        else if (mode === 0x80) out.push(`${c}${R} = wl;`);
        else if (mode === 0x60) out.push(`${c}${R} = M${k};`);
        else if (mode === 0x20) {
          if (linux && k >= 0x80000000) out.push(`${c}return slow(p, b, len, wl);`);
          else out.push(`${c}if (${k + size} > len) return 0; A = ${load(size, k)};`);
        } else if (mode === 0x40) {
          if (linux) out.push(`${c}{ const o = (X + ${k}) | 0; if (o < 0) return slow(p, b, len, wl); if (o + ${size} > len) return 0; const q = b + o; A = ${load(size, 'q')}; }`);
          else out.push(`${c}{ const o = X + ${k}; if (o + ${size} > len) return 0; const q = b + o; A = ${load(size, 'q')}; }`);
        } else if (mode === 0xa0) {
          if (linux && k >= 0x80000000) out.push(`${c}return slow(p, b, len, wl);`);
          else out.push(`${c}if (${k} >= len) return 0; X = (p[b + ${k}] & 15) << 2;`);
        } else out.push(`${c}return 0;`);
        break;
      }
      case 2:
        out.push(`${c}M${k} = A;`);
        break;
      case 3:
        out.push(`${c}M${k} = X;`);
        break;
      case 4: {
        const op = code & 0xf0;
        const s = code & 8 ? 'X' : String(k);
        const e = (() => {
          switch (op) {
            case 0x00: return `A = (A + ${s}) >>> 0;`;
            case 0x10: return `A = (A - ${s}) >>> 0;`;
            case 0x20: return `A = Math.imul(A, ${s}) >>> 0;`;
            case 0x30: return s === 'X' ? 'if (X === 0) return 0; A = (A / X) >>> 0;' : k === 0 ? 'return 0;' : `A = (A / ${k}) >>> 0;`;
            case 0x90: return s === 'X' ? 'if (X === 0) return 0; A = A % X;' : k === 0 ? 'return 0;' : `A = A % ${k};`;
            case 0x40: return `A = (A | ${s}) >>> 0;`;
            case 0x50: return `A = (A & ${s}) >>> 0;`;
            case 0xa0: return `A = (A ^ ${s}) >>> 0;`;
            case 0x60:
              if (s === 'X') return mod32 ? 'A = (A << (X & 31)) >>> 0;' : 'A = X < 32 ? (A << X) >>> 0 : 0;';
              return k < 32 || mod32 ? `A = (A << ${k & 31}) >>> 0;` : 'A = 0;';
            case 0x70:
              if (s === 'X') return mod32 ? 'A = A >>> (X & 31);' : 'A = X < 32 ? A >>> X : 0;';
              return k < 32 || mod32 ? `A = A >>> ${k & 31};` : 'A = 0;';
            case 0x80: return 'A = (0 - A) >>> 0;';
            default: return 'return 0;';
          }
        })();
        out.push(c + e);
        break;
      }
      case 5: {
        if (code === 0x05) {
          if (k >= 0x80000000 && facts.backwardJa) out.push(`${c}return slow(p, b, len, wl);`);
          else out.push(`${c}break L${pc + 1 + k};`);
          break;
        }
        const s = code & 8 ? 'X' : String(k);
        const op = code & 0xf0;
        const cond =
          op === 0x10 ? `A === ${s}` : op === 0x20 ? `A > ${s}` : op === 0x30 ? `A >= ${s}` : op === 0x40 ? `(A & ${s}) !== 0` : undefined;
        if (cond === undefined) out.push(`${c}return 0;`);
        else out.push(`${c}if (${cond}) break L${pc + 1 + jt}; else break L${pc + 1 + jf};`);
        break;
      }
      case 6:
        out.push(`${c}return ${(code & 0x18) === 0x10 ? 'A' : String(k)};`);
        break;
      default: {
        const m = code & 0xf8;
        out.push(`${c}${m === 0 ? 'X = A;' : m === 0x80 ? 'A = X;' : 'return 0;'}`);
      }
    }
  });
  if (targets.has(n)) out.push(`} // L${n}`);
  out.push('return 0;');
  return out.join('\n');
}
