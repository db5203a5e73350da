// The reproductions of issue 14 (hostile input), each held to tcpdump where tcpdump has an answer:
// stdout errors and internal errors are one line; -w never destroys or half-writes a file (same
// file refused, header for an empty pcapng, a full disk, SIGKILL); times that do not fit pcap are
// written and printed as tcpdump writes and prints them; the 4096-instruction limit is only the
// kernel's; -s 0, -F comments, pcap 2.0-2.2's swapped lengths; capture errors in libpcap's words.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { decompile } from '../../src/analysis/decompile/index.js';
import { interfaceInfo } from '../../src/apps/live.js';
import { errorLine } from '../../src/cli/errors.js';
import { main } from '../../src/cli/main.js';
import { ValidationError } from '../../src/core/errors.js';
import { attachFilter } from '../../src/node/linux/filter.js';
import { PcapWriter, parseCapture } from '../../src/pcap/index.js';
import { runCli } from '../helpers/cli.js';
import {
  block,
  concatBytes,
  epb,
  idb,
  pcapHeader,
  pcapRecord,
  shb,
  tsoffset,
  tsresol,
  udpFrame,
} from '../helpers/raw-captures.js';
import { ROOT, startCbpf, tempFiles, until } from '../helpers/signal-run.js';

const SAMPLE = `${ROOT}data/sample-home-lan.pcap`;
const BIN = `${ROOT}bin/cbpf.cjs`;
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cbpf-hostile-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function tcpdump(args: string[]): Ran {
  const r = spawnSync('tcpdump', args, { maxBuffer: 1 << 28 });
  if (r.error)
    throw new Error(`tcpdump is required (apt-get install -y tcpdump): ${r.error.message}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** cbpf in this process: exit code, stdout bytes, stderr text. */
async function cbpf(
  argv: string[],
  extra: { stdinFd?: number; stdoutFd?: number } = {},
): Promise<Ran> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await main(argv, { stdin: Readable.from([]), stdout, stderr, ...extra });
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() };
}

const file = (name: string, bytes: Uint8Array | string) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

/** tcpdump's line on opening a capture (and its SLL2 warning), which comes before an error. */
const READING = /^reading from file [^\n]*\n(Warning: [^\n]*\n)?/;

/** One line on stderr after tcpdump's `reading from file` line, no stack frame in it. */
function assertOneLine(stderr: string, pattern: RegExp): void {
  stderr = stderr.replace(READING, '');
  assert.match(stderr, /^cbpf[^\n]*\n$/, JSON.stringify(stderr));
  assert.doesNotMatch(stderr, /\bat .*:\d+:\d+/);
  assert.match(stderr, pattern);
}

test('a stdout error other than EPIPE is one line and status 1, never a stack trace', () => {
  for (const args of [
    ['compile', '-d', 'tcp'],
    ['-r', SAMPLE],
    ['-r', SAMPLE, '-w', '-'],
  ]) {
    const full = openSync('/dev/full', 'w');
    const r = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', full, 'pipe'] });
    closeSync(full);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assertOneLine(r.stderr.toString(), /^cbpf: stdout: no space left on device\n$/);
  }
});

test("an error that is not cbpf's is reported as one line (CBPF_DEBUG=1 adds the stack)", () => {
  assert.equal(
    errorLine(new TypeError('x is not a function\n    at f (a.js:1:2)')),
    'internal error: x is not a function',
  );
  assert.equal(
    errorLine(Object.assign(new Error("ENOENT: no such file, open 'a'"), { code: 'ENOENT' })),
    "ENOENT: no such file, open 'a'",
  );
});

test('-r X -w X is refused and X stays whole: by the same path, another path, a link, stdin, stdout', async () => {
  const x = file('same.pcap', readFileSync(SAMPLE));
  const before = readFileSync(x);
  symlinkSync(x, join(dir, 'same-link.pcap'));
  linkSync(x, join(dir, 'same-hard.pcap'));
  mkdirSync(join(dir, 'sub'));
  for (const out of [
    x,
    join(dir, 'sub', '..', 'same.pcap'),
    join(dir, 'same-link.pcap'),
    join(dir, 'same-hard.pcap'),
  ]) {
    const r = await cbpf(['-r', x, '-w', out]);
    assert.equal(r.code, 1);
    assertOneLine(r.stderr, /is the input file .*refusing to overwrite it/);
  }
  const fd = openSync(x, 'r');
  const viaStdin = await cbpf(['-r', '-', '-w', x], { stdinFd: fd });
  closeSync(fd);
  assert.equal(viaStdin.code, 1);
  assertOneLine(viaStdin.stderr, /is the input file \(standard input\)/);
  // `cbpf -r X -w - >> X` would read what it appends, for ever.
  const append = openSync(x, 'a');
  const viaStdout = spawnSync(process.execPath, [BIN, '-r', x, '-w', '-'], {
    stdio: ['ignore', append, 'pipe'],
  });
  closeSync(append);
  assert.equal(viaStdout.status, 1);
  assertOneLine(viaStdout.stderr.toString(), /standard output is the input file/);
  assert.ok(readFileSync(x).equals(before), 'the input changed');
});

test("-r empty.pcapng -w existing.pcap writes the header tcpdump writes; a pcapng without an IDB fails as tcpdump's does", async () => {
  const empty = file('empty.pcapng', concatBytes([shb(), idb(1, 1500)]));
  const ours = file('existing.pcap', 'old');
  const theirs = join(dir, 'existing-tcpdump.pcap');
  const r = await cbpf(['-r', empty, '-w', ours]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(tcpdump(['-r', empty, '-w', theirs]).code, 0);
  assert.deepEqual(readFileSync(ours), readFileSync(theirs));
  const noIdb = file('no-idb.pcapng', shb());
  writeFileSync(ours, 'old');
  const bad = await cbpf(['-r', noIdb, '-w', ours]);
  assert.equal(bad.code, 1);
  const t = tcpdump(['-r', noIdb, '-w', theirs]);
  assert.equal(t.code, 1);
  assertOneLine(bad.stderr, /the capture file has no Interface Description Blocks\n$/);
  assert.match(t.stderr, /the capture file has no Interface Description Blocks/);
  assert.equal(readFileSync(ours, 'utf8'), 'old');
});

/** The time column of tcpdump -n's packet lines (or cbpf's), one per packet. */
const times = (text: string) =>
  text
    .split('\n')
    .filter((l) => /^(\d\d:\d\d:\d\d\.\d+ |\[Error converting time\] )/.test(l))
    .map((l) => (l.startsWith('[') ? '[Error converting time]' : l.slice(0, l.indexOf(' '))));

test('times that do not fit pcap: -w writes them and printing shows them as tcpdump does', async () => {
  const f = (i: number) => udpFrame(i);
  const files: Record<string, Uint8Array> = {
    // if_tsoffset of 2^40 s: past 2038 and 2106.
    'offset-far.pcapng': concatBytes([
      shb(),
      idb(1, 65535, [tsoffset(1n << 40n)]),
      epb(0, 1_700_000_000_000_000n, f(1)),
      epb(0, 5n, f(2)),
    ]),
    // A negative if_tsoffset and a nanosecond resolution.
    'offset-negative.pcapng': concatBytes([
      shb(),
      idb(1, 65535, [tsresol(9), tsoffset(-100n)]),
      epb(0, 5_000_000_123n, f(3)),
      epb(0, 99n, f(4)),
    ]),
    // 2^-30 s units and 10^-19 s units, with timestamps near 2^64.
    'binary-units.pcapng': concatBytes([
      shb(),
      idb(1, 65535, [tsresol(0x80 | 30)]),
      epb(0, (1n << 63n) + 12345n, f(5)),
      epb(0, (1n << 64n) - 1n, f(6)),
    ]),
    'fine-units.pcapng': concatBytes([
      shb(),
      idb(1, 65535, [tsresol(19)]),
      epb(0, (1n << 64n) - 1n, f(7)),
      epb(0, 10n ** 19n + 7n, f(8)),
    ]),
    // Fractions of a second or more, and seconds past 2^31, in µs and ns files.
    'fraction-us.pcap': concatBytes([
      pcapHeader(2, 4),
      pcapRecord(0x8000_0005, 2_500_000, f(9), 60, 60),
      pcapRecord(1_700_000_000, 0xffff_ffff, f(10), 60, 60),
    ]),
    'fraction-ns.pcap': concatBytes([
      pcapHeader(2, 4, 65535, 1, true),
      pcapRecord(0xffff_ffff, 0xffff_ffff, f(11), 60, 60),
      pcapRecord(1_700_000_000, 1_000_000_000, f(12), 60, 60),
    ]),
  };
  for (const [name, bytes] of Object.entries(files)) {
    const input = file(name, bytes);
    const ours = join(dir, `${name}-ours.pcap`);
    const theirs = join(dir, `${name}-theirs.pcap`);
    const r = await cbpf(['-r', input, '-w', ours]);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.equal(tcpdump(['-r', input, '-w', theirs]).code, 0, name);
    assert.deepEqual(
      readFileSync(ours),
      readFileSync(theirs),
      `${name}: -w differs from tcpdump's`,
    );
    const printed = await cbpf(['-r', input]);
    assert.equal(printed.code, 0, printed.stderr);
    const want = times(tcpdump(['-n', '-r', input]).stdout.toString('latin1'));
    assert.equal(want.length, 2, name);
    assert.deepEqual(times(printed.stdout.toString('latin1')), want, name);
    assert.doesNotMatch(printed.stdout.toString(), /NaN/);
  }
});

/** A tmpfs of `size` mounted on a new directory (root only); unmounted by the returned function. */
function smallFs(size: string): { path: string; unmount: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'cbpf-full-'));
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path]);
  if (m.status !== 0)
    throw new Error(`mounting a tmpfs needs root and mount(8) (util-linux): ${m.stderr}`);
  return {
    path,
    unmount: () => {
      spawnSync('umount', [path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

test('a full file system: the file keeps the records written whole, the error is one line, status 1', async () => {
  // Eight copies of the sample's records (6 MiB), into 2 MiB: some 1 MiB writes fit, one does not.
  const sample = readFileSync(SAMPLE);
  const copies = Array.from({ length: 7 }, () => sample.subarray(24));
  const big = file('big.pcap', Buffer.concat([sample, ...copies]));
  const fs = smallFs('2m');
  try {
    for (const expr of [[], ['not icmp']]) {
      const out = join(fs.path, 'out.pcap');
      const r = await cbpf(['-r', big, '-w', out, ...expr]);
      assert.equal(r.code, 1, r.stderr);
      assertOneLine(
        r.stderr,
        /out\.pcap: no space left on device \(kept the \d+ bytes of whole records written before it\)\n$/,
      );
      const { records, error } = parseCapture(new Uint8Array(readFileSync(out)));
      assert.equal(error, undefined, error?.message);
      assert.ok(records.length > 0);
      assert.deepEqual(tempFiles(fs.path), []);
      rmSync(out);
    }
  } finally {
    fs.unmount();
  }
  // A device written in place (nothing to rename): the error is the same one line.
  const r = await cbpf(['-r', SAMPLE, '-w', '/dev/full']);
  assert.equal(r.code, 1);
  assertOneLine(r.stderr, /\/dev\/full: no space left on device \(nothing written\)\n$/);
});

test('SIGKILL while writing: the output is the old file (or none), never one with a partial record', async () => {
  for (const old of ['old contents', undefined]) {
    const out = join(dir, `killed-${old ? 'old' : 'new'}.pcap`);
    if (old) writeFileSync(out, old);
    const sub = mkdtempSync(join(dir, 'kill-'));
    const target = join(sub, 'out.pcap');
    if (old) writeFileSync(target, old);
    const run = startCbpf(['-r', '-', '-w', target], { stdin: 'pipe' });
    const w = new PcapWriter();
    const rec = w.write({ timestampNs: 1n, data: udpFrame(1) });
    const chunk = Buffer.concat(
      Array.from({ length: 2000 }, () => Buffer.from(rec.subarray(rec.length - 76))),
    );
    const stdin = run.child.stdin as NodeJS.WritableStream;
    stdin.write(rec);
    let open = true;
    const pump = () => {
      while (open && stdin.write(chunk));
    };
    stdin.on('drain', pump);
    pump();
    const writing = await until(
      () => tempFiles(sub).some((n) => statSync(join(sub, n)).size > 2_000_000),
      60_000,
    );
    assert.ok(writing, run.stderr());
    const r = await run.stop('SIGKILL');
    open = false;
    assert.equal(r.signal, 'SIGKILL');
    if (old) assert.equal(readFileSync(target, 'utf8'), old);
    else assert.ok(!existsSync(target), 'a partial output appeared');
    // What a SIGKILL leaves is the temporary file, under a name no reader takes for the output.
    assert.equal(tempFiles(sub).length, 1);
  }
});

const HOSTS = Array.from({ length: 600 }, (_, i) => `host 10.0.${i >> 8}.${i & 255}`).join(' or ');

test("no instruction limit offline (compile, -r): 600 hosts give tcpdump's 17938 instructions; attachFilter refuses what the kernel would", async () => {
  const c = await runCli(['compile', '-O', '-ddd', HOSTS]);
  assert.equal(c.code, 0, c.stderr);
  const theirs = tcpdump(['-O', '-ddd', HOSTS]).stdout.toString();
  assert.equal(c.stdout, theirs);
  assert.equal(c.stdout.split('\n')[0], '17938');
  // A long program as -r's filter (program text in a -F file): the lines tcpdump prints with it.
  const sampleHosts = HOSTS.replaceAll('host 10.0.', 'host 192.168.');
  const local = file('local.expr', sampleHosts);
  const compiled = await runCli(['compile', '-O', '-ddd', sampleHosts]);
  assert.ok(Number(compiled.stdout.split('\n')[0]) > 4096);
  const ours = await cbpf(['-r', SAMPLE, '-F', file('local.ddd', compiled.stdout)]);
  assert.equal(ours.code, 0, ours.stderr);
  const want = tcpdump(['-n', '-O', '-r', SAMPLE, '-F', local]).stdout.toString();
  assert.ok(ours.stdout.length > 0);
  assert.equal(ours.stdout.toString().split('\n').length, want.split('\n').length);
  // The kernel's limit where the kernel loads it, before any system call (the fd is not even valid).
  const tooLong = Array.from({ length: 4097 }, () => ({ code: 6, jt: 0, jf: 0, k: 0 }));
  assert.throws(
    () => attachFilter(-1, tooLong),
    (e: unknown) => e instanceof ValidationError && e.code === 'TOO_LONG',
  );
});

test('compile --dump ast of a 5,000-host list: one line (JSON of a tree that deep overflowed the stack); -F for a list past 128 KB; a long line under an error is cut to the fault', async () => {
  const hosts = Array.from({ length: 5000 }, (_, i) => `host 10.0.${i >> 8}.${i & 255}`);
  const c = await runCli(['compile', '--dump', 'ast', hosts.join(' or ')]);
  assert.equal(c.code, 0, c.stderr);
  assert.ok(c.stdout.startsWith(`${'('.repeat(4999)}[host 10.0.0.0] or [host 10.0.0.1])`));
  assert.ok(c.stdout.endsWith(' or [host 10.0.19.135])\n'));
  const small = await runCli([
    'compile',
    '--dump',
    'ast',
    'tcp port 80 or 443 and not (udp or icmp)',
  ]);
  assert.equal(small.stdout, '(([tcp port 80] or [tcp port 443]) and !(udp or icmp))\n');
  // -F: tcpdump's '#' comments, its program; and a list too long for one argument (10,000 hosts, over
  // 128 KB; tcpdump 4.99 itself crashes writing that one unoptimized).
  const list = (n: number) =>
    `# a list\n${Array.from({ length: n }, (_, i) => `host 10.0.${i >> 8}.${i & 255}`).join(' or ')}\n`;
  const few = file('few.expr', list(600));
  const fromFile = await runCli(['compile', '-O', '-ddd', '-F', few]);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.equal(fromFile.stdout, tcpdump(['-O', '-ddd', '-F', few]).stdout.toString());
  assert.equal((await runCli(['compile', '--batch', '-F', few])).code, 2);
  const long = await runCli(['compile', '-O', '-ddd', '-F', file('many.expr', list(10000))]);
  assert.equal(long.code, 0, long.stderr);
  assert.equal(long.stdout.split('\n').length - 2, Number(long.stdout.split('\n')[0]));
  // A fault at the end of the list (`80` after the name `prot`): the 40 characters before it.
  const src = `${hosts.join(' or ')} or prot 80`;
  const bad = await runCli(['compile', src]);
  assert.equal(bad.code, 1);
  const [, line, caret] = bad.stderr.split('\n');
  assert.equal(line, `  ...${src.slice(-42)}`);
  assert.equal(caret, `  ${' '.repeat(43)}^^`);
});

test('-s 0 means the default snap length, as in tcpdump', async () => {
  const plain = await cbpf(['-r', SAMPLE, '-c', '50']);
  const zero = await cbpf(['-r', SAMPLE, '-c', '50', '-s', '0']);
  assert.equal(zero.code, 0, zero.stderr);
  assert.deepEqual(zero.stdout, plain.stdout);
  const a = join(dir, 's-default.pcap');
  const b = join(dir, 's-zero.pcap');
  await cbpf(['-r', SAMPLE, '-w', a]);
  await cbpf(['-r', SAMPLE, '-w', b, '-s', '0']);
  assert.deepEqual(readFileSync(b), readFileSync(a));
});

test('-F: "#" comments are blanked as tcpdump blanks them; program text keeps its "#"', async () => {
  const f = file('commented.expr', 'udp # only UDP\n# a whole line\nand port 53 # DNS\n');
  const ours = await cbpf(['-r', SAMPLE, '-F', f]);
  assert.equal(ours.code, 0, ours.stderr);
  const theirs = tcpdump(['-n', '-r', SAMPLE, '-F', f]).stdout.toString();
  assert.ok(ours.stdout.length > 0);
  assert.equal(ours.stdout.toString().split('\n').length, theirs.split('\n').length);
  const asm = file('prog.asm', 'ldh [12]\njeq #0x806, yes, no\nyes: ret #65535\nno: ret #0\n');
  const arp = await cbpf(['-r', SAMPLE, '-F', asm]);
  assert.equal(arp.code, 0, arp.stderr);
  assert.equal(
    arp.stdout.toString().split('\n').length,
    tcpdump(['-n', '-r', SAMPLE, 'arp']).stdout.toString().split('\n').length,
  );
});

test('pcap 2.0-2.2 and 543.0 (lengths swapped) and 2.3 (either way) read as libpcap reads them; 2.5 and 1.x refused in its words', async () => {
  const recs = (swap: boolean | 'mixed') =>
    [0, 1, 2, 3].map((i) => {
      const data = udpFrame(i).subarray(0, 40 + i);
      const wire = 60 + i * 100;
      const swapped = swap === true || (swap === 'mixed' && i % 2 === 1);
      return pcapRecord(
        1_700_000_000 + i,
        i,
        data,
        swapped ? wire : data.length,
        swapped ? data.length : wire,
      );
    });
  for (const [name, major, minor, swap] of [
    ['v2.0.pcap', 2, 0, true],
    ['v2.2.pcap', 2, 2, true],
    ['v2.3.pcap', 2, 3, 'mixed'],
    ['v543.pcap', 543, 0, true],
  ] as const) {
    const input = file(name, concatBytes([pcapHeader(major, minor), ...recs(swap)]));
    const ours = join(dir, `${name}-ours.pcap`);
    const theirs = join(dir, `${name}-theirs.pcap`);
    const r = await cbpf(['-r', input, '-w', ours]);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.equal(tcpdump(['-r', input, '-w', theirs]).code, 0, name);
    assert.deepEqual(readFileSync(ours), readFileSync(theirs), name);
  }
  for (const [name, major, minor] of [
    ['v2.5.pcap', 2, 5],
    ['v1.0.pcap', 1, 0],
  ] as const) {
    const input = file(name, concatBytes([pcapHeader(major, minor), ...recs(false)]));
    const r = await cbpf(['-r', input]);
    assert.equal(r.code, 1);
    const reason = tcpdump(['-r', input])
      .stderr.trim()
      .replace(/^tcpdump: /, '');
    assertOneLine(r.stderr, new RegExp(`^cbpf: offset 4: ${reason}\\n$`));
  }
});

test('capture errors say what libpcap says, at an offset and the record being read', async () => {
  const f = (i: number) => udpFrame(i);
  const ng = [shb(), idb(1, 65535), epb(0, 1n, f(1)), epb(0, 2n, f(2))];
  const ngBytes = concatBytes(ng);
  const le32 = (b: Uint8Array, at: number, v: number) => {
    const c = b.slice();
    new DataView(c.buffer).setUint32(at, v, true);
    return c;
  };
  const pcap = concatBytes([
    pcapHeader(2, 4),
    pcapRecord(1, 0, f(1), 60, 60),
    pcapRecord(2, 0, f(2), 60, 60),
  ]);
  const second = 24 + 76;
  const cases: Record<string, Uint8Array> = {
    'block-length-0.pcapng': concatBytes([...ng, block(6, new Uint8Array(20), 0)]),
    'block-length-odd.pcapng': concatBytes([...ng, block(6, new Uint8Array(20), 30)]),
    'trailer.pcapng': concatBytes([...ng, block(6, new Uint8Array(20), undefined, 99)]),
    'bad-interface.pcapng': concatBytes([...ng, epb(3, 1n, f(3))]),
    'tsresol.pcapng': concatBytes([shb(), idb(1, 65535, [tsresol(0x80 | 64)]), epb(0, 1n, f(1))]),
    // IDB options as libpcap reads them: cut short, of another length, given twice.
    'idb-option-cut.pcapng': concatBytes([
      shb(),
      block(1, Uint8Array.of(1, 0, 0, 0, 255, 255, 0, 0, 2, 0, 100, 0, 101, 116, 104, 48)),
      epb(0, 1n, f(1)),
    ]),
    'idb-tsresol-length.pcapng': concatBytes([
      shb(),
      idb(1, 65535, [[9, Uint8Array.of(6, 0)]]),
      epb(0, 1n, f(1)),
    ]),
    'idb-two-tsresol.pcapng': concatBytes([
      shb(),
      idb(1, 65535, [tsresol(6), tsresol(9)]),
      epb(0, 1n, f(1)),
    ]),
    'idb-tsoffset-length.pcapng': concatBytes([
      shb(),
      idb(1, 65535, [[14, new Uint8Array(4)]]),
      epb(0, 1n, f(1)),
    ]),
    'idb-two-tsoffset.pcapng': concatBytes([
      shb(),
      idb(1, 65535, [tsoffset(1n), tsoffset(2n)]),
      epb(0, 1n, f(1)),
    ]),
    'idb-endofopt-length.pcapng': concatBytes([
      shb(),
      idb(1, 65535, [[0, Uint8Array.of(1, 2, 3, 4)]]),
      epb(0, 1n, f(1)),
    ]),
    'epb-too-short.pcapng': concatBytes([...ng, block(6, new Uint8Array(8))]),
    'cut-block.pcapng': ngBytes.subarray(0, ngBytes.length - 10),
    'cut-block-head.pcapng': concatBytes([ngBytes, Uint8Array.of(6, 0, 0)]),
    'caplen.pcap': le32(pcap, second + 8, 300_000),
    'cut-header.pcap': pcap.subarray(0, 30),
    'cut-record-header.pcap': pcap.subarray(0, second + 9),
    'cut-record.pcap': pcap.subarray(0, pcap.length - 7),
    'cut-file-header.pcap': pcap.subarray(0, 10),
    'not-a-capture.pcap': new TextEncoder().encode('hello, this is not a capture'),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    const input = file(name, bytes);
    const r = await cbpf(['-r', input, '-w', join(dir, 'err-out.pcap')]);
    const t = tcpdump(['-r', input, '-w', join(dir, 'err-theirs.pcap')]);
    assert.equal(r.code, 1, `${name}: ${r.stderr}`);
    assert.equal(t.code, 1, `${name}: tcpdump ${t.stderr}`);
    const reason = (t.stderr.trim().split('\n').at(-1) as string).replace(
      /^tcpdump: (pcap_loop: )?/,
      '',
    );
    // After the file line, tcpdump's "pcap_loop: " for an error met while reading records.
    const m = /^cbpf: (?:pcap_loop: )?offset (\d+)( \(record (\d+)\))?: (.*)\n$/.exec(
      r.stderr.replace(READING, ''),
    );
    assert.ok(m, `${name}: ${r.stderr}`);
    assert.equal(m[4], reason, name);
    // The record being read is named once the file header is behind.
    if (!/file header|unknown file format/.test(reason))
      assert.ok(m[3], `${name}: no record in ${r.stderr}`);
  }
});

// Found by reading every lookup of user text: names every object inherits were found in plain objects.
test('names an object inherits are unknown names: --format, --from, -i, --go, decompile profiles', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-inherited-'));
  try {
    const prog = join(dir, 'p.ddd');
    writeFileSync(prog, '1\n6 0 0 65535\n');
    for (const args of [
      ['disasm', '--format', 'toString', prog],
      ['disasm', '--from', 'constructor', prog],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /unknown format or more than one file/);
    }
    // A Go name spelled like the prototype's setter is a name like any other.
    const go = join(dir, 'f.go');
    writeFileSync(go, 'var f = []bpf.Instruction{\n\tbpf.RetConstant{Val: __proto__},\n}\n');
    const lint = await runCli(['lint', '--go', '__proto__=2048', go]);
    assert.equal(lint.code, 0, lint.stdout + lint.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => interfaceInfo('constructor'), {
    message: /^no interface named 'constructor'/,
  });
  await assert.rejects(
    decompile([{ code: 6, jt: 0, jf: 0, k: 0 }], { profile: 'toString' as never }),
    {
      message: 'unknown profile toString',
    },
  );
});
