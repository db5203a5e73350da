// The BSD time daemon's protocol (TSP) as tcpdump's print-timed.c prints it.
import { type Printer, type Tok, tok2str } from './printer.js';

const TYPES: Tok = new Map(
  [
    'TSP_ANY',
    'TSP_ADJTIME',
    'TSP_ACK',
    'TSP_MASTERREQ',
    'TSP_MASTERACK',
    'TSP_SETTIME',
    'TSP_MASTERUP',
    'TSP_SLAVEUP',
    'TSP_ELECTION',
    'TSP_ACCEPT',
    'TSP_REFUSE',
    'TSP_CONFLICT',
    'TSP_RESOLVE',
    'TSP_QUIT',
    'TSP_DATE',
    'TSP_DATEREQ',
    'TSP_DATEACK',
    'TSP_TRACEON',
    'TSP_TRACEOFF',
    'TSP_MSITE',
    'TSP_MSITEREQ',
    'TSP_TEST',
    'TSP_SETDATE',
    'TSP_SETDATEREQ',
    'TSP_LOOP',
  ].map((n, i) => [i, n]),
);

export function printTimed(p: Printer, o: number): void {
  p.protocol = 'timed';
  const type = p.u8(o);
  p.print(tok2str(TYPES, '(tsp_type %#x)', type));
  p.print(` vers ${p.u8(o + 1)}`);
  p.print(` seq ${p.u16(o + 2)}`);
  switch (type) {
    case 24:
      p.print(` hopcnt ${p.u8(o + 4)}`);
      break;
    case 5:
    case 1:
    case 22:
    case 23: {
      let sec = p.u32(o + 4) | 0;
      let usec = p.u32(o + 8) | 0;
      if (usec < 0) return;
      p.print(' time ');
      if (sec < 0 && usec !== 0) {
        sec++;
        if (sec === 0) p.print('-');
        usec = 1000000 - usec;
      }
      p.print(`${sec}.${String(usec).padStart(6, '0')}`);
      break;
    }
  }
  p.print(' name ');
  p.printjnp(o + 12, 256);
}
