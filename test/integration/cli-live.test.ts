// `cbpf -i` as tcpdump -i, in a namespace of the test's own: -D and -L list what tcpdump lists, the
// `listening on` line names the link type tcpdump names (RAW on a tun device, LINUX_SLL2 on any),
// -y takes names, -w writes a file of that link type, -Q keeps one direction, and an interface that
// disappears ends the capture with tcpdump's statistics.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as libc from '../../src/node/ffi/libc.js';
import { PacketSocket } from '../../src/node/linux/packet-socket.js';
import { parseCapture } from '../../src/pcap/index.js';
import { runCli } from '../helpers/cli.js';
import { enterNetns, type Netns, testFrame, waitForPacketSockets } from '../helpers/netns.js';

let ns: Netns;
let dir: string;
let tun = -1;
const TUNSETIFF = 0x400454ca;

before(() => {
  ns = enterNetns(`cbpf-cli-live-${process.pid}`);
  dir = mkdtempSync(join(tmpdir(), 'cbpf-cli-live-'));
  tun = libc.open('/dev/net/tun', 2);
  const req = new Uint8Array(40);
  req.set(new TextEncoder().encode('cbtun'));
  new DataView(req.buffer).setUint16(16, 0x1001, true); // IFF_TUN | IFF_NO_PI
  libc.ioctl(tun, TUNSETIFF, req, 'ioctl(TUNSETIFF)');
  execFileSync('ip', ['link', 'set', 'cbtun', 'up']);
});
after(() => {
  if (tun >= 0) libc.close(tun);
  ns?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Packet sockets open in this namespace now (a closed capture's may linger a moment). */
const sockets = () => readFileSync('/proc/net/packet', 'utf8').trim().split('\n').length - 1;

/**
 * Waits until the sockets of earlier captures are gone (their descriptors close off the event loop),
 * so that counting sockets tells when the next capture is listening.
 */
async function quiet(): Promise<void> {
  for (let i = 0; i < 500 && sockets() > 0; i++) await sleep(10);
  assert.equal(sockets(), 0, 'packet sockets of earlier captures still open');
}

function tcpdump(args: string[]): { stdout: string; stderr: string } {
  try {
    const stdout = execFileSync('tcpdump', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { stdout, stderr: '' };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; code?: string };
    if (x.code === 'ENOENT') throw new Error('tcpdump is missing: apt-get install -y tcpdump');
    return { stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

/** What tcpdump -i IFACE -w prints on stderr when stopped after half a second. */
function tcpdumpListening(iface: string): string {
  return spawnSync('timeout', ['-s', 'INT', '0.5', 'tcpdump', '-i', iface, '-w', '/dev/null'], {
    encoding: 'utf8',
  }).stderr;
}

/** Waits until `iface` has its carrier (a veth coming up takes a moment). */
async function carrier(iface: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (
      execFileSync('ip', ['-o', 'link', 'show', iface], { encoding: 'utf8' }).includes('LOWER_UP')
    )
      return;
    await sleep(10);
  }
  throw new Error(`${iface} has no carrier after 2 s`);
}

test('-D lists the interfaces tcpdump -D lists (its network ones), in its order and words', async () => {
  const ours = await runCli(['-D']);
  assert.equal(ours.code, 0, ours.stderr);
  // tcpdump also lists libpcap's non-network capture sources (D-Bus, netfilter, Bluetooth).
  const network = tcpdump(['-D'])
    .stdout.split('\n')
    .filter((l) => l && !/bluetooth|nflog|nfqueue|dbus/.test(l))
    .map((l) => l.replace(/^\d+\./, ''));
  assert.deepEqual(
    ours.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.replace(/^\d+\./, '')),
    network,
  );
});

test('-L lists the link types tcpdump -L lists for Ethernet, loopback, tun and any', async () => {
  for (const iface of ['cba', 'lo', 'cbtun', 'any']) {
    const ours = await runCli(['-L', '-i', iface]);
    assert.equal(ours.code, 0, ours.stderr);
    let theirs = '';
    try {
      execFileSync('tcpdump', ['-L', '-i', iface], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch {}
    theirs = execFileSync('sh', ['-c', `tcpdump -L -i ${iface} 2>&1 >/dev/null; true`], {
      encoding: 'utf8',
    });
    assert.equal(ours.stderr, theirs, iface);
  }
});

test("the listening line names tcpdump's link type: RAW on tun, LINUX_SLL2 on any, EN10MB on a veth", async () => {
  for (const iface of ['cbtun', 'any', 'cba']) {
    const ac = new AbortController();
    await quiet();
    const run = runCli(['-i', iface, '-w', join(dir, `${iface}.pcap`)], '', ac.signal);
    await waitForPacketSockets(1);
    ac.abort();
    const ours = await run;
    assert.equal(ours.code, 0, ours.stderr);
    // Up to the listening line: "data link type LINUX_SLL2" before it on any, as tcpdump prints it.
    const head = (text: string) => text.slice(0, text.indexOf('listening on')).split('\n').length;
    const theirs = tcpdumpListening(iface);
    const lines = theirs.split('\n').slice(0, head(theirs));
    assert.deepEqual(
      ours.stderr.split('\n').slice(0, lines.length),
      lines.map((l) => l.replace(/^tcpdump: /, 'cbpf: ')),
    );
    // The file has that link type in its header.
    const f = readFileSync(join(dir, `${iface}.pcap`));
    assert.equal(f.readUInt32LE(20), { cbtun: 101, any: 276, cba: 1 }[iface]);
    await sleep(50);
  }
});

test('-y takes link type names; one the interface does not offer fails as in tcpdump and writes no file', async () => {
  const ac = new AbortController();
  const out = join(dir, 'named.pcap');
  await quiet();
  const run = runCli(['-i', 'cba', '-y', 'EN10MB', '-w', out, '-c', '3'], '', ac.signal);
  await waitForPacketSockets(1);
  const tx = new PacketSocket({ interface: 'cbb' });
  for (let i = 0; i < 3; i++) tx.send(testFrame([1, i]));
  tx.close();
  const r = await run;
  assert.equal(r.code, 0, r.stderr);
  const recs = parseCapture(readFileSync(out)).records;
  assert.equal(recs.length, 3);
  assert.match(r.stderr, /^3 packets captured$/m);

  const bad = join(dir, 'bad.pcap');
  const ours = await runCli(['-i', 'cba', '-y', 'RAW', '-w', bad]);
  assert.equal(ours.code, 1);
  const theirs = tcpdump(['-i', 'cba', '-y', 'RAW', '-w', join(dir, 'td-bad.pcap')]).stderr;
  assert.equal(ours.stderr.split('\n')[0], theirs.split('\n')[0]?.replace(/^tcpdump: /, 'cbpf: '));
  assert.equal(existsSync(bad), false, 'no file for a capture that never started');
  const unknown = await runCli(['-i', 'cba', '-y', 'NOSUCH']);
  // Refused while reading the flags, as tcpdump refuses it: a usage error, cbpf's status 2 (tcpdump's 1).
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /invalid data link type NOSUCH/);
});

test('-Q in keeps frames the interface received; -Q out those it sent', async () => {
  for (const [dirn, want] of [
    ['in', 1],
    ['out', 2],
  ] as const) {
    const ac = new AbortController();
    const out = join(dir, `q-${dirn}.pcap`);
    await quiet();
    const run = runCli(['-i', 'cba', '-Q', dirn, '-w', out, 'ether proto 0x88b5'], '', ac.signal);
    await waitForPacketSockets(1);
    const rx = new PacketSocket({ interface: 'cbb' });
    const self = new PacketSocket({ interface: 'cba' });
    rx.send(testFrame([1, 1]));
    self.send(testFrame([2, 2]));
    rx.close();
    self.close();
    await sleep(150);
    ac.abort();
    const r = await run;
    assert.equal(r.code, 0, r.stderr);
    const got = parseCapture(readFileSync(out)).records.map((x) => x.data[14]);
    assert.deepEqual(got, [want], `-Q ${dirn}`);
  }
});

test('an interface that goes down is waited for; one that disappears ends with the statistics, exit 1', async () => {
  execFileSync('ip', ['link', 'add', 'cbx', 'type', 'veth', 'peer', 'name', 'cby']);
  execFileSync('ip', ['link', 'set', 'cbx', 'up']);
  execFileSync('ip', ['link', 'set', 'cby', 'up']);
  const out = join(dir, 'gone.pcap');
  await quiet();
  const run = runCli(['-i', 'cbx', '-w', out]);
  await waitForPacketSockets(1);
  execFileSync('ip', ['link', 'set', 'cbx', 'down']);
  await sleep(100);
  execFileSync('ip', ['link', 'set', 'cbx', 'up']);
  await carrier('cbx');
  const tx = new PacketSocket({ interface: 'cby' });
  tx.send(testFrame([1, 9]));
  tx.close();
  await sleep(200);
  execFileSync('ip', ['link', 'del', 'cbx']);
  const r = await run;
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /cbx: The interface disappeared\n1 packet captured\n\d+ packets? received by filter\n0 packets dropped by kernel\n$/,
  );
  assert.equal(
    parseCapture(readFileSync(out)).records.length,
    1,
    'the file keeps what was captured',
  );
});

test('-w writes the records tcpdump -w writes (the frames written from the ring itself)', async () => {
  const ours = join(dir, 'side-ours.pcap');
  const theirs = join(dir, 'side-tcpdump.pcap');
  await quiet();
  const td = spawn('tcpdump', ['-i', 'cba', '-w', theirs, 'ether proto 0x88b5 or vlan'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  td.stderr.on('data', (d) => (err += d));
  const ac = new AbortController();
  const run = runCli(['-i', 'cba', '-w', ours, 'ether proto 0x88b5 or vlan'], '', ac.signal);
  while (!err.includes('listening')) await sleep(10);
  await waitForPacketSockets(2);
  const tx = new PacketSocket({ interface: 'cbb' });
  for (let i = 0; i < 40; i++) {
    const f = testFrame([1, i, ...new Array(i * 30).fill(i)]);
    if (i % 3 === 0) {
      // 802.1Q-tagged: the kernel moves the tag to metadata, both put it back.
      const t = new Uint8Array(f.length + 4);
      t.set(f.subarray(0, 12));
      t.set([0x81, 0, 0, i], 12);
      t.set(f.subarray(12), 16);
      tx.send(t);
    } else tx.send(f);
  }
  tx.close();
  await sleep(1300); // tcpdump's ring blocks retire after 1 s
  ac.abort();
  td.kill('SIGINT');
  await new Promise((r) => td.once('exit', r));
  const r = await run;
  assert.equal(r.code, 0, r.stderr);
  const records = (f: string) =>
    parseCapture(readFileSync(f)).records.map((x) => [
      Buffer.from(x.data).toString('hex'),
      x.wirelen,
    ]);
  const a = records(ours);
  assert.equal(a.length, 40);
  assert.deepEqual(a, records(theirs));
  // The same header: link type, snap length, microsecond magic.
  assert.deepEqual(readFileSync(ours).subarray(0, 24), readFileSync(theirs).subarray(0, 24));
});
