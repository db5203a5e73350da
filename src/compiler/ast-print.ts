// Prints the AST in a compact, fully parenthesized form (for `--dump ast`, tests and debugging).
import type { Arith, Expr, Id, Word } from './ast.js';

const hex = (b: readonly number[], sep: string) =>
  b.map((x) => x.toString(16).padStart(2, '0')).join(sep);

function formatId(id: Id): string {
  switch (id.kind) {
    case 'num':
      return String(id.value);
    case 'name':
      return id.name;
    case 'ipv4':
      return id.parts.join('.');
    case 'ipv6':
      return hex(id.bytes, '').replace(/(.{4})(?!$)/g, '$1:');
    case 'mac':
      return hex(id.bytes, ':');
    case 'arcnet':
      return `$${id.addr.toString(16).padStart(2, '0')}`;
    case 'cidr':
      return `${formatId(id.addr)}/${id.len}`;
    case 'mask':
      return `${formatId(id.addr)} mask ${formatId(id.mask)}`;
    case 'range':
      return `${formatId(id.lo)}-${formatId(id.hi)}`;
  }
}

const word = (w: Word) => (w.kind === 'num' ? String(w.value) : w.name);

/**
 * One line per expression: primitives in brackets with their resolved qualifiers, `!` for not, parentheses
 * around every and/or and binary operator. The boolean structure is walked with a stack: a list of 5,000
 * hosts is a tree that deep, on either side.
 * @example formatExpr(parse('tcp port 80 or 443')) // '([tcp port 80] or [tcp port 443])'
 */
export function formatExpr(e: Expr | Arith): string {
  const out: string[] = [];
  // What is left to print, last first: a node, or text as it stands.
  const todo: (Expr | Arith | string)[] = [e];
  for (let x = todo.pop(); x !== undefined; x = todo.pop()) {
    if (typeof x === 'string') out.push(x);
    else if (x.kind === 'and' || x.kind === 'or')
      todo.push(')', x.right, ` ${x.kind} `, x.left, '(');
    else if (x.kind === 'not') todo.push(x.expr, '!');
    else out.push(formatLeaf(x));
  }
  return out.join('');
}

/** Everything but and/or/not. */
function formatLeaf(e: Exclude<Expr | Arith, { kind: 'and' | 'or' | 'not' }>): string {
  switch (e.kind) {
    case 'empty':
      return '<empty>';
    case 'primitive': {
      const q = [e.proto, e.dir, e.type].filter((x) => x !== null).join(' ');
      return `[${q} ${formatId(e.id)}]`;
    }
    case 'protoAbbrev':
      return e.proto;
    case 'keyword':
      return `${e.proto ? `${e.proto} ` : ''}${e.name}${e.arg === null ? '' : ` ${e.arg}`}`;
    case 'relation':
      return `${formatExpr(e.left)} ${e.op} ${formatExpr(e.right)}`;
    case 'llcSubtype':
      return `llc ${word(e.name)}`;
    case 'pf':
      return `${e.field} ${word(e.arg)}`;
    case 'wlan':
      return [
        e.field === 'dir' ? `dir ${word(e.type as Word)}` : '',
        e.field === 'type' ? `type ${word(e.type as Word)}` : '',
        e.subtype ? `subtype ${word(e.subtype)}` : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'field':
      return e.values.length > 1
        ? `${e.field} (${e.values.join(' or ')})`
        : `${e.field} ${e.op} ${e.values[0]}`;
    case 'byteop':
      return `byte ${e.index} ${e.op} ${e.value}`;
    case 'const':
      return String(e.value);
    case 'len':
      return 'len';
    case 'load':
      return `${e.proto}[${formatExpr(e.offset)}:${e.size}]`;
    case 'binop':
      return `(${formatExpr(e.left)} ${e.op} ${formatExpr(e.right)})`;
    case 'neg':
      return `-${formatExpr(e.expr)}`;
  }
}
