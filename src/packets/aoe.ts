// ATA over Ethernet, as tcpdump's print-aoe.c without -v.
import { bittok2str, type Printer, type Tok } from './printer.js';

const FLAGS: Tok = new Map([
  [0x08, 'Response'],
  [0x04, 'Error'],
  [0x02, 'MBZ-1'],
  [0x01, 'MBZ-0'],
]);

/** aoe_print: `AoE length N, Ver 1, Flags: [...]`. */
export function printAoe(p: Printer, o: number, len: number): void {
  p.protocol = 'aoe';
  p.print(`AoE length ${len}`);
  const invalid = () => {
    p.invalid();
    p.need(o, len);
  };
  if (len < 1) {
    invalid();
    return;
  }
  const ver = (p.u8(o) & 0xf0) >> 4;
  p.print(`, Ver ${ver}`);
  if (ver !== 1) return;
  if (len < 10) {
    invalid();
    return;
  }
  p.print(`, Flags: [${bittok2str(FLAGS, 'none', p.u8(o) & 0x0f)}]`);
}
