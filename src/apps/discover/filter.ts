// The kernel filter discovery attaches: ARP; ICMPv6 neighbour solicitations, advertisements and echo
// replies; DHCP and DHCPv6 from clients — all only from the MACs asked about, through the MAC-set
// search tree on the Ethernet source — and DHCP/DHCPv6 server replies, which name the client inside.
import type { Stmt } from '../../compiler/ir.js';
import type { RawInsn } from '../../core/insn.js';
import { ld, ldx } from '../../core/insn.js';
import { type BlockBuilder, macSetProgram, programFromBlocks } from '../../filters/mac-set.js';

type BlockId = number;

const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const UDP = 17;
const ICMPV6 = 58;

/** The protocol tests in front of the MAC test (`mine`), with server replies accepted directly. */
function guard(b: BlockBuilder, mine: BlockId, accept: number): BlockId {
  const drop = b.ret(0);
  const yes = b.ret(accept);
  const s = (x: ReturnType<typeof ld.abs>) => x as Stmt;
  const br = (cond: 'jeq' | 'jgt' | 'jge' | 'jset', k: number, t: BlockId, f: BlockId) =>
    ({ kind: 'branch', cond, src: 'k', k, t, f }) as const;
  const test = (
    stmts: Stmt[],
    cond: 'jeq' | 'jgt' | 'jge' | 'jset',
    k: number,
    t: BlockId,
    f: BlockId,
  ) => b.add(stmts, br(cond, k, t, f));

  // IPv6 UDP: from a DHCPv6 server (547) always, from a client (546) if the MAC is ours.
  const v6client = test([], 'jeq', 546, mine, drop);
  const v6udp = test([s(ld.abs(54, 2))], 'jeq', 547, yes, v6client);
  // ICMPv6 types 135 (NS), 136 (NA), 129 (echo reply).
  const nsna = test([], 'jgt', 136, drop, mine);
  const atLeast135 = test([], 'jge', 135, nsna, drop);
  const icmp6 = test([s(ld.abs(54, 1))], 'jeq', 129, mine, atLeast135);
  const v6udpOrIcmp = test([], 'jeq', UDP, v6udp, drop);
  const v6 = test([s(ld.abs(20, 1))], 'jeq', ICMPV6, icmp6, v6udpOrIcmp);
  // IPv4 UDP, first fragments: from a DHCP server (67) always, from a client (68) if ours.
  const v4client = test([], 'jeq', 68, mine, drop);
  const v4ports = test([s(ldx.msh(14)), s(ld.ind(14, 2))], 'jeq', 67, yes, v4client);
  const v4frag = test([s(ld.abs(20, 2))], 'jset', 0x1fff, drop, v4ports);
  const v4 = test([s(ld.abs(23, 1))], 'jeq', UDP, v4frag, drop);
  const isV4 = test([], 'jeq', ETHERTYPE_IPV4, v4, drop);
  const isV6 = test([], 'jeq', ETHERTYPE_IPV6, v6, isV4);
  return test([s(ld.abs(12, 2))], 'jeq', ETHERTYPE_ARP, mine, isV6);
}

/** The filter for `macs` (all hosts when empty); accepted frames return `accept` bytes. */
export function discoveryFilter(macs: readonly string[], accept = 0xffff): RawInsn[] {
  return macs.length
    ? macSetProgram(macs, { offset: 6, accept, guard: (b, tree) => guard(b, tree, accept) })
    : programFromBlocks((b) => guard(b, b.ret(accept), accept));
}
