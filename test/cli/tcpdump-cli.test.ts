// tcpdump's command line, against tcpdump itself: its complaints about flags and values (first line,
// with the program's name), the file errors, -d/-dd/-ddd on the main command, --count, -c, -s ignored
// when reading, the caret under a bad expression, --help and the flags that only pass through.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cbpf, corpusFiles, tcpdump } from '../helpers/tcpdump-golden.js';

const SAMPLE = new URL('../../data/sample-home-lan.pcap', import.meta.url).pathname;
const first = (s: string) => s.split('\n')[0] ?? '';

test("bad flags and values: tcpdump's one line (then the usage), never Node's parser text", async () => {
  const cases = [
    ['-c', 'x'],
    ['-c', '0'],
    ['-c'],
    ['-s', 'x'],
    ['-s', '300000'],
    ['-C', 'x'],
    ['-C', '0'],
    ['-W', '0'],
    ['-G', '-1'],
    ['-B', '0'],
    ['-y', 'NOSUCHDLT'],
    ['-Q', 'sideways'],
    ['-k'],
    ['-nvk'],
    ['--bogus'],
    ['--bogus=1'],
    ['--n'],
    ['--count=3'],
    ['--time-stamp-precision'],
    ['--time-stamp-precision=pico'],
    ['-tttttt'],
    ['-V', 'list.txt'],
  ];
  for (const args of cases) {
    const full = ['-r', SAMPLE, ...args];
    if (args[0] === '-V') full.splice(0, 2, '-r', SAMPLE);
    const t = tcpdump(full);
    const c = await cbpf(full);
    assert.equal(first(c.stderr), first(t.stderr).replace(/^tcpdump:/, 'cbpf:'), full.join(' '));
    assert.doesNotMatch(c.stderr, /To specify a positional argument|ERR_PARSE_ARGS/);
    assert.equal(t.code, 1);
    assert.equal(c.code, 2, `${full.join(' ')}: a usage error`);
  }
  const usage = await cbpf(['-k']);
  assert.match(usage.stderr, /^cbpf: invalid option -- 'k'\nUsage: cbpf \[-/);
});

test('file errors as tcpdump words them, and -r --help reads a file named --help', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-cli-'));
  try {
    for (const args of [
      ['-r', join(dir, 'missing.pcap')],
      ['-r', '--help'],
      ['-r', dir],
      ['-r', SAMPLE, '-w', join(dir, 'no', 'such', 'dir.pcap')],
      ['-r', SAMPLE, '-F', join(dir, 'missing.txt')],
      ['-V', join(dir, 'missing.txt')],
    ]) {
      const t = tcpdump(args);
      const c = await cbpf(args);
      assert.equal(c.stderr.replace(/^cbpf:/m, 'tcpdump:'), t.stderr, args.join(' '));
      assert.equal(c.code, 1, args.join(' '));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a bad expression: tcpdump's words after the file line, and a caret under the fault", async () => {
  const t = tcpdump(['-r', SAMPLE, 'tcp prot 80']);
  const c = await cbpf(['-r', SAMPLE, 'tcp prot 80']);
  const [line, message, source, caret] = c.stderr.split('\n');
  assert.equal(line, first(t.stderr));
  assert.match(message as string, /^cbpf: can't parse filter expression: /);
  assert.match(t.stderr, /tcpdump: can't parse filter expression: syntax error/);
  assert.equal(source, '  tcp prot 80');
  assert.equal(caret, '      ^^^^');
  assert.equal(c.code, 1);
  // A semantic error is libpcap's message as it stands.
  const port = await cbpf(['-r', SAMPLE, 'port 99999']);
  assert.equal(
    port.stderr.split('\n')[1],
    first(tcpdump(['-r', SAMPLE, 'port 99999']).stderr.split('\n')[1] as string).replace(
      'tcpdump',
      'cbpf',
    ),
  );
  assert.match(port.stderr, /\n {2}port 99999\n {7}\^{5}\n$/);
});

test("-d, -dd, -ddd on the main command as tcpdump prints them (-y, -s, -O, a file's link type)", async () => {
  // Classic files of other link types: LOOP, Linux cooked v1 and v2. (NULL and raw IPv4/IPv6 are
  // left out: there libpcap 1.10.3 compiles for the file's byte order, or starts with a load, which
  // cbpf's compiler does not.)
  const linktype = (f: string) => {
    const h = readFileSync(f).subarray(0, 24);
    return h.readUInt32LE(0) === 0xa1b2c3d4 ? h.readUInt32LE(20) & 0xffff : -1;
  };
  const files = corpusFiles().filter((f) => [108, 113, 276].includes(linktype(f)));
  assert.ok(files.length >= 6);
  for (const args of [
    ['-d', 'tcp port 80'],
    ['-dd', 'ip and udp'],
    ['-ddd', 'arp'],
    ['-ddd', ''],
    ['-d', '-y', 'LINUX_SLL', 'host 10.0.0.1'],
    ['-dd', '-s', '100', 'icmp'],
    ['-d', '-O', 'tcp or udp'],
    ['-d', '-r', SAMPLE, 'udp port 53'],
    ...files.filter((_, i) => i % 3 === 0).map((f) => ['-ddd', '-r', f, 'tcp']),
  ]) {
    const t = tcpdump(args);
    const c = await cbpf(args);
    assert.equal(c.stdout, t.stdout, args.join(' '));
    assert.equal(c.stderr, t.stderr, args.join(' '));
    assert.equal(c.code, t.code, args.join(' '));
  }
});

test('--count, -c and -s: what tcpdump prints and writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-cli-'));
  try {
    for (const args of [
      ['--count', 'tcp'],
      ['--count', '-c', '7'],
      ['-c', '3', '-n'],
    ]) {
      const t = tcpdump(['-r', SAMPLE, ...args]);
      const c = await cbpf(['-r', SAMPLE, ...args]);
      assert.equal(c.stdout, t.stdout, args.join(' '));
      assert.equal(c.stderr, t.stderr, args.join(' '));
    }
    // -s while reading a file changes nothing in tcpdump 4.99: records stay whole, the header is the input's.
    const a = join(dir, 'a.pcap');
    const b = join(dir, 'b.pcap');
    tcpdump(['-r', SAMPLE, '-s', '60', '-w', a, 'greater 200']);
    await cbpf(['-r', SAMPLE, '-s', '60', '-w', b, 'greater 200']);
    assert.deepEqual(readFileSync(b), readFileSync(a));
    const counted = await cbpf(['-r', SAMPLE, '-w', join(dir, 'c.pcap'), '--count', 'udp']);
    assert.equal(
      counted.stdout,
      tcpdump(['-r', SAMPLE, '-w', join(dir, 'd.pcap'), '--count', 'udp']).stdout,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--help: tcpdump's usage first, then every flag and the commands; -h the same", async () => {
  const h = await cbpf(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /^Usage: cbpf \[-AdelnOpqStUvxX#\]/);
  for (const flag of [
    '-r FILE',
    '-V FILE',
    '-w FILE',
    '-C SIZE',
    '-G SECONDS',
    '-W COUNT',
    '-x, -xx',
    '-X, -XX',
    '-A, -AA',
    '-ttttt',
    '-#',
    '--count',
    '-d, -dd, -ddd',
    '-q',
    '-l',
    '-U',
    '-B KIB',
    '-i IFACE',
    '-p',
  ])
    assert.ok(h.stdout.includes(flag), `--help mentions ${flag}`);
  assert.match(h.stdout, /\ncommands:\n/);
  assert.equal((await cbpf(['-h'])).stdout, h.stdout);
  assert.equal((await cbpf(['-r', SAMPLE, '--help'])).stdout, h.stdout);
});

test('-v says once that cbpf adds no detail; -l, -U, -B, -p, -K and -Z leave the output as it was', async () => {
  const plain = await cbpf(['-r', SAMPLE, '-c', '50']);
  const v = await cbpf(['-r', SAMPLE, '-c', '50', '-vv']);
  assert.equal(v.stdout, plain.stdout);
  assert.equal(v.stderr.split('\n').filter((l) => l.startsWith('cbpf: -v')).length, 1);
  for (const extra of [
    ['-l'],
    ['-U'],
    ['-B', '4096'],
    ['-p'],
    ['-K'],
    ['-Z', 'root'],
    ['-n', '-N'],
  ]) {
    const r = await cbpf(['-r', SAMPLE, '-c', '50', ...extra]);
    assert.equal(r.stdout, plain.stdout, extra.join(' '));
    assert.equal(r.code, 0);
  }
  const refused = await cbpf(['-r', SAMPLE, '-T', 'rtp']);
  assert.equal(
    refused.stderr,
    'cbpf: -T (interpret packets as a given type) is not supported by cbpf\n',
  );
});
