// equivalent(a, b): do two filters give the same result on every packet? Decided by Z3 over a symbolic
// packet up to a maximum length, with symbolic captured and wire lengths; a difference comes back as a
// concrete packet, confirmed by running both filters on it.

import { compile } from '../compiler/index.js';
import type { Cfg } from '../compiler/ir.js';
import type { AncillaryData } from '../core/ancillary.js';
import { type Program, toProgram } from '../core/encode.js';
import type { Insn, RawInsn } from '../core/insn.js';
import { isProfileName, type ProfileName } from '../core/profiles.js';
import { parseProgramText, recognizeProgramText } from '../core/text/index.js';
import { validate } from '../core/validate.js';
import { AnalysisError } from './errors.js';
import { cfgFlow, DEFAULT_UNROLL, type Flow, PAST_BOUND, programFlow } from './flow.js';
import { type Replay, type ReplayOptions, replayFlow, replayProgram } from './replay.js';
import { bv, encodeFlow, MAX_HEADROOM, SmtQuery } from './smt.js';
import { type ModelValues, solve } from './solver.js';

/**
 * A filter to compare: a program (typed or raw instructions), program text in any form cbpf reads, a
 * pcap-filter expression (compiled for `linktype`), or a compiler graph.
 */
export type EquivInput = string | readonly (Insn | RawInsn)[] | { readonly graph: Cfg };

/**
 * Which packets the claim covers. `all`: every packet. `unless-a-stops`: every packet on which the first
 * filter's run reaches a `ret` (does not stop at a load past the captured bytes or a division by 0).
 * `unless-either-stops`: every packet on which both runs reach a `ret`.
 */
export type EquivClaim = 'all' | 'unless-a-stops' | 'unless-either-stops';

export interface EquivOptions {
  /** Link type for expressions (as compile's; default EN10MB). */
  linktype?: string | number;
  /** Run-time semantics (default linux). */
  profile?: ProfileName;
  /** Longest captured packet considered (default 1514). */
  maxLength?: number;
  /** `value` (default): the same u32. `verdict`: both accept (non-zero) or both drop. */
  compare?: 'value' | 'verdict';
  /** Which packets the claim covers (default all). */
  claim?: EquivClaim;
  /** libpcap: backward jumps a run may take in the encoding (default 16); beyond that, UNROLL_LIMIT. */
  unroll?: number;
  /** Solver time limit in milliseconds (default 60,000); past it, SOLVER_TIMEOUT. */
  timeoutMs?: number;
  /** Interrupts the solver (SOLVER_UNKNOWN). */
  signal?: AbortSignal;
  /** Check programs with the profile's validator first (default true); INVALID_PROGRAM if one fails. */
  validate?: boolean;
}

export interface EquivEqual {
  readonly equal: true;
  /** Milliseconds the solver took. */
  readonly solveMs: number;
}

export interface EquivDifferent {
  readonly equal: false;
  /** The captured bytes of the counterexample. */
  readonly packet: Uint8Array;
  readonly caplen: number;
  readonly wirelen: number;
  /** Linux metadata the counterexample needs (only fields a program reads). */
  readonly ancillary?: Partial<AncillaryData>;
  /** Each filter's result on it. */
  readonly results: readonly [number, number];
  /** Each filter's path: instruction indices (block ids for a graph). */
  readonly paths: readonly [readonly number[], readonly number[]];
  /** Whether each run stopped before a `ret`. */
  readonly stopped: readonly [boolean, boolean];
  /**
   * Running both filters on the packet shows the difference. False only where the encoding abstracts the
   * machine (SKF_AD_NLATTR, a fresh `ld #rand` per load), never for plain packet filters.
   */
  readonly confirmed: boolean;
  readonly solveMs: number;
}

export type EquivResult = EquivEqual | EquivDifferent;

/** A side of the comparison: its flow and how to run it concretely. */
interface Side {
  flow: Flow;
  replay: (packet: Uint8Array, o: ReplayOptions) => Replay;
  program?: Program;
}

/** The program an input string, instruction list or graph stands for. */
export function resolveInput(
  input: EquivInput,
  options: Pick<EquivOptions, 'linktype'> = {},
): Program | { graph: Cfg } {
  if (typeof input === 'string') {
    const format = recognizeProgramText(input);
    if (format) return parseProgramText(input, format);
    return compile(input, { linktype: options.linktype ?? 'EN10MB' });
  }
  if ('graph' in input) return input;
  return toProgram(input as readonly (Insn | RawInsn)[]);
}

function side(
  input: Program | { graph: Cfg },
  profile: ProfileName,
  unroll: number,
  check: boolean,
  which: string,
): Side {
  if ('graph' in input) {
    const flow = cfgFlow(input.graph);
    return { flow, replay: (p, o) => replayFlow(flow, p, o) };
  }
  const program = input as Program;
  if (check) {
    const errors = validate(program, profile);
    if (errors.length > 0)
      throw new AnalysisError(
        'INVALID_PROGRAM',
        `${which} is not a valid ${profile} program: ${errors[0].message}`,
      );
  }
  return {
    flow: programFlow(program, profile, unroll),
    replay: (p, o) => replayProgram(program, p, o),
    program,
  };
}

/**
 * Decides whether `a` and `b` give the same result on every packet of at most `maxLength` captured bytes
 * (with any wire length at least that), under `profile`'s exact run-time semantics. Throws AnalysisError:
 * SOLVER_MISSING without z3-solver, SOLVER_TIMEOUT, UNROLL_LIMIT, INVALID_PROGRAM; CompileError and
 * TextSyntaxError for bad input text.
 * @example await equivalent('udp dst port 67', 'ip and udp[2:2] = 67')  // → { equal: false, packet, ... }
 */
export async function equivalent(
  a: EquivInput,
  b: EquivInput,
  options: EquivOptions = {},
): Promise<EquivResult> {
  const profile = options.profile ?? 'linux';
  if (!isProfileName(profile))
    throw new AnalysisError('BAD_OPTION', `unknown profile ${String(profile)}`);
  const maxLength = options.maxLength ?? 1514;
  if (!Number.isInteger(maxLength) || maxLength < 0 || maxLength > 0x7fff0000)
    throw new AnalysisError('BAD_OPTION', `maxLength must be an integer from 0 to 2147418112`);
  const unroll = options.unroll ?? DEFAULT_UNROLL;
  if (!Number.isInteger(unroll) || unroll < 0 || unroll > 1000)
    throw new AnalysisError('BAD_OPTION', 'unroll must be an integer from 0 to 1000');
  const check = options.validate ?? true;
  const sa = side(resolveInput(a, options), profile, unroll, check, 'the first filter');
  const sb = side(resolveInput(b, options), profile, unroll, check, 'the second filter');
  return compareSides(sa, sb, { ...options, profile, maxLength });
}

async function compareSides(
  sa: Side,
  sb: Side,
  o: EquivOptions & { profile: ProfileName; maxLength: number },
): Promise<EquivResult> {
  const q = new SmtQuery(o.profile, o.maxLength);
  const ra = encodeFlow(q, sa.flow, 'a');
  const rb = encodeFlow(q, sb.flow, 'b');
  const base = q.text();
  const differ =
    o.compare === 'verdict'
      ? `(not (= (= ${ra.result} #x00000000) (= ${rb.result} #x00000000)))`
      : `(not (= ${ra.result} ${rb.result}))`;
  const claim = o.claim ?? 'all';
  const assumptions = [`(not ${ra.pastBound})`, `(not ${rb.pastBound})`];
  if (claim !== 'all') assumptions.push(`(not ${ra.stopped})`);
  if (claim === 'unless-either-stops') assumptions.push(`(not ${rb.stopped})`);
  const goal = `${base}(assert ${differ})\n${assumptions.map((x) => `(assert ${x})`).join('\n')}\n`;
  const words = ['caplen', 'wirelen', ...[...q.ancillary].map((f) => `anc_${f}`)];
  const bools: string[] = [];
  if (q.headerRelative) {
    words.push('net_off', 'll_off', 'hlen');
    bools.push('net_set', 'll_set');
  }
  const request = {
    words,
    bools,
    bytes: (w: ReadonlyMap<string, number>) => {
      const out: number[] = [];
      for (let i = 0; i < w.get('caplen')!; i++) out.push(i);
      const h = w.get('hlen') ?? 0;
      for (let i = h; i > 0; i--) out.push(2 ** 32 - i);
      return out;
    },
  };
  const t0 = performance.now();
  const timeoutMs = o.timeoutMs ?? 60_000;
  const r = await solve(goal, request, { timeoutMs, signal: o.signal });
  const ms = () => performance.now() - t0;
  if (r.status === 'unknown') throw unknown(r.reason, timeoutMs);
  if (r.status === 'unsat') {
    const hasBound = [sa, sb].some((s) => s.flow.nodes.some((n) => n.succ.includes(PAST_BOUND)));
    if (hasBound) {
      const over = await solve(`${base}(assert (or ${ra.pastBound} ${rb.pastBound}))\n`, request, {
        timeoutMs: Math.max(1, timeoutMs - ms()),
        signal: o.signal,
      });
      if (over.status === 'unknown') throw unknown(over.reason, timeoutMs);
      if (over.status === 'sat')
        throw new AnalysisError(
          'UNROLL_LIMIT',
          `equal on every packet where libpcap's backward jumps are taken at most ${o.unroll ?? DEFAULT_UNROLL} times, but a run may take more (a ${over.model.words.get('caplen')}-byte packet does); raise the bound (--unroll)`,
        );
    }
    return { equal: true, solveMs: ms() };
  }
  // A short packet whose wire length is its captured length reads best: ask for one within growing
  // bounds, stopping at the first preference the answer in hand already meets (each try is short).
  let model = r.model;
  const prefs = [64, 256, 576, o.maxLength]
    .filter((n) => n <= o.maxLength)
    .flatMap((limit) => [
      { limit, same: true },
      { limit, same: false },
    ]);
  for (const { limit, same } of prefs) {
    const caplen = model.words.get('caplen')!;
    if (caplen <= limit && (!same || model.words.get('wirelen') === caplen)) break;
    const pref = `(assert (bvule caplen ${bv(limit)}))${same ? '(assert (= wirelen caplen))' : ''}\n`;
    const again = await solve(goal + pref, request, { timeoutMs: 2000, signal: o.signal });
    if (again.status === 'sat') {
      model = again.model;
      break;
    }
  }
  return counterexample(sa, sb, model, o, ms());
}

function unknown(reason: string, timeoutMs: number): AnalysisError {
  if (reason === 'interrupted')
    return new AnalysisError('SOLVER_UNKNOWN', 'the solver was interrupted');
  if (/timeout|canceled|cancelled/i.test(reason))
    return new AnalysisError('SOLVER_TIMEOUT', `no answer within ${timeoutMs} ms`);
  return new AnalysisError('SOLVER_UNKNOWN', `the solver could not decide (${reason})`);
}

const ANC_FIELDS: Readonly<Record<string, keyof AncillaryData>> = {
  protocol: 'protocol',
  pkttype: 'pkttype',
  ifindex: 'ifindex',
  mark: 'mark',
  queue: 'queue',
  hatype: 'hatype',
  rxhash: 'rxhash',
  cpu: 'cpu',
  vlan_tag: 'vlanTci',
  vlan_tag_present: 'vlanPresent',
  vlan_tpid: 'vlanTpid',
  pay_offset: 'payOffset',
};

function counterexample(
  sa: Side,
  sb: Side,
  m: ModelValues,
  o: EquivOptions & { profile: ProfileName; maxLength: number },
  solveMs: number,
): EquivDifferent {
  const caplen = m.words.get('caplen')!;
  const wirelen = m.words.get('wirelen')!;
  const packet = new Uint8Array(caplen);
  for (let i = 0; i < caplen; i++) packet[i] = m.bytes.get(i) ?? 0;
  let ancillary: Partial<AncillaryData> | undefined;
  for (const [name, v] of m.words) {
    const field = name.startsWith('anc_') ? ANC_FIELDS[name.slice(4)] : undefined;
    if (field === undefined) continue;
    ancillary ??= {};
    (ancillary as Record<string, unknown>)[field] = v;
  }
  if (m.words.has('hlen')) {
    // Header offsets only where set, headroom only where present: what run() takes as "none".
    const rel: Partial<AncillaryData> = {};
    if (m.bools.get('net_set')) rel.netOffset = m.words.get('net_off')! | 0;
    if (m.bools.get('ll_set')) rel.llOffset = m.words.get('ll_off')! | 0;
    const h = Math.min(m.words.get('hlen')!, MAX_HEADROOM);
    if (h > 0 && (rel.netOffset !== undefined || rel.llOffset !== undefined)) {
      const room = new Uint8Array(h);
      for (let i = 0; i < h; i++) room[i] = m.bytes.get(2 ** 32 - h + i) ?? 0;
      rel.headroom = room;
    }
    if (Object.keys(rel).length > 0) ancillary = { ...ancillary, ...rel };
  }
  const ro: ReplayOptions = { wirelen, profile: o.profile, ancillary };
  const x = sa.replay(packet, ro);
  const y = sb.replay(packet, ro);
  const differs =
    o.compare === 'verdict' ? (x.result === 0) !== (y.result === 0) : x.result !== y.result;
  const claim = o.claim ?? 'all';
  const inClaim = claim === 'all' || (!x.stopped && (claim === 'unless-a-stops' || !y.stopped));
  return {
    equal: false,
    packet,
    caplen,
    wirelen,
    ancillary,
    results: [x.result, y.result],
    paths: [x.path, y.path],
    stopped: [x.stopped, y.stopped],
    confirmed: differs && inClaim,
    solveMs,
  };
}

/** For translation validation: compares two already-built sides. */
export async function equivalentFlows(
  a: Program | { graph: Cfg },
  b: Program | { graph: Cfg },
  options: EquivOptions = {},
): Promise<EquivResult> {
  const profile = options.profile ?? 'linux';
  const unroll = options.unroll ?? DEFAULT_UNROLL;
  const sa = side(a, profile, unroll, false, 'the first filter');
  const sb = side(b, profile, unroll, false, 'the second filter');
  return compareSides(sa, sb, { ...options, profile, maxLength: options.maxLength ?? 1514 });
}
