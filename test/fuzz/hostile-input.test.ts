// Hostile input is normal input: random and mutated program texts, filter expressions and captures,
// each timed in a worker thread against well-formed inputs of the same size. Every input must end
// (a per-input wall-clock bound: a hang terminates the worker and names the input), must end in a
// result or a typed cbpf error (never a TypeError or a stack overflow), and must take less than
// 10x the time of a well-formed input of its size. The optimizer is superlinear by nature (and has
// its own time budget): expressions are timed unoptimized, and optimized ones held to the bound.
// Seeded (FUZZ_SEED=n to replay or vary); about 20-30 s.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import type { RawInsn } from '../../src/core/insn.js';
import { printProgram, type TextFormat } from '../../src/core/text/index.js';
import { PcapngWriter, type PcapRecord, PcapWriter, parseCapture } from '../../src/pcap/index.js';
import { edgeFiles } from '../helpers/capture-edge-files.js';
import { corpusSample, mutate, mutation } from '../helpers/capture-mutations.js';
import type { FuzzJob, FuzzKind, FuzzResult } from '../helpers/fuzz-timing-worker.js';
import { rng } from '../helpers/gen-linux-program.js';

const SEED = Number(process.env.FUZZ_SEED ?? 14);
const RATIO = 10;
/** No input may run longer than this, whatever its baseline (a hang or an exponential blow-up). */
const HARD_MS = 5000;
/** Timer noise on sub-millisecond runs: each measurement repeats its input for at least this long. */
const MIN_MS = 4;

const WORKER = new URL('../helpers/fuzz-timing-worker.ts', import.meta.url).href;

/** The worker the inputs run in; replaced when an input hangs and it is terminated. */
class Timing {
  #worker: Promise<Worker> | undefined;
  #next = 0;

  /** A loaded worker: its start-up (tsx, the modules) is not charged to any input. */
  #start(): Promise<Worker> {
    this.#worker ??= new Promise((resolve, reject) => {
      // The worker loads the TypeScript sources through tsx, registered in it as bin/cbpf.cjs does.
      const w = new Worker(
        `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER)}); });`,
        { eval: true },
      );
      w.once('message', () => resolve(w));
      w.once('error', reject);
    });
    return this.#worker;
  }

  /** The input's mean run time, or 'hung' after `hardMs` (the worker is then replaced). */
  async time(
    kind: FuzzKind,
    input: string | Uint8Array,
    hardMs = HARD_MS,
  ): Promise<FuzzResult | 'hung'> {
    const w = await this.#start();
    const job: FuzzJob = { id: this.#next++, kind, input, minMs: MIN_MS };
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
      };
      const timer = setTimeout(async () => {
        done();
        this.#worker = undefined;
        await w.terminate();
        resolve('hung');
      }, hardMs);
      const onMessage = (r: FuzzResult) => {
        if (r.id !== job.id) return;
        done();
        resolve(r);
      };
      const onError = (e: Error) => {
        done();
        reject(e);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await (await this.#worker)?.terminate();
  }
}

const timing = new Timing();
after(() => timing.close());

const show = (input: string | Uint8Array) =>
  typeof input === 'string'
    ? `${input.length} chars ${JSON.stringify(input.slice(0, 120))}${input.length > 120 ? '…' : ''}`
    : `${input.length} bytes ${Buffer.from(input.subarray(0, 48)).toString('hex')}…`;

/** The median run time of well-formed inputs: what hostile ones of their size are held to. */
async function baselineOf(
  label: string,
  kind: FuzzKind,
  wellFormed: (string | Uint8Array)[],
): Promise<number> {
  const times: number[] = [];
  for (const w of wellFormed) {
    const r = await timing.time(kind, w);
    assert.ok(r !== 'hung', `${label}: a well-formed input hung: ${show(w)}`);
    assert.ok(!r.outcome.startsWith('threw'), `${label}: ${r.outcome} on well-formed ${show(w)}`);
    times.push(r.ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/** What an input of this size is held to: a well-formed one's time, measured now if `fresh`. */
type Baseline = (input: string | Uint8Array, fresh: boolean) => Promise<number>;

/**
 * Times each hostile input against the baseline of its size; returns what is wrong. An input
 * over the ratio is timed twice more, each time right beside a fresh measurement of its baseline
 * (the machine may be busy, a GC may strike), and its best ratio counts. `timed` false: only a
 * hang or an untyped error is wrong.
 */
async function hold(
  label: string,
  kind: FuzzKind,
  hostile: (string | Uint8Array)[],
  baselineFor: Baseline,
  timed = true,
): Promise<string[]> {
  const problems: string[] = [];
  let worst = 0;
  let worstInput: string | Uint8Array = '';
  for (const h of hostile) {
    let baseline = await baselineFor(h, false);
    const r = await timing.time(kind, h);
    if (r === 'hung') {
      problems.push(`${label}: no result within ${HARD_MS} ms: ${show(h)}`);
      continue;
    }
    if (r.outcome.startsWith('threw')) problems.push(`${label}: ${r.outcome}: ${show(h)}`);
    let ms = r.ms;
    for (let retry = 0; timed && ms > RATIO * baseline && retry < 2; retry++) {
      const again = await timing.time(kind, h);
      const now = await baselineFor(h, true);
      if (again !== 'hung' && again.ms / now < ms / baseline) {
        ms = again.ms;
        baseline = now;
      }
    }
    if (ms / baseline > worst) {
      worst = ms / baseline;
      worstInput = h;
    }
    if (timed && ms > RATIO * baseline)
      problems.push(
        `${label}: ${ms.toFixed(2)} ms, ${(ms / baseline).toFixed(1)}x a well-formed input's ${baseline.toFixed(3)} ms: ${show(h)}`,
      );
  }
  console.log(
    `# ${label}: ${hostile.length} inputs, slowest ${worst.toFixed(1)}x a well-formed one (${show(worstInput).slice(0, 100)})`,
  );
  return problems;
}

// ---- program text ----

type R = () => number;
const int = (r: R, n: number) => Math.floor(r() * n);
const pick = <T>(r: R, xs: readonly T[]): T => xs[int(r, xs.length)] as T;

/** A valid program of `n` instructions: loads, ALU, scratch, forward jumps in range, a final ret. */
function program(r: R, n: number): RawInsn[] {
  const out: RawInsn[] = [];
  for (let pc = 0; pc < n - 1; pc++) {
    const left = n - 2 - pc;
    const kind = int(r, 6);
    if (kind === 0) out.push({ code: pick(r, [0x20, 0x28, 0x30]), jt: 0, jf: 0, k: int(r, 64) });
    else if (kind === 1)
      out.push({ code: pick(r, [0x04, 0x14, 0x54, 0x44, 0xa4]), jt: 0, jf: 0, k: int(r, 1 << 16) });
    else if (kind === 2)
      out.push({ code: pick(r, [0x02, 0x03, 0x60, 0x61]), jt: 0, jf: 0, k: int(r, 16) });
    else if (kind === 3) out.push({ code: pick(r, [0x07, 0x87]), jt: 0, jf: 0, k: 0 });
    else
      out.push({
        code: pick(r, [0x15, 0x25, 0x35, 0x45]),
        jt: int(r, Math.min(left, 255) + 1),
        jf: int(r, Math.min(left, 255) + 1),
        k: int(r, 0x10000),
      });
  }
  out.push({ code: 0x06, jt: 0, jf: 0, k: 0x40000 });
  return out;
}

const FORMATS: TextFormat[] = [
  'tcpdump-ddd',
  'decimal-line',
  'tcpdump-d',
  'tcpdump-dd',
  'c-macros',
  'bpf-asm',
  'hex',
];
const TEXT_CHARS = '0123456789abcdefx #;:,{}()[]\n\r\t-+&|<>XjJlLdrt_';

/** 1-3 edits of `s`: characters replaced, inserted or deleted, lines duplicated or dropped, CRLF, a trailing comment or junk, a cut. */
function mutateText(r: R, s: string): string {
  let t = s;
  for (let k = 1 + int(r, 3); k > 0; k--) {
    const at = int(r, t.length + 1);
    switch (int(r, 9)) {
      case 0:
        t = t.slice(0, at) + pick(r, [...TEXT_CHARS]) + t.slice(at + 1);
        break;
      case 1:
        t =
          t.slice(0, at) +
          Array.from({ length: 1 + int(r, 8) }, () => pick(r, [...TEXT_CHARS])).join('') +
          t.slice(at);
        break;
      case 2:
        t = t.slice(0, at) + t.slice(at + 1 + int(r, 20));
        break;
      case 3: {
        const lines = t.split('\n');
        const i = int(r, lines.length);
        lines.splice(i, 0, lines[i] as string);
        t = lines.join('\n');
        break;
      }
      case 4:
        t = t.replaceAll('\n', '\r\n');
        break;
      case 5:
        t += pick(r, ['\n# end', '\nx', ' x', '\n// done', '\n;', '\n{', '\n0x']);
        break;
      case 6:
        t = t.slice(0, at);
        break;
      case 7: {
        const lines = t.split('\n');
        lines.splice(int(r, lines.length), 1);
        t = lines.join('\n');
        break;
      }
      default:
        t = t.slice(0, at) + t.slice(at).replace(/\d/, pick(r, ['99999999999', '-1', '0x', 'a:']));
    }
  }
  return t;
}

/** Text of `len` characters that almost matches a form: the issue's backtracking traps and noise. */
function nearMiss(r: R, len: number): string {
  const line = pick(r, [
    '6 0 0 0\n',
    '6 0 0 0\r\n',
    '40 0 0 12\n',
    '{ 0x28, 0, 0, 0x0000000c },\n',
    '(000) ret #0\n',
    '28 00 00 00 0c 00 00 00 ',
  ]);
  const head = pick(r, ['', '16\n', '1\n']);
  const body = line.repeat(Math.max(1, Math.floor((len - head.length - 1) / line.length)));
  return head + body + pick(r, ['x', '# end', ',', '\n\n#', 'z']);
}

test('program texts: every form, mutated and near-miss, in time linear in their length', {
  timeout: 240_000,
}, async () => {
  const r = rng(SEED);
  const problems: string[] = [];
  // No well-formed text is shorter than one instruction's: what an empty or tiny input is held to.
  const one = [{ code: 0x06, jt: 0, jf: 0, k: 0 }];
  let floor = 0;
  for (const format of FORMATS)
    floor = Math.max(
      floor,
      await baselineOf(`text ${format} 1 insn`, 'text', [printProgram(one, format)]),
    );
  for (const n of [20, 200, 1000]) {
    const progs = Array.from({ length: 3 }, () => program(r, n));
    // A well-formed text of a given length in the slowest form to parse per character: a
    // mutation may well turn one form into another (a -ddd line into bpf_asm).
    const texts = FORMATS.map((format) => progs.map((p) => printProgram(p, format)));
    let perChar = 0;
    let slowest = texts[0] as string[];
    for (const [i, good] of texts.entries()) {
      const rate =
        (await baselineOf(`text ${FORMATS[i]} ${n} insns`, 'text', good)) /
        (good[0] as string).length;
      if (rate > perChar) {
        perChar = rate;
        slowest = good;
      }
    }
    const hostile = texts.flatMap((good) =>
      good.flatMap((g) => [
        ...Array.from({ length: 3 }, () => mutateText(r, g)),
        nearMiss(r, g.length),
        Array.from({ length: g.length }, () => pick(r, [...TEXT_CHARS])).join(''),
      ]),
    );
    const baseline: Baseline = async (h, fresh) => {
      if (fresh)
        perChar = (await baselineOf('text', 'text', slowest)) / (slowest[0] as string).length;
      return Math.max(floor, perChar * h.length);
    };
    problems.push(...(await hold(`texts of ${n} insns`, 'text', hostile, baseline)));
  }
  assert.deepEqual(problems, []);
});

// ---- filter expressions ----

const PRIMITIVES = readFileSync(new URL('../differential/exprs/valid.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('EN10MB\t'))
  .map((l) => l.slice(7));

function expression(r: R, terms: number): string {
  let e = pick(r, PRIMITIVES);
  for (let i = 1; i < terms; i++) {
    const t = pick(r, PRIMITIVES);
    e = `${e} ${pick(r, ['and', 'or', '&&', '||'])} ${r() < 0.2 ? `not (${t})` : `(${t})`}`;
  }
  return e;
}

const EXPR_TOKENS = [
  '(',
  ')',
  'and',
  'or',
  'not',
  '!',
  'port',
  'host',
  'net',
  'ip',
  'tcp',
  '[',
  ']',
  '0080',
  '08',
  '65536',
  '1.2.3',
  '::',
  '-',
  '+',
  '&',
  '==',
  'proto',
  'protochain',
  'vlan',
  'mpls',
  'len',
  'ether',
  '\\',
  '"',
  '#',
];

function mutateExpr(r: R, e: string): string {
  const toks = e.split(' ');
  for (let k = 1 + int(r, 3); k > 0; k--) {
    const at = int(r, toks.length);
    const op = int(r, 4);
    if (op === 0) toks.splice(at, 1);
    else if (op === 1) toks.splice(at, 0, pick(r, EXPR_TOKENS));
    else if (op === 2) toks.splice(at, 0, ...toks.slice(at, at + 1 + int(r, 5)));
    else toks[at] = pick(r, EXPR_TOKENS);
  }
  return toks.join(' ');
}

test('filter expressions: mutated and random, parsed and lowered in time linear in their length; optimized ones end', {
  timeout: 240_000,
}, async () => {
  const r = rng(SEED + 1);
  const problems: string[] = [];
  for (const terms of [3, 30, 150]) {
    const good = Array.from({ length: 5 }, () => expression(r, terms));
    const label = `expr ${terms} terms`;
    const baseline = await baselineOf(label, 'expr', good);
    const hostile = good.flatMap((g) => [
      ...Array.from({ length: 6 }, () => mutateExpr(r, g)),
      Array.from({ length: terms * 3 }, () => pick(r, EXPR_TOKENS)).join(' '),
      '('.repeat(terms * 4) + g + ')'.repeat(terms * 4),
      `not `.repeat(terms * 4) + g,
    ]);
    let base = baseline;
    const again: Baseline = async (_, fresh) => {
      if (fresh) base = await baselineOf(label, 'expr', good);
      return base;
    };
    problems.push(...(await hold(label, 'expr', hostile, again)));
  }
  // The optimizer's time is its own (superlinear by nature, budgeted): small mutants only have to end.
  const small = Array.from({ length: 4 }, () => expression(r, 4));
  const optimized = await baselineOf('optimized expr 4 terms', 'expr-optimized', small);
  problems.push(
    ...(await hold(
      'optimized expr 4 terms',
      'expr-optimized',
      small.flatMap((g) => Array.from({ length: 5 }, () => mutateExpr(r, g))),
      async () => optimized,
      false,
    )),
  );
  assert.deepEqual(problems, []);
});

// ---- captures ----

/** The sample's records, to build well-formed captures of any size from. */
const SAMPLE_RECORDS = parseCapture(
  new Uint8Array(readFileSync(new URL('../../data/sample-home-lan.pcap', import.meta.url))),
).records;

/**
 * A well-formed pcap or pcapng of at least `size` bytes: the sample's records repeated, or (tiny)
 * 14-byte frames, the most records a byte can hold and what per-record work costs most on.
 */
function wellFormedCapture(size: number, format: 'pcap' | 'pcapng', tiny = false): Uint8Array {
  const w = format === 'pcap' ? new PcapWriter() : new PcapngWriter();
  const parts = [w.header()];
  let n = parts[0]?.length ?? 0;
  for (let i = 0; n < size; i++) {
    const r = SAMPLE_RECORDS[i % SAMPLE_RECORDS.length] as PcapRecord;
    const rec = w.write(tiny ? { ...r, data: r.data.subarray(0, 14) } : r);
    parts.push(rec);
    n += rec.length;
  }
  return Buffer.concat(parts);
}

test('captures: mutated corpus and edge files read in time linear in their size', {
  timeout: 240_000,
}, async () => {
  const files = [...corpusSample(), ...edgeFiles().map((e) => e.bytes)].filter(
    (b) => b.length >= 64,
  );
  const per = 3;
  const mutants = fc.sample(fc.array(mutation, { minLength: 1, maxLength: 4 }), {
    seed: SEED,
    numRuns: files.length * per,
  });
  const hostile = files.flatMap((f, i) =>
    Array.from({ length: per }, (_, k) => mutate(f, mutants[i * per + k] ?? [], files)),
  );
  // A mutant (a splice may make it longer) against well-formed captures of its size, rounded up to
  // a power of two: the slowest of a pcap's and a pcapng's, of large or of tiny records.
  const baselines = new Map<number, Promise<number>>();
  const baselineFor: Baseline = (input, fresh) => {
    const size = 2 ** Math.ceil(Math.log2(Math.max(64, input.length)));
    let b = baselines.get(size);
    if (!b || fresh) {
      b = (async () => {
        let most = 0;
        for (const format of ['pcap', 'pcapng'] as const)
          for (const tiny of [false, true])
            most = Math.max(
              most,
              await baselineOf(`${format} ${size}`, 'capture', [
                wellFormedCapture(size, format, tiny),
              ]),
            );
        return most;
      })();
      baselines.set(size, b);
    }
    return b;
  };
  assert.deepEqual(await hold('captures', 'capture', hostile, baselineFor), []);
});
