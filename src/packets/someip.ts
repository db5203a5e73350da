// SOME/IP (Scalable service-Oriented MiddlewarE over IP) as tcpdump's print-someip.c prints it.
import { type Printer, type Tok, tok2str } from './printer.js';

const MESSAGE_TYPES: Tok = new Map([
  [0x00, 'REQUEST'],
  [0x01, 'REQUEST_NO_RETURN'],
  [0x02, 'NOTIFICATION'],
  [0x80, 'RESPONSE'],
  [0x81, 'ERROR'],
  [0x20, 'TP_REQUEST'],
  [0x21, 'TP_REQUEST_NO_RETURN'],
  [0x22, 'TP_NOTIFICATION'],
  [0xa0, 'TP_RESPONSE'],
  [0xa1, 'TP_ERROR'],
]);

const RETURN_CODES: Tok = new Map(
  [
    'E_OK',
    'E_NOT_OK',
    'E_UNKNOWN_SERVICE',
    'E_UNKNOWN_METHOD',
    'E_NOT_READY',
    'E_NOT_REACHABLE',
    'E_TIMEOUT',
    'E_WRONG_PROTOCOL_VERSION',
    'E_WRONG_INTERFACE_VERSION',
    'E_MALFORMED_MESSAGE',
    'E_WRONG_MESSAGE_TYPE',
    'E_E2E_REPEATED',
    'E_E2E_WRONG_SEQUENCE',
    'E_E2E',
    'E_E2E_NOT_AVAILABLE',
    'E_E2E_NO_NEW_DATA',
  ].map((n, i) => [i, n]),
);

export function printSomeip(p: Printer, o: number, len: number): void {
  p.protocol = 'someip';
  p.protocolCaps();
  if (len < 16) {
    p.invalid();
    return;
  }
  const id = p.u32(o);
  p.print(`, service ${id >>> 16}, ${id & 0x8000 ? 'event' : 'method'} ${id & 0x7fff}`);
  p.print(`, len ${p.u32(o + 4)}`);
  const req = p.u32(o + 8);
  p.print(`, client ${req >>> 16}, session ${req & 0xffff}`);
  p.print(`, pver ${p.u8(o + 12)}`);
  p.print(`, iver ${p.u8(o + 13)}`);
  p.print(`, msgtype ${tok2str(MESSAGE_TYPES, 'Unknown', p.u8(o + 14))}`);
  p.print(`, retcode ${tok2str(RETURN_CODES, 'Unknown', p.u8(o + 15))}\n`);
}
