// `cbpf demo` (what `npm start` runs): seed 000's measurement on the bundled home-LAN capture.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { arpReply } from '../../filters.js';
import { interpreter, jit, type Program, printTcpdumpD, run } from '../../index.js';
import { parseCapture } from '../../pcap.js';
import { type CliIo, type Command, write } from '../io.js';
import { usageError } from './usage-error.js';

export const SAMPLE = new URL('../../../data/sample-home-lan.pcap', import.meta.url);

const HELP = `usage: cbpf demo [--file CAPTURE] [--no-kernel]

Reproduces seed 000's measurement: how many frames reach user space with and without the
six-instruction ARP-reply filter, and what the filter costs per frame in user space.
  --file F      a pcap/pcapng capture (default: the bundled data/sample-home-lan.pcap)
  --no-kernel   skip the kernel part (it needs root on Linux)
`;

/** A way to run a program over frames, timed: the interpreter, and the JIT once it exists. */
export interface Engine {
  name: string;
  compile(program: Program): (packet: Uint8Array, wirelen: number) => number;
}

export const ENGINES: Engine[] = [
  { name: 'interpreter', compile: (p) => interpreter(p) },
  { name: 'JIT', compile: (p) => jit(p) },
];

/** The VMs of the bundled sample (data/README.md). */
export const SAMPLE_VMS = [
  '52:54:00:a1:b2:01',
  '52:54:00:a1:b2:02',
  '52:54:00:a1:b2:03',
  '52:54:00:a1:b2:04',
];

const n = (x: number) => x.toLocaleString('en-US');

/** Median ns/frame of `rounds` passes of `fn` over every frame. */
function timePerFrame(
  frames: { data: Uint8Array; wirelen: number }[],
  fn: (p: Uint8Array, w: number) => number,
  rounds = 7,
): number {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (const f of frames) fn(f.data, f.wirelen);
    times.push(Number(process.hrtime.bigint() - t0) / frames.length);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

function ethertypeName(t: number): string {
  return t === 0x0806 ? 'ARP' : t === 0x0800 ? 'IPv4' : t === 0x86dd ? 'IPv6' : 'other';
}

export const demo: Command = async (argv, io: CliIo) => {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        file: { type: 'string' },
        'no-kernel': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return usageError('demo', err, HELP, io);
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const path = values.file ?? SAMPLE;
  const { records, error } = parseCapture(new Uint8Array(readFileSync(path)));
  if (error)
    io.stderr.write(`cbpf demo: ${error.message} (using the ${records.length} frames before it)\n`);
  const frames = records.map((r) => ({ data: r.data, wirelen: r.wirelen }));
  const kinds = new Map<string, number>();
  for (const f of frames) {
    const k = f.data.length >= 14 ? ethertypeName((f.data[12] << 8) | f.data[13]) : 'other';
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  const filter = arpReply();
  const count = (program: Program) =>
    frames.filter((f) => run(program, f.data, { wirelen: f.wirelen }) !== 0).length;
  const passed = count(filter.program);
  const vms = arpReply({ from: SAMPLE_VMS });
  const passedVms = count(vms.program);
  const mix = [...kinds]
    .sort((a, b) => b[1] - a[1])
    .map(([k, c]) => `${n(c)} ${k}`)
    .join(', ');
  const pct = frames.length ? ((100 * passed) / frames.length).toFixed(1) : '0';
  const lines = [
    `cbpf demo: seed 000's ARP-reply filter on ${typeof path === 'string' ? path : 'the bundled home-LAN capture'}`,
    '',
    `  frames on the wire                  ${n(frames.length).padStart(7)}   (${mix})`,
    `  copied to user space, no filter     ${n(frames.length).padStart(7)}`,
    `  copied to user space, ARP replies   ${n(passed).padStart(7)}   (${pct}% — the 6-instruction filter drops the rest)`,
    `    ... and only from the 4 VMs       ${n(passedVms).padStart(7)}   (${vms.program.length} instructions: ${SAMPLE_VMS.join(', ')})`,
    '',
    '  the filter, as tcpdump -d prints it:',
    ...printTcpdumpD(filter.program)
      .trimEnd()
      .split('\n')
      .map((l) => `    ${l}`),
    '',
    '  cost of running it in user space, per frame:',
  ];
  await write(io.stdout, `${lines.join('\n')}\n`);
  for (const e of ENGINES) {
    const fn = e.compile(filter.program);
    await write(
      io.stdout,
      `    ${e.name.padEnd(12)} ${timePerFrame(frames, fn).toFixed(1).padStart(6)} ns\n`,
    );
  }
  if (!values['no-kernel'])
    await kernelPart(
      io,
      frames.map((f) => f.data),
      filter.program,
    );
  return 0;
};

async function kernelPart(io: CliIo, frames: Uint8Array[], program: Program): Promise<void> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    await write(
      io.stdout,
      '\n  (run as root on Linux to also replay the frames through a real kernel socket)\n',
    );
    return;
  }
  // Loaded here: the socket layer needs koffi and root, the rest of the demo does not.
  const { enterPrivateNetns, PacketSocket, openCapture } = await import('../../node.js');
  const ns = enterPrivateNetns(`cbpf-demo-${process.pid}`);
  try {
    const [rx, txName] = ns.veth;
    const bufferSize = 64 * 2 ** 20; // hold the whole replay, so the kernel drops nothing for lack of room
    const filtered = await openCapture({ interface: rx, filter: program, bufferSize });
    const unfiltered = await openCapture({ interface: rx, bufferSize });
    const tx = new PacketSocket({ interface: txName });
    for (const f of frames) tx.send(f);
    tx.close();
    const drain = async (cap: Awaited<ReturnType<typeof openCapture>>) => {
      const t0 = process.cpuUsage();
      let n = 0;
      const it = cap[Symbol.asyncIterator]();
      for (;;) {
        const next = await Promise.race([
          it.next(),
          new Promise<null>((r) => setTimeout(() => r(null), 250)),
        ]);
        if (next === null || next.done) break;
        n++;
      }
      const used = process.cpuUsage(t0);
      const stats = cap.stats();
      cap.close();
      await it.return?.();
      return { n, cpuMs: (used.user + used.system) / 1000, stats };
    };
    const all = await drain(unfiltered);
    const arp = await drain(filtered);
    await write(
      io.stdout,
      [
        '',
        `  the same ${n(frames.length)} frames replayed through a veth pair in a private network namespace:`,
        `    AF_PACKET socket, no filter         ${n(all.n).padStart(7)} frames copied to user space   (${all.cpuMs.toFixed(1)} ms CPU to read them)`,
        `    AF_PACKET socket, ARP-reply filter  ${n(arp.n).padStart(7)} frames copied to user space   (${arp.cpuMs.toFixed(1)} ms CPU to read them)`,
        `    the kernel ran the filter on every frame and dropped ${n(frames.length - arp.stats.received)} before the copy`,
        '',
      ].join('\n'),
    );
  } finally {
    ns.dispose();
  }
}
