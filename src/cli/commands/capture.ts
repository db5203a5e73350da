// `cbpf -i IFACE ...` (live capture, filtered in the kernel) and `cbpf -r FILE ...` (offline), tcpdump style.
import { parseArgs } from 'node:util';
import { EXIT_ERROR, errorLine, isExpectedError } from '../errors.js';
import { readFilterFile } from '../filter-file.js';
import { type Command, write } from '../io.js';
import { offline } from './offline.js';
import { stampText } from './stamp-text.js';

const HELP = `usage: cbpf -i IFACE [-p] [-s SNAPLEN] [-c N] [-w FILE] [-n] [-e] [EXPR]
       cbpf -r FILE|- [-w FILE] [-s SNAPLEN] [-c N] [-n] [-e] [-y DLT] [-F FILE] [EXPR]

Live: captures on IFACE with the filter attached in the kernel (Linux AF_PACKET; needs root or
CAP_NET_RAW) and prints one line per packet, or writes a capture file with -w. On exit prints
"N packets captured / N packets received by filter / N packets dropped by kernel".
Offline: reads a pcap/pcapng file ('-' for stdin) and prints or writes the packets the filter accepts;
-w writes the file tcpdump -r -w writes (the input's snap length and link field in the header).
EXPR is a pcap-filter expression (needs the compiler) or program text (tcpdump -ddd/-dd/-d, bpf_asm, hex).
  -i IFACE        live capture interface
  -r FILE         read a capture file ('-' for stdin)
  -w FILE         write packets to FILE ('-' for stdout); .pcapng extension writes pcapng
  -c N            stop after N packets
  -s SNAPLEN      bytes kept per packet (default: 262144 live; offline every byte, and with -w
                  also the header's snap length, which is otherwise the input's)
  -p              do not put the interface in promiscuous mode
  -n              do not resolve names (cbpf never does; accepted for tcpdump compatibility)
  -e              print the link-level header
  -y DLT          link type for compiling EXPR (default: the file's / Ethernet)
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
  try {
    const expr = v.file !== undefined ? readFilterFile(v.file) : parsed.positionals.join(' ');
    return v.interface
      ? await live(
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

interface Opts {
  count: number;
  snaplen: number;
  link: boolean;
  out?: string;
  dlt?: string;
  promiscuous?: boolean;
  pcapng?: boolean;
}

async function live(
  iface: string,
  expr: string,
  o: Opts,
  io: Parameters<Command>[1],
): Promise<number> {
  const { openCapture } = await import('../../node/capture.js');
  const { summarize } = await import('../../packets/summary.js');
  const { createTcpSeqState } = await import('../../packets/tcp-seq.js');
  const linktype = o.dlt ? Number(o.dlt) : 1;
  // Compiling and opening run where a stop signal ends the process at once, as it ends tcpdump
  // before its handlers are installed (src/cli/signals.ts).
  const signal = io.signal;
  const uninterruptible = io.uninterruptible ?? (<T>(work: () => T) => work());
  const cap = await uninterruptible(() =>
    openCapture({
      interface: iface,
      filter: expr || undefined,
      snaplen: o.snaplen,
      promiscuous: o.promiscuous,
      signal,
      linktype,
    }),
  );
  const { createCaptureFileWriter } = await import('../../node/files.js');
  const writer = o.out
    ? createCaptureFileWriter(o.out, {
        format: o.pcapng || /\.pcapng$/i.test(o.out) ? 'pcapng' : 'pcap',
        linktype,
        snaplen: o.snaplen,
        stdout: io.stdout,
      })
    : undefined;
  if (!writer)
    io.stderr.write(
      `cbpf: listening on ${iface}, link-type EN10MB (Ethernet), snapshot length ${o.snaplen} bytes\n`,
    );
  let n = 0;
  const tcpSeq = createTcpSeqState();
  try {
    // A batch at a time (a ring block, a /dev/bpf read): one await and one write per batch, not per frame.
    outer: for await (const batch of cap.batches()) {
      let text = '';
      for (const f of batch) {
        // A stop signal ends the capture at the frame it arrives at, not at the batch's end.
        if (signal?.aborted) break outer;
        const ns = BigInt(Math.round(f.timestamp * 1e6));
        if (writer) await writer.write({ timestampNs: ns, data: f.data, wireLength: f.wireLength });
        else
          text += `${stampText(ns)} ${summarize(f.data, linktype, { link: o.link, wireLength: f.wireLength, tcpSeq })}\n`;
        if (++n >= o.count) {
          if (text) await write(io.stdout, text);
          break outer;
        }
      }
      if (text) await write(io.stdout, text);
    }
  } finally {
    cap.close();
    await writer?.close();
  }
  const s = cap.stats();
  io.stderr.write(
    `\n${n} packets captured\n${s.received} packets received by filter\n${s.dropped} packets dropped by kernel\n`,
  );
  return 0;
}
