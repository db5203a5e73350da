// Strict text parsers: delete, duplicate or corrupt any one line of a valid program text (any form).
// The result is an error naming that line (or the line it pairs with: a -ddd count, a C array's
// opening and closing lines, a bpf_asm label and its uses), or, where the text is still a valid
// program, a parse to exactly what the text says — never a silently dropped or merged line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { assembleOne, canonicalize, disassembleOne } from '../../../src/core/encode.js';
import { TextSyntaxError } from '../../../src/core/errors.js';
import type { RawInsn } from '../../../src/core/insn.js';
import {
  detectTextFormat,
  parseCInitializer,
  parseHexProgram,
  parseProgramText,
  parseTcpdumpD,
  parseTcpdumpDD,
  parseTcpdumpDDD,
  printBpfAsm,
  printCInitializer,
  printDecimalOneLine,
  printHexProgram,
  printTcpdumpD,
  printTcpdumpDD,
  printTcpdumpDDD,
  recognizeProgramText,
  type TextFormat,
} from '../../../src/core/text/index.js';

const rawInsn = fc
  .record({
    code: fc.oneof(
      fc.constantFrom(0x20, 0x28, 0x30, 0x40, 0x06, 0x15, 0x05, 0x04, 0x0e, 0x81, 0xb1, 0x87, 0x45),
      fc.integer({ min: 0, max: 0xff }),
      fc.integer({ min: 0, max: 0xffff }),
    ),
    jt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })),
    jf: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })),
    k: fc.oneof(
      fc.integer({ min: 0, max: 70 }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0xfffff000, max: 0xfffff040 }),
    ),
  })
  .map((x) => ({ ...x }));

const anyProgram = fc.array(rawInsn, { minLength: 1, maxLength: 12 });

/** Instructions -d and bpf_asm show whole, with jumps that land inside the program. */
const canonicalProgram = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.array(rawInsn, { minLength: n, maxLength: n }).map((xs) =>
    xs.map((x, i): RawInsn => {
      const left = n - i - 1;
      const ret0 = { code: 0x06, jt: 0, jf: 0, k: 0 };
      if (x.code === 0x05) return left ? { code: 0x05, jt: 0, jf: 0, k: x.k % left } : ret0;
      const t = disassembleOne(x);
      if (t.kind === 'raw') return { code: 0x0e, jt: 0, jf: 0, k: 0 };
      if (t.kind === 'jmp')
        return left ? assembleOne({ ...t, jt: t.jt % left, jf: t.jf % left }) : ret0;
      return assembleOne(t);
    }),
  ),
);

/** Where each instruction's jumps land (absolute indices), for bpf_asm's labels. */
function targets(x: RawInsn, i: number): number[] {
  if (x.code === 0x05) return [(i + 1 + x.k) >>> 0];
  if ((x.code & 7) === 5) return [i + 1 + x.jt, i + 1 + x.jf];
  return [];
}

/**
 * One text form: how it prints a program as units (lines, or the one-line form's comma groups),
 * which instruction each unit holds (-1: the count, a declaration line), what reordered units mean.
 */
interface Form {
  name: TextFormat | 'c-wrapped';
  program: fc.Arbitrary<RawInsn[]>;
  units(p: RawInsn[]): { units: string[]; insn: number[] };
  sep: string;
  parse(text: string): RawInsn[];
  /**
   * The program the original units in `order` (indices, possibly missing or repeated) spell, or
   * the units (in `order`'s numbering) an error may name when they spell none.
   */
  model(
    p: RawInsn[],
    insn: number[],
    order: number[],
    moved?: ReadonlyMap<number, number>,
  ): RawInsn[] | Set<number>;
  /** Units (mutated numbering) an error may also name: the count, the array's braces. */
  partners(n: number): number[];
  /** What unit `u` says on its own, as instruction `i` of `p`; undefined when it needs context. */
  alone?(unit: string, i: number): RawInsn[];
}

const identity = (order: number[], n: number) =>
  order.length === n && order.every((u, i) => u === i);

/** Forms whose units stand alone: any order of them is a program. */
const byUnits = (p: RawInsn[], insn: number[], order: number[]) =>
  order.filter((u) => insn[u] >= 0).map((u) => p[insn[u]]);

const FORMS: Form[] = [
  {
    name: 'tcpdump-d',
    program: canonicalProgram,
    units: (p) => ({ units: printTcpdumpD(p).trimEnd().split('\n'), insn: p.map((_, i) => i) }),
    sep: '\n',
    parse: parseTcpdumpD,
    // Indices are written out: only dropping the last lines leaves a program.
    model: (p, _insn, order) =>
      order.every((u, i) => u === i) ? p.slice(0, order.length).map(canonicalize) : new Set(),
    partners: () => [],
    alone: (unit, i) => {
      const before = Array.from(
        { length: i },
        (_, j) => `(${String(j).padStart(3, '0')}) ld       #0x0`,
      );
      return parseTcpdumpD([...before, unit].join('\n')).slice(i);
    },
  },
  {
    name: 'tcpdump-dd',
    program: anyProgram,
    units: (p) => ({ units: printTcpdumpDD(p).trimEnd().split('\n'), insn: p.map((_, i) => i) }),
    sep: '\n',
    parse: parseTcpdumpDD,
    model: byUnits,
    partners: () => [],
    alone: (unit) => parseTcpdumpDD(unit),
  },
  {
    name: 'c-wrapped',
    program: anyProgram,
    units: (p) => {
      const units = printCInitializer(p).trimEnd().split('\n');
      return { units, insn: units.map((_, i) => (i === 0 || i === units.length - 1 ? -1 : i - 1)) };
    },
    sep: '\n',
    parse: parseCInitializer,
    model: (p, insn, order) => {
      const last = insn.length - 1;
      const inner = order.slice(1, -1);
      return order[0] === 0 && order.at(-1) === last && !inner.includes(0) && !inner.includes(last)
        ? byUnits(p, insn, order)
        : new Set();
    },
    partners: (n) => [0, n - 1],
    alone: (unit) => parseCInitializer(unit),
  },
  {
    name: 'tcpdump-ddd',
    program: anyProgram,
    units: (p) => ({
      units: printTcpdumpDDD(p).trimEnd().split('\n'),
      insn: [-1, ...p.map((_, i) => i)],
    }),
    sep: '\n',
    parse: parseTcpdumpDDD,
    model: (p, insn, order) => (identity(order, insn.length) ? p : new Set()),
    partners: () => [0],
    alone: (unit) => parseTcpdumpDDD(`1\n${unit}`),
  },
  {
    name: 'decimal-line',
    program: anyProgram,
    units: (p) => ({ units: printDecimalOneLine(p).split(','), insn: [-1, ...p.map((_, i) => i)] }),
    sep: ',',
    parse: parseTcpdumpDDD,
    model: (p, insn, order) => (identity(order, insn.length) ? p : new Set()),
    partners: () => [0],
    alone: (unit) => parseTcpdumpDDD(`1,${unit}`),
  },
  {
    name: 'hex',
    program: anyProgram,
    units: (p) => ({ units: p.map((x) => printHexProgram([x])), insn: p.map((_, i) => i) }),
    sep: '\n',
    parse: parseHexProgram,
    model: byUnits,
    partners: () => [],
    alone: (unit) => parseHexProgram(unit),
  },
  {
    name: 'bpf-asm',
    program: canonicalProgram,
    units: (p) => ({ units: printBpfAsm(p).trimEnd().split('\n'), insn: p.map((_, i) => i) }),
    sep: '\n',
    parse: (t) => parseProgramText(t, 'bpf-asm'),
    // Labels (named by the original index of the line they are on) resolve by their new places;
    // `moved` puts a label left alone on its line (`L4:` and a comment) on the next instruction.
    model: (p, _insn, order, moved) => {
      const labelled = new Set(p.flatMap(targets));
      const at = new Map<number, number>(moved);
      const errors = new Set<number>();
      order.forEach((u, j) => {
        if (!labelled.has(u) || moved?.has(u)) return;
        if (at.has(u)) errors.add(j);
        else at.set(u, j);
      });
      const out = order.map((u, j): RawInsn => {
        const x = canonicalize(p[u]);
        const to = targets(x, u).map((t) => at.get(t));
        if (to.some((t) => t === undefined)) errors.add(j);
        else if (x.code === 0x05) return { ...x, k: (to[0]! - j - 1) >>> 0 };
        else if (to.length) {
          const [jt, jf] = to.map((t) => t! - j - 1);
          if (jt < 0 || jt > 255 || jf < 0 || jf > 255) errors.add(j);
          return { ...x, jt, jf };
        }
        return x;
      });
      return errors.size ? errors : out;
    },
    partners: () => [],
  },
];

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | {
      kind: 'corrupt';
      at: number;
      how: 'insert' | 'delete' | 'replace' | 'truncate';
      pos: number;
      c: string;
    }
  | { kind: 'replace'; at: number; junk: string };

const JUNK = [
  ' ',
  ',',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  '#',
  '0',
  '9',
  'x',
  'f',
  'z',
  '@',
  '-',
  ';',
  ':',
  '\t',
  '/',
  '*',
  '+',
  '"',
  'L',
  'M',
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('corrupt' as const),
    at: fc.nat(),
    how: fc.constantFrom(
      'insert' as const,
      'delete' as const,
      'replace' as const,
      'truncate' as const,
    ),
    pos: fc.nat(),
    c: fc.constantFrom(...JUNK),
  }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    junk: fc.string({ unit: fc.constantFrom(...JUNK), maxLength: 12 }),
  }),
);

function corrupt(line: string, m: Extract<Mutation, { kind: 'corrupt' }>): string {
  const pos = m.pos % (line.length + 1);
  switch (m.how) {
    case 'insert':
      return line.slice(0, pos) + m.c + line.slice(pos);
    case 'delete':
      return line.slice(0, pos) + line.slice(pos + 1);
    case 'replace':
      return line.slice(0, pos) + m.c + line.slice(pos + 1);
    case 'truncate':
      return line.slice(0, pos);
  }
}

/** The unit (line, or comma group) holding `offset` of `text`. */
function unitAt(text: string, sep: string, offset: number): number {
  let n = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === sep) n++;
  return n;
}

/**
 * Whether a unit holds no instruction: blank; in C a comment, `;` or a bare `#`; in bpf_asm only
 * labels and a comment.
 */
function saysNothing(form: Form, unit: string): boolean {
  if (form.name === 'tcpdump-dd' || form.name === 'c-wrapped')
    return (
      /^\s*#\s*$/.test(unit) ||
      unit
        .replace(/\/\/.*$/, '')
        .replace(/;/g, '')
        .trim() === ''
    );
  if (form.name !== 'bpf-asm') return unit.trim() === '';
  const rest = unit.replace(/^(\s*\w+\s*:)*\s*/, '');
  return rest === '' || rest.startsWith(';') || unit.trimStart().startsWith('#');
}

/** A bpf_asm line's own label `Ld:` kept, then on the next instruction: where it now points. */
function keptLabel(form: Form, changed: string, d: number): Map<number, number> | undefined {
  if (form.name !== 'bpf-asm') return undefined;
  return /^\s*(\w+)\s*:/.exec(changed)?.[1] === `L${d}` ? new Map([[d, d]]) : undefined;
}

/** Runs one mutation of one program's text and checks the outcome. */
function check(form: Form, p: RawInsn[], m: Mutation): void {
  const { units, insn } = form.units(p);
  const n = units.length;
  const d = m.at % n;
  const order = units.map((_, i) => i);
  const mutated = [...units];
  /** Units an error may name (mutated numbering). */
  const allowed = new Set(form.partners(n));
  let changed: string | undefined;
  if (m.kind === 'delete') {
    order.splice(d, 1);
    mutated.splice(d, 1);
    allowed.add(d).add(d - 1);
    for (const u of form.partners(n)) if (u > d) allowed.add(u - 1);
  } else if (m.kind === 'duplicate') {
    order.splice(d + 1, 0, d);
    mutated.splice(d + 1, 0, units[d]);
    allowed.add(d).add(d + 1);
    for (const u of form.partners(n)) if (u > d) allowed.add(u + 1);
  } else {
    changed = m.kind === 'corrupt' ? corrupt(units[d], m) : m.junk;
    mutated[d] = changed;
    // A line left blank says nothing: the next one is where that shows.
    allowed.add(d).add(d + 1);
  }
  const text = mutated.join(form.sep);
  let got: RawInsn[];
  try {
    got = form.parse(text);
  } catch (e) {
    assert.ok(e instanceof TextSyntaxError, `not a TextSyntaxError: ${e}`);
    const u = unitAt(text, form.sep, e.offset);
    if (allowed.has(u)) return;
    // A corrupted line's label, or a count, may fail where it is used: accept what the model of
    // the text without that line (or with it) says.
    const model =
      changed === undefined
        ? form.model(p, insn, order)
        : form.model(
            p,
            insn,
            order.filter((x) => x !== d),
            keptLabel(form, changed, d),
          );
    if (model instanceof Set && model.has(changed === undefined ? u : u - (u > d ? 1 : 0))) return;
    if (form.name === 'bpf-asm' && changed !== undefined) {
      // A damaged label name can collide with a later label, or leave its uses undefined.
      const label = /^\s*(\w+)\s*:/.exec(changed)?.[1];
      const at = mutated[u] ?? '';
      if (label !== undefined && new RegExp(`^\\s*${label}\\s*:`).test(at)) return;
      if (u < p.length && targets(p[u], u).includes(d)) return;
    }
    assert.fail(
      `${form.name}: ${m.kind} of line ${d + 1} gave an error at unit ${u + 1} (${e.message}); allowed ${[...allowed].map((x) => x + 1)}\n${text}`,
    );
  }
  if (changed === undefined) {
    const model = form.model(p, insn, order);
    assert.ok(
      !(model instanceof Set),
      `${form.name}: ${m.kind} of line ${d + 1} parsed, but should fail\n${text}`,
    );
    assert.deepEqual(got, model, `${form.name}: ${m.kind} of line ${d + 1}\n${text}`);
    return;
  }
  // Corrupted yet valid: the same instructions but for that line's, which is what it says alone —
  // or, when it now says nothing (blank, a comment), the program without it.
  const base = form.name === 'tcpdump-d' || form.name === 'bpf-asm' ? p.map(canonicalize) : p;
  const i = insn[d];
  if (got.length === base.length) {
    for (let j = 0; j < base.length; j++)
      if (j !== i)
        assert.deepEqual(got[j], base[j], `${form.name}: instruction ${j} changed\n${text}`);
    if (i >= 0 && form.alone) assert.deepEqual([got[i]], form.alone(changed, i), text);
    return;
  }
  // Only a line that says nothing may leave no instruction: blank, or in bpf_asm a comment or a
  // lone label. Anything else that vanished was dropped.
  assert.ok(
    saysNothing(form, changed),
    `${form.name}: corrupt line ${d + 1} was dropped: ${JSON.stringify(changed)}\n${text}`,
  );
  const without = form.model(
    p,
    insn,
    order.filter((x) => x !== d),
    keptLabel(form, changed, d),
  );
  assert.ok(
    i >= 0 && !(without instanceof Set),
    `${form.name}: corrupt line ${d + 1} gave ${got.length} instructions, not ${base.length}\n${text}`,
  );
  assert.deepEqual(got, without, `${form.name}: line ${d + 1} says nothing now\n${text}`);
}

for (const form of FORMS) {
  test(`${form.name}: one deleted, duplicated or corrupted line is an error at that line, or a program that is exactly what the text says`, () => {
    fc.assert(
      fc.property(form.program, mutation, (p, m) => check(form, p, m)),
      // RUNS=20000 for a longer search; the failing case's message is in the report.
      { numRuns: Number(process.env.RUNS ?? 400), includeErrorInReport: true },
    );
  });
}

test('auto-detection keeps the form when a line after the second is damaged, so the error names that line', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...FORMS.filter((f) => f.sep === '\n' && f.name !== 'c-wrapped')),
      anyProgram,
      canonicalProgram,
      mutation,
      (form, any, canon, m) => {
        const p = form.program === canonicalProgram ? canon : any;
        const { units } = form.units(p);
        if (units.length < 4) return;
        const format = detectTextFormat(units.join('\n'));
        assert.equal(recognizeProgramText(units.join('\n')), format);
        const at = 2 + (m.at % (units.length - 2));
        const damaged = [...units];
        damaged[at] = `${units[at]} @`;
        const text = damaged.join('\n');
        assert.equal(detectTextFormat(text), format, text);
        assert.equal(recognizeProgramText(text), format, text);
        assert.throws(() => parseProgramText(text), { line: at + 1 });
      },
    ),
    { numRuns: 300 },
  );
});
