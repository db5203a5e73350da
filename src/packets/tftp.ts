// TFTP (RFC 1350, options RFC 2347) as tcpdump's print-tftp.c prints it.
import { type Printer, type Tok, tok2str } from './printer.js';

const OPS: Tok = new Map([
  [1, 'RRQ'],
  [2, 'WRQ'],
  [3, 'DATA'],
  [4, 'ACK'],
  [5, 'ERROR'],
  [6, 'OACK'],
]);

const ERRORS: Tok = new Map(
  ['EUNDEF', 'ENOTFOUND', 'EACCESS', 'ENOSPACE', 'EBADOP', 'EBADID', 'EEXISTS', 'ENOUSER'].map(
    (n, i) => [i, n],
  ),
);

export function printTftp(p: Printer, o: number, length0: number): void {
  p.protocol = 'tftp';
  p.protocolCaps();
  p.print(`, length ${length0}`);
  if (!tftpBody(p, o, length0)) p.trunc();
}

/** The body after the length; false when tcpdump ends with its truncation marker. */
function tftpBody(p: Printer, o: number, length0: number): boolean {
  let length = length0;
  let bp = o;
  if (length < 2) return false;
  const opcode = p.u16(bp);
  const name = tok2str(OPS, 'tftp-#%u', opcode);
  p.print(`, ${name}`);
  if (!OPS.has(opcode)) return true;
  bp += 2;
  length -= 2;
  // Options: NUL-terminated strings, a space before each that is not empty.
  const options = (): boolean => {
    while (length !== 0) {
      if (p.u8(bp) !== 0) p.print(' ');
      const n = p.printztn(bp, length);
      if (n === 0) return false;
      bp += n;
      length -= n;
    }
    return true;
  };
  switch (opcode) {
    case 1:
    case 2: {
      if (length === 0) return false;
      p.print(' "');
      let n = p.printztn(bp, length);
      p.print('"');
      if (n === 0) return false;
      bp += n;
      length -= n;
      if (length === 0) return false;
      p.print(' ');
      n = p.printztn(bp, length);
      if (n === 0) return false;
      bp += n;
      length -= n;
      return options();
    }
    case 6:
      return options();
    case 3:
    case 4:
      if (length < 2) return false;
      p.print(` block ${p.u16(bp)}`);
      return true;
    default: {
      if (length < 2) return false;
      p.print(` ${tok2str(ERRORS, 'tftp-err-#%u "', p.u16(bp))}`);
      bp += 2;
      length -= 2;
      if (length === 0) return false;
      p.print(' "');
      const n = p.printztn(bp, length);
      p.print('"');
      return n !== 0;
    }
  }
}
