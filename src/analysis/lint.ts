// The mistakes people make in hand-written filters, found in the program itself: each finding names the
// instruction, shows a concrete packet where the filter does what its author did not mean (where one
// exists), and gives the fix as an expression or a ready filter.
import type { Insn, RawInsn } from '../core/insn.js';
import { DLT } from '../core/opcodes.js';
import type { ProfileName } from '../core/profiles.js';
import { validate } from '../core/validate.js';
import { run } from '../core/vm.js';
import { acceptedPacket, type Facts, pinned, pinnedFields, programFacts, tested } from './facts.js';

export type LintRule =
  | 'partial-field'
  | 'fixed-ip-header'
  | 'no-protocol-check'
  | 'no-fragment-check'
  | 'unreachable'
  | 'same-targets'
  | 'short-return'
  | 'past-snaplen'
  | 'ancillary-on-bsd'
  | 'profile-mismatch';

export interface LintFinding {
  readonly rule: LintRule;
  /** The instruction (from 0) the finding is about. */
  readonly index: number;
  readonly message: string;
  /** A packet that shows the problem, and what the program returns for it. */
  readonly packet?: { readonly bytes: Uint8Array; readonly result: number; readonly note: string };
  /** What to write instead: an expression (pcap-filter) or a ready filter call. */
  readonly fix?: string;
}

export interface LintOptions {
  /** Link type the program reads: EN10MB (default), RAW/IPV4 (IP at offset 0), LINUX_SLL, NULL, LOOP. */
  linktype?: number;
  /** Bytes a capture keeps; loads past it are reported. */
  snaplen?: number;
  /** The platform the program is for; default 'linux'. */
  profile?: ProfileName;
}

/** Where the network header starts and which bytes say what it is, per link type. */
interface Link {
  readonly base: number;
  /** [offset, size] of the EtherType-like field; undefined for raw IP. */
  readonly type?: readonly [number, number];
  /** The link type itself says IPv4 (LINKTYPE_IPV4): nothing to check. */
  readonly ipv4Only?: boolean;
}

function linkOf(linktype: number): Link | undefined {
  switch (linktype) {
    case DLT.EN10MB:
      return { base: 14, type: [12, 2] };
    case DLT.RAW:
    case 12: // DLT_RAW, tcpdump -y RAW's number; LINKTYPE_RAW (101) in capture files
    case 14: // DLT_RAW on OpenBSD
      return { base: 0 };
    case DLT.IPV4:
      return { base: 0, ipv4Only: true };
    case DLT.LINUX_SLL:
      return { base: 16, type: [14, 2] };
    case DLT.NULL:
    case DLT.LOOP:
      return { base: 4, type: [0, 4] };
    default:
      return undefined;
  }
}

const PROTO_NAMES: Record<number, string> = { 6: 'tcp', 17: 'udp', 132: 'sctp' };

/** Whether every path here proved an IPv4 packet. */
function isIpv4(f: Facts, link: Link): boolean {
  if (link.ipv4Only) return true;
  if (!link.type) {
    const v = pinned(f, 0, 1);
    return (v !== undefined && v >> 4 === 4) || pinned(f, 0, 1, 0xf0) === 0x40;
  }
  const [o, s] = link.type;
  const t = pinned(f, o, s);
  return s === 2 ? t === 0x0800 : t === 2; // NULL/LOOP: AF_INET
}

/** The transport protocol every path here proved (IPv4 protocol byte), if any. */
const protoOf = (f: Facts, link: Link) => pinned(f, link.base + 9, 1);

/** A packet satisfying every pinned field of `f`, `length` bytes long, for `edit` to finish. */
function packetFrom(f: Facts, length: number, edit: (p: Uint8Array) => void): Uint8Array {
  const p = new Uint8Array(length);
  for (const [o, s, v] of pinnedFields(f)) {
    if (o + s > length) continue;
    for (let i = 0; i < s; i++) p[o + i] = (v >>> (8 * (s - 1 - i))) & 0xff;
  }
  edit(p);
  return p;
}

const mapped = <T, U>(x: T | undefined, f: (x: T) => U) => (x === undefined ? undefined : f(x));

/** A copy of `p` changed by `edit`. */
function edited(p: Uint8Array, edit: (q: Uint8Array) => void): Uint8Array {
  const q = p.slice();
  edit(q);
  return q;
}

/** `p` with 4 zero bytes of IPv4 options inserted after a 20-byte header at `l` (IHL 6, lengths fixed). */
function withIpOptions(p: Uint8Array, l: number): Uint8Array {
  const q = new Uint8Array(p.length + 4);
  q.set(p.subarray(0, l + 20));
  q.set(p.subarray(l + 20), l + 24);
  q[l] = (q[l] & 0xf0) | 6;
  put16(q, l + 2, ((q[l + 2] << 8) | q[l + 3]) + 4);
  return q;
}

const put16 = (p: Uint8Array, o: number, v: number) => {
  p[o] = (v >> 8) & 0xff;
  p[o + 1] = v & 0xff;
};

/** The constant a jeq right after instruction `i` compares A with, if it does. */
function comparedWith(insns: Insn[], i: number): number | undefined {
  const j = insns[i + 1];
  return j?.kind === 'jmp' && j.src === 'k' && j.cond === 'jeq' ? j.k : undefined;
}

/**
 * Lints `program` for the mistakes hand-written filters make. Findings come in instruction order.
 * @example lint(seed001Program, { linktype: DLT.RAW }) // partial-field at 4: one byte of the UDP port
 */
export function lint(program: readonly RawInsn[], options: LintOptions = {}): LintFinding[] {
  const linktype = options.linktype ?? DLT.EN10MB;
  const profile = options.profile ?? 'linux';
  const { insns, at, loads } = programFacts(program);
  const out: LintFinding[] = [];
  const link = linkOf(linktype);
  const L = link?.base ?? 0;
  const len = Math.max(L + 64, 128);
  const verdict = (bytes: Uint8Array) =>
    run(program, bytes, { profile: profile === 'bsd' ? 'bsd' : 'linux' });
  const example = (bytes: Uint8Array | undefined, note: string) =>
    bytes && { bytes, result: verdict(bytes), note };
  // Counterexamples start from a packet the program accepts, found once, when first needed.
  let acceptedBytes: Uint8Array | null | undefined;
  const accepted = () => {
    acceptedBytes ??= acceptedPacket(program, len, (p) => verdict(p) !== 0) ?? null;
    return acceptedBytes ?? undefined;
  };

  if (link)
    for (const ld of loads) {
      const f = at[ld.index];
      if (!f) continue;
      const ipv4 = isIpv4(f, link);
      const proto = protoOf(f, link);
      const pname = proto === undefined ? undefined : PROTO_NAMES[proto];
      const k = comparedWith(insns, ld.index);
      // Ports of TCP/UDP/SCTP: [L+20, L+24) with a fixed 20-byte header, or [x+L, x+L+4) after ldx msh.
      const portBase = ld.relative === 'abs' ? L + 20 : f.xIsIhlAt === L ? L : undefined;
      const inPorts =
        portBase !== undefined &&
        pname !== undefined &&
        ipv4 &&
        ld.offset >= portBase &&
        ld.offset < portBase + 4;
      const dir = portBase !== undefined && ld.offset - portBase >= 2 ? 'dst' : 'src';
      const dirWord = dir === 'dst' ? 'destination' : 'source';
      const realPortAt = (p: Uint8Array) =>
        L + 4 * (p[L] & 0xf) + (ld.offset - (portBase ?? 0) >= 2 ? 2 : 0);

      if (inPorts && ld.size === 1) {
        const low = (ld.offset - portBase!) % 2 === 1;
        const port = k === undefined ? undefined : low ? k + 256 : (k << 8) | 1;
        out.push({
          rule: 'partial-field',
          index: ld.index,
          message: `compares one byte (the ${low ? 'low' : 'high'} one) of the ${pname} ${dirWord} port, a 2-byte field${k === undefined ? '' : `: ports ${low ? `${k}, ${k + 256}, ${k + 512} …` : `${k << 8} to ${(k << 8) + 255}`} all match`}`,
          packet: example(
            mapped(port, (v) =>
              edited(accepted() ?? packetFrom(f, len, () => {}), (p) => {
                if (p[L] >> 4 !== 4) p[L] = 0x45;
                put16(p, realPortAt(p), v);
              }),
            ),
            `${pname} ${dir} port ${port}`,
          ),
          fix: k === undefined || !low ? undefined : `${pname} ${dir} port ${k}`,
        });
      }
      if (
        ld.relative === 'abs' &&
        ipv4 &&
        ld.offset >= L + 20 &&
        pname !== undefined &&
        !out.some((x) => x.rule === 'fixed-ip-header')
      ) {
        // Past a 20-byte IPv4 header at a fixed offset: wrong (or dropped) when the header has options.
        const at20 = ld.offset - (L + 20);
        const ihl5 = pinned(f, L, 1) === 0x45;
        out.push({
          rule: 'fixed-ip-header',
          index: ld.index,
          message: ihl5
            ? `reads the ${pname} header at fixed offsets (here ${ld.offset}) and so demands a 20-byte IPv4 header ([${L}] = 0x45): every packet with IP options is dropped`
            : `reads byte ${at20} of the ${pname} header at a fixed offset (${ld.offset}), assuming a 20-byte IPv4 header; with IP options it reads the wrong bytes`,
          packet: example(
            mapped(accepted(), (a) => withIpOptions(a, L)),
            'an accepted packet with 4 bytes of IP options added (a 24-byte header)',
          ),
          fix:
            inPorts && ld.size === 2 && k !== undefined
              ? `${pname} ${dir} port ${k}`
              : `ldx 4*([${L}]&0xf), then ld [x + ${L + at20}]${inPorts && k !== undefined ? ` (or the expression "${pname} ${dir} port ${ld.size === 1 ? 'N' : k}")` : ''}`,
        });
      }
      if (inPorts && !f.notFragment.has(L + 6)) {
        out.push({
          rule: 'no-fragment-check',
          index: ld.index,
          message: `reads the ${pname} ${dirWord} port without checking for a non-first IPv4 fragment, which has no ${pname} header`,
          packet: example(
            mapped(accepted(), (a) => edited(a, (p) => put16(p, L + 6, 185))), // offset 185 * 8 = 1480
            'an accepted packet made a non-first fragment (offset 1480): its data is no transport header',
          ),
          fix: `${pname} ${dir} port ${k ?? 'N'} (libpcap adds: ldh [${L + 6}]; jset #0x1fff, drop, …)`,
        });
      }
      // Anything past the link header, read before the link's type field (or IP version) was tested.
      const unguarded =
        ld.relative === 'abs' &&
        ld.offset >= L &&
        !link.ipv4Only &&
        (link.type ? !tested(f, link.type[0], link.type[1]) : ld.offset > 0 && !tested(f, 0, 1));
      if (unguarded && !out.some((x) => x.rule === 'no-protocol-check')) {
        out.push({
          rule: 'no-protocol-check',
          index: ld.index,
          message: `reads byte ${ld.offset} before checking ${link.type ? `the ${link.type[1] === 2 ? 'EtherType' : 'link header type'}` : 'the IP version'}: every protocol's packets are read as if they were the one meant`,
          packet: example(
            mapped(k, (v) =>
              packetFrom(f, len, (p) => {
                if (!link.type) p[0] = 0x60;
                else if (link.type[1] === 2) put16(p, link.type[0], 0x0806);
                for (let i = 0; i < ld.size; i++)
                  p[ld.offset + i] = (v >>> (8 * (ld.size - 1 - i))) & 0xff;
              }),
            ),
            link.type
              ? 'an ARP frame holding the compared value there'
              : 'an IPv6 packet holding the compared value there',
          ),
          fix:
            link.type?.[1] === 2
              ? `test the EtherType first: ldh [${link.type[0]}]; jeq #0x800 (IPv4), … — or an expression such as "ip and …"`
              : `test the IP version first: ldb [0]; and #0xf0; jeq #0x40 — or an expression such as "ip and …"${ld.offset === L + 22 && k !== undefined ? ` ("udp dst port ${k}")` : ''}`,
        });
      }
      if (
        options.snaplen !== undefined &&
        ld.relative === 'abs' &&
        ld.offset + ld.size > options.snaplen
      )
        out.push({
          rule: 'past-snaplen',
          index: ld.index,
          message: `reads bytes ${ld.offset}..${ld.offset + ld.size - 1}, past the snap length ${options.snaplen}: on a capture cut there this load always fails and the program returns 0`,
        });
    }

  insns.forEach((insn, i) => {
    const f = at[i];
    if (!f) {
      if (i === 0 || at[i - 1]) {
        let j = i;
        while (j + 1 < insns.length && !at[j + 1]) j++;
        out.push({
          rule: 'unreachable',
          index: i,
          message:
            j === i
              ? `instruction ${i} is never reached`
              : `instructions ${i}-${j} are never reached`,
          fix: 'remove them (and check the jumps before them: a miscounted jt/jf is the usual cause)',
        });
      }
      return;
    }
    if (insn.kind === 'jmp' && insn.jt === insn.jf)
      out.push({
        rule: 'same-targets',
        index: i,
        message: `both edges of this ${insn.cond} go to instruction ${i + 1 + insn.jt}: the test decides nothing`,
        fix: insn.jt === 0 ? 'remove it' : `ja ${insn.jt}`,
      });
    if (insn.kind === 'ret' && insn.src === 'k' && insn.k > 0 && insn.k < f.maxRead)
      out.push({
        rule: 'short-return',
        index: i,
        message: `returns ${insn.k} bytes, but the program read up to byte ${f.maxRead - 1}: user space gets the packet cut before the headers the filter checked`,
        fix: `ret #${Math.max(f.maxRead, 0xffff) === 0xffff ? 0xffff : f.maxRead} (or #-1 for the whole packet)`,
      });
    if (insn.kind === 'ldExt' && profile === 'bsd')
      out.push({
        rule: 'ancillary-on-bsd',
        index: i,
        message: `loads the Linux ancillary field ${insn.ext}; BSD and macOS read packet offset ${(program[i].k >>> 0).toString(16)} instead, which fails, so the program returns 0`,
        fix: 'test the field in the packet itself (EtherType, VLAN header) instead',
      });
  });

  // A program meant for one platform that the other's validator judges differently (only when the
  // caller names the platform: a 600-instruction Linux filter is no mistake until it meets BSD's 512).
  if (options.profile) {
    const lin = validate(program, 'linux');
    const bsd = validate(program, 'bsd');
    if (lin.length === 0 && bsd.length > 0)
      out.push({
        rule: 'profile-mismatch',
        index: Math.max(0, bsd[0].index),
        message: `Linux accepts this program, BSD/macOS rejects it: ${bsd[0].message}`,
      });
    if (bsd.length === 0 && lin.length > 0)
      out.push({
        rule: 'profile-mismatch',
        index: Math.max(0, lin[0].index),
        message: `BSD/macOS accepts this program, Linux rejects it: ${lin[0].message}`,
      });
  }
  return out.sort((a, b) => a.index - b.index);
}
