// What libpcap's optimizer would make of a filter whose every path returns one verdict k: cbpf's precise
// stage sees further than libpcap's (ranges, bits, value sets), but where libpcap folds the filter to one
// `ret` (its loads gone, so even a packet too short for them gets k) or refuses it ("expression rejects
// all packets"; scripts rely on the error), cbpf must do the same, and only there.
import type { Expr } from './ast.js';
import type { Cfg } from './ir.js';
import { type LowerOptions, lower } from './lower/index.js';
import { onlyVerdict, optimize, rejectsAll, setDecisions } from './optimize/index.js';

/**
 * `refuses` (k is 0 and libpcap would refuse the filter), `folds` (libpcap would compile `ret #k` alone)
 * or `keeps` (its program keeps its loads). `lowered`: the filter lowered with `options`; `budget`: the
 * optimizer's (OptimizeOptions.budget).
 */
export function asLibpcapSees(
  ast: Expr,
  lowered: Cfg,
  options: LowerOptions,
  k: number,
  budget: number | undefined,
): 'refuses' | 'folds' | 'keeps' {
  // At libpcap's strength (equalities proved by earlier tests): a filter only the precise analysis
  // proves empty compiles to `ret #0`, which is what its loads gave a short packet anyway; a constant
  // accept drops the loads only where that strength sees the tautology too (`tcp or not tcp`, which
  // libpcap compiles to one `ret`), so a short packet keeps the verdict of one of tcpdump's programs.
  const seen = (c: Cfg) => (k === 0 ? rejectsAll(c) : onlyVerdict(c) === k);
  const view = (ir: Cfg, joinedSets = true) =>
    seen(optimize(ir, { strength: 'equalities', budget, until: seen, joinedSets }));
  // libpcap tests a port of any transport once per transport (protocol, fragment, ports), where cbpf
  // tests the protocols first and the rest once (shorter; the precise stage sees through it anyway).
  const libpcapShape = () =>
    lowered.sharedPortTests ? lower(ast, { ...options, portsPerTransport: true }) : lowered;
  const setsBefore = setDecisions;
  let sees = view(lowered);
  const leanedOnSets = setDecisions !== setsBefore;
  if (k !== 0) {
    // In libpcap's shape its optimizer sees that a UDP packet matches `port 80 or udp` whatever its
    // ports: `(port 80 or udp) or not (udp or port 80)` is one `ret` there, and so here.
    if (!sees && lowered.sharedPortTests) sees = view(libpcapShape());
    return sees ? 'folds' : 'keeps';
  }
  // Not so for a refusal: that view also proves empty some filters libpcap compiles (`(portrange 1-1024 or
  // tcp dst port 443) and not (tcp dst port 443 or portrange 1-1024)`), and refusing what tcpdump takes is
  // worse than compiling `ret #0`, whose verdicts are its program's. The refusal needs a second proof,
  // nearer libpcap's reach: in its shape of port tests, where a path that met others knowing the protocol
  // is one of several decides nothing (libpcap's optimizer knows only what one edge before the join
  // proved). On 9,000 random contradictions and tautologies (bench/fold-parity.ts) the refusals tcpdump
  // does not make went from 26 to 16, and those it makes that cbpf did not from 42 to 49. A proof over the
  // same graph that no value set decided holds without them as it is (most refusals).
  if (!sees) return 'keeps';
  const again = lowered.sharedPortTests || leanedOnSets ? view(libpcapShape(), false) : true;
  return again ? 'refuses' : 'keeps';
}
