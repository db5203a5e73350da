// `cbpf -r` reads in chunks and copies matching byte ranges; its output must equal, byte for byte,
// what the record-at-a-time implementation wrote (test/helpers/offline-reference.ts) for every corpus
// capture and edge file (truncated, malformed, pcapng, ns, big-endian), with -w pcap/pcapng/stdout,
// -c, -s (which -r ignores, as tcpdump 4.99 does), -e and stdin; and the records must be tcpdump -w's.
// Error texts and the "reading from file" line are tcpdump's (test/cli/tcpdump-*.test.ts): here an
// error only has to be reported by both.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { test } from 'node:test';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { PcapWriter } from '../../src/pcap/index.js';
import { edgeFiles } from '../helpers/capture-edge-files.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { hasLibpcapTimes } from '../helpers/libpcap-times.js';
import { referenceOffline } from '../helpers/offline-reference.js';

const DIR = CORPUS_DIR;
const SAMPLE = new URL('../../data/sample-home-lan.pcap', import.meta.url).pathname;

interface Spec {
  expr?: string;
  /** Extension of the -w file, or '-' for stdout. */
  out?: '.pcap' | '.pcapng' | '-';
  count?: number;
  snaplen?: number;
  link?: boolean;
  pcapng?: boolean;
  /** Read the file through stdin in 1000-byte chunks. */
  stdin?: boolean;
  /** ...and give the new command the file's descriptor as stdinFd (a file redirected to stdin). */
  stdinFd?: boolean;
}

interface Outcome {
  code: number | string;
  stdout: string;
  stderr: string;
  file?: string;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function outcome(
  run: (io: CliIo) => Promise<number>,
  input: Uint8Array | undefined,
  outPath: string | undefined,
): Promise<Outcome> {
  if (outPath) rmSync(outPath, { force: true });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  stdout.on('data', (c: Buffer) => o.push(c));
  stderr.on('data', (c: Buffer) => e.push(c));
  const chunks = function* () {
    for (let i = 0; input && i < input.length; i += 1000) yield input.subarray(i, i + 1000);
  };
  let code: number | string;
  try {
    code = await run({ stdin: Readable.from(chunks()), stdout, stderr });
  } catch (err) {
    code = `threw ${(err as Error).message}`;
  }
  const file = outPath ? (existsSync(outPath) ? hex(readFileSync(outPath)) : 'absent') : undefined;
  return { code, stdout: hex(Buffer.concat(o)), stderr: Buffer.concat(e).toString(), file };
}

/** New CLI and reference on one file and spec; returns a description of the first difference. */
async function compare(path: string, spec: Spec, dir: string): Promise<string | undefined> {
  const outPath = spec.out && spec.out !== '-' ? join(dir, `out${spec.out}`) : undefined;
  const out = spec.out === '-' ? '-' : outPath;
  const argv = [
    '-r',
    spec.stdin ? '-' : path,
    ...(out ? ['-w', out] : []),
    ...(spec.count ? ['-c', String(spec.count)] : []),
    ...(spec.snaplen ? ['-s', String(spec.snaplen)] : []),
    ...(spec.link ? ['-e'] : []),
    ...(spec.pcapng ? ['--pcapng'] : []),
    // No time column: the reference's records carry no raw time fields (tcpdump-*.test.ts checks them).
    ...(spec.out === undefined || spec.out === '-' ? ['-t'] : []),
    ...(spec.expr ? [spec.expr] : []),
  ];
  const input = spec.stdin ? readFileSync(path) : undefined;
  const fd = spec.stdinFd ? openSync(path, 'r') : undefined;
  // With a descriptor the stream stays empty: the output must come from the descriptor.
  const ours = await outcome(
    (io) => main(argv, { ...io, stdinFd: fd }),
    fd === undefined ? input : new Uint8Array(0),
    outPath,
  );
  if (fd !== undefined) closeSync(fd);
  const theirs = await outcome(
    (io) =>
      referenceOffline(
        spec.stdin ? '-' : path,
        spec.expr ?? '',
        {
          count: spec.count ?? Infinity,
          // -s is ignored when reading a file.
          snaplen: undefined,
          link: !!spec.link,
          out,
          pcapng: spec.pcapng,
        },
        io,
        readFileSync(path),
      ),
    input,
    outPath,
  );
  ours.stderr = ours.stderr.replace(
    /^(reading from file .*|Warning: interface names might be incorrect)\n/gm,
    '',
  );
  for (const k of ['code', 'stderr', 'stdout', 'file'] as const) {
    let a = String(ours[k]);
    let b = String(theirs[k]);
    if (k === 'stderr') [a, b] = [a === '' ? '' : 'an error', b === '' ? '' : 'an error'];
    if (a === b) continue;
    let at = 0;
    while (a[at] === b[at]) at++;
    return `${argv.join(' ')}: ${k} differs at character ${at}: …${a.slice(at, at + 80)} ≠ …${b.slice(at, at + 80)}`;
  }
  return undefined;
}

const EDGE_SPECS: Spec[] = [
  {},
  { link: true, count: 7, expr: 'udp' },
  { out: '.pcap' },
  { out: '.pcap', expr: 'tcp port 80' },
  { out: '.pcap', snaplen: 64, expr: 'ip or ip6' },
  { out: '.pcap', count: 3, expr: 'not tcp' },
  { out: '.pcap', expr: 'ret #96' },
  { out: '.pcapng', count: 5 },
  { out: '.pcap', pcapng: true, expr: 'tcp' },
  { out: '-', stdin: true },
  { out: '.pcap', stdin: true, stdinFd: true, expr: 'tcp' },
  { stdin: true, stdinFd: true, count: 9 },
  { out: '-', stdin: true, count: 4, expr: 'udp' },
  { stdin: true, count: 20 },
];

test('edge files and the sample: every option gives the old output, byte for byte', {
  timeout: 300_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-offline-'));
  try {
    const problems: string[] = [];
    const files = edgeFiles().map(({ name, bytes }) => {
      const p = join(dir, name);
      writeFileSync(p, bytes);
      return p;
    });
    // Times libpcap hands over unnormalised (a fraction of a second or more, past 2^31 s) are
    // written and printed as tcpdump does, which the record-at-a-time reference cannot see: the -w
    // test below and test/cli/hostile.test.ts hold those files to tcpdump's output instead.
    for (const path of [...files.filter((p) => !hasLibpcapTimes(readFileSync(p))), SAMPLE])
      for (const spec of EDGE_SPECS) {
        const d = await compare(path, spec, dir);
        if (d) problems.push(d);
      }
    assert.deepEqual(problems, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every corpus capture: printed lines and written files as before', {
  timeout: 240_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-offline-'));
  try {
    const names = readdirSync(DIR)
      .filter((f) => /\.pcap(ng)?$/.test(f))
      .sort();
    assert.ok(names.length > 800);
    const problems: string[] = [];
    // Those libpcap hands unnormalised times for (see the edge file test) are left to the -w test.
    for (const name of names.filter((n) => !hasLibpcapTimes(readFileSync(DIR + n))))
      for (const spec of [
        {},
        { out: '.pcap', expr: 'tcp' },
        { out: '.pcapng', count: 5, snaplen: 64 },
      ] as Spec[]) {
        const d = await compare(DIR + name, spec, dir);
        if (d) problems.push(d);
      }
    assert.deepEqual(problems, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Where two little-endian µs pcaps differ: headers, then records. The times must be equal too:
 * libpcap's timeval cut to 32 bits, its fraction unnormalised (≥ 10^6 µs passed through, a
 * nanosecond one divided by 1000), as tcpdump -w writes them.
 */
function recordsDiffer(a: Buffer, b: Buffer): string | undefined {
  if (!a.subarray(0, 24).equals(b.subarray(0, 24))) return 'file header';
  let p = 24;
  for (let i = 0; p < a.length || p < b.length; i++) {
    if (p + 16 > a.length || p + 16 > b.length) return `record ${i}: one file ends`;
    const caplen = a.readUInt32LE(p + 8);
    if (!a.subarray(p + 8, p + 16 + caplen).equals(b.subarray(p + 8, p + 16 + caplen)))
      return `record ${i}: lengths or bytes`;
    if (!a.subarray(p, p + 8).equals(b.subarray(p, p + 8))) return `record ${i}: timestamp`;
    p += 16 + caplen;
  }
  return undefined;
}

/** tcpdump -r -w; its status, or -2 where libpcap refused the pcapng's later interfaces, which cbpf reads. */
function tcpdumpWrite(file: string, out: string, expr: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn('tcpdump', ['-r', file, '-w', out, ...(expr ? [expr] : [])], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr.on('data', (c: Buffer) => {
      err += c;
    });
    p.on('error', (e) =>
      reject(new Error(`tcpdump is required (apt-get install -y tcpdump): ${e.message}`)),
    );
    p.on('close', (code) =>
      resolve(
        /different from the (type|snapshot length) of the first interface/.test(err)
          ? -2
          : (code ?? -1),
      ),
    );
  });
}

test('-w writes the file tcpdump -w writes: header (snap length, FCS bits of the link field) and records', {
  timeout: 300_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-offline-'));
  try {
    const names = readdirSync(DIR)
      .filter((f) => /\.pcap(ng)?$/.test(f))
      .sort();
    const edges = edgeFiles().map(({ name, bytes }) => {
      const p = join(dir, `edge-${name}`);
      writeFileSync(p, bytes);
      return p;
    });
    const jobs = [...names.map((n) => DIR + n), ...edges, SAMPLE].flatMap((file, i) =>
      ['', 'tcp port 80'].map((expr, j) => ({ file, expr, theirs: join(dir, `${i}-${j}.pcap`) })),
    );
    const codes = new Map<string, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < jobs.length) {
          const j = jobs[next++];
          codes.set(j.theirs, await tcpdumpWrite(j.file, j.theirs, j.expr));
        }
      }),
    );
    let compared = 0;
    const problems: string[] = [];
    const ours = join(dir, 'ours.pcap');
    for (const { file, expr, theirs } of jobs) {
      const r = await outcome(
        (io) => main(['-r', file, '-w', ours, ...(expr ? [expr] : [])], io),
        undefined,
        ours,
      );
      // Compared where both read the file through, or both stopped at a broken record and kept the
      // records before it (cbpf refuses what tcpdump lets by: link types it cannot compile for). The
      // headers must be equal too: snap length, link field with its FCS bits.
      const both = r.code === 0 && codes.get(theirs) === 0;
      const bothBroken = r.code === 1 && codes.get(theirs) === 1 && existsSync(theirs);
      if (!both && !bothBroken) continue;
      if (!existsSync(ours)) {
        problems.push(`${file} '${expr}': no file written`);
        continue;
      }
      const a = readFileSync(ours);
      const b = readFileSync(theirs);
      compared++;
      const d = recordsDiffer(a, b);
      if (d) problems.push(`${file} '${expr}': ${d}`);
    }
    console.log(`# ${compared} outputs compared with tcpdump's`);
    assert.ok(compared > 700, `only ${compared} compared`);
    assert.deepEqual(problems, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a progress bar on a terminal stderr for files over 8 MiB, ending in a newline', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-offline-'));
  try {
    const w = new PcapWriter();
    const head = w.header();
    const rec = w.write({ timestampNs: 1n, data: new Uint8Array(1000) });
    const big = Buffer.alloc(24 + 9000 * rec.length);
    big.set(head);
    for (let i = 0; i < 9000; i++) big.set(rec, 24 + i * rec.length);
    const path = join(dir, 'big.pcap');
    writeFileSync(path, big);
    const err: Buffer[] = [];
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    stderr.on('data', (c: Buffer) => err.push(c));
    const code = await main(['-r', path, '-w', join(dir, 'out.pcap')], {
      stdin: Readable.from([]),
      stdout: new PassThrough(),
      stderr,
    });
    assert.equal(code, 0);
    const text = Buffer.concat(err).toString();
    assert.match(text, /^reading from file .*\n\r\[#*\s*\] +\d+% of 9 MiB/);
    assert.ok(text.endsWith('\n'));
    assert.equal(readFileSync(join(dir, 'out.pcap')).length, big.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-w with nothing matching leaves a header-only file, as tcpdump -w does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-none-'));
  try {
    const out = join(dir, 'none.pcap');
    const r = await outcome(
      (io) => main(['-r', SAMPLE, '-w', out, 'tcp port 9999'], io),
      undefined,
      out,
    );
    assert.equal(r.code, 0);
    // The sample's header: microsecond magic, version 2.4, snaplen 262144, EN10MB.
    assert.equal(r.file, 'd4c3b2a102000400000000000000000000000400' + '01000000');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
