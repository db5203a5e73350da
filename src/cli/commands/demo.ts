// `cbpf demo` (npm start): the seed's ARP-reply filter; replaced by the full measurement in the apps issue.
import { assemble } from '../../core/encode.js';
import { jmp, ld, ret } from '../../core/insn.js';
import type { Command } from '../io.js';

export const demo: Command = async (_argv, io) => {
  const program = assemble([ld.abs(12, 2), jmp.eq(0x0806, 0, 3), ld.abs(20, 2), jmp.eq(2, 0, 1), ret.k(0xffffffff), ret.k(0)]);
  io.stdout.write(`ARP-reply filter, ${program.length} instructions:\n`);
  for (const x of program) io.stdout.write(`  { code: 0x${x.code.toString(16).padStart(2, '0')}, jt: ${x.jt}, jf: ${x.jf}, k: 0x${x.k.toString(16)} }\n`);
  return 0;
};
