// Differential test: every corpus capture read by cbpf against libpcap as driven by tcpdump.
// tcpdump -r FILE -w - --time-stamp-precision=nano re-writes exactly the records libpcap read (count,
// ns timestamp, caplen, original length, bytes) as a host-order nanosecond pcap, which a ten-line
// decoder below reads independently of src/pcap. tcpdump's exit status and stderr say whether
// libpcap stopped on a malformed file. A second pass compares `tcpdump -tt -n --nano` text timestamps.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PcapFormatError, type PcapRecord, parseCapture } from '../../src/pcap/index.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

const DIR = CORPUS_DIR;
const CONCURRENCY = 6;

function requireTcpdump(): void {
  const r = spawnSync('tcpdump', ['--version']);
  if (r.error || r.status !== 0)
    assert.fail(
      'tcpdump is required: sudo apt-get install -y tcpdump (or node scripts/pretest.mjs)',
    );
}

function run(args: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('tcpdump', args);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => err.push(d));
    p.on('error', reject);
    p.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString(),
      }),
    );
  });
}

async function pool<T, R>(items: T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]);
      }
    }),
  );
  return out;
}

interface Ref {
  tsSec: number;
  tsNsec: number;
  caplen: number;
  len: number;
  data: Buffer;
}

/** Independent reader of the ns pcap tcpdump writes (host order, which is little-endian here). */
function refRecords(b: Buffer): Ref[] {
  if (b.length === 0) return [];
  assert.equal(
    b.readUInt32LE(0),
    0xa1b23c4d,
    'tcpdump -w output should be a little-endian ns pcap',
  );
  const out: Ref[] = [];
  let p = 24;
  while (p + 16 <= b.length) {
    const caplen = b.readUInt32LE(p + 8);
    out.push({
      tsSec: b.readUInt32LE(p),
      tsNsec: b.readUInt32LE(p + 4),
      caplen,
      len: b.readUInt32LE(p + 12),
      data: b.subarray(p + 16, p + 16 + caplen),
    });
    p += 16 + caplen;
  }
  return out;
}

/**
 * Whether libpcap's (sec, nsec) stands for our timestamp. libpcap passes an out-of-range fraction
 * through un-normalised (sec.1000000000), so totals are compared; the pcap record header holds 32-bit
 * seconds, so pcapng times past 2106 wrap; and libpcap 1.10 scales a microsecond fraction to ns in
 * 32 bits, so a corrupt µs fraction ≥ 2^32/1000 overflows there (two fuzzed corpus files) — we check
 * the difference is exactly that overflow rather than excusing the file.
 */
function sameTime(ours: bigint, sec: number, nsec: number, micro: boolean): boolean {
  const secs = BigInt(sec);
  const wrapped = ours % (4294967296n * 1_000_000_000n);
  if (wrapped === secs * 1_000_000_000n + BigInt(nsec)) return true;
  const fracNs = ours - secs * 1_000_000_000n;
  return (
    micro && fracNs >= 4294967296n && fracNs % 1000n === 0n && fracNs % 4294967296n === BigInt(nsec)
  );
}

function compare(name: string, ours: PcapRecord[], ref: Ref[], micro: boolean): string | undefined {
  if (ours.length !== ref.length) return `${name}: ${ours.length} records, tcpdump ${ref.length}`;
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i];
    const b = ref[i];
    if (!sameTime(a.timestampNs, b.tsSec, b.tsNsec, micro))
      return `${name}#${i}: ts ${a.timestampNs} vs ${b.tsSec}.${b.tsNsec}`;
    if (a.caplen !== b.caplen || a.wirelen !== b.len)
      return `${name}#${i}: lengths ${a.caplen}/${a.wirelen} vs ${b.caplen}/${b.len}`;
    if (!Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(b.data))
      return `${name}#${i}: bytes differ`;
  }
  return undefined;
}

test('every corpus capture reads like libpcap/tcpdump (count, ns timestamps, lengths, bytes, errors)', {
  timeout: 60_000,
}, async () => {
  requireTcpdump();
  const files = readdirSync(DIR)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .sort();
  assert.ok(files.length >= 800, `corpus at ${DIR} looks incomplete (${files.length} files)`);
  const problems = await pool(files, CONCURRENCY, async (name) => {
    const bytes = readFileSync(DIR + name);
    const ours = parseCapture(bytes);
    const r = await run(['-r', DIR + name, '-w', '-', '--time-stamp-precision=nano']);
    const libpcapError =
      r.code !== 0 ||
      /error|truncated|invalid|bad/i.test(r.stderr.replace(/^reading from file .*$/m, ''));
    if (libpcapError !== (ours.error !== undefined))
      return `${name}: tcpdump ${libpcapError ? 'failed' : 'succeeded'} (${r.stderr.trim()}), cbpf ${ours.error ? `failed ${ours.error.code}` : 'succeeded'}`;
    if (ours.error && !(ours.error instanceof PcapFormatError))
      return `${name}: not a PcapFormatError`;
    const micro = bytes.readUInt32LE(0) === 0xa1b2c3d4 || bytes.readUInt32BE(0) === 0xa1b2c3d4;
    const diff = compare(name, ours.records, refRecords(r.stdout), micro);
    if (diff) return diff;
    // Second opinion from tcpdump's own printing: one `-tt --nano` timestamp per packet line, or a
    // "[Invalid header: ...]" line (caplen 0, len 0 or len < caplen), or "[Error converting time]"
    // (times its 32-bit signed printing path cannot format: 2038 and later).
    const t = await run(['-r', DIR + name, '-tt', '-n', '--nano']);
    const stamps = [
      ...t.stdout
        .toString('latin1')
        .matchAll(/^(?:(\d+)\.(\d{9,10}) |\[Invalid header|\[Error converting time\])/gm),
    ];
    if (stamps.length !== ours.records.length)
      return `${name}: ${ours.records.length} records, tcpdump -tt printed ${stamps.length}`;
    for (let i = 0; i < stamps.length; i++) {
      if (
        stamps[i][1] !== undefined &&
        !sameTime(ours.records[i].timestampNs, Number(stamps[i][1]), Number(stamps[i][2]), micro)
      )
        return `${name}#${i}: -tt ${stamps[i][1]}.${stamps[i][2]}`;
    }
    return undefined;
  });
  const bad = problems.filter((p): p is string => p !== undefined);
  const agreeing = files.length - bad.length;
  console.log(`# tcpdump agreement: ${agreeing}/${files.length} files`);
  assert.deepEqual(bad, []);
});

test('truncated corpus captures: same records as libpcap before its error, then PcapFormatError TRUNCATED', {
  timeout: 60_000,
}, async () => {
  requireTcpdump();
  const files = readdirSync(DIR)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .sort();
  const tmp = mkdtempSync(join(tmpdir(), 'cbpf-trunc-'));
  try {
    // Every 8th file, cut at a few deterministic points (inside headers, records and blocks).
    const cases: { name: string; cut: number }[] = [];
    files.forEach((name, i) => {
      if (i % 8 !== 0) return;
      const size = readFileSync(DIR + name).length;
      for (const cut of [3, 20, 30, Math.floor(size / 3), Math.floor((size * 2) / 3) + 1, size - 1])
        if (cut > 0 && cut < size) cases.push({ name, cut });
    });
    const problems = await pool(cases, CONCURRENCY, async ({ name, cut }) => {
      const bytes = readFileSync(DIR + name).subarray(0, cut);
      const path = join(tmp, `${name}.${cut}`);
      writeFileSync(path, bytes);
      const ours = parseCapture(bytes);
      const r = await run(['-r', path, '-w', '-', '--time-stamp-precision=nano']);
      const label = `${name}[:${cut}]`;
      if ((r.code !== 0) !== (ours.error !== undefined))
        return `${label}: tcpdump rc ${r.code} (${r.stderr.trim()}), cbpf ${ours.error?.code ?? 'ok'}`;
      if (ours.error && !['TRUNCATED', 'BAD_MAGIC'].includes(ours.error.code))
        return `${label}: ${ours.error.code}`;
      const micro =
        bytes.length >= 4 &&
        (bytes.readUInt32LE(0) === 0xa1b2c3d4 || bytes.readUInt32BE(0) === 0xa1b2c3d4);
      return compare(label, ours.records, refRecords(r.stdout), micro);
    });
    const bad = problems.filter((p): p is string => p !== undefined);
    console.log(`# truncated-file agreement: ${cases.length - bad.length}/${cases.length}`);
    assert.deepEqual(bad, []);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
