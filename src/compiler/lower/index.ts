// AST -> IR: picks the link layer for the DLT and lowers the expression to a CFG ending in accept/reject returns.
import type { Expr } from '../ast.js';
import { fail } from '../errors.js';
import type { Cfg } from '../ir.js';

/** What lowering needs besides the expression. */
export interface LowerOptions {
  /** Link type (DLT/LINKTYPE value, see core DLT): EN10MB, RAW, LINUX_SLL, LINUX_SLL2, NULL, LOOP, IPV4, IPV6. */
  readonly linktype: number;
  /** Value returned on accept; default 262144, as tcpdump's default snaplen. */
  readonly snaplen?: number;
  /** IPv4 netmask for `ip broadcast` (u32, host order of the number); without it `ip broadcast` is an error, as libpcap. */
  readonly netmask?: number;
  /** Resolves a host name to address strings (IPv4 dotted, IPv6, MAC); without it host names are an error. */
  readonly resolve?: (name: string) => string[];
}

/** Lowers a parsed expression to the IR for `options.linktype`; throws CompileError. */
export function lower(ast: Expr, options: LowerOptions): Cfg {
  return fail('UNSUPPORTED', `lowering not implemented yet (linktype ${options.linktype})`, ast.span);
}
