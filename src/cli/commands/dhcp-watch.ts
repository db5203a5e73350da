// `cbpf dhcp-watch`: print DHCP lease events on an interface, filtered in the kernel.
import { parseArgs } from 'node:util';
import { formatDhcpEvent, watchDhcp } from '../../apps/dhcp-watch/index.js';
import { CbpfError } from '../../core/errors.js';
import { type Command, write } from '../io.js';

const HELP = `usage: cbpf dhcp-watch -i IFACE [-c COUNT] [--json] [--no-promiscuous]

Prints one line per DHCP message (DISCOVER, OFFER, REQUEST, ACK, NAK, ...) with the client MAC,
requested or assigned IP, hostname and server. A kernel filter passes only UDP to ports 67/68.
Needs root or CAP_NET_RAW on Linux. Stops on Ctrl-C or after COUNT events.
  -i, --interface IFACE   interface to watch
  -c, --count N           stop after N events
  --json                  one JSON object per line
  --no-promiscuous        only frames addressed to this host (broadcasts still arrive)
exit status: 0 done, 1 error (permissions, interface), 2 usage error
`;

export const dhcpWatchCommand: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        interface: { type: 'string', short: 'i' },
        count: { type: 'string', short: 'c' },
        json: { type: 'boolean' },
        'no-promiscuous': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.stderr.write(`cbpf dhcp-watch: ${(err as Error).message}\n${HELP}`);
    return 2;
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
  let seen = 0;
  try {
    for await (const e of watchDhcp({
      interface: v.interface,
      promiscuous: !v['no-promiscuous'],
      signal: stop.signal,
    })) {
      await write(
        io.stdout,
        `${v.json ? JSON.stringify({ ...e, time: new Date(e.time).toISOString() }) : formatDhcpEvent(e)}\n`,
      );
      if (++seen >= count) stop.abort();
    }
    return 0;
  } catch (err) {
    if (err instanceof CbpfError || err instanceof RangeError) {
      io.stderr.write(`cbpf dhcp-watch: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
};
