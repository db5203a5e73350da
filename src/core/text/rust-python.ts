// Programs as Rust and Python source, for users who attach filters from those languages: a
// `libc::sock_filter` array (the libc crate's struct for linux/filter.h's) and a Python list of
// (code, jt, jf, k) tuples with the few lines that attach it through SO_ATTACH_FILTER.
import type { RawInsn } from '../insn.js';

export interface SourcePrintOptions {
  /** The constant's name; default FILTER. */
  name?: string;
  /** A comment above it, e.g. the expression it was compiled from. */
  comment?: string;
}

const hex = (n: number, width: number) => `0x${(n >>> 0).toString(16).padStart(width, '0')}`;

function checkName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new RangeError(`'${name}' is not an identifier`);
  return name;
}

const commentLines = (text: string | undefined, mark: string) =>
  text
    ? text
        .split('\n')
        .map((l) => `${mark} ${l}\n`)
        .join('')
    : '';

/**
 * `pub const FILTER: [libc::sock_filter; N] = [...]`, one `libc::sock_filter { code, jt, jf, k }` a
 * line; attach it with `libc::sock_fprog { len: N as u16, filter: FILTER.as_ptr() as *mut _ }`.
 */
export function printRust(program: readonly RawInsn[], options: SourcePrintOptions = {}): string {
  const name = checkName(options.name ?? 'FILTER');
  const lines = program.map(
    (x) =>
      `    libc::sock_filter { code: ${hex(x.code, 2)}, jt: ${x.jt}, jf: ${x.jf}, k: ${hex(x.k, 8)} },\n`,
  );
  return `${commentLines(options.comment, '//')}pub const ${name}: [libc::sock_filter; ${program.length}] = [\n${lines.join('')}];\n`;
}

/**
 * A Python module fragment: `FILTER = [(code, jt, jf, k), ...]` and `attach_filter(sock)`, which packs
 * the program as struct sock_filter records and sets SO_ATTACH_FILTER (Linux).
 */
export function printPython(program: readonly RawInsn[], options: SourcePrintOptions = {}): string {
  const name = checkName(options.name ?? 'FILTER');
  const lines = program.map((x) => `    (${hex(x.code, 2)}, ${x.jt}, ${x.jf}, ${hex(x.k, 8)}),\n`);
  return `${commentLines(options.comment, '#')}import ctypes
import socket
import struct

${name} = [
${lines.join('')}]

SO_ATTACH_FILTER = 26


def attach_filter(sock: socket.socket, program=${name}) -> None:
    """Attach the classic BPF program to a Linux socket (SO_ATTACH_FILTER)."""
    code = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *i) for i in program))
    fprog = struct.pack("HP", len(program), ctypes.addressof(code))  # struct sock_fprog
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
`;
}
