// VRRP (RFC 3768 v2, RFC 5798 v3), as tcpdump's print-vrrp.c without -v.
import type { Printer } from './printer.js';

/** vrrp_print: `VRRPv2, Advertisement, vrid V, prio P, authtype none, intvl Ns, length N`. */
export function printVrrp(p: Printer, o: number, len: number, ttl: number): void {
  p.protocol = 'vrrp';
  p.protocolCaps();
  const version = (p.u8(o) & 0xf0) >> 4;
  const type = p.u8(o) & 0x0f;
  p.print(`v${version}, ${type === 1 ? 'Advertisement' : `unknown type (${type})`}`);
  if (ttl !== 255) p.print(`, (ttl ${ttl})`);
  if (version < 2 || version > 3 || type !== 1) return;
  p.print(`, vrid ${p.u8(o + 1)}, prio ${p.u8(o + 2)}`);
  if (version === 2) {
    const auth = p.u8(o + 4);
    p.print(`, authtype ${['none', 'simple', 'ah'][auth] ?? `#${auth}`}`);
    p.print(`, intvl ${p.u8(o + 5)}s, length ${len}`);
  } else {
    const intvl = ((p.u8(o + 4) & 0x0f) << 8) | p.u8(o + 5);
    p.print(`, intvl ${intvl}cs, length ${len}`);
  }
}
