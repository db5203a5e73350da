// decompile(program): classic BPF back to a pcap-filter expression, proven equal to the program with the
// solver; where no expression is proven, a readable decision tree of field comparisons instead.

import { CompileError, compile } from '../../compiler/index.js';
import type { Program } from '../../core/encode.js';
import { isProfileName, type ProfileName } from '../../core/profiles.js';
import { equivalent } from '../equiv.js';
import { AnalysisError } from '../errors.js';
import { type DNode, LiftLimit, lift } from './lift.js';
import { formulaText, linkFacts, Printer, toFormula, Unspeakable } from './render.js';
import { structuredText } from './structured.js';

export interface DecompileOptions {
  /** The program's link type (tcpdump -y name or number; default EN10MB). */
  linktype?: string | number;
  /** Run-time semantics the program and the expression are compared under (default linux). */
  profile?: ProfileName;
  /** Longest packet the proof covers (default 1514). */
  maxLength?: number;
  /** Solver limit per candidate, in milliseconds (default 60,000). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Longest expression to try (default 20,000 characters). */
  maxChars?: number;
}

export interface DecompileResult {
  /** A pcap-filter expression proven equal to the program, when one was found. */
  readonly expression?: string;
  /**
   * How it is equal: `value`, the same u32 on every packet when compiled with `snaplen` (tcpdump -s);
   * `verdict`, the same accept/drop (the program returns several snap lengths, or A).
   */
  readonly proof?: 'value' | 'verdict';
  readonly snaplen?: number;
  /** The program as a decision tree of field comparisons (always given). */
  readonly structured: string;
  /** Why there is no expression. */
  readonly why?: string;
}

/**
 * Decompiles `program`. Candidates, most readable first: protocol names where the tests above a field
 * establish the protocol (`ip proto 17`, `udp dst port 67`), then plain field relations (`ether[23] = 17`);
 * the first one that compiles and is proven equal is returned. SOLVER_MISSING without z3-solver.
 */
export async function decompile(
  program: Program,
  options: DecompileOptions = {},
): Promise<DecompileResult> {
  const profile = options.profile ?? 'linux';
  if (!isProfileName(profile))
    throw new AnalysisError('BAD_OPTION', `unknown profile ${String(profile)}`);
  const linktype = options.linktype ?? 'EN10MB';
  const link = linkFacts(linktype);
  let root: DNode;
  try {
    root = lift(program, profile).root;
  } catch (err) {
    if (!(err instanceof LiftLimit)) throw err;
    return { structured: structuredText(undefined, program, link), why: err.message };
  }
  const structured = structuredText(root, program, link);
  const accepts = acceptValues(root);
  const single = accepts.consts.size === 1 && !accepts.term ? [...accepts.consts][0] : undefined;
  // A program that never accepts has no snap length to match: any never-true expression returns its 0s.
  const compare =
    single !== undefined || (accepts.consts.size === 0 && !accepts.term) ? 'value' : 'verdict';
  let why = 'no candidate compiled';
  for (const named of [true, false]) {
    let text: string;
    try {
      text = formulaText(
        toFormula(root, link, named),
        new Printer(link, named),
        options.maxChars ?? 20_000,
      );
    } catch (err) {
      if (!(err instanceof Unspeakable)) throw err;
      why = err.message;
      break;
    }
    let compiled: Program;
    try {
      compiled = compile(text, { linktype, snaplen: single });
    } catch (err) {
      if (!(err instanceof CompileError)) throw err;
      why = `the candidate does not compile: ${err.message}`;
      continue;
    }
    try {
      const r = await equivalent(program, compiled, {
        profile,
        compare,
        maxLength: options.maxLength,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        validate: false,
      });
      if (r.equal) return { expression: text, proof: compare, snaplen: single, structured };
      why = `the candidate differs on a ${r.caplen}-byte packet (program ${r.results[0]}, expression ${r.results[1]})`;
    } catch (err) {
      if (!(err instanceof AnalysisError) || err.code === 'SOLVER_MISSING') throw err;
      why = err.message;
    }
  }
  return { structured, why };
}

/** The non-zero constants the program may return, and whether it may return A. */
function acceptValues(root: DNode): { consts: Set<number>; term: boolean } {
  const consts = new Set<number>();
  let term = false;
  const seen = new Set<number>();
  const stack = [root];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (seen.has(d.id)) continue;
    seen.add(d.id);
    if (d.kind === 'test') stack.push(d.t, d.f);
    else if (d.kind === 'ret') {
      if (d.value.t !== 'const') term = true;
      else if (d.value.v !== 0) consts.add(d.value.v);
    }
  }
  return { consts, term };
}
