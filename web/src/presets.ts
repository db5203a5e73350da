// Ready-made filters (src/filters) to start from: each as its hand-written program in bpf_asm and
// as the pcap-filter expression that gives the same verdicts.

import { arpReply, dhcp, dns, http, icmp, type ReadyFilter } from '../../src/filters.js';
import { printBpfAsm } from '../../src/index.js';

export interface Preset {
  readonly label: string;
  readonly text: string;
  readonly linktype: string;
}

const FILTERS: readonly [string, ReadyFilter][] = [
  ['ARP replies (seed 000)', arpReply()],
  ['DHCP', dhcp()],
  ['DNS', dns()],
  ['HTTP/HTTPS', http()],
  ['ICMP', icmp()],
];

export const PRESETS: readonly Preset[] = FILTERS.flatMap(([name, f]) => [
  { label: `${name}: program`, text: printBpfAsm(f.program), linktype: f.linktype },
  { label: `${name}: expression`, text: f.expression, linktype: f.linktype },
]);
