// The ARP scanner for real: a bridge with network-namespace "VMs" (three live, one off the subnet,
// one that never answers ARP), scanned through a kernel-filtered AF_PACKET socket; then a flood of
// unrelated frames that the kernel filter keeps out of user space.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import koffi from 'koffi';
import { scanFilter, scanInterface } from '../../src/apps/arp-scan/index.js';
import { openCapture } from '../../src/node/capture.js';
import { PacketSocket } from '../../src/node/linux/packet-socket.js';
import { buildIpFrame } from '../../src/packets/build-ip.js';
import { buildArpFrame } from '../../src/packets/build-link.js';
import { enterNetns, type Netns } from '../helpers/netns.js';

const libc = koffi.load('libc.so.6');
const setns = libc.func('int setns(int fd, int nstype)');
const openFd = libc.func('int open(const char *path, int flags)');
const closeFd = libc.func('int close(int fd)');
const CLONE_NEWNET = 0x40000000;

const tag = `${process.pid}`;
const VMS = [
  { ns: `cbvm1-${tag}`, mac: '52:54:00:00:00:11', ip: '10.77.0.11/24' },
  { ns: `cbvm2-${tag}`, mac: '52:54:00:00:00:12', ip: '10.77.0.12/24' },
  { ns: `cbvm3-${tag}`, mac: '52:54:00:00:00:13', ip: '10.77.0.200/24' },
  { ns: `cbvmx-${tag}`, mac: '52:54:00:00:00:14', ip: '10.88.0.5/24' }, // another subnet
  { ns: `cbvms-${tag}`, mac: '52:54:00:00:00:15', ip: '10.77.0.15/24', silent: true }, // NOARP
];
const LIVE = [
  { ip: '10.77.0.11', mac: '52:54:00:00:00:11' },
  { ip: '10.77.0.12', mac: '52:54:00:00:00:12' },
  { ip: '10.77.0.200', mac: '52:54:00:00:00:13' },
];

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
let home: Netns;

before(() => {
  home = enterNetns(`cbpf-arp-${tag}`); // the scanner's namespace; everything below lives inside it
  ip('link', 'add', 'br0', 'type', 'bridge', 'forward_delay', '0');
  ip('addr', 'add', '10.77.0.1/24', 'dev', 'br0');
  ip('link', 'set', 'br0', 'up');
  VMS.forEach((vm, i) => {
    ip('netns', 'add', vm.ns);
    ip('link', 'add', `vm${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', vm.ns);
    ip('link', 'set', `vm${i}`, 'master', 'br0', 'up');
    ip('-n', vm.ns, 'link', 'set', 'eth0', 'address', vm.mac);
    if (vm.silent) ip('-n', vm.ns, 'link', 'set', 'eth0', 'arp', 'off');
    ip('-n', vm.ns, 'addr', 'add', vm.ip, 'dev', 'eth0');
    ip('-n', vm.ns, 'link', 'set', 'eth0', 'up');
  });
});

after(() => {
  for (const vm of VMS) {
    try {
      ip('netns', 'del', vm.ns);
    } catch {}
  }
  home?.dispose();
});

/** Opens a packet socket on `ifname` inside namespace `ns` (the socket stays there), then comes back. */
function socketIn(ns: string, ifname: string): PacketSocket {
  const back = openFd(`/proc/self/task/${process.pid}/ns/net`, 0) as number;
  const fd = openFd(`/var/run/netns/${ns}`, 0) as number;
  assert.ok(back >= 0 && fd >= 0 && setns(fd, CLONE_NEWNET) === 0, `setns into ${ns}`);
  try {
    return new PacketSocket({ interface: ifname });
  } finally {
    setns(back, CLONE_NEWNET);
    closeFd(fd);
    closeFd(back);
  }
}

test('arp-scan finds exactly the live hosts on the subnet', async () => {
  const found = await scanInterface({ interface: 'br0', rate: 2000, timeout: 400, retries: 1 });
  assert.deepEqual(found, LIVE);
});

test('arp-scan with a MAC set reports only those VMs', async () => {
  const found = await scanInterface({
    interface: 'br0',
    subnet: '10.77.0.0/24',
    macs: ['52:54:00:00:00:12'],
    rate: 2000,
    timeout: 300,
  });
  assert.deepEqual(found, [{ ip: '10.77.0.12', mac: '52:54:00:00:00:12' }]);
});

test('a flood of unrelated frames never reaches user space through the scanner filter', async () => {
  const filtered = await openCapture({ interface: 'br0', filter: scanFilter() });
  const all = await openCapture({ interface: 'br0' });
  const tx = socketIn(VMS[0].ns, 'eth0');
  const FLOOD = 5000;
  const REPLIES = 20;
  try {
    const noise = buildIpFrame(
      { src: VMS[0].mac, dst: 'ff:ff:ff:ff:ff:ff' },
      { src: '10.77.0.11', dst: '10.77.0.255' },
      { kind: 'udp', srcPort: 5353, dstPort: 5353, payload: new Uint8Array(100) },
    );
    const request = buildArpFrame({
      op: 'request',
      senderMac: VMS[0].mac,
      senderIp: '10.77.0.11',
      targetIp: '10.77.0.99',
      padTo: 60,
    });
    const reply = buildArpFrame({
      op: 'reply',
      senderMac: VMS[0].mac,
      senderIp: '10.77.0.11',
      targetMac: '02:00:00:00:00:01',
      targetIp: '10.77.0.1',
      dst: 'ff:ff:ff:ff:ff:ff',
      padTo: 60,
    });
    for (let i = 0; i < FLOOD; i++) {
      tx.send(i % 2 ? noise : request);
      if (i % (FLOOD / REPLIES) === 0) tx.send(reply);
    }
    await new Promise((r) => setTimeout(r, 300));
    const f = filtered.stats();
    const a = all.stats();
    assert.equal(f.received, REPLIES, `the filtered socket got only the ${REPLIES} ARP replies`);
    assert.ok(
      a.received >= FLOOD + REPLIES,
      `an unfiltered socket on the same bridge saw ${a.received} frames`,
    );
    console.log(
      `flood: ${a.received} frames on the bridge, ${f.received} passed the kernel filter`,
    );
  } finally {
    tx.close();
    filtered.close();
    all.close();
  }
});
