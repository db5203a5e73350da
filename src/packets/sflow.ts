// sFlow version 5, as tcpdump's print-sflow.c prints it without -v.
import type { Printer } from './printer.js';

/** sflow_print: `sFlowv5, IPv4 agent A, agent-id N, length L`. */
export function printSflow(p: Printer, o: number, len: number): void {
  p.protocol = 'sflow';
  const ipVersion = p.u32(o + 4);
  if ((len < 28 && ipVersion === 1) || (len < 40 && ipVersion === 2)) {
    p.print(`sFlowv${p.u32(o)}`);
    p.print(` [length ${len} < 28]`);
    p.invalid();
    return;
  }
  if (!p.has(o, 28)) {
    p.trunc();
    return;
  }
  const version = p.u32(o);
  if (version !== 5) {
    p.print(`sFlow version ${version} packet not supported`);
    return;
  }
  const v4 = ipVersion === 1;
  p.print(
    `sFlowv${version}, ${v4 ? 'IPv4' : 'IPv6'} agent ${v4 ? p.ip4(o + 8) : p.ip6(o + 8)}, agent-id ${v4 ? p.u32(o + 12) : p.u32(o + 24)}, length ${len}`,
  );
}
