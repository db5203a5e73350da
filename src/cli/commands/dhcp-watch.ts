// `cbpf dhcp-watch`: print DHCP and DHCPv6 lease events seen on an interface, filtered in the kernel,
// and keep the lease table they make (--table), with expiry.
import { parseArgs } from 'node:util';
import { CbpfError } from '../../index.js';
import {
  type Dhcp6Event,
  type DhcpEvent,
  formatDhcp6Event,
  formatDhcpEvent,
  type Lease,
  type LeaseEnd,
  LeaseTable,
  watchDhcp,
} from '../../node.js';
import { type Command, write } from '../io.js';
import { usageError } from './usage-error.js';

const HELP = `usage: cbpf dhcp-watch -i IFACE [-c COUNT] [--table] [--json] [--no-promiscuous]

Prints one line per DHCP message (DISCOVER, OFFER, REQUEST, ACK, NAK, RELEASE ...) with the client MAC,
requested or assigned IP, hostname and server, and per DHCPv6 message (SOLICIT, ADVERTISE, REQUEST,
REPLY, RENEW, RELEASE ...) with the client DUID (its MAC when the DUID holds one) and IA addresses.
A kernel filter passes only UDP to ports 67/68/546/547. It keeps a lease table from ACKs and REPLYs,
ended by RELEASE, DECLINE, NAK or expiry. Needs root or CAP_NET_RAW on Linux. Stops on Ctrl-C or
after COUNT events.
  -i, --interface IFACE   interface to watch
  -c, --count N           stop after N events
  --table                 print lease ends as they happen and the lease table at the end
  --json                  one JSON object per line: events, {"ended": ...} and at the end {"leases": [...]}
  --no-promiscuous        only frames addressed to this host (broadcasts still arrive)
exit status: 0 done, 1 error (permissions, interface), 2 usage error
`;

const when = (ms?: number) => (ms === undefined ? 'never' : new Date(ms).toISOString());

/** The lease table as aligned text. */
export function leaseTableText(leases: readonly Lease[]): string {
  const head = ['ADDRESS', 'CLIENT', 'HOSTNAME', 'SERVER', 'GRANTED', 'EXPIRES'];
  const rows = leases.map((l) => [
    l.ip,
    l.mac ?? `duid ${l.duid}`,
    l.hostname ?? '',
    l.server ?? '',
    when(l.granted),
    when(l.expires),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r
      .map((x, c) => x.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  return `${[head, ...rows].map(line).join('\n')}\n`;
}

const endText = (e: LeaseEnd) =>
  `lease ${e.reason}: ${e.lease.ip} of ${e.lease.mac ?? `duid ${e.lease.duid}`}`;

export const dhcpWatchCommand: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        interface: { type: 'string', short: 'i' },
        count: { type: 'string', short: 'c' },
        table: { type: 'boolean' },
        json: { type: 'boolean' },
        'no-promiscuous': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usageError('dhcp-watch', err, HELP, io);
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const count = v.count === undefined ? Number.POSITIVE_INFINITY : Number(v.count);
  if (!v.interface || !(count > 0)) {
    io.stderr.write(
      `cbpf dhcp-watch: -i IFACE is required and -c takes a positive number\n${HELP}`,
    );
    return 2;
  }
  const stop = new AbortController();
  io.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  const table = new LeaseTable();
  const out = (s: string) => write(io.stdout, `${s}\n`);
  const ended = async (ends: LeaseEnd[]) => {
    for (const e of ends)
      if (v.json) await out(JSON.stringify({ ended: e.reason, lease: e.lease }));
      else if (v.table) await out(endText(e));
  };
  // Leases run out while nothing is on the wire, so expiry has its own clock.
  const ticker = setInterval(() => void ended(table.expire(Date.now())), 1000);
  ticker.unref();
  let seen = 0;
  try {
    for await (const e of watchDhcp({
      interface: v.interface,
      promiscuous: !v['no-promiscuous'],
      signal: stop.signal,
    })) {
      const ends = e.family === 4 ? table.apply(e) : table.apply6(e);
      await out(v.json ? JSON.stringify({ ...e, time: new Date(e.time).toISOString() }) : line(e));
      await ended(ends);
      if (++seen >= count) stop.abort();
    }
    await ended(table.expire(Date.now()));
    if (v.json) await out(JSON.stringify({ leases: table.leases() }));
    else if (v.table) await write(io.stdout, leaseTableText(table.leases()));
    return 0;
  } catch (err) {
    if (err instanceof CbpfError || err instanceof RangeError) {
      io.stderr.write(`cbpf dhcp-watch: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    clearInterval(ticker);
  }
};

const line = (e: DhcpEvent | Dhcp6Event) =>
  e.family === 4 ? formatDhcpEvent(e) : formatDhcp6Event(e);
