// ISAKMP/IKE (RFC 2408, IKEv2 RFC 7296) and its UDP encapsulation (RFC 3948), as tcpdump's
// print-isakmp.c prints them without -v: phase, direction (from the initiator cookies seen so far),
// exchange type and flags.
import type { Printer } from './printer.js';
import type { IsakmpCookie } from './tcp-seq.js';

const ETYPES: ReadonlyArray<string | undefined> = ['none', 'base', 'ident', 'auth', 'agg', 'inf'];
const etype = (x: number) =>
  x < 6
    ? (ETYPES[x] as string)
    : x === 32
      ? 'oakley-quick'
      : x === 33
        ? 'oakley-newgroup'
        : x >= 34 && x <= 37
          ? ['ikev2_init', 'ikev2_auth', 'child_sa', 'inf2'][x - 34]
          : `#${x}`;

function hex(p: Printer, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++)
    s += p
      .u8(o + i)
      .toString(16)
      .padStart(2, '0');
  return s;
}

/** The IP source and destination of the datagram at `ip`, as text keyed by version. */
function ipAddrs(p: Printer, ip: number): { v: number; src: string; dst: string } {
  const v = p.u8(ip) >> 4;
  if (v === 4) return { v, src: p.ip4(ip + 12), dst: p.ip4(ip + 16) };
  if (v === 6) return { v, src: p.ip6(ip + 8), dst: p.ip6(ip + 24) };
  return { v, src: '', dst: '' };
}

/** isakmp_print. */
export function printIsakmp(p: Printer, o: number, length: number, ip: number | undefined): void {
  p.protocol = 'isakmp';
  if (p.snapend < o + 28) {
    p.trunc();
    return;
  }
  p.print('isakmp');
  const major = (p.u8(o + 17) & 0xf0) >> 4;
  p.print(':');
  if (major === 1) ikev1(p, o, ip);
  else if (major === 2) {
    const phase = p.u32(o + 20) === 0 ? 1 : 2;
    p.print(phase === 1 ? ' parent_sa' : ' child_sa ');
    p.print(` ${etype(p.u8(o + 18))}`);
    const flags = p.u8(o + 19);
    if (flags)
      p.print(`[${flags & 0x08 ? 'I' : ''}${flags & 0x10 ? 'V' : ''}${flags & 0x20 ? 'R' : ''}]`);
  }
  void length;
}

function ikev1(p: Printer, o: number, ip: number | undefined): void {
  const phase = p.u32(o + 20) === 0 ? 1 : 2;
  p.print(phase === 1 ? ` phase ${phase}` : ` phase ${phase}/others`);
  const state = p.tcpSeq?.isakmp;
  const icookie = hex(p, o, 8);
  const cookies: IsakmpCookie[] = state?.cookies ?? [];
  const i = cookies.findIndex((c) => c.cookie === icookie);
  if (i < 0) {
    if (hex(p, o + 8, 8) === '0000000000000000') {
      p.print(' I');
      if (ip !== undefined && state) record(p, state, icookie, ip);
    } else p.print(' ?');
  } else {
    const a = ip !== undefined ? ipAddrs(p, ip) : undefined;
    const c = cookies[i];
    if (a && (a.v === 4 || a.v === 6) && c.version === a.v && a.src === c.initiator) p.print(' I');
    else if (a && (a.v === 4 || a.v === 6) && c.version === a.v && a.src === c.responder)
      p.print(' R');
    else p.print(' ?');
  }
  p.print(` ${etype(p.u8(o + 18))}`);
  const flags = p.u8(o + 19);
  if (flags) p.print(`[${flags & 0x01 ? 'E' : ''}${flags & 0x02 ? 'C' : ''}]`);
}

function record(
  p: Printer,
  state: { cookies: IsakmpCookie[]; next: number },
  cookie: string,
  ip: number,
): void {
  const i = state.cookies.findIndex((c) => c.cookie === cookie);
  if (i >= 0) {
    state.next = (i + 1) % 20;
    return;
  }
  const a = ipAddrs(p, ip);
  if (a.v !== 4 && a.v !== 6) return;
  state.cookies[state.next] = { cookie, version: a.v, initiator: a.src, responder: a.dst };
  state.next = (state.next + 1) % 20;
}

/** isakmp_rfc3948_print: NAT-T keepalives, IKE behind a zero marker, or ESP. */
export function printIsakmpNatT(p: Printer, o: number, length: number, ip: number): void {
  p.protocol = 'isakmp_rfc3948';
  if (length === 1 && p.u8(o) === 0xff) {
    p.print('isakmp-nat-keep-alive');
    return;
  }
  if (length < 4) {
    p.trunc();
    return;
  }
  if (p.u32(o) === 0) {
    p.print('NONESP-encap: ');
    printIsakmp(p, o + 4, length - 4, ip);
    return;
  }
  p.print('UDP-encap: ');
  p.protocol = 'esp';
  if (o + 8 >= p.snapend) {
    p.trunc();
    return;
  }
  p.print(
    `ESP(spi=0x${p.u32(o).toString(16).padStart(8, '0')},seq=0x${p.u32(o + 4).toString(16)}), length ${length}`,
  );
}
