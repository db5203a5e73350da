// Ethernet configuration testing protocol (ethertype 0x9000), as tcpdump's print-loopback.c.
import type { Printer } from './printer.js';

/** loopback_print. */
export function printLoopback(p: Printer, o: number, len0: number): void {
  p.protocol = 'loopback';
  p.print('Loopback');
  let cp = o;
  let len = len0;
  const invalid = () => {
    p.invalid();
    p.need(cp, len);
  };
  if (len < 2) {
    invalid();
    return;
  }
  const skip = p.le16(cp);
  cp += 2;
  len -= 2;
  p.print(`, skipCount ${skip}`);
  if (skip % 8) p.print(' (bogus)');
  if (skip > len) {
    invalid();
    return;
  }
  p.need(cp, skip);
  cp += skip;
  len -= skip;
  if (len < 2) {
    invalid();
    return;
  }
  const fn = p.le16(cp);
  cp += 2;
  len -= 2;
  p.print(`, ${fn === 1 ? 'Reply' : fn === 2 ? 'Forward Data' : ` invalid (${fn})`}`);
  if (fn === 1) {
    if (len < 2) {
      invalid();
      return;
    }
    p.print(`, receipt number ${p.le16(cp)}`);
    cp += 2;
    len -= 2;
    p.print(`, data (${len} octets)`);
  } else if (fn === 2) {
    if (len < 6) {
      invalid();
      return;
    }
    p.print(`, forwarding address ${p.mac(cp)}`);
    cp += 6;
    len -= 6;
    p.print(`, data (${len} octets)`);
  }
  p.need(cp, len);
}
