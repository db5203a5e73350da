// Kerberos (v4 messages decoded, v5 named), as tcpdump's print-krb.c.
import { charText, type Printer, type Tok, tok2str } from './printer.js';

const TYPES: Tok = new Map([
  [1 << 1, 'KDC_REQUEST'],
  [2 << 1, 'KDC_REPLY'],
  [3 << 1, 'APPL_REQUEST'],
  [4 << 1, 'APPL_REQUEST_MUTUAL'],
  [5 << 1, 'ERR_REPLY'],
  [6 << 1, 'PRIVATE'],
  [7 << 1, 'SAFE'],
  [8 << 1, 'APPL_ERR'],
  [63 << 1, 'DIE'],
]);
const ERRORS: Tok = new Map([
  [0, 'OK'],
  [1, 'NAME_EXP'],
  [2, 'SERVICE_EXP'],
  [3, 'AUTH_EXP'],
  [4, 'PKT_VER'],
  [5, 'NAME_MAST_KEY_VER'],
  [6, 'SERV_MAST_KEY_VER'],
  [7, 'BYTE_ORDER'],
  [8, 'PRINCIPAL_UNKNOWN'],
  [9, 'PRINCIPAL_NOT_UNIQUE'],
  [10, 'NULL_KEY'],
]);

/** c_print: a NUL-terminated string; -1 when the capture ends before the NUL. */
function cPrint(p: Printer, o: number): number {
  let s = o;
  while (s < p.snapend) {
    const c = p.u8(s);
    s++;
    if (c === 0) return s;
    p.print(charText(c));
  }
  return -1;
}

/** krb_print. */
export function printKrb(p: Printer, o: number): void {
  p.protocol = 'krb';
  if (o >= p.snapend) {
    p.trunc();
    return;
  }
  const pvno = p.u8(o);
  if (pvno >= 1 && pvno <= 3) p.print(` v${pvno}`);
  else if (pvno === 4) {
    p.print(` v${pvno}`);
    krb4(p, o);
  } else if (pvno === 106 || pvno === 107) p.print(' v5');
}

function krb4(p: Printer, kp: number): void {
  const le = (p.u8(kp + 1) & 1) !== 0;
  const type = p.u8(kp + 1) & 0xfe;
  const short = (at: number) => (le ? p.le16(at) : p.u16(at));
  p.print(` ${le ? 'le' : 'be'} ${tok2str(TYPES, '#%d', type)}: `);
  let cp = kp;
  const str = (): boolean => {
    cp = cPrint(p, cp);
    if (cp < 0) {
      p.trunc();
      return false;
    }
    return true;
  };
  const hdr = (): boolean => {
    cp += 2;
    if (!str()) return false;
    p.print('.');
    if (!str()) return false;
    p.print('@');
    return str();
  };
  switch (type) {
    case 1 << 1:
      if (!hdr()) return;
      cp += 4;
      p.print(` ${p.u8(cp) * 5}min `);
      cp++;
      if (!str()) return;
      p.print('.');
      str();
      break;
    case 3 << 1:
      cp += 2;
      p.print(`v${p.u8(cp)} `);
      cp++;
      if (!str()) return;
      p.print(` (${p.u8(cp)})`);
      cp++;
      p.print(` (${p.u8(cp)})`);
      break;
    case 2 << 1:
      if (!hdr()) return;
      cp += 10;
      p.print(` (${short(cp)})`);
      break;
    case 5 << 1:
      if (!hdr()) return;
      cp += 4;
      p.print(` ${tok2str(ERRORS, '#%d', short(cp))} `);
      cp += 4;
      str();
      break;
    default:
      p.print('(unknown)');
  }
}
