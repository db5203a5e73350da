// Microsoft Network Load Balancing heartbeats as tcpdump's print-msnlb.c prints them.
import type { Printer } from './printer.js';

export function printMsnlb(p: Printer, o: number): void {
  p.protocol = 'msnlb';
  p.print('MS NLB heartbeat');
  p.print(`, host priority: ${p.le32(o + 8)}`);
  p.print(`, cluster IP: ${p.ip4(o + 12)}`);
  p.print(`, host IP: ${p.ip4(o + 16)}`);
}
