// The readable form for a program no expression was proven equal to: its decision tree, each test a field
// comparison (named where the protocol is known), shared subtrees printed once under a label.
import type { Program } from '../../core/encode.js';
import { printTcpdumpDLine } from '../../core/text/tcpdump.js';
import type { DNode } from './lift.js';
import { type Ctx, type LinkFacts, learn, Printer } from './render.js';

/** The tree of `root`, or, without one (a loop, too many paths), the program listed as tcpdump -d. */
export function structuredText(
  root: DNode | undefined,
  program: Program,
  link: LinkFacts | undefined,
): string {
  if (!root) return program.map((x, i) => `${printTcpdumpDLine(x, i)}\n`).join('');
  const pr = new Printer(link, true, true);
  const parents = new Map<number, number>();
  const seen = new Set<number>();
  const stack = [root];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (d.kind !== 'test') continue;
    for (const c of [d.t, d.f]) {
      parents.set(c.id, (parents.get(c.id) ?? 0) + 1);
      if (!seen.has(c.id)) {
        seen.add(c.id);
        stack.push(c);
      }
    }
  }
  // Node contexts (which protocol the tests above established) come from the formula's walk.
  const ctxOf = contexts(root, link);
  const lines: string[] = [];
  const labelled: DNode[] = [];
  const labels = new Map<number, string>();
  const leaf = (d: DNode): string | undefined => {
    if (d.kind === 'stop') return `drop (${d.why})`;
    if (d.kind !== 'ret') return undefined;
    if (d.value.t === 'const') return d.value.v === 0 ? 'drop' : `accept ${d.value.v}`;
    return `return ${pr.term(d.value, ctxOf.get(d.id) ?? {}, true)}`;
  };
  const shared = (d: DNode) => d.kind === 'test' && (parents.get(d.id) ?? 0) > 1;
  const emit = (d: DNode, indent: string, top: boolean, keyword = 'if') => {
    const l = leaf(d);
    if (l !== undefined) {
      if (d.kind === 'ret' && d.guards.length > 0 && !(d.value.t === 'const' && d.value.v === 0))
        lines.push(
          `${indent}read ${d.guards.map((g) => pr.term(g, ctxOf.get(d.id) ?? {})).join(', ')} (past the end: drop)`,
        );
      lines.push(`${indent}${l}`);
      return;
    }
    if (d.kind !== 'test') return;
    if (!top && shared(d)) {
      let name = labels.get(d.id);
      if (!name) {
        name = `L${labels.size + 1}`;
        labels.set(d.id, name);
        labelled.push(d);
      }
      lines.push(`${indent}${keyword === 'if' ? '' : 'else '}goto ${name}`);
      return;
    }
    const ctx = ctxOf.get(d.id) ?? {};
    if (d.guards.length > 0) {
      // A guard line cannot sit between `else` and `if`: open the else branch first.
      if (keyword !== 'if') {
        lines.push(`${indent}else`);
        indent += '  ';
        keyword = 'if';
      }
      lines.push(
        `${indent}read ${d.guards.map((g) => pr.term(g, ctx)).join(', ')} (past the end: drop)`,
      );
    }
    lines.push(
      `${indent}${keyword} ${pr.test(d.test, false, ctx)}    # (${String(d.pc).padStart(3, '0')})`,
    );
    emit(d.t, `${indent}  `, false);
    if (d.f.kind === 'test' && !shared(d.f)) emit(d.f, indent, false, 'else if');
    else {
      lines.push(`${indent}else`);
      emit(d.f, `${indent}  `, false);
    }
  };
  emit(root, '', true);
  for (let i = 0; i < labelled.length; i++) {
    const d = labelled[i];
    lines.push(`${labels.get(d.id)}:`);
    emit(d, '  ', true);
  }
  return `${lines.join('\n')}\n`;
}

/** The context each node is first reached with, depth first, true edges first. */
function contexts(root: DNode, link: LinkFacts | undefined): Map<number, Ctx> {
  const out = new Map<number, Ctx>();
  const next = (d: Extract<DNode, { kind: 'test' }>, taken: boolean, ctx: Ctx) =>
    link ? learn(d.test, taken, ctx, link) : ctx;
  const stack: { d: DNode; ctx: Ctx }[] = [{ d: root, ctx: {} }];
  while (stack.length > 0) {
    const { d, ctx } = stack.pop()!;
    if (out.has(d.id)) continue;
    out.set(d.id, ctx);
    if (d.kind === 'test') {
      stack.push({ d: d.f, ctx: next(d, false, ctx) });
      stack.push({ d: d.t, ctx: next(d, true, ctx) });
    }
  }
  return out;
}
