// `cbpf -i IFACE ...` (live capture, filtered in the kernel) and `cbpf -r FILE ...` (offline), tcpdump style.
// The flags are read by ../tcpdump.ts; this file keeps the live runner.
import { type Command, write } from '../io.js';
import type { PacketPrinter } from '../packet-printer.js';
import { tcpdumpCommand } from '../tcpdump.js';
import { helpText } from '../usage.js';
import { stampText } from './stamp-text.js';

export const capture: Command = (argv, io) => tcpdumpCommand(argv, io, live, helpText);

interface Opts {
  count: number;
  snaplen: number;
  link: boolean;
  out?: string;
  dlt?: string;
  promiscuous?: boolean;
  pcapng?: boolean;
  /** Prints each packet as the flags ask (-t..., -#, -x/-X/-A, -q, -S); else time and summary. */
  printer?: PacketPrinter;
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
  const cap = await openCapture({
    interface: iface,
    filter: expr || undefined,
    snaplen: o.snaplen,
    promiscuous: o.promiscuous,
    signal: io.signal,
    linktype,
  });
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
        const ns = BigInt(Math.round(f.timestamp * 1e6));
        if (writer) await writer.write({ timestampNs: ns, data: f.data, wireLength: f.wireLength });
        else
          text += o.printer
            ? o.printer.text({
                time: { sec: Number(ns / 1_000_000_000n), frac: Number((ns / 1000n) % 1_000_000n) },
                data: f.data,
                wireLength: f.wireLength,
                linktype,
              })
            : `${stampText(ns)} ${summarize(f.data, linktype, { link: o.link, wireLength: f.wireLength, tcpSeq })}\n`;
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
