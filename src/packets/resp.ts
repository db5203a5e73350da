// Redis RESP, as tcpdump's print-resp.c: each string, integer, error or inline command quoted, arrays
// flattened. Nested arrays are walked with an explicit stack (a crafted capture could nest them deeply).
import { charText, type Printer } from './printer.js';

class Short {}
const SHORT = new Short();

/** resp_print: `: RESP "PING"`. */
export function printResp(p: Printer, o: number, length0: number): void {
  p.protocol = 'resp';
  p.print(': RESP');
  let bp = o;
  let length = length0;
  try {
    while (length > 0) {
      const n = parseItem(p, bp, length);
      bp += n;
      length -= n;
    }
  } catch (e) {
    if (!(e instanceof Short)) throw e;
    p.trunc();
  }
}

function segment(p: Printer, o: number, len: number): void {
  p.print(' "');
  for (let i = 0; i < len; i++) {
    if (o + i >= p.snapend) throw SHORT;
    p.print(charText(p.b[o + i]));
  }
  p.print('"');
}

/** resp_get_length: the number after an opcode and how many bytes it took; -2..-5 as tcpdump. */
function getLength(p: Printer, o: number, len0: number): { value: number; used: number } {
  let q = o;
  let len = len0;
  const end = (value: number) => ({ value, used: q - o });
  if (len === 0) return end(-2);
  let neg = false;
  if (p.u8(q) === 0x2d) {
    neg = true;
    q++;
    len--;
  }
  let result = 0;
  let saw = false;
  let tooLarge = false;
  for (;;) {
    if (len === 0) return end(-2);
    const c = p.u8(q);
    if (c < 0x30 || c > 0x39) {
      if (!saw) {
        q++;
        return end(-5);
      }
      break;
    }
    const d = c - 0x30;
    if (result > 214748364) tooLarge = true;
    else {
      result *= 10;
      if (result === 2147483640 && d > 7) tooLarge = true;
      else result += d;
    }
    q++;
    len--;
    saw = true;
  }
  if (p.u8(q) !== 0x0d) {
    q++;
    return end(-5);
  }
  q++;
  len--;
  if (len === 0) return end(-2);
  if (p.u8(q) !== 0x0a) {
    q++;
    return end(-5);
  }
  q++;
  if (neg) return end(tooLarge || result !== 1 ? -4 : -1);
  return end(tooLarge ? -3 : result);
}

function lengthWord(p: Printer, v: number): void {
  if (v === -1) p.print(' null');
  else if (v === -2) throw SHORT;
  else if (v === -3) p.print(' length too large');
  else if (v === -4) p.print(' length negative and not -1');
  else p.print(' invalid');
}

/** FIND_CRLF: the offset of the next CR LF within `len` bytes. */
function findCrlf(p: Printer, o: number, len0: number): number {
  let q = o;
  let len = len0;
  for (;;) {
    if (len < 2) throw SHORT;
    if (!p.has(q, 2)) throw SHORT;
    if (p.b[q] === 0x0d && p.b[q + 1] === 0x0a) return q;
    q++;
    len--;
  }
}

/** One RESP item with the arrays it opens; returns the bytes consumed. */
function parseItem(p: Printer, bp: number, length: number): number {
  const pending: number[] = [];
  let total = 0;
  for (;;) {
    const rest = length - total;
    if (rest < 1) throw SHORT;
    const at = bp + total;
    const op = p.u8(at);
    if (op === 0x2a) {
      const g = getLength(p, at + 1, rest - 1);
      total += 1 + g.used;
      if (g.value > 0) {
        pending.push(g.value);
        continue;
      }
      if (g.value === 0) p.print(' empty');
      else lengthWord(p, g.value);
    } else total += simpleItem(p, at, rest, op);
    // An item is complete: count it against the arrays that contain it.
    while (pending.length > 0) {
      const top = pending.length - 1;
      pending[top]--;
      if (pending[top] > 0) break;
      pending.pop();
    }
    if (pending.length === 0) return total;
  }
}

function simpleItem(p: Printer, at: number, length: number, op: number): number {
  if (op === 0x2b || op === 0x3a || op === 0x2d) {
    const start = at + 1;
    const crlf = findCrlf(p, start, length - 1);
    segment(p, start, crlf - start);
    return 1 + (crlf - start) + 2;
  }
  if (op === 0x24) {
    let cur = length - 1;
    let q = at + 1;
    const g = getLength(p, q, cur);
    cur -= g.used;
    q += g.used;
    if (g.value >= 0) {
      if (g.value === 0) p.print(' empty');
      else {
        if (cur < g.value) throw SHORT;
        if (!p.has(q, g.value)) throw SHORT;
        segment(p, q, g.value);
        q += g.value;
        cur -= g.value;
      }
      const crlf = findCrlf(p, q, cur);
      cur -= crlf - q + 2;
    } else lengthWord(p, g.value);
    return length - cur;
  }
  // An inline command: text up to CR or LF, with CR/LF runs around it.
  let cur = length;
  let q = at;
  const skipCrLf = () => {
    let found = false;
    for (;;) {
      if (cur === 0 || !p.has(q, 1)) {
        if (found) break;
        throw SHORT;
      }
      const c = p.b[q];
      if (c !== 0x0d && c !== 0x0a) break;
      found = true;
      q++;
      cur--;
    }
  };
  skipCrLf();
  const start = q;
  for (;;) {
    if (cur < 1) throw SHORT;
    const c = p.u8(q);
    if (c === 0x0d || c === 0x0a) break;
    q++;
    cur--;
  }
  segment(p, start, q - start);
  skipCrLf();
  return length - cur;
}
