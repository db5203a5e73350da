// Text protocols (HTTP, RTSP, SMTP, FTP, WHOIS) as tcpdump's txtproto_print prints them without -v:
// the protocol name and the first line, when it looks like a request or response.
import type { Printer } from './printer.js';

const HTTP_CMDS = [
  'GET',
  'PUT',
  'COPY',
  'HEAD',
  'LOCK',
  'MOVE',
  'POLL',
  'POST',
  'BCOPY',
  'BMOVE',
  'MKCOL',
  'TRACE',
  'LABEL',
  'MERGE',
  'DELETE',
  'SEARCH',
  'UNLOCK',
  'REPORT',
  'UPDATE',
  'NOTIFY',
  'BDELETE',
  'CONNECT',
  'OPTIONS',
  'CHECKIN',
  'PROPFIND',
  'CHECKOUT',
  'CCM_POST',
  'SUBSCRIBE',
  'PROPPATCH',
  'BPROPFIND',
  'BPROPPATCH',
  'UNCHECKOUT',
  'MKACTIVITY',
  'MKWORKSPACE',
  'UNSUBSCRIBE',
  'RPC_CONNECT',
  'VERSION-CONTROL',
  'BASELINE-CONTROL',
];
const RTSP_CMDS = [
  'DESCRIBE',
  'ANNOUNCE',
  'GET_PARAMETER',
  'OPTIONS',
  'PAUSE',
  'PLAY',
  'RECORD',
  'REDIRECT',
  'SETUP',
  'SET_PARAMETER',
  'TEARDOWN',
];

const printable = (c: number) => c >= 0x20 && c <= 0x7e;

/** fetch_token: the token at `idx` and where the next one starts, or undefined. */
function fetchToken(
  p: Printer,
  o: number,
  idx0: number,
  len: number,
): { token: string; next: number } | undefined {
  let idx = idx0;
  let token = '';
  for (; idx < len; idx++) {
    if (!p.has(o + idx, 1)) return undefined;
    const c = p.u8(o + idx);
    if (c > 0x7f) return undefined;
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
    if (!printable(c)) return undefined;
    if (token.length + 2 > 129) return undefined;
    token += String.fromCharCode(c);
  }
  if (token === '') return undefined;
  for (; idx < len; idx++) {
    if (!p.has(o + idx, 1)) break;
    const c = p.u8(o + idx);
    if (c === 0x0d || c === 0x0a) break;
    if (!printable(c)) break;
    if (c !== 0x20 && c !== 0x09) break;
  }
  return { token, next: idx };
}

/** print_txt_line with prefix `: ` for the first line. */
function printTxtLine(p: Printer, o: number, len: number): void {
  let idx = 0;
  let end = -1;
  while (idx < len) {
    const c = p.u8(o + idx);
    if (c === 0x0a) {
      end = idx;
      break;
    }
    if (c === 0x0d) {
      if (idx + 1 >= len) return;
      if (p.u8(o + idx + 1) === 0x0a) {
        end = idx;
        break;
      }
      return;
    }
    if (!printable(c) && c !== 0x09) return;
    idx++;
  }
  const line = String.fromCharCode(...p.b.subarray(o, o + (end < 0 ? idx : end)));
  p.print(`: ${line}`);
  if (end < 0) p.trunc();
}

/** txtproto_print: `cmds` undefined for protocols whose every payload is a line (FTP, SMTP). */
function txtproto(p: Printer, o: number, len: number, cmds?: readonly string[]): void {
  let print = cmds === undefined;
  if (cmds) {
    let t = fetchToken(p, o, 0, len);
    if (t) {
      const upper = t.token.toUpperCase();
      if (cmds.some((c) => c === upper)) print = true;
      t = fetchToken(p, o, t.next, len);
      if (t && /^[0-9]{3}$/.test(t.token)) print = true;
    }
  }
  p.protocolCaps();
  if (print) printTxtLine(p, o, len);
}

export function printHttp(p: Printer, o: number, len: number): void {
  p.protocol = 'http';
  txtproto(p, o, len, HTTP_CMDS);
}

export function printRtsp(p: Printer, o: number, len: number): void {
  p.protocol = 'rtsp';
  txtproto(p, o, len, RTSP_CMDS);
}

export function printSmtp(p: Printer, o: number, len: number): void {
  p.protocol = 'smtp';
  txtproto(p, o, len);
}

export function printFtp(p: Printer, o: number, len: number): void {
  p.protocol = 'ftp';
  txtproto(p, o, len);
}

export function printWhois(p: Printer, o: number, len: number): void {
  p.protocol = 'whois';
  txtproto(p, o, len);
}

const SIP_CMDS = [
  'ACK',
  'BYE',
  'CANCEL',
  'DO',
  'INFO',
  'INVITE',
  'MESSAGE',
  'NOTIFY',
  'OPTIONS',
  'PRACK',
  'QAUTH',
  'REFER',
  'REGISTER',
  'SPRACK',
  'SUBSCRIBE',
  'UPDATE',
  'PUBLISH',
];

export function printSip(p: Printer, o: number, len: number): void {
  p.protocol = 'sip';
  txtproto(p, o, len, SIP_CMDS);
}
