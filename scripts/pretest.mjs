// Before `npm test`: make sure the reference tools the differential and integration tests use exist.
// As root on Debian it installs what is missing; otherwise it stops at once naming the command.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian package → how to tell it is installed. */
const NEEDED = [
  ['tcpdump', () => has('tcpdump')],
  ['libpcap-dev', () => existsSync('/usr/include/pcap/pcap.h')],
  ['gcc', () => has('gcc')],
  ['iproute2', () => has('ip')],
  // The live capture test switches a veth's VLAN receive offload.
  ['ethtool', () => has('ethtool')],
  ['golang-go', () => has('go')],
  ['golang-golang-x-net-dev', () => existsSync('/usr/share/gocode/src/golang.org/x/net/bpf/vm.go')],
  ['chromium', () => has('chromium')],
  ['rustc', () => has('rustc')],
  ['python3', () => has('python3')],
];

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

if (process.platform !== 'linux') {
  console.error(
    'pretest: the test suite needs Linux (network namespaces, AF_PACKET, tcpdump/libpcap).',
  );
  process.exit(1);
}
const missing = NEEDED.filter(([, ok]) => !ok()).map(([pkg]) => pkg);
if (missing.length > 0) {
  const cmd = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !has('apt-get')) {
    console.error(`pretest: missing ${missing.join(', ')}; install with:\n  sudo ${cmd}`);
    process.exit(1);
  }
  console.error(`pretest: installing ${missing.join(' ')} ...`);
  execSync(cmd, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const still = NEEDED.filter(([, ok]) => !ok()).map(([pkg]) => pkg);
  if (still.length > 0) {
    console.error(`pretest: still missing after install: ${still.join(', ')}`);
    process.exit(1);
  }
}
