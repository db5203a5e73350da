// Syslog over UDP as tcpdump's print-syslog.c prints it without -v: facility and severity.
import { type Printer, type Tok, tok2str } from './printer.js';

const SEVERITIES: Tok = new Map(
  ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'].map((n, i) => [
    i,
    n,
  ]),
);

const FACILITIES: Tok = new Map(
  [
    'kernel',
    'user',
    'mail',
    'daemon',
    'auth',
    'syslog',
    'lpr',
    'news',
    'uucp',
    'cron',
    'authpriv',
    'ftp',
    'ntp',
    'security',
    'console',
    'cron',
    'local0',
    'local1',
    'local2',
    'local3',
    'local4',
    'local5',
    'local6',
    'local7',
  ].map((n, i) => [i, n]),
);

export function printSyslog(p: Printer, o: number, len: number): void {
  p.protocol = 'syslog';
  if (p.u8(o) !== 0x3c) {
    p.invalid();
    return;
  }
  let off = 1;
  let pri = 0;
  while (off <= 3 && p.u8(o + off) >= 0x30 && p.u8(o + off) <= 0x39) {
    pri = pri * 10 + (p.u8(o + off) - 0x30);
    off++;
  }
  if (p.u8(o + off) !== 0x3e) {
    p.invalid();
    return;
  }
  const facility = (pri & 0x3f8) >> 3;
  const severity = pri & 7;
  p.print(
    `SYSLOG ${tok2str(FACILITIES, 'unknown (%u)', facility)}.${tok2str(SEVERITIES, 'unknown (%u)', severity)}, length: ${len}`,
  );
}
