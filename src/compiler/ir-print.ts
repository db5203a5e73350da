// The IR as text, one block per paragraph, for `cbpf compile --dump ir|opt`.
import { assembleOne } from '../core/encode.js';
import { printTcpdumpDLine } from '../core/text/tcpdump.js';
import { layoutOrder } from './emit.js';
import type { Cfg } from './ir.js';

/** Reachable blocks in layout order: statements as tcpdump -d would show them, then the edge(s). */
export function printIr(cfg: Cfg): string {
  const lines: string[] = [];
  for (const b of layoutOrder(cfg)) {
    lines.push(`block ${b.id}${b.id === cfg.entry ? ' (entry)' : ''}:`);
    for (const s of b.stmts)
      lines.push(
        s.kind === 'walk'
          ? `  walk     ip${s.v6 ? 6 : ''} headers at ${s.nl}${s.stop >= 0 ? ` to ${s.stop}` : ''} -> A, M[${s.slot}]`
          : `  ${printTcpdumpDLine(assembleOne(s), 0).slice(6)}`,
      );
    const t = b.term;
    if (t.kind === 'ret') lines.push(`  ret #${t.k}`);
    else if (t.kind === 'retA') lines.push('  ret a');
    else if (t.kind === 'goto') lines.push(`  goto ${t.target}`);
    else
      lines.push(
        `  if A ${t.cond} ${t.src === 'x' ? 'x' : `#0x${t.k.toString(16)}`} goto ${t.t} else ${t.f}`,
      );
  }
  return `${lines.join('\n')}\n`;
}
