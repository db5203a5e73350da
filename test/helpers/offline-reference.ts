// The record-at-a-time `cbpf -r` that the chunked one replaced, kept as the oracle its output must
// equal byte for byte: records from openCaptureFile, the JIT per record, the streaming file writer.
// Its output header follows tcpdump -w's (the input's snap length and link-field upper bits, -s only
// when given), as the command's does.

import type { OfflineOptions } from '../../src/cli/commands/offline.js';
import { type CliIo, write } from '../../src/cli/io.js';
import { createPacketPrinter, type PacketPrinter } from '../../src/cli/packet-printer.js';
import { linktypeByName } from '../../src/compiler/index.js';
import type { Program } from '../../src/core/encode.js';
import { CbpfError } from '../../src/core/errors.js';
import type { CompiledFilter } from '../../src/core/filter.js';
import { compileFilter } from '../../src/core/select.js';
import { createCaptureFileWriter, openCaptureFile } from '../../src/node/files.js';
import { resolveFilter } from '../../src/node/resolve-filter.js';
import { type ClassicHeader, parseClassicHeader } from '../../src/pcap/classic.js';
import type { PcapngRawBlock } from '../../src/pcap/pcapng.js';
import { largestSnaplen } from '../../src/pcap/record.js';

const NO_DUMP = {
  hex: 0,
  hexAscii: 0,
  ascii: 0,
  nano: false,
  number: false,
  quiet: 0,
  absoluteSeq: false,
};

async function offline(
  path: string,
  expr: string,
  o: OfflineOptions,
  io: CliIo,
  inputHeader: Uint8Array | undefined,
): Promise<number> {
  let program: Program | undefined;
  let filter: CompiledFilter | undefined;
  let programLinktype = -1;
  const forced = o.dlt === undefined ? undefined : (linktypeByName(String(o.dlt)) ?? Number(o.dlt));
  if (forced !== undefined && Number.isNaN(forced))
    throw new CbpfError('BAD_LINKTYPE', `unknown link type '${o.dlt}'`);
  let writer: ReturnType<typeof createCaptureFileWriter> | undefined;
  let n = 0;
  let printer: PacketPrinter | undefined;
  let first: { linktype: number; snaplen: number } | undefined;
  // A pcap output keeps a classic input's link-field upper bits (FCS length), read from its header.
  const pcapOut = o.out !== undefined && !o.pcapng && !/\.pcapng$/i.test(o.out);
  const h = inputHeader ? classicHeaderOf(inputHeader) : undefined;
  const ext = pcapOut && h ? h.linkExtension : 0;
  const outLinktype = (lt: number) => (lt | ext) >>> 0;
  // libpcap's reading of a snap length: not positive as an int32, it is the link type's largest;
  // a pcapng's is kept.
  const kuznetzovEthernet = h?.recordHeaderLength === 24 && h.linktype === 1 ? 14 : 0;
  const headerSnaplen = (snap: number) =>
    h
      ? (h.snaplen | 0) <= 0
        ? largestSnaplen(h.linktype) + kuznetzovEthernet
        : Math.min(h.snaplen + kuznetzovEthernet, 0x7fff_ffff)
      : snap || 262144;
  // A pcapng interface's, as libpcap adjusts it: 0 or past INT_MAX is the link type's largest.
  const ngSnaplen = (i: { linktype: number; snaplen: number }) =>
    i.snaplen === 0 || i.snaplen > 0x7fff_ffff ? largestSnaplen(i.linktype) : i.snaplen;
  // An expression that does not compile leaves no output, as tcpdump compiles before it opens one.
  let compiled = false;
  // A pcapng's first interface gives the header of an output without records, as libpcap opens
  // the file at that interface.
  let firstIdb: { linktype: number; snaplen: number } | undefined;
  const onBlock = (b: PcapngRawBlock) => {
    if (b.type !== 1 || firstIdb || b.body.length < 8) return;
    const dv = new DataView(b.body.buffer, b.body.byteOffset, 8);
    firstIdb = {
      linktype: dv.getUint16(0, b.littleEndian),
      snaplen: dv.getUint32(4, b.littleEndian),
    };
  };
  try {
    for await (const rec of openCaptureFile(path, { stdin: io.stdin, onBlock })) {
      first ??= { linktype: rec.linktype, snaplen: rec.snaplen };
      if (programLinktype !== rec.linktype) {
        programLinktype = rec.linktype;
        program = await resolveFilter(expr || undefined, forced ?? rec.linktype, {
          swapped: h ? !h.littleEndian : false,
        });
        filter = program ? compileFilter(program, { profile: 'libpcap' }) : undefined;
        compiled = true;
      }
      if (filter && filter.at(rec.data, 0, rec.data.length, rec.wirelen) === 0) continue;
      if (o.out) {
        writer ??= createCaptureFileWriter(o.out, {
          format: o.pcapng || /\.pcapng$/i.test(o.out) ? 'pcapng' : 'pcap',
          linktype: outLinktype(rec.linktype),
          snaplen: o.snaplen ?? (h ? headerSnaplen(rec.snaplen) : ngSnaplen(rec)),
          stdout: io.stdout,
        });
        await writer.write({
          timestampNs: rec.timestampNs,
          data: rec.data.subarray(0, o.snaplen),
          wirelen: rec.wirelen,
        });
      } else {
        // Without the time column (the test runs the command with -t; tcpdump checks the times).
        printer ??= await createPacketPrinter({ ...NO_DUMP, stamps: 1, link: o.link });
        await write(
          io.stdout,
          printer.text({
            time: { sec: 0, frac: 0 },
            data: rec.data,
            wirelen: rec.wirelen,
            linktype: rec.linktype,
          }),
        );
      }
      if (++n >= o.count) break;
    }
  } finally {
    // Nothing matched: just the header, from the first record, or from the file's header.
    first ??= h ? { linktype: h.linktype, snaplen: h.snaplen } : firstIdb;
    // tcpdump compiles before reading: a bad expression fails a file without records too.
    if (!compiled && expr && first) await resolveFilter(expr, forced ?? first.linktype);
    if (!writer && o.out && first)
      writer = createCaptureFileWriter(o.out, {
        format: o.pcapng || /\.pcapng$/i.test(o.out) ? 'pcapng' : 'pcap',
        linktype: outLinktype(first.linktype),
        snaplen: o.snaplen ?? (h ? headerSnaplen(first.snaplen) : ngSnaplen(first)),
        stdout: io.stdout,
      });
    await writer?.close();
  }
  return 0;
}

/** The input's classic pcap header, if it is one. */
function classicHeaderOf(bytes: Uint8Array): ClassicHeader | undefined {
  try {
    return parseClassicHeader(bytes.subarray(0, 24));
  } catch {
    return undefined;
  }
}

/** The old command's result for these options, errors reported as capture() reports them. */
export async function referenceOffline(
  path: string,
  expr: string,
  o: OfflineOptions,
  io: CliIo,
  /** The input's bytes (for its file header), also when it comes on stdin. */
  inputHeader?: Uint8Array,
): Promise<number> {
  try {
    return await offline(path, expr, o, io, inputHeader);
  } catch (err) {
    if (err instanceof CbpfError || (err as NodeJS.ErrnoException).code) {
      io.stderr.write(`cbpf: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}
