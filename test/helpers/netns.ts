// A private network namespace with one veth pair (cba <-> cbb), entered by this process's main thread via setns(2).
import { execFileSync } from 'node:child_process';
import koffi from 'koffi';

const libc = koffi.load('libc.so.6');
const setns = libc.func('int setns(int fd, int nstype)');
const openFn = libc.func('int open(const char *path, int flags)');
const closeFn = libc.func('int close(int fd)');
const CLONE_NEWNET = 0x40000000;

export interface Netns {
  readonly name: string;
  /** Leaves the namespace and deletes it (and its veth pair). */
  dispose(): void;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Fails (never skips) naming what is missing. */
export function requireRootAndIp(): void {
  if (process.getuid?.() !== 0)
    throw new Error('integration tests need root (CI runs them as root)');
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    throw new Error("'ip' is missing: apt-get install iproute2");
  }
}

/** Creates namespace `name` with veth cba/cbb up, IPv6 off (no stray router solicitations), and enters it. */
export function enterNetns(name: string): Netns {
  requireRootAndIp();
  const home = openFn('/proc/self/task/' + process.pid + '/ns/net', 0) as number;
  if (home < 0) throw new Error('cannot open own netns');
  try {
    execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  } catch {}
  ip('netns', 'add', name);
  try {
    execFileSync(
      'ip',
      [
        'netns',
        'exec',
        name,
        'sysctl',
        '-qw',
        'net.ipv6.conf.all.disable_ipv6=1',
        'net.ipv6.conf.default.disable_ipv6=1',
      ],
      { stdio: 'ignore' },
    );
    ip('-n', name, 'link', 'add', 'name', 'cba', 'type', 'veth', 'peer', 'name', 'cbb');
    ip('-n', name, 'link', 'set', 'cba', 'up');
    ip('-n', name, 'link', 'set', 'cbb', 'up');
    ip('-n', name, 'link', 'set', 'lo', 'up');
    const fd = openFn(`/var/run/netns/${name}`, 0) as number;
    if (fd < 0 || setns(fd, CLONE_NEWNET) !== 0) throw new Error(`setns into ${name} failed`);
    closeFn(fd);
  } catch (e) {
    try {
      ip('netns', 'del', name);
    } catch {}
    throw e;
  }
  return {
    name,
    dispose() {
      setns(home, CLONE_NEWNET);
      closeFn(home);
      try {
        ip('netns', 'del', name);
      } catch {}
    },
  };
}

/** An Ethernet frame b -> a with the local-experimental ethertype 0x88b5 and `payload`. */
export function testFrame(payload: Uint8Array | number[]): Uint8Array {
  const f = new Uint8Array(14 + Math.max(payload.length, 46));
  f.set([0x02, 0, 0, 0, 0, 0xaa, 0x02, 0, 0, 0, 0, 0xbb, 0x88, 0xb5]);
  f.set(payload, 14);
  return f;
}
