// tcpdump -d, -dd and -ddd on the main command line (`cbpf -d tcp`, `cbpf -r f.pcap -ddd 'port 53'`):
// the filter compiled for the link type and snapshot length tcpdump would use, printed as its
// bpf_dump() prints it, and nothing read or captured.
import {
  type Program,
  parseProgramText,
  printTcpdumpD,
  printTcpdumpDD,
  printTcpdumpDDD,
  toProgram,
} from '../index.js';

export interface DumpProgramOptions {
  /** LINKTYPE to compile for. */
  linktype: number;
  /** What an accepting `ret` returns. */
  snaplen: number;
  optimize: boolean;
}

/** The program for `expr`: program text as it is, else the compiled expression. */
export async function programFor(expr: string, o: DumpProgramOptions): Promise<Program> {
  if (expr.trim() !== '') {
    try {
      return parseProgramText(expr);
    } catch {
      // Not program text: an expression.
    }
  }
  const { compile } = await import('../compiler.js');
  return toProgram(
    compile(expr, { linktype: o.linktype, snaplen: o.snaplen, optimize: o.optimize }),
  );
}

/** bpf_dump's text for -d repeated `level` times (3 and more: -ddd). */
export function programText(p: Program, level: number): string {
  return level >= 3 ? printTcpdumpDDD(p) : level === 2 ? printTcpdumpDD(p) : printTcpdumpD(p);
}
