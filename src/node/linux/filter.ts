// SO_ATTACH_FILTER / SO_DETACH_FILTER / SO_LOCK_FILTER on any Linux socket descriptor (cbpf-reference 6.1).
import type { Program } from '../../core/encode.js';
import { toBytes } from '../../core/encode.js';
import { ValidationError } from '../../core/errors.js';
import { LINUX_MAXINSNS } from '../../core/opcodes.js';
import { validate } from '../../core/validate.js';
import { addressOf, recv, setsockopt } from '../ffi/libc.js';

export const SOL_SOCKET = 1;
export const SO_ATTACH_FILTER = 26;
export const SO_DETACH_FILTER = 27;
export const SO_LOCK_FILTER = 44;

/**
 * Installs `program` on `fd`; the kernel replaces any previous filter atomically. A program longer
 * than the kernel takes (BPF_MAXINSNS, 4096) is refused here, with a ValidationError saying so:
 * the length field is 16 bits, so a longer one would otherwise be cut, not refused.
 */
export function attachFilter(fd: number, program: Program): void {
  if (Array.isArray(program) && program.length > LINUX_MAXINSNS)
    throw new ValidationError(
      'TOO_LONG',
      -1,
      `${program.length} instructions, linux allows at most ${LINUX_MAXINSNS}`,
    );
  const insns = toBytes(program, 'le');
  const fprog = new Uint8Array(16); // struct sock_fprog on 64-bit: u16 len, pad, pointer at 8
  const dv = new DataView(fprog.buffer);
  dv.setUint16(0, program.length, true);
  dv.setBigUint64(8, addressOf(insns), true);
  setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, fprog, 'setsockopt(SO_ATTACH_FILTER)', () => {
    const problems = validate(program, 'linux');
    return problems.length
      ? `linux validator: ${problems.map((p) => p.message).join('; ')}`
      : undefined;
  });
  // Keep `insns` reachable until after the call returns.
  void insns.length;
}

/** The libpcap sequence: a reject-all filter, drain what was queued unfiltered, then the real one. */
export function attachFilterDrained(fd: number, program: Program, nonBlocking: boolean): void {
  attachFilter(fd, [{ code: 0x06, jt: 0, jf: 0, k: 0 }]);
  const scratch = new Uint8Array(1);
  const MSG_DONTWAIT = 0x40;
  for (let i = 0; i < 1_000_000; i++)
    if (recv(fd, scratch, nonBlocking ? 0 : MSG_DONTWAIT) < 0) break;
  attachFilter(fd, program);
}

export function detachFilter(fd: number): void {
  setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, new Uint8Array(4), 'setsockopt(SO_DETACH_FILTER)');
}

export function lockFilter(fd: number): void {
  const one = new Uint8Array(4);
  new DataView(one.buffer).setInt32(0, 1, true);
  setsockopt(fd, SOL_SOCKET, SO_LOCK_FILTER, one, 'setsockopt(SO_LOCK_FILTER)');
}
