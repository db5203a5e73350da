// `cbpf -i IFACE ...`, `-L` and `-D`: live capture as tcpdump does it. -w writes each ring block's frames
// straight from the ring into the output buffer (no object per frame); printing summarizes each frame.
import type { CaptureBatch } from '../../node.js';
import { type CliIo, write } from '../io.js';
import type { PacketPrinter } from '../packet-printer.js';
import { stampText } from './stamp-text.js';

export interface LiveOptions {
  count: number;
  snaplen: number;
  /** Print the link-level header (-e). */
  link: boolean;
  out?: string;
  /** -y: a link type name or number. */
  dlt?: string;
  promiscuous: boolean;
  pcapng?: boolean;
  /** -Q */
  direction?: 'in' | 'out' | 'inout';
  /** Prints each packet as the flags ask (-t..., -#, -x/-X/-A, -q, -S); else time and summary. */
  printer?: PacketPrinter;
  /** The printer's fractions in nanoseconds (--nano). */
  nano?: boolean;
}

const plural = (n: number, what: string) => `${n} packet${n === 1 ? '' : 's'} ${what}`;

/** tcpdump's statistics lines after a live capture. */
export function statsText(captured: number, s: { received: number; dropped: number }): string {
  return `${plural(captured, 'captured')}\n${plural(s.received, 'received by filter')}\n${plural(s.dropped, 'dropped by kernel')}\n`;
}

/** A DataView over `b`, made once per buffer (the output swaps between two). */
const views = new WeakMap<Uint8Array, DataView>();
function viewOf(b: Uint8Array): DataView {
  let v = views.get(b);
  if (!v) {
    v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    views.set(b, v);
  }
  return v;
}

/**
 * Appends frames [0, n) of `b` as pcap records (microsecond stamps, little-endian) to `out`: headers
 * through a DataView, the bytes four at a time (a subarray per frame would be an object per frame).
 */
export function appendPcap(
  out: { buf: Uint8Array; length: number; reserve(n: number): void },
  b: CaptureBatch,
  n: number,
): void {
  const src = b.buffer;
  const sv = viewOf(src);
  const data = b.data;
  const caplens = b.caplen;
  const wirelens = b.wirelen;
  const secs = b.sec;
  const nsecs = b.nsec;
  let dst = out.buf;
  let dv = viewOf(dst);
  let p = out.length;
  for (let i = 0; i < n; i++) {
    const caplen = caplens[i] as number;
    if (p + 16 + caplen > dst.length) {
      out.length = p;
      out.reserve(16 + caplen);
      dst = out.buf;
      dv = viewOf(dst);
      p = out.length;
    }
    dv.setUint32(p, secs[i] as number, true);
    dv.setUint32(p + 4, ((nsecs[i] as number) / 1000) | 0, true);
    dv.setUint32(p + 8, caplen, true);
    dv.setUint32(p + 12, wirelens[i] as number, true);
    const s = data[i] as number;
    const d = p + 16;
    if (caplen <= 256) {
      const words = caplen & ~3;
      let j = 0;
      for (; j < words; j += 4) dv.setUint32(d + j, sv.getUint32(s + j, true), true);
      for (; j < caplen; j++) dst[d + j] = src[s + j] as number;
    } else dst.set(src.subarray(s, s + caplen), d);
    p = d + caplen;
  }
  out.length = p;
}

/** A pcap record sink: write() takes frames [0, n) of a batch; close() flushes and closes. */
interface PcapSink {
  write(b: CaptureBatch, n: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * pcap records to `path` ('-': stdout). A regular file is written from the ring itself: each record's
 * header goes in the room before its frame and writev(2) takes the spans (src/node/linux/ring-spans.ts),
 * so no frame is copied in JavaScript; batches not in mapped memory (/dev/bpf) are copied and written.
 * Anything else goes through the buffered output (large writes, backpressure).
 */
async function pcapSink(path: string, header: Uint8Array, io: CliIo): Promise<PcapSink> {
  const { fstatSync, writeSync } = await import('node:fs');
  if (path !== '-') {
    // A regular file goes to a temporary file beside it, renamed over it at the end (also after a
    // signal), so no half-written capture ever stands where the output should be.
    const { AtomicFile } = await import('../../internal.js');
    const file = AtomicFile.open(path);
    const fd = file.fd;
    if (file.atomic && fstatSync(fd).isFile()) {
      writeSync(fd, header);
      // The length up to the last batch written whole: a failed write (a full disk) is cut back to it.
      let whole = header.length;
      let failed = false;
      const { RingSpanWriter } = await import('../../node.js');
      const spans = new RingSpanWriter(fd);
      const copy = { buf: new Uint8Array(1 << 20), length: 0, reserve() {} };
      return {
        async write(b, n) {
          try {
            await writeBatch(b, n);
            whole = fstatSync(fd).size;
          } catch (e) {
            failed = true;
            throw e;
          }
        },
        async close() {
          file.commit(failed ? whole : undefined);
        },
      };
      async function writeBatch(b: Parameters<PcapSink['write']>[0], n: number) {
        if (RingSpanWriter.fits(b)) return spans.write(b, n);
        for (let i = 0; i < n; ) {
          // In slices that fit the copy buffer.
          let j = i;
          let size = 0;
          while (j < n && (j === i || size + 16 + (b.caplen[j] as number) <= copy.buf.length))
            size += 16 + (b.caplen[j++] as number);
          if (size > copy.buf.length) copy.buf = new Uint8Array(size);
          copy.length = 0;
          appendPcap(
            copy,
            {
              ...b,
              data: b.data.subarray(i),
              caplen: b.caplen.subarray(i),
              wirelen: b.wirelen.subarray(i),
              sec: b.sec.subarray(i),
              nsec: b.nsec.subarray(i),
            },
            j - i,
          );
          for (let at = 0; at < copy.length; ) at += writeSync(fd, copy.buf, at, copy.length - at);
          i = j;
        }
      }
    }
    file.discard();
  }
  const { BufferedOutput } = await import('../../internal.js');
  const out = new BufferedOutput(path === '-' ? io.stdout : path);
  out.append(header);
  if (path !== '-') out.flush();
  return {
    async write(b, n) {
      appendPcap(out, b, n);
      await out.drained();
    },
    close: () => out.close(),
  };
}

/** tcpdump -D. */
export async function listInterfacesCommand(io: CliIo): Promise<number> {
  const { listInterfaces, describeInterface } = await import('../../node.js');
  const lines = listInterfaces().map((i, n) => `${n + 1}.${describeInterface(i)}\n`);
  await write(io.stdout, lines.join(''));
  return 0;
}

/** tcpdump -L -i IFACE (the list goes to stderr, as tcpdump 4.99 prints it). */
export async function listLinkTypesCommand(iface: string, io: CliIo): Promise<number> {
  const { interfaceInfo, linktypeLabel, NOT_PRINTED } = await import('../../node.js');
  const info = interfaceInfo(iface);
  io.stderr.write(
    `Data link types for ${iface} (use option -y to set):\n${info.linktypes
      .map(
        (lt) => `  ${linktypeLabel(lt)}${NOT_PRINTED.has(lt) ? ' (printing not supported)' : ''}\n`,
      )
      .join('')}`,
  );
  return 0;
}

/** Captures on `iface` until the count, a signal, or an error; prints tcpdump's statistics in every case. */
export async function live(
  iface: string,
  expr: string,
  o: LiveOptions,
  io: CliIo,
): Promise<number> {
  const { openCapture, linktypeLabel } = await import('../../node.js');
  // Compiling and opening run where a stop signal ends the process at once, as it ends tcpdump
  // before its handlers are installed (src/cli/signals.ts).
  const uninterruptible = io.uninterruptible ?? (<T>(work: () => T) => work());
  const cap = await uninterruptible(() =>
    openCapture({
      interface: iface,
      filter: expr || undefined,
      snaplen: o.snaplen,
      promiscuous: o.promiscuous,
      signal: io.signal,
      linktype: o.dlt,
      direction: o.direction,
    }),
  );
  const linktype = cap.linktype;
  const label = linktypeLabel(linktype);
  // tcpdump names the link type it set: with -y, and on `any` (where it picks LINUX_SLL2 itself).
  if (o.dlt !== undefined || iface === 'any')
    io.stderr.write(`cbpf: data link type ${label.split(' ')[0]}\n`);
  const listening = `listening on ${iface}, link-type ${label.startsWith('linktype-') ? linktype : label}, snapshot length ${cap.snaplen} bytes\n`;
  // Counted as frames go out, so an error part-way still reports what was captured.
  const done = { n: 0 };
  let failure: unknown;
  try {
    if (o.out) await writeFile(cap, o, io, listening, done);
    else {
      io.stderr.write(
        `cbpf: verbose output suppressed, use -v[v]... for full protocol decode\n${listening}`,
      );
      await printFrames(cap, o, io, done);
      // tcpdump ends a line it may have cut short when interrupted.
      if (io.signal?.aborted) await write(io.stdout, '\n');
    }
  } catch (e) {
    failure = e;
  } finally {
    cap.close();
  }
  if (failure) io.stderr.write(`cbpf: ${(failure as Error).message}\n`);
  io.stderr.write(statsText(done.n, cap.stats()));
  return failure ? 1 : 0;
}

async function printFrames(
  cap: Awaited<ReturnType<typeof import('../../node.js').openCapture>>,
  o: LiveOptions,
  io: CliIo,
  done: { n: number },
): Promise<void> {
  const { summarize, createTcpSeqState } = await import('../../packets.js');
  const tcpSeq = createTcpSeqState();
  for await (const b of cap.batches()) {
    let text = '';
    const take = Math.min(b.n, o.count - done.n);
    for (let i = 0; i < take; i++) {
      const at = b.data[i] as number;
      const ns = BigInt(b.sec[i] as number) * 1_000_000_000n + BigInt(b.nsec[i] as number);
      const data = b.buffer.subarray(at, at + (b.caplen[i] as number));
      text += o.printer
        ? o.printer.text({
            time: {
              sec: b.sec[i] as number,
              frac: o.nano ? (b.nsec[i] as number) : Math.floor((b.nsec[i] as number) / 1000),
            },
            data,
            wirelen: b.wirelen[i] as number,
            linktype: b.linktype,
          })
        : `${stampText(ns)} ${summarize(data, b.linktype, { link: o.link, wirelen: b.wirelen[i] as number, tcpSeq })}\n`;
    }
    done.n += take;
    if (text) await write(io.stdout, text);
    if (done.n >= o.count) break;
  }
}

/** -w: pcap records from each batch (see pcapSink), pcapng through its writer. */
async function writeFile(
  cap: Awaited<ReturnType<typeof import('../../node.js').openCapture>>,
  o: LiveOptions,
  io: CliIo,
  listening: string,
  done: { n: number },
): Promise<void> {
  const path = o.out as string;
  const pcapng = o.pcapng || /\.pcapng$/i.test(path);
  if (pcapng) {
    const { BufferedOutput } = await import('../../internal.js');
    const { PcapngWriter, nanoseconds } = await import('../../pcap.js');
    const out = new BufferedOutput(path === '-' ? io.stdout : path);
    io.stderr.write(`cbpf: ${listening}`);
    try {
      const w = new PcapngWriter({ linktype: cap.linktype, snaplen: cap.snaplen });
      out.append(w.header());
      for await (const b of cap.batches()) {
        const take = Math.min(b.n, o.count - done.n);
        for (let i = 0; i < take; i++) {
          const at = b.data[i] as number;
          out.append(
            w.write({
              timestampNs: nanoseconds(b.sec[i] as number, b.nsec[i] as number),
              data: b.buffer.subarray(at, at + (b.caplen[i] as number)),
              wirelen: b.wirelen[i] as number,
            }),
          );
        }
        done.n += take;
        await out.drained();
        if (done.n >= o.count) break;
      }
    } finally {
      await out.close();
    }
    return;
  }
  const { PcapWriter } = await import('../../pcap.js');
  const sink = await pcapSink(
    path,
    new PcapWriter({ linktype: cap.linktype, snaplen: cap.snaplen }).header(),
    io,
  );
  io.stderr.write(`cbpf: ${listening}`);
  try {
    for await (const b of cap.batches()) {
      const take = Math.min(b.n, o.count - done.n);
      await sink.write(b, take);
      done.n += take;
      if (done.n >= o.count) break;
    }
  } finally {
    await sink.close();
  }
}
