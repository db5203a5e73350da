// Tokens -> AST for libpcap's filter grammar (grammar.y): `not` tightest, `and`/`or` equal and left-associative.
import type { Expr } from './ast.js';
import { fail } from './errors.js';

/** Parses a filter expression; throws CompileError. */
export function parse(text: string): Expr {
  return fail('SYNTAX', 'parser not implemented yet', [0, text.length]);
}
