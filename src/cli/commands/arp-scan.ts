// `cbpf arp-scan`: find which IP each host (VM) has by ARP, with the kernel dropping everything but replies.
import { parseArgs } from 'node:util';
import { CbpfError } from '../../index.js';
import {
  type ArpChange,
  type ArpHost,
  macVendor,
  scanInterface,
  watchInterface,
} from '../../node.js';
import { CliError } from '../errors.js';
import { type Command, write } from '../io.js';
import { usageError } from './usage-error.js';

const HELP = `usage: cbpf arp-scan -i IFACE [--subnet CIDR] [--mac MAC]... [--rate N] [--timeout MS]
                     [--retries N] [--watch [--interval S]] [--json]

Broadcasts ARP requests for every address of the subnet (default: the interface's own) at a
bounded rate and reports MAC → IP from the replies. A kernel filter lets only ARP replies (only
from the given MACs, with --mac) reach the program. Needs root or CAP_NET_RAW on Linux.
  -i, --interface IFACE   interface to scan from
  --subnet CIDR           e.g. 192.168.122.0/24 (at most a /16 is scanned)
  --mac MAC               only report this MAC (repeat for several); the kernel drops the rest
  --rate N                requests per second (default 100)
  --timeout MS            wait for replies after the last request (default 1000)
  --retries N             extra rounds for addresses that did not answer (default 1)
  --watch                 re-scan every --interval seconds (default 30) and print changes
  --json                  one JSON object per line
exit status: 0 done, 1 error (permissions, interface), 2 usage error
`;

function hostLine(h: ArpHost): string {
  const v = macVendor(h.mac);
  return `${h.ip.padEnd(15)}  ${h.mac}${v ? `  ${v}` : ''}`;
}

function changeLine(c: ArpChange): string {
  if (c.kind === 'moved') return `moved  ${hostLine(c.host)}  (was ${c.previousIp})`;
  return `${c.kind.padEnd(5)}  ${hostLine(c.host)}`;
}

export const arpScanCommand: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        interface: { type: 'string', short: 'i' },
        subnet: { type: 'string' },
        mac: { type: 'string', multiple: true },
        rate: { type: 'string' },
        timeout: { type: 'string' },
        retries: { type: 'string' },
        watch: { type: 'boolean' },
        interval: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usageError('arp-scan', err, HELP, io);
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const num = (s: string | undefined, name: string) => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isFinite(n) || n < 0)
      throw new CliError('BAD_OPTION', `--${name} takes a non-negative number, got '${s}'`);
    return n;
  };
  if (!v.interface) {
    io.stderr.write(`cbpf arp-scan: -i IFACE is required\n${HELP}`);
    return 2;
  }
  try {
    const options = {
      interface: v.interface,
      subnet: v.subnet,
      macs: v.mac,
      rate: num(v.rate, 'rate'),
      timeout: num(v.timeout, 'timeout'),
      retries: num(v.retries, 'retries'),
      signal: io.signal,
      onProgress:
        v.json || !process.stderr.isTTY
          ? undefined
          : (sent: number, total: number, round: number) => {
              if (sent % 16 === 0 || sent === total)
                io.stderr.write(`\rround ${round + 1}: ${sent}/${total} requests`);
              if (sent === total) io.stderr.write('\n');
            },
    };
    if (v.watch) {
      const interval = (num(v.interval, 'interval') ?? 30) * 1000;
      for await (const changes of watchInterface({ ...options, interval })) {
        for (const c of changes)
          await write(
            io.stdout,
            `${v.json ? JSON.stringify({ time: new Date().toISOString(), ...c }) : `${new Date().toISOString()}  ${changeLine(c)}`}\n`,
          );
      }
      return 0;
    }
    const hosts = await scanInterface(options);
    if (v.json)
      for (const h of hosts)
        await write(io.stdout, `${JSON.stringify({ ...h, vendor: macVendor(h.mac) })}\n`);
    else {
      for (const h of hosts) await write(io.stdout, `${hostLine(h)}\n`);
      io.stderr.write(`${hosts.length} host${hosts.length === 1 ? '' : 's'} answered\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof CbpfError || err instanceof RangeError) {
      io.stderr.write(`cbpf arp-scan: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
};
