// Telnet option negotiation as tcpdump's print-telnet.c prints it: ` [telnet WILL ECHO, DO NAWS]`
// for the commands at the start of a segment.
import type { Printer } from './printer.js';

const TELCMDS = [
  'EOF',
  'SUSP',
  'ABORT',
  'EOR',
  'SE',
  'NOP',
  'DMARK',
  'BRK',
  'IP',
  'AO',
  'AYT',
  'EC',
  'EL',
  'GA',
  'SB',
  'WILL',
  'WONT',
  'DO',
  'DONT',
  'IAC',
];

const TELOPTS = [
  'BINARY',
  'ECHO',
  'RCP',
  'SUPPRESS GO AHEAD',
  'NAME',
  'STATUS',
  'TIMING MARK',
  'RCTE',
  'NAOL',
  'NAOP',
  'NAOCRD',
  'NAOHTS',
  'NAOHTD',
  'NAOFFD',
  'NAOVTS',
  'NAOVTD',
  'NAOLFD',
  'EXTEND ASCII',
  'LOGOUT',
  'BYTE MACRO',
  'DATA ENTRY TERMINAL',
  'SUPDUP',
  'SUPDUP OUTPUT',
  'SEND LOCATION',
  'TERMINAL TYPE',
  'END OF RECORD',
  'TACACS UID',
  'OUTPUT MARKING',
  'TTYLOC',
  '3270 REGIME',
  'X.3 PAD',
  'NAWS',
  'TSPEED',
  'LFLOW',
  'LINEMODE',
  'XDISPLOC',
  'OLD-ENVIRON',
  'AUTHENTICATION',
  'ENCRYPT',
  'NEW-ENVIRON',
];

const CMDS: readonly (string | null)[] = ['IS', 'SEND', 'INFO'];
const AUTHCMD: readonly (string | null)[] = ['IS', 'SEND', 'REPLY', 'NAME'];
const AUTHTYPE: readonly (string | null)[] = [
  'NULL',
  'KERBEROS_V4',
  'KERBEROS_V5',
  'SPX',
  'MINK',
  'SRP',
  'RSA',
  'SSL',
  null,
  null,
  'LOKI',
  'SSA',
  'KEA_SJ',
  'KEA_SJ_INTEG',
  'DSS',
  'NTLM',
];
const ENCCMD: readonly (string | null)[] = [
  'IS',
  'SUPPORT',
  'REPLY',
  'START',
  'END',
  'REQUEST-START',
  'REQUEST-END',
  'END_KEYID',
  'DEC_KEYID',
];
const ENCTYPE: readonly (string | null)[] = [
  'NULL',
  'DES_CFB64',
  'DES_OFB64',
  'DES3_CFB64',
  'DES3_OFB64',
  null,
  'CAST5_40_CFB64',
  'CAST5_40_OFB64',
  'CAST128_CFB64',
  'CAST128_OFB64',
];

const hash = (x: number) => (x === 0 ? '0' : `0x${x.toString(16)}`);
const strOrId = (x: number, tab: readonly (string | null)[]) => tab[x] ?? hash(x);

/** telnet_parse: the bytes one command takes, -1 when it is cut off or not a command. */
function parse(p: Printer, sp0: number, length0: number, print: boolean): number {
  let sp = sp0;
  let length = length0;
  const out = (s: string) => {
    if (print) p.print(s);
  };
  const fetch = (): number => {
    if (length < 1) throw END;
    const c = p.u8(sp);
    sp++;
    length--;
    return c;
  };
  try {
    let c = fetch();
    if (c !== 255) return -1;
    c = fetch();
    if (c === 255) {
      out('IAC IAC');
      return sp - sp0;
    }
    const i = c - 236;
    if (i < 0) return -1;
    if (c < 250 || c > 254) {
      out(TELCMDS[i]);
      return sp - sp0;
    }
    const x = fetch();
    out(x < TELOPTS.length ? `${TELCMDS[i]} ${TELOPTS[x]}` : `${TELCMDS[i]} ${hash(x)}`);
    if (c !== 250) return sp - sp0;
    // Subnegotiation: up to IAC SE.
    let q = sp;
    while (length > q + 1 - sp) {
      if (p.u8(q) === 255 && p.u8(q + 1) === 240) break;
      q++;
    }
    if (p.u8(q) !== 255) return -1;
    const [first, second] =
      x === 37 ? [AUTHCMD, AUTHTYPE] : x === 38 ? [ENCCMD, ENCTYPE] : [CMDS, undefined];
    if (q > sp) {
      out(` ${strOrId(fetch(), first)}`);
      if (second && q > sp) out(` ${strOrId(fetch(), second)}`);
    }
    while (q > sp) out(` ${hash(fetch())}`);
    out(' SE');
    sp += 2;
    return sp - sp0;
  } catch (e) {
    if (e === END) return -1;
    throw e;
  }
}

const END = { telnetEnd: true };

export function printTelnet(p: Printer, o: number, length0: number): void {
  p.protocol = 'telnet';
  let length = length0;
  let sp = o;
  let first = true;
  while (length > 0 && p.u8(sp) === 255) {
    const l = parse(p, sp, length, false);
    if (l < 0) break;
    p.print(first ? ' [telnet ' : ', ');
    parse(p, sp, length, true);
    first = false;
    sp += l;
    length = (length - l) >>> 0;
  }
  if (!first) p.print(']');
}
