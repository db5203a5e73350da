// PPPoE (RFC 2516) as tcpdump's print-pppoe.c prints it: discovery packets with their tags, session
// packets with the PPP frame they carry.

import { type Printer, type Tok, tok2str } from './printer.js';

const CODES: Tok = new Map([
  [0x09, 'PADI'],
  [0x07, 'PADO'],
  [0x19, 'PADR'],
  [0x65, 'PADS'],
  [0xa7, 'PADT'],
  [0, ''],
]);

const TAGS: Tok = new Map([
  [0, 'EOL'],
  [0x0101, 'Service-Name'],
  [0x0102, 'AC-Name'],
  [0x0103, 'Host-Uniq'],
  [0x0104, 'AC-Cookie'],
  [0x0105, 'Vendor-Specific'],
  [0x0110, 'Relay-Session-ID'],
  [0x0120, 'PPP-Max-Payload'],
  [0x0201, 'Service-Name-Error'],
  [0x0202, 'AC-System-Error'],
  [0x0203, 'Generic-Error'],
]);

/** pppoe_print: returns the header length (with the PPP header of a session packet). */
export function printPppoe(p: Printer, o: number, length0: number): number {
  p.protocol = 'pppoe';
  if (length0 < 6) {
    p.print(` (length ${length0} < 6)`);
    p.invalid();
    return 0;
  }
  const length = length0 - 6;
  p.need(o, 6);
  const ver = p.u8(o) >> 4;
  const type = p.u8(o) & 0xf;
  const code = p.u8(o + 1);
  const session = p.u16(o + 2);
  let plen = p.u16(o + 4);
  const payload = o + 6;
  if (ver !== 1) p.print(` [ver ${ver}]`);
  if (type !== 1) p.print(` [type ${type}]`);
  p.print(`PPPoE ${tok2str(CODES, 'PAD-%x', code)}`);
  if (code === 0x09 && plen > 1484 - 6) p.print(` [len ${plen}!]`);
  if (plen > length) {
    p.print(` [len ${plen} > ${length}!]`);
    plen = length;
  }
  if (session) p.print(` [ses 0x${session.toString(16)}]`);
  if (code === 0) {
    p.print(' ');
    return 6 + p.next.printPpp(p, payload, plen);
  }
  let tagType = 0xffff;
  let q = payload;
  while (tagType && q < payload + plen) {
    tagType = p.u16(q);
    const tagLen = p.u16(q + 2);
    q += 4;
    const name = tok2str(TAGS, 'TAG-0x%x', tagType);
    if (tagLen) {
      p.need(q, tagLen);
      let text = '';
      let ascii = 0;
      let garbage = 0;
      for (let v = q; v < q + tagLen && text.length < 79; v++) {
        const c = p.u8(v);
        if (c >= 0x20 && c <= 0x7e) {
          text += String.fromCharCode(c);
          ascii++;
        } else {
          text += '.';
          garbage++;
        }
      }
      if (ascii > garbage) p.print(` [${name} "${text}"]`);
      else {
        let hex = '';
        for (let v = q; v < q + tagLen; v++)
          hex += p.u8(v).toString(16).toUpperCase().padStart(2, '0');
        p.print(` [${name} 0x${hex}]`);
      }
    } else p.print(` [${name}]`);
    q += tagLen;
  }
  return 6;
}
