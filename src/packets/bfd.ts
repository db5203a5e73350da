// BFD (RFC 5880/5881/5883/7130), as tcpdump's print-bfd.c without -v.
import { bittok2str, type Printer, type Tok, tok2str } from './printer.js';

const PORTS: Tok = new Map([
  [3784, 'Control'],
  [4784, 'Multihop'],
  [6784, 'Lag'],
]);
const V0_FLAGS: Tok = new Map([
  [0x80, 'I Hear You'],
  [0x40, 'Demand'],
  [0x20, 'Poll'],
  [0x10, 'Final'],
  [0x08, 'Control Plane Independent'],
  [0x04, 'Authentication Present'],
  [0x02, 'Reserved'],
  [0x01, 'Reserved'],
]);
const V1_FLAGS: Tok = new Map([
  [0x20, 'Poll'],
  [0x10, 'Final'],
  [0x08, 'Control Plane Independent'],
  [0x04, 'Authentication Present'],
  [0x02, 'Demand'],
  [0x01, 'Multipoint'],
]);
const V1_STATES: Tok = new Map([
  [0, 'AdminDown'],
  [1, 'Down'],
  [2, 'Init'],
  [3, 'Up'],
]);

/** bfd_print: control packets on 3784/4784/6784, echo on 3785. */
export function printBfd(p: Printer, o: number, len: number, port: number): void {
  p.protocol = 'bfd';
  if (port === 3784 || port === 4784 || port === 6784) {
    p.need(o, 24);
    const version = (p.u8(o) & 0xe0) >> 5;
    const flags = p.u8(o + 1);
    if (version === 0)
      p.print(`BFDv0, Control, Flags: [${bittok2str(V0_FLAGS, 'none', flags)}], length: ${len}`);
    else if (version === 1)
      p.print(
        `BFDv1, ${tok2str(PORTS, 'unknown (%u)', port)}, State ${tok2str(V1_STATES, 'unknown (%u)', (flags & 0xc0) >> 6)}, Flags: [${bittok2str(V1_FLAGS, 'none', flags & 0x3f)}], length: ${len}`,
      );
    else p.print(`BFDv${version}, Control, length: ${len}`);
  } else if (port === 3785) p.print(`BFD, Echo, length: ${len}`);
  else p.print(`BFD, unknown (${port}), length: ${len}`);
}
