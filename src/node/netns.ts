// A private network namespace with a veth pair, entered by the calling (main) thread with setns(2):
// sockets opened inside stay there after leaving. Linux only; needs root.
import { execFileSync } from 'node:child_process';
import koffi from 'koffi';
import { NetnsError } from './errors.js';

const CLONE_NEWNET = 0x40000000;
let libc:
  | {
      setns: (fd: number, type: number) => number;
      open: (p: string, f: number) => number;
      close: (fd: number) => number;
    }
  | undefined;

function sys() {
  if (!libc) {
    const lib = koffi.load('libc.so.6');
    libc = {
      setns: lib.func('int setns(int fd, int nstype)') as (fd: number, type: number) => number,
      open: lib.func('int open(const char *path, int flags)') as (p: string, f: number) => number,
      close: lib.func('int close(int fd)') as (fd: number) => number,
    };
  }
  return libc;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

export interface PrivateNetns {
  readonly name: string;
  /** The two ends of the veth pair, both up inside the namespace. */
  readonly veth: readonly [string, string];
  /** Returns the thread to its original namespace and deletes this one (with its veth pair). */
  dispose(): void;
}

/**
 * Creates namespace `name` holding a veth pair `a`/`b` (up, IPv6 off so no stray router solicitations)
 * and moves the calling thread into it. Throws with the reason when not root or `ip` is missing.
 */
export function enterPrivateNetns(name: string, a = 'cba', b = 'cbb'): PrivateNetns {
  if (process.platform !== 'linux')
    throw new NetnsError('UNSUPPORTED_PLATFORM', 'network namespaces need Linux');
  if (process.getuid?.() !== 0)
    throw new NetnsError('NEEDS_ROOT', 'creating a network namespace needs root');
  const { setns, open, close } = sys();
  const home = open(`/proc/self/task/${process.pid}/ns/net`, 0);
  if (home < 0) throw new NetnsError('NETNS_FAILED', "cannot open this thread's network namespace");
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
    ip('-n', name, 'link', 'add', 'name', a, 'type', 'veth', 'peer', 'name', b);
    for (const dev of [a, b, 'lo']) ip('-n', name, 'link', 'set', dev, 'up');
    const fd = open(`/var/run/netns/${name}`, 0);
    if (fd < 0 || setns(fd, CLONE_NEWNET) !== 0)
      throw new NetnsError('NETNS_FAILED', `setns into ${name} failed`);
    close(fd);
  } catch (e) {
    close(home);
    try {
      ip('netns', 'del', name);
    } catch {}
    throw e;
  }
  let disposed = false;
  return {
    name,
    veth: [a, b],
    dispose() {
      if (disposed) return;
      disposed = true;
      setns(home, CLONE_NEWNET);
      close(home);
      try {
        ip('netns', 'del', name);
      } catch {}
    },
  };
}
