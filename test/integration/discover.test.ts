// Discovery on a bridge with 200 "VMs" (namespaces on veth ports): IPv4 only, IPv6 only (link-local and
// a global address that is not EUI-64), both (EUI-64), or silent. `discover` finds exactly the live
// ones with every address of each family; with --mac the kernel keeps every other VM's frames from
// the process; --watch reports an address that changed, one that moved to another VM, and one gone.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { type Change, discover, eui64Address } from '../../src/apps/discover/index.js';
import { runCli } from '../helpers/cli.js';
import { enterNetns, type Netns } from '../helpers/netns.js';

const N = Number(process.env.CBPF_DISCOVER_VMS ?? 200);
const tag = process.pid;
const vmNs = (i: number) => `cbv${tag}-${i}`;
const macOf = (i: number) =>
  `52:54:00:77:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
type Kind = 'dual' | 'v4' | 'v6' | 'silent';
const kindOf = (i: number): Kind =>
  (['dual', 'dual', 'dual', 'v4', 'v4', 'v6', 'v6', 'silent'] as const)[i % 8];
const ipv4Of = (i: number) => `10.77.0.${i + 2}`;
const globalOf = (i: number) =>
  kindOf(i) === 'v6'
    ? `fd00:77::${(0x1000 + i).toString(16)}`
    : eui64Address('fd00:77::', macOf(i));

/** The addresses VM i has, as discovery should report them. */
function expected(i: number): string[] {
  const k = kindOf(i);
  const out: string[] = [];
  if (k === 'dual' || k === 'v4') out.push(ipv4Of(i));
  if (k === 'dual' || k === 'v6') out.push(globalOf(i), eui64Address('fe80::', macOf(i)));
  return out.sort();
}

const ipBatch = (lines: string[], netns?: string) =>
  execFileSync('ip', [...(netns ? ['-n', netns] : []), '-batch', '-'], {
    input: `${lines.join('\n')}\n`,
    stdio: ['pipe', 'ignore', 'pipe'],
  });

/**
 * 200 veth ports on one host hand a multicast's 200 copies, and the 200 answers, to one CPU's receive
 * backlog, which holds 1,000 frames by default: its drops would lose answers a real link delivers.
 * The test raises it while it runs (a host-wide setting, put back after).
 */
const BACKLOG = '/proc/sys/net/core/netdev_max_backlog';
let backlog: string | undefined;

let ns: Netns;
before(() => {
  backlog = readFileSync(BACKLOG, 'utf8').trim();
  if (Number(backlog) < 20_000) writeFileSync(BACKLOG, '20000');
  ns = enterNetns(`cbpf-disc-${tag}`);
  const home: string[] = ['link add br0 type bridge', 'link set br0 up'];
  const vms: string[] = [];
  for (let i = 0; i < N; i++) vms.push(`netns add ${vmNs(i)}`);
  ipBatch(vms);
  for (let i = 0; i < N; i++)
    home.push(
      `link add h${i} type veth peer name eth0 netns ${vmNs(i)}`,
      `link set h${i} master br0`,
      `link set h${i} up`,
    );
  ipBatch(home);
  execFileSync('sysctl', ['-qw', 'net.ipv6.conf.br0.disable_ipv6=0']);
  ipBatch(['addr add 10.77.0.1/24 dev br0', 'addr add fd00:77::1/64 dev br0 nodad']);
  for (let i = 0; i < N; i++) {
    const k = kindOf(i);
    const inside = [`link set eth0 address ${macOf(i)}`];
    // No IPv6 at all on IPv4-only and silent VMs: no link-local address is made.
    if (k === 'v4' || k === 'silent') inside.push('link set eth0 addrgenmode none');
    if (k === 'dual' || k === 'v4') inside.push(`addr add ${ipv4Of(i)}/24 dev eth0`);
    if (k === 'dual' || k === 'v6') inside.push(`addr add ${globalOf(i)}/64 dev eth0 nodad`);
    inside.push('link set eth0 up', 'link set lo up');
    ipBatch(inside, vmNs(i));
  }
  // Link-local addresses finish duplicate address detection (about a second) before the tests probe.
  execFileSync('sleep', ['2']);
});
after(() => {
  try {
    ipBatch(Array.from({ length: N }, (_, i) => `netns del ${vmNs(i)}`));
  } finally {
    ns?.dispose();
    // Host-wide, so only visible from the first namespace, where dispose() returned this thread.
    if (backlog !== undefined) writeFileSync(BACKLOG, backlog);
  }
});

/** MAC → its sorted addresses, from a discovery's table. */
const found = (d: ReturnType<typeof discover>) =>
  new Map(d.neighbors().map((n) => [n.mac, n.addresses.map((a) => a.ip).sort()]));

test(`discover finds exactly the ${N - N / 8} live VMs of ${N}, with each address of each family`, async () => {
  const d = discover({ interface: 'br0', rounds: 3 });
  for await (const _ of d);
  const got = found(d);
  const want = new Map<string, string[]>();
  for (let i = 0; i < N; i++) if (kindOf(i) !== 'silent') want.set(macOf(i), expected(i));
  const missing = [...want].filter(([m, a]) => JSON.stringify(got.get(m)) !== JSON.stringify(a));
  const extra = [...got.keys()].filter((m) => !want.has(m));
  assert.deepEqual(
    missing.slice(0, 5).map(([m, a]) => `${m}: want ${a} got ${got.get(m)}`),
    [],
  );
  assert.deepEqual(extra, []);
  console.log(
    `# discover: ${got.size} hosts, ${[...got.values()].flat().length} addresses; ${JSON.stringify(d.stats())}`,
  );
});

test('with --mac, the kernel passes only those VMs: none of the other VMs’ frames reach the process', async () => {
  const asked = Array.from({ length: 150 }, (_, i) => i);
  const d = discover({ interface: 'br0', macs: asked.map(macOf), rounds: 3 });
  for await (const _ of d);
  const got = found(d);
  const want = asked.filter((i) => kindOf(i) !== 'silent');
  assert.equal(got.size, want.length);
  for (const i of want) assert.deepEqual(got.get(macOf(i)), expected(i), macOf(i));
  const s = d.stats();
  assert.equal(s.foreign, 0, 'frames from VMs not asked about reached user space');
  // The kernel's own count: every frame its filter passed was read (none foreign) or dropped for lack
  // of room (a loaded machine's ring; those passed the filter too, so came from the 150).
  assert.equal(s.kernel?.passed, s.frames + s.own + (s.kernel?.dropped ?? 0));
  // Every live VM of the 50 others answered the ARP sweep too (the first test shows they do): their
  // replies, and their ND and echo answers, stayed in the kernel.
  assert.ok(s.frames > 0);
  console.log(`# discover --mac x150: ${got.size} hosts; ${JSON.stringify(s)}`);
});

test('--watch: an address that changed, one that moved to another VM, one gone', async () => {
  const stop = new AbortController();
  const d = discover({
    interface: 'br0',
    macs: [0, 3, 4, 5].map(macOf),
    watch: true,
    interval: 700,
    maxAge: 2000,
    timeout: 300,
    rounds: 1,
    signal: stop.signal,
  });
  const seen: Change[] = [];
  const want = (pred: (c: Change) => boolean) => seen.some(pred);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, 20_000);
  let phase = 0;
  for await (const c of d) {
    seen.push(c);
    // Once every address of the four VMs is known (later rounds find what the first missed).
    const initial = [0, 3, 4, 5].flatMap((i) => expected(i).map((ip) => `${macOf(i)} ${ip}`));
    if (
      phase === 0 &&
      initial.every((a) => want((x) => x.kind === 'new' && `${x.mac} ${x.ip}` === a))
    ) {
      phase = 1;
      // VM 0 moves to .250; VM 4's address moves to VM 3 (VM 3 keeps its own too); VM 5 goes quiet.
      ipBatch([`addr del ${ipv4Of(0)}/24 dev eth0`, 'addr add 10.77.0.250/24 dev eth0'], vmNs(0));
      ipBatch([`addr del ${ipv4Of(4)}/24 dev eth0`], vmNs(4));
      ipBatch([`addr add ${ipv4Of(4)}/24 dev eth0`], vmNs(3));
      ipBatch(['link set eth0 down'], vmNs(5));
    }
    if (
      phase === 1 &&
      want((x) => x.kind === 'new' && x.ip === '10.77.0.250' && x.mac === macOf(0)) &&
      want((x) => x.kind === 'gone' && x.ip === ipv4Of(0)) &&
      want(
        (x) =>
          x.kind === 'moved' && x.ip === ipv4Of(4) && x.mac === macOf(3) && x.from === macOf(4),
      ) &&
      want((x) => x.kind === 'gone' && x.ip === globalOf(5))
    )
      stop.abort();
  }
  clearTimeout(timer);
  if (timedOut)
    console.log(
      `# watch timed out in phase ${phase}:\n# ${seen.map((c) => `${c.kind} ${c.ip} ${c.mac}`).join('\n# ')}`,
    );
  const text = seen.map(
    (c) => `${c.kind} ${c.ip} ${c.mac}${c.kind === 'moved' ? ` from ${c.from}` : ''}`,
  );
  assert.ok(text.includes(`new 10.77.0.250 ${macOf(0)}`), text.join('\n'));
  assert.ok(text.includes(`gone ${ipv4Of(0)} ${macOf(0)}`), text.join('\n'));
  assert.ok(text.includes(`moved ${ipv4Of(4)} ${macOf(3)} from ${macOf(4)}`), text.join('\n'));
  assert.ok(text.includes(`gone ${globalOf(5)} ${macOf(5)}`), text.join('\n'));
  assert.ok(
    !text.some((t) => t.startsWith('gone') && t.includes(macOf(3))),
    'VM 3 kept its addresses',
  );
});

test('cbpf discover prints the table, and JSON with --json', async () => {
  // VMs the --watch test leaves alone: 8 (both families), 13 (IPv6 only), 15 (silent).
  const args = [
    'discover',
    '-i',
    'br0',
    '--rounds',
    '3',
    '--mac',
    macOf(8),
    '--mac',
    macOf(13),
    '--mac',
    macOf(15),
  ];
  const json = await runCli([...args, '--json']);
  assert.equal(json.code, 0, json.stderr);
  const { neighbors } = JSON.parse(json.stdout) as {
    neighbors: { mac: string; addresses: { ip: string; how: string[] }[] }[];
  };
  assert.deepEqual(
    neighbors.map((n) => [n.mac, n.addresses.map((a) => a.ip).sort()]),
    [
      [macOf(8), expected(8)],
      [macOf(13), expected(13)],
    ],
    'VM 15 is silent',
  );
  const text = await runCli(args);
  assert.equal(text.code, 0, text.stderr);
  assert.match(
    text.stdout,
    /^MAC +VENDOR +ADDRESS +LEARNED BY +FIRST SEEN +LAST SEEN\n52:54:00:77:00:08 +QEMU\/KVM/,
  );
  assert.match(text.stderr, /^2 hosts, 5 addresses\n$/);
  assert.equal((await runCli(['discover'])).code, 2);
});
