// The record-at-a-time `cbpf -r` that the chunked one replaced, kept as the oracle its output must
// equal byte for byte: records from openCaptureFile, the JIT per record, the streaming file writer.
// Its output header follows tcpdump -w's (the input's snap length and link-field upper bits, -s only
// when given), as the command's does.

import type { OfflineOptions } from '../../src/cli/commands/offline.js';
import { stampText } from '../../src/cli/commands/stamp-text.js';
import { type CliIo, write } from '../../src/cli/io.js';
import { LINKTYPE_NAMES } from '../../src/compiler/index.js';
import type { Program } from '../../src/core/encode.js';
import { CbpfError } from '../../src/core/errors.js';
import type { CompiledFilter } from '../../src/core/filter.js';
import { compileFilter } from '../../src/core/select.js';
import { createCaptureFileWriter, openCaptureFile } from '../../src/node/files.js';
import { resolveFilter } from '../../src/node/resolve-filter.js';
import { summarize } from '../../src/packets/summary.js';
import { createTcpSeqState } from '../../src/packets/tcp-seq.js';
import { type ClassicHeader, parseClassicHeader } from '../../src/pcap/classic.js';
import { largestSnaplen } from '../../src/pcap/record.js';

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
  const forced =
    o.dlt === undefined
      ? undefined
      : (LINKTYPE_NAMES[String(o.dlt).toUpperCase()] ?? Number(o.dlt));
  if (forced !== undefined && Number.isNaN(forced))
    throw new CbpfError('BAD_LINKTYPE', `unknown link type '${o.dlt}'`);
  let writer: ReturnType<typeof createCaptureFileWriter> | undefined;
  let n = 0;
  const tcpSeq = createTcpSeqState();
  let first: { linktype: number; snaplen: number } | undefined;
  // A pcap output keeps a classic input's link-field upper bits (FCS length), read from its header.
  const pcapOut = o.out !== undefined && !o.pcapng && !/\.pcapng$/i.test(o.out);
  const h = inputHeader ? classicHeaderOf(inputHeader) : undefined;
  const ext = pcapOut && h ? h.linkExtension : 0;
  const outLinktype = (lt: number) => (lt | ext) >>> 0;
  // libpcap's reading of a snap length: not positive as an int32, it is the link type's largest;
  // a pcapng's is kept.
  const headerSnaplen = (snap: number) =>
    h ? ((h.snaplen | 0) <= 0 ? largestSnaplen(h.linktype) : h.snaplen) : snap || 262144;
  try {
    for await (const rec of openCaptureFile(path, { stdin: io.stdin })) {
      first ??= { linktype: rec.linktype, snaplen: rec.snaplen };
      if (programLinktype !== rec.linktype) {
        programLinktype = rec.linktype;
        program = await resolveFilter(expr || undefined, forced ?? rec.linktype);
        filter = program ? compileFilter(program, { profile: 'libpcap' }) : undefined;
      }
      if (filter && filter.at(rec.data, 0, rec.data.length, rec.wireLength) === 0) continue;
      if (o.out) {
        writer ??= createCaptureFileWriter(o.out, {
          format: o.pcapng || /\.pcapng$/i.test(o.out) ? 'pcapng' : 'pcap',
          linktype: outLinktype(rec.linktype),
          snaplen: o.snaplen ?? headerSnaplen(rec.snaplen),
          stdout: io.stdout,
        });
        await writer.write({
          timestampNs: rec.timestampNs,
          data: rec.data.subarray(0, o.snaplen),
          wireLength: rec.wireLength,
        });
      } else {
        await write(
          io.stdout,
          `${stampText(rec.timestampNs)} ${summarize(rec.data, rec.linktype, { link: o.link, wireLength: rec.wireLength, tcpSeq })}\n`,
        );
      }
      if (++n >= o.count) break;
    }
  } finally {
    // Nothing matched: just the header, from the first record, or from the file's header.
    first ??= h && { linktype: h.linktype, snaplen: h.snaplen };

    if (!writer && o.out && first)
      writer = createCaptureFileWriter(o.out, {
        format: o.pcapng || /\.pcapng$/i.test(o.out) ? 'pcapng' : 'pcap',
        linktype: outLinktype(first.linktype),
        snaplen: o.snaplen ?? headerSnaplen(first.snaplen),
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
  /** The input's first bytes (its file header), also when it comes on stdin. */
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
