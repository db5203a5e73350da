// The command line as npm installs it: bin/cbpf.cjs in a package without src/, running the CLI bundle
// (scripts/bundle-cli.mjs) with its recorded V8 code cache. Built here into a temporary package layout,
// then checked against the checkout's own CLI on the same commands.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
// @ts-expect-error: a plain .mjs script without declarations
import { bundleCli } from '../../scripts/bundle-cli.mjs';

// bin/cbpf.cjs, required rather than run, lends the test that picks the offline bundle.
const { offlineWrite } = createRequire(import.meta.url)('../../bin/cbpf.cjs') as {
  offlineWrite: (argv: readonly string[]) => boolean;
};

const root = new URL('../../', import.meta.url).pathname;
const pkg = mkdtempSync(join(tmpdir(), 'cbpf-installed-'));
const sample = join(root, 'data/sample-home-lan.pcap');

function cbpf(bin: string, args: string[], env?: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'buffer',
    timeout: 60_000,
    env: env && { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}
const installed = (...args: string[]) => cbpf(join(pkg, 'bin/cbpf.cjs'), args);
/** Installed, always through the whole bundle (never the offline one). */
const installedWhole = (...args: string[]) =>
  cbpf(join(pkg, 'bin/cbpf.cjs'), args, { CBPF_BUNDLE: 'full' });
/** Installed, with every file large enough for a split read (dist/cli/bundle/split-worker.cjs). */
const installedSplit = (...args: string[]) =>
  cbpf(join(pkg, 'bin/cbpf.cjs'), args, { CBPF_SPLIT_MIN: '1' });
const checkout = (...args: string[]) => cbpf(join(root, 'bin/cbpf.cjs'), args);

before(async () => {
  mkdirSync(join(pkg, 'bin'));
  copyFileSync(join(root, 'bin/cbpf.cjs'), join(pkg, 'bin/cbpf.cjs'));
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
  for (const d of ['data', 'node_modules']) symlinkSync(join(root, d), join(pkg, d));
  await bundleCli(pkg);
});
after(() => rmSync(pkg, { recursive: true, force: true }));

test("the build writes the CommonJS bundles and the code cache of each one's training run", () => {
  const bundle = join(pkg, 'dist/cli/bundle/cbpf.cjs');
  const offline = join(pkg, 'dist/cli/bundle/cbpf-offline.cjs');
  for (const b of [bundle, offline]) {
    assert.match(readFileSync(b, 'utf8').slice(0, 200), /__bundle\b/);
    // The cache holds the functions the training run compiled (the compiler, the JIT, the scanner).
    assert.ok(statSync(`${b}.v8cache`).size > 100_000);
  }
  // The offline one leaves out the packet decoders, the socket layer and the other commands.
  assert.ok(statSync(offline).size < 0.6 * statSync(bundle).size);
});

test('the offline bundle takes `-r FILE -w OUT [expr]` with the listed flags, and nothing else', () => {
  for (const [argv, want] of [
    [['-r', 'f', '-w', 'o'], true],
    [['-r', 'f', '-w', 'o', 'tcp', 'port', '80'], true],
    [['-c', '5', '-n', '-r', 'f', 'udp', '-w', 'o'], true],
    [['-r', 'f', '-w', 'o', '--', '-x'], true],
    [
      ['-r', 'f', '-w', 'o', '-s', '96', '-y', 'EN10MB', '--jobs', '2', '-q', '-O', '--pcapng'],
      true,
    ],
    [['-r', 'f', 'tcp'], false],
    [['-r', 'f', '-w', 'o', '--print'], false],
    [['-r', 'f', '-w', 'o', '-e'], false],
    [['-nr', 'f', '-w', 'o'], false],
    [['-rf', '-w', 'o'], false],
    [['-r', 'f', '-w'], false],
    [['-i', 'lo', '-w', 'o'], false],
    [['-V', 'list', '-w', 'o'], false],
    [['compile', '-r', 'f', '-w', 'o'], false],
    [[], false],
  ] as const)
    assert.equal(offlineWrite(argv), want, argv.join(' '));
});

test('installed, the offline bundle and the whole one give the same files, lines and statuses', () => {
  const filter = join(pkg, 'filter.txt');
  writeFileSync(filter, 'udp or\n arp\n');
  for (const [i, args] of [
    ['udp or arp'],
    ['-c', '3', '-n', 'tcp'],
    ['-s', '60', '--pcapng', 'ip6'],
    ['-y', 'EN10MB', '-O', 'ether broadcast'],
    ['-F', filter],
    ['--jobs', '2', '--', 'not ip'],
    ['tcp prot 80'],
    ['-c', 'x'],
  ].entries()) {
    const out = [join(pkg, `lean${i}.pcap`), join(pkg, `whole${i}.pcap`)];
    assert.ok(offlineWrite(['-r', sample, '-w', out[0] as string, ...args]), args.join(' '));
    const a = installed('-r', sample, '-w', out[0] as string, ...args);
    const b = installedWhole('-r', sample, '-w', out[1] as string, ...args);
    assert.equal(a.status, b.status, args.join(' '));
    assert.equal(a.stderr, b.stderr, args.join(' '));
    assert.deepEqual(a.stdout, b.stdout, args.join(' '));
    if (b.status === 0)
      assert.deepEqual(readFileSync(out[0] as string), readFileSync(out[1] as string));
  }
});

test('installed, cbpf -r -w writes what the checkout writes, and prints the same lines', () => {
  const out = [join(pkg, 'a.pcap'), join(pkg, 'b.pcap')];
  const a = installed('-r', sample, '-w', out[0] as string, 'udp or arp');
  const b = checkout('-r', sample, '-w', out[1] as string, 'udp or arp');
  assert.match(
    a.stderr,
    /^reading from file .*, link-type EN10MB \(Ethernet\), snapshot length 262144\n$/,
  );
  assert.equal(a.status, 0);
  assert.equal(b.status, 0);
  assert.deepEqual(readFileSync(out[0] as string), readFileSync(out[1] as string));
  const lines = installed('-r', sample, '-n', 'tcp');
  assert.equal(lines.status, 0);
  assert.equal(lines.stdout.toString(), checkout('-r', sample, '-n', 'tcp').stdout.toString());
});

test('installed, compile, demo (which reads data/ next to dist/), a lazily loaded socket command and errors work as in the checkout', () => {
  for (const args of [
    ['compile', '-ddd', '-y', 'EN10MB', 'udp dst port 67'],
    ['demo'],
    ['compile', 'port 99999'],
    // Loads the socket layer lazily (apps/live.ts): the bundle must carry it.
    ['dhcp-watch', '-i', 'cbpf-nosuch0'],
    ['--help'],
  ]) {
    const a = installed(...args);
    const b = checkout(...args);
    assert.equal(a.status, b.status, args.join(' '));
    // The demo prints times: compare without them.
    const text = (r: { stdout: Buffer }) =>
      r.stdout.toString().replace(/ *[\d.]+ (ns|ms)/g, ' # $1');
    assert.equal(text(a), text(b), args.join(' '));
    assert.equal(a.stderr, b.stderr, args.join(' '));
  }
});

test('installed, a split read (the worker has its own bundle) writes what one thread writes; a pcapng input stays on one thread', () => {
  const out = [
    join(pkg, 'one.pcap'),
    join(pkg, 'two.pcap'),
    join(pkg, 'ng.pcap'),
    join(pkg, 'ng1.pcap'),
  ];
  const one = installed('-r', sample, '-w', out[0] as string, '--jobs', '1', 'tcp or arp');
  const two = installedSplit('-r', sample, '-w', out[1] as string, '--jobs', '2', 'tcp or arp');
  assert.equal(one.status, 0);
  assert.equal(two.status, 0, two.stderr);
  assert.equal(two.stderr, one.stderr);
  assert.deepEqual(readFileSync(out[1] as string), readFileSync(out[0] as string));
  // A pcapng input is read on one thread.
  const ng = join(root, 'test/corpus/tcpdump/ahcp.pcapng');
  const a = installedSplit('-r', ng, '-w', out[2] as string, '--jobs', '2');
  const b = installed('-r', ng, '-w', out[3] as string, '--jobs', '1');
  assert.equal(a.status, 0, a.stderr);
  assert.equal(a.stderr, b.stderr);
  assert.deepEqual(readFileSync(out[2] as string), readFileSync(out[3] as string));
});
