// Cisco HSRP (RFC 2281), as tcpdump's print-hsrp.c without -v.
import { type Printer, type Tok, tok2str } from './printer.js';

const OPS = ['hello', 'coup', 'resign'];
const STATES: Tok = new Map([
  [0, 'initial'],
  [1, 'learn'],
  [2, 'listen'],
  [4, 'speak'],
  [8, 'standby'],
  [16, 'active'],
]);

/** hsrp_print: `HSRPv0-hello 20: state=active group=1 addr=a.b.c.d`. */
export function printHsrp(p: Printer, o: number, len: number): void {
  p.protocol = 'hsrp';
  const version = p.u8(o);
  p.print(`HSRPv${version}`);
  if (version !== 0) return;
  p.print('-');
  const op = p.u8(o + 1);
  p.print(`${OPS[op] ?? `unknown (${op})`} `);
  p.print(`${len}: `);
  p.print(`state=${tok2str(STATES, 'Unknown (%u)', p.u8(o + 2))} `);
  p.print(`group=${p.u8(o + 6)} `);
  if (p.u8(o + 7) !== 0) p.print(`[reserved=${p.u8(o + 7)}!] `);
  p.print(`addr=${p.ip4(o + 16)}`);
}
