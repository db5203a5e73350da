// NTP (RFC 5905) as tcpdump's print-ntp.c prints it without -v: version, mode and length.
import type { Printer } from './printer.js';

const NTP_MODES = [
  'unspecified',
  'symmetric active',
  'symmetric passive',
  'Client',
  'Server',
  'Broadcast',
  'Control Message',
  'Reserved',
];

/** ntp_print: `NTPv4, Client, length 48`. */
export function printNtp(p: Printer, o: number, length: number): void {
  p.protocol = 'ntp';
  const status = p.u8(o);
  p.print(`NTPv${(status & 0x38) >> 3}, ${NTP_MODES[status & 7]}, length ${length}`);
}
