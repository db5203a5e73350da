// compile(expr): pcap-filter text → classic BPF, through the stages lexer → parser → lowering → optimizer → emission → validation.

import type { RawInsn } from '../core/insn.js';
import { DLT, LINUX_MAXINSNS } from '../core/opcodes.js';
import { assertValid } from '../core/validate.js';
import type { Expr } from './ast.js';
import { emit } from './emit.js';
import { CompileError } from './errors.js';
import type { Cfg } from './ir.js';
import { asLibpcapSees } from './libpcap-view.js';
import { type LowerOptions, lower } from './lower/index.js';
import { checkKernelView, linuxSocketView } from './lower/linux-socket.js';
import { LINKTYPES, parseLinktype } from './names.js';
import { onlyVerdict, optimize, rejectsAll } from './optimize/index.js';
import { parse } from './parser.js';

export { emit } from './emit.js';
export { CompileError } from './errors.js';
export { lower } from './lower/index.js';
export { KernelViewError, needsOutgoingVlanRecheck } from './lower/linux-socket.js';
export { WORK_BUDGET } from './optimize/index.js';
export { parse } from './parser.js';

/** The link types most captures have, listed first (a playground's default is the first). */
const COMMON = ['EN10MB', 'RAW', 'LINUX_SLL', 'LINUX_SLL2', 'NULL', 'LOOP', 'IPV4', 'IPV6'];

/** Link type names as tcpdump's -y takes them (any case), with their DLT values: the common ones, then by value. */
export const LINKTYPE_NAMES: Readonly<Record<string, number>> = linktypeNames();

function linktypeNames(): Record<string, number> {
  // The common names' keys first; one pass over the table then gives every name its value (a plain loop:
  // this runs at every start of the CLI, in cold code).
  const names: Record<string, number> = {};
  for (const name of COMMON) names[name] = -1;
  for (const [dlt, name] of LINKTYPES) names[name] = dlt;
  return names;
}

export {
  LINKTYPES,
  linktypeByName,
  linktypeDescription,
  linktypeName,
  parseLinktype,
} from './names.js';

export interface CompileOptions {
  /**
   * Link type: a tcpdump -y name (EN10MB, IEEE802_11_RADIO, PPP, ...; any case), or a DLT or LINKTYPE number
   * (a capture file's). Default EN10MB.
   */
  linktype?: string | number;
  /** Run the optimizer (default true; tcpdump's -O turns it off). */
  optimize?: boolean;
  /** Value returned on accept; default 262144, tcpdump's default snapshot length. */
  snaplen?: number;
  /** IPv4 netmask for `ip broadcast` (u32); default 0 as tcpdump without a device; null = unknown. */
  netmask?: number | null;
  /** Resolves host names; without it a host name is an UNKNOWN_NAME error (no DNS inside the compiler). */
  resolve?: (name: string) => string[];
  /**
   * Compile as tcpdump -r does, for packets from a capture file: BSD loopback IPv6 matches the BSDs'
   * address family values, and Linux-only metadata (inbound/outbound, ifindex) is an error where the link
   * header has none. `swapped`: the file is big-endian.
   */
  savefile?: boolean;
  swapped?: boolean;
  /**
   * The optimizer's work budget in units (default WORK_BUDGET, 6 million: a few seconds at most). Past it the
   * optimizer stops where it is: the program is correct, only less optimized. A smaller one bounds the
   * time of an interactive compile.
   */
  budget?: number;
  /**
   * For a Linux packet socket's kernel filter: the verdict stays the one on the frame as captured, and
   * loads are rewritten for the bytes the kernel runs on (an outer VLAN tag in metadata, no cooked
   * header). Throws KernelViewError where a load has no kernel form; filter in user space then.
   */
  linuxSocket?: boolean;
}

/** Every stage's output, for `cbpf compile --dump` and the playground. */
export interface CompileStages {
  ast: Expr;
  ir: Cfg;
  optimized: Cfg;
  program: RawInsn[];
}

/** A link type option as a number: names as tcpdump -y takes them, digits as a number. */
export function linktypeNumber(lt: string | number | undefined): number {
  if (lt === undefined) return DLT.EN10MB;
  if (typeof lt === 'number') return lt;
  const n = parseLinktype(lt);
  if (n === undefined)
    throw new CompileError(
      'UNSUPPORTED_FOR_LINKTYPE',
      `invalid data link type ${lt} (tcpdump's -y names: EN10MB, LINUX_SLL, IEEE802_11_RADIO, PPP ...)`,
      [0, 0],
    );
  return n;
}

/** `resolve` answering each name from its first answer. */
function remembered(resolve: (name: string) => string[]): (name: string) => string[] {
  const known = new Map<string, string[]>();
  return (name) => {
    const r = known.get(name) ?? resolve(name);
    known.set(name, r);
    return r;
  };
}

/** Runs every stage and returns each one's result; throws CompileError (with the span in the expression). */
export function compileStages(expr: string, options: CompileOptions = {}): CompileStages {
  const ast = parse(expr);
  const linktype = linktypeNumber(options.linktype);
  const lowerOptions: LowerOptions = {
    linktype,
    snaplen: options.snaplen,
    netmask: options.netmask,
    // Asked once per name: a filter may be lowered twice (below).
    resolve: options.resolve && remembered(options.resolve),
    savefile: options.savefile,
    swapped: options.swapped,
  };
  const lowered = lower(ast, lowerOptions);
  const ir = options.linuxSocket ? linuxSocketView(lowered, linktype) : lowered;
  const budget = options.budget;
  // A graph that proves to reject everything becomes `ret #0` or the error below: the optimizer need not go
  // on once it shows that (not for protochain's graphs, emitted as optimized, nor a Linux socket's view,
  // which checkKernelView reads whole).
  const until = ir.keepLoads || options.linuxSocket ? undefined : rejectsAll;
  let optimized = options.optimize === false ? ir : optimize(ir, { budget, until });
  if (options.linuxSocket) checkKernelView(ir, optimized);
  // libpcap leaves a program with protochain unoptimized (`keepLoads`): its loads all stay, and it never
  // says "rejects all packets" of one.
  const k = options.optimize === false || ir.keepLoads ? undefined : onlyVerdict(optimized);
  if (k !== undefined) {
    const seen = asLibpcapSees(ast, lowered, lowerOptions, k, budget);
    if (seen === 'refuses')
      throw new CompileError('REJECTS_ALL', 'expression rejects all packets', [0, expr.length]);
    if (seen === 'folds' || k === 0)
      optimized = { entry: 0, blocks: [{ id: 0, stmts: [], term: { kind: 'ret', k } }] };
  }
  const program = emit(optimized);
  // Failing here is a compiler bug: the program must attach to a Linux socket, length apart. How
  // long a program may be is the loader's to say (a kernel's 4096, BSD's 512): libpcap compiles and
  // runs programs of any length, and so does `cbpf compile` and `-r` (see attachFilter).
  assertValid(program, program.length > LINUX_MAXINSNS ? 'libpcap' : 'linux');
  return { ast, ir, optimized, program };
}

/**
 * Compiles a pcap-filter expression to classic BPF.
 * @example compile('udp dst port 67', { linktype: 'EN10MB' })
 */
export function compile(expr: string, options: CompileOptions = {}): RawInsn[] {
  return compileStages(expr, options).program;
}
