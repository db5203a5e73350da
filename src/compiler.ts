// `cbpf/compiler`: tcpdump's filter language (pcap-filter) to classic BPF, and each stage on its own:
// the expression's syntax tree, the control-flow graph before and after the optimizer, the program.

export type { Expr, Span } from './compiler/ast.js';
export { formatExpr } from './compiler/ast-print.js';
export { emit as emitProgram } from './compiler/emit.js';
export { CompileError, type CompileErrorCode } from './compiler/errors.js';
export {
  type CompileOptions,
  type CompileStages,
  compile,
  compileStages,
  LINKTYPE_NAMES,
  LINKTYPES,
  linktypeByName,
  linktypeDescription,
  linktypeName,
  parseLinktype,
} from './compiler/index.js';
export type { Block, BlockId, Cfg, Stmt, Term } from './compiler/ir.js';
export { printIr } from './compiler/ir-print.js';
export { type LowerOptions, lower as lowerExpression } from './compiler/lower/index.js';
export { dltOfLinktype } from './compiler/names.js';
export { parse as parseExpression } from './compiler/parser.js';
