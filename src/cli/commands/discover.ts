// `cbpf discover`: which IPv4 and IPv6 addresses each host (VM) on a link has, found by ARP, IPv6
// neighbour discovery and the link's own DHCP/ARP/ND traffic, with the kernel passing only what matters.
import { parseArgs } from 'node:util';
import { CbpfError } from '../../index.js';
import { type Change, discover, type Neighbor } from '../../node.js';
import { CliError } from '../errors.js';
import { type Command, write } from '../io.js';
import { usageError } from './usage-error.js';

const HELP = `usage: cbpf discover -i IFACE [--mac MAC]... [--subnet CIDR] [--watch [--interval S]] [--json]
                     [--rate N] [--timeout MS] [--rounds N]

Finds the addresses of the hosts on a link: ARP requests to the IPv4 subnet (default: the
interface's own), IPv6 neighbour solicitations for each --mac's EUI-64 addresses and an echo to
all nodes (ff02::1), and what the link says by itself (DHCP and DHCPv6 leases, gratuitous ARP,
duplicate-address probes, neighbour advertisements). With --mac a kernel filter drops every other
host's frames. Prints MAC, vendor and each address with how it was learned; with --watch, then the
changes: new, moved (to another MAC) and gone. Needs root or CAP_NET_RAW on Linux.
  -i, --interface IFACE   interface to probe and listen on
  --mac MAC               only this host (repeat for several; about 1,000 fit the kernel filter)
  --subnet CIDR           IPv4 subnet to ARP (at most a /16)
  --rounds N              probe rounds of the first discovery (default 2)
  --rate N                probes per second (default 1000)
  --timeout MS            listen after each round's last probe (default 1500)
  --watch                 keep probing every --interval seconds (default 30) and print changes
  --json                  the table as JSON; with --watch one JSON change per line
exit status: 0 done, 1 error (permissions, interface), 2 usage error
`;

function tableText(neighbors: Neighbor[]): string {
  const rows = neighbors.flatMap((n) =>
    n.addresses.map((a, i) => [
      i === 0 ? n.mac : '',
      i === 0 ? (n.vendor ?? '') : '',
      a.ip,
      a.how.join(','),
      new Date(a.firstSeen).toISOString().slice(11, 23),
      new Date(a.lastSeen).toISOString().slice(11, 23),
    ]),
  );
  const head = ['MAC', 'VENDOR', 'ADDRESS', 'LEARNED BY', 'FIRST SEEN', 'LAST SEEN'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r
      .map((x, c) => x.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  return `${[head, ...rows].map(line).join('\n')}\n`;
}

function changeText(c: Change): string {
  const t = new Date(c.time).toISOString();
  if (c.kind === 'moved') return `${t}  moved  ${c.ip}  ${c.from} -> ${c.mac}  (${c.how})`;
  if (c.kind === 'new') return `${t}  new    ${c.ip}  ${c.mac}  (${c.how})`;
  return `${t}  gone   ${c.ip}  ${c.mac}  (last seen ${new Date(c.lastSeen).toISOString()})`;
}

export const discoverCommand: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        interface: { type: 'string', short: 'i' },
        mac: { type: 'string', multiple: true },
        subnet: { type: 'string' },
        rounds: { type: 'string' },
        rate: { type: 'string' },
        timeout: { type: 'string' },
        watch: { type: 'boolean' },
        interval: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usageError('discover', err, HELP, io);
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (!v.interface) {
    io.stderr.write(`cbpf discover: -i IFACE is required\n${HELP}`);
    return 2;
  }
  const num = (s: string | undefined, name: string) => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isFinite(n) || n < 0)
      throw new CliError('BAD_OPTION', `--${name} takes a non-negative number, got '${s}'`);
    return n;
  };
  try {
    const d = discover({
      interface: v.interface,
      macs: v.mac,
      subnet: v.subnet,
      rounds: num(v.rounds, 'rounds'),
      rate: num(v.rate, 'rate'),
      timeout: num(v.timeout, 'timeout'),
      watch: v.watch,
      interval: v.watch ? (num(v.interval, 'interval') ?? 30) * 1000 : undefined,
      signal: io.signal,
    });
    let first = true;
    for await (const c of d) {
      if (!v.watch) continue;
      if (v.json)
        await write(
          io.stdout,
          `${JSON.stringify({ ...c, time: new Date(c.time).toISOString() })}\n`,
        );
      else {
        if (first) io.stderr.write('watching; changes follow\n');
        first = false;
        await write(io.stdout, `${changeText(c)}\n`);
      }
    }
    if (!v.watch) {
      const neighbors = d.neighbors();
      if (v.json)
        await write(
          io.stdout,
          `${JSON.stringify({ interface: v.interface, neighbors }, null, 2)}\n`,
        );
      else await write(io.stdout, tableText(neighbors));
      const n = neighbors.length;
      io.stderr.write(
        `${n} host${n === 1 ? '' : 's'}, ${neighbors.reduce((s, x) => s + x.addresses.length, 0)} addresses\n`,
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof CbpfError || err instanceof RangeError) {
      io.stderr.write(`cbpf discover: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
};
