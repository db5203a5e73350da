// `cbpf send`: replay a capture file's frames (or one frame given in hex) onto an interface, optionally
// only those a filter expression accepts, at a rate or at the capture's own timing.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CompileError, compile } from '../../compiler.js';
import { CbpfError, formatSpan, interpreter } from '../../index.js';
import { openCaptureFile, openSocketSink, type ReplayStats, replay } from '../../node.js';
import type { PcapRecord } from '../../pcap.js';
import { CliError } from '../errors.js';
import type { Command } from '../io.js';
import { usageError } from './usage-error.js';

const HELP = `usage: cbpf send -i IFACE FILE|HEX [--rate PPS | --realtime] [--loop N] [--json] [expression]

Sends each frame of a pcap or pcapng FILE ('-' for stdin), or one frame written in hex, out of IFACE
through a raw packet socket, link header included. With an expression, only the frames it accepts
are sent. Prints what was sent on stderr (stdout with --json). Needs root or CAP_NET_RAW on Linux.
Stops on Ctrl-C, reporting what went out.
  -i, --interface IFACE   interface to send on (frames must be Ethernet, link-type EN10MB)
  --rate PPS              frames per second (default: as fast as the interface takes them)
  --realtime              keep the capture's own gaps between frames
  --loop N                send the input N times (default 1)
  --json                  the report as one JSON object on stdout
exit status: 0 sent, 1 error (permissions, interface, file), 2 usage error
`;

const EN10MB = 1;

/** One frame from hex (spaces and colons allowed), or undefined if `text` is not hex. */
function hexFrame(text: string): Uint8Array | undefined {
  const digits = text.replace(/[\s:]/g, '');
  if (digits.length === 0 || digits.length % 2 !== 0 || /[^0-9a-fA-F]/.test(digits))
    return undefined;
  return Uint8Array.from({ length: digits.length / 2 }, (_, i) =>
    Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16),
  );
}

function report(s: ReplayStats): string {
  const rate = s.seconds > 0 ? ` ${Math.round((s.sent - 1) / s.seconds)} frames/s,` : '';
  const mbit = s.seconds > 0 ? ` ${((s.bytes * 8) / s.seconds / 1e6).toFixed(2)} Mbit/s` : '';
  const parts = [
    `sent ${s.sent} frames (${s.bytes} bytes) in ${s.seconds.toFixed(3)} s:${rate}${mbit}`,
  ];
  if (s.skipped) parts.push(`${s.skipped} not accepted by the filter`);
  if (s.cut) parts.push(`${s.cut} sent as captured, shorter than on the wire`);
  if (s.failed) parts.push(`${s.failed} refused (${s.firstFailure})`);
  if (s.stopped) parts.push('stopped by a signal');
  return `${parts.join('; ').replace(/:$/, '')}\n`;
}

export const sendCommand: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        interface: { type: 'string', short: 'i' },
        rate: { type: 'string' },
        realtime: { type: 'boolean' },
        loop: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usageError('send', err, HELP, io);
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const [input, ...exprWords] = parsed.positionals;
  const usage = (msg: string) => {
    io.stderr.write(`cbpf send: ${msg}\n${HELP}`);
    return 2;
  };
  if (!v.interface) return usage('-i IFACE is required');
  if (input === undefined) return usage('a capture FILE or a frame in hex is required');
  const rate = v.rate === undefined ? undefined : Number(v.rate);
  if (rate !== undefined && !(rate > 0 && Number.isFinite(rate)))
    return usage(`--rate takes a positive number of frames per second, not '${v.rate}'`);
  if (rate !== undefined && v.realtime) return usage('--rate and --realtime exclude each other');
  const loop = v.loop === undefined ? 1 : Number(v.loop);
  if (!(Number.isInteger(loop) && loop >= 1))
    return usage(`--loop takes a whole number of times, 1 or more, not '${v.loop}'`);

  const frame = input !== '-' && !existsSync(input) ? hexFrame(input) : undefined;
  if (input !== '-' && !existsSync(input) && !frame)
    return usage(`'${input}' is neither a capture file nor a frame in hex`);
  const expr = exprWords.join(' ');
  let filter: ((r: PcapRecord) => boolean) | undefined;
  let filterLinktype: number | undefined;
  const source = frame
    ? async function* () {
        yield {
          timestampNs: 0n,
          data: frame,
          caplen: frame.length,
          wirelen: frame.length,
          linktype: EN10MB,
          interfaceId: 0,
          snaplen: 0,
        } satisfies PcapRecord;
      }
    : () => openCaptureFile(input, { stdin: io.stdin });
  // Checks each record's link type and, with an expression, compiles it for that link type once.
  const accept = (r: PcapRecord): boolean => {
    if (r.linktype !== EN10MB)
      throw new CliError(
        'NOT_ETHERNET',
        `${input} holds link-type ${r.linktype} frames; only Ethernet (EN10MB) frames can be sent`,
      );
    if (!expr) return true;
    if (filterLinktype !== r.linktype) {
      const run = interpreter(compile(expr, { linktype: r.linktype }), { profile: 'libpcap' });
      filter = (rec) => run(rec.data, rec.wirelen) !== 0;
      filterLinktype = r.linktype;
    }
    return filter!(r);
  };
  let sink: ReturnType<typeof openSocketSink> | undefined;
  try {
    if (expr) compile(expr, { linktype: EN10MB }); // report a bad expression before opening anything
    sink = openSocketSink(v.interface);
    const stats = await replay(source, sink, {
      rate,
      realtime: v.realtime,
      loop,
      accept,
      signal: io.signal,
    });
    if (v.json) io.stdout.write(`${JSON.stringify(stats)}\n`);
    else io.stderr.write(report(stats));
    return 0;
  } catch (err) {
    if (err instanceof CompileError) {
      io.stderr.write(
        `cbpf send: ${formatSpan(err.message, expr, err.span[0], Math.max(err.span[1], err.span[0] + 1))}\n`,
      );
      return 1;
    }
    if (err instanceof CbpfError || err instanceof RangeError) {
      io.stderr.write(`cbpf send: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    sink?.close();
  }
};
