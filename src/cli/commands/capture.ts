// `cbpf -i IFACE ...` (live capture, filtered in the kernel) and `cbpf -r FILE ...` (offline), tcpdump style.
import { parseArgs } from 'node:util';
import { EXIT_ERROR, errorLine, isExpectedError } from '../errors.js';
import { readFilterFile } from '../filter-file.js';
import type { Command } from '../io.js';
import { offline } from './offline.js';

const HELP = `usage: cbpf -i IFACE [-p] [-s SNAPLEN] [-c N] [-w FILE] [-n] [-e] [-y DLT] [-Q in|out|inout] [EXPR]
       cbpf -r FILE|- [-w FILE] [-s SNAPLEN] [-c N] [-n] [-e] [-y DLT] [-F FILE] [EXPR]
       cbpf -D | -L [-i IFACE]

Live: captures on IFACE with the filter attached in the kernel (Linux AF_PACKET; needs root or
CAP_NET_RAW) and prints one line per packet, or writes a capture file with -w. On exit prints
"N packets captured / N packets received by filter / N packets dropped by kernel".
Offline: reads a pcap/pcapng file ('-' for stdin) and prints or writes the packets the filter accepts;
-w writes the file tcpdump -r -w writes (the input's snap length and link field in the header).
EXPR is a pcap-filter expression (needs the compiler) or program text (tcpdump -ddd/-dd/-d, bpf_asm, hex).
  -i IFACE        live capture interface; 'any' captures on all of them (cooked, LINUX_SLL2)
  -D              list the interfaces a capture can use, as tcpdump -D
  -L              list the link types of -i IFACE (for -y), as tcpdump -L
  -Q DIRECTION    live: keep only frames received (in), sent (out) or both (inout, the default)
  -r FILE         read a capture file ('-' for stdin)
  -w FILE         write packets to FILE ('-' for stdout); .pcapng extension writes pcapng
  -c N            stop after N packets
  -s SNAPLEN      bytes kept per packet (default: 262144 live; offline every byte, and with -w
                  also the header's snap length, which is otherwise the input's)
  -p              do not put the interface in promiscuous mode
  -n              do not resolve names (cbpf never does; accepted for tcpdump compatibility)
  -e              print the link-level header
  -y DLT          link type, a name (EN10MB, RAW, LINUX_SLL2...) or number: live, one of those -L
                  lists (default: the interface's, as tcpdump picks it); offline, the one to
                  compile EXPR for (default: the file's)
  -F FILE         read EXPR from FILE
  --pcapng        write pcapng with -w (default: by the file's extension, else pcap)
exit status: 0 done, 1 error, 2 usage error
`;

export const capture: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        interface: { type: 'string', short: 'i' },
        read: { type: 'string', short: 'r' },
        write: { type: 'string', short: 'w' },
        count: { type: 'string', short: 'c' },
        snaplen: { type: 'string', short: 's' },
        'no-promiscuous': { type: 'boolean', short: 'p' },
        numeric: { type: 'boolean', short: 'n' },
        link: { type: 'boolean', short: 'e' },
        dlt: { type: 'string', short: 'y' },
        'list-interfaces': { type: 'boolean', short: 'D' },
        'list-data-link-types': { type: 'boolean', short: 'L' },
        direction: { type: 'string', short: 'Q' },
        file: { type: 'string', short: 'F' },
        pcapng: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.stderr.write(`cbpf: ${(err as Error).message}\n${HELP}`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(HELP);
    return 0;
  }
  try {
    const { listInterfacesCommand, listLinkTypesCommand } = await import('./live.js');
    if (v['list-interfaces']) return await listInterfacesCommand(io);
    if (v['list-data-link-types']) {
      let iface = v.interface;
      if (iface === undefined) {
        const { listInterfaces } = await import('../../node.js');
        iface = listInterfaces()[0]?.name ?? 'any';
      }
      return await listLinkTypesCommand(iface, io);
    }
  } catch (err) {
    if (!isExpectedError(err)) throw err;
    io.stderr.write(`cbpf: ${errorLine(err)}\n`);
    return EXIT_ERROR;
  }
  if (!v.interface === !v.read) {
    io.stderr.write(`cbpf: give exactly one of -i IFACE or -r FILE\n${HELP}`);
    return 2;
  }
  const count = v.count === undefined ? Infinity : Number(v.count);
  // -s 0 is tcpdump's idiom for the default snap length.
  const snaplenGiven = v.snaplen === undefined || Number(v.snaplen) === 0 ? undefined : v.snaplen;
  const snaplen = snaplenGiven === undefined ? 262_144 : Number(snaplenGiven);
  if (!(count > 0) || !Number.isInteger(snaplen) || snaplen <= 0) {
    io.stderr.write(`cbpf: bad -c or -s value\n${HELP}`);
    return 2;
  }
  const direction = v.direction;
  if (direction !== undefined && !['in', 'out', 'inout'].includes(direction)) {
    io.stderr.write(`cbpf: unknown direction '${direction}' (-Q in, out or inout)\n${HELP}`);
    return 2;
  }
  try {
    const expr = v.file !== undefined ? readFilterFile(v.file) : parsed.positionals.join(' ');
    return v.interface
      ? await (await import('./live.js')).live(
          v.interface,
          expr,
          {
            count,
            snaplen,
            promiscuous: !v['no-promiscuous'],
            link: !!v.link,
            out: v.write,
            dlt: v.dlt,
            pcapng: v.pcapng,
            direction: direction as 'in' | 'out' | 'inout' | undefined,
          },
          io,
        )
      : await offline(
          v.read as string,
          expr,
          {
            count,
            // Unset, the records stay whole and the header says the input's snap length.
            snaplen: snaplenGiven === undefined ? undefined : snaplen,
            link: !!v.link,
            out: v.write,
            dlt: v.dlt,
            pcapng: v.pcapng,
          },
          io,
        );
  } catch (err) {
    if (!isExpectedError(err)) throw err;
    io.stderr.write(`cbpf: ${errorLine(err)}\n`);
    return EXIT_ERROR;
  }
};
