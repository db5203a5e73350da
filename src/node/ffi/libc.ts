// koffi bindings to the few libc calls the socket backends need, with errno turned into SysError.
import koffi from 'koffi';
import { CbpfError } from '../../core/errors.js';
import type { ErrnoCode } from '../errors.js';

/** A failed system call: `code` is the errno name (EPERM, ENODEV...), `syscall` the call. */
export class SysError extends CbpfError<ErrnoCode> {
  readonly syscall: string;
  readonly errno: number;
  constructor(syscall: string, errno: number, detail?: string) {
    const name = errnoName(errno);
    super(name, `${syscall}: ${explain(syscall, name)}${detail ? ` (${detail})` : ''}`);
    this.syscall = syscall;
    this.errno = errno;
  }
}

const ERRNO: Record<string, number> = (koffi.os?.errno ?? {}) as Record<string, number>;

export function errnoName(n: number): ErrnoCode {
  for (const [k, v] of Object.entries(ERRNO)) if (v === n) return k as ErrnoCode;
  return `ERRNO_${n}`;
}

function explain(syscall: string, name: string): string {
  switch (name) {
    case 'EPERM':
    case 'EACCES':
      return syscall === 'setsockopt(SO_ATTACH_FILTER)' ||
        syscall === 'setsockopt(SO_DETACH_FILTER)'
        ? `${name}: the filter is locked (SO_LOCK_FILTER)`
        : `${name}: needs root or CAP_NET_RAW`;
    case 'ENODEV':
      return `${name}: unknown interface`;
    case 'ENETDOWN':
      return `${name}: interface down`;
    case 'ENOENT':
      return syscall.includes('DETACH') ? `${name}: no filter attached` : name;
    case 'EINVAL':
      return syscall.includes('ATTACH_FILTER') ? `${name}: the kernel rejected the filter` : name;
    default:
      return name;
  }
}

// Loaded on first use so importing cbpf/node works where there is no libc.so.6 (macOS).
function bind_() {
  const libc = koffi.load(process.platform === 'darwin' ? 'libSystem.B.dylib' : 'libc.so.6');
  return {
    socket: libc.func('int socket(int domain, int type, int protocol)'),
    bind: libc.func('int bind(int fd, void *addr, uint32_t len)'),
    setsockopt: libc.func('int setsockopt(int fd, int level, int name, void *val, uint32_t len)'),
    getsockopt: libc.func(
      'int getsockopt(int fd, int level, int name, void *val, _Inout_ uint32_t *len)',
    ),
    ioctl: libc.func('int ioctl(int fd, unsigned long req, void *arg)'),
    sendto: libc.func(
      'intptr_t sendto(int fd, void *buf, size_t len, int flags, void *addr, uint32_t alen)',
    ),
    send: libc.func('intptr_t send(int fd, void *buf, size_t len, int flags)'),
    recv: libc.func('intptr_t recv(int fd, void *buf, size_t len, int flags)'),
    recvfrom: libc.func(
      'intptr_t recvfrom(int fd, void *buf, size_t len, int flags, void *addr, _Inout_ uint32_t *alen)',
    ),
    poll: libc.func('int poll(void *fds, unsigned long n, int timeout)'),
    close: libc.func('int close(int fd)'),
    if_nametoindex: libc.func('unsigned int if_nametoindex(const char *name)'),
    if_indextoname: libc.func('char *if_indextoname(unsigned int index, _Out_ char *name)'),
    fcntl: libc.func('int fcntl(int fd, int cmd, int arg)'),
    mmap: libc.func(
      'void *mmap(void *addr, size_t len, int prot, int flags, int fd, intptr_t off)',
    ),
    munmap: libc.func('int munmap(void *addr, size_t len)'),
    open: libc.func('int open(const char *path, int flags)'),
    read: libc.func('intptr_t read(int fd, void *buf, size_t len)'),
    write: libc.func('intptr_t write(int fd, void *buf, size_t len)'),
    writev: libc.func('intptr_t writev(int fd, void *iov, int iovcnt)'),
    // Linux only: binding a symbol libSystem lacks would fail every call on macOS.
    eventfd:
      process.platform === 'linux'
        ? libc.func('int eventfd(unsigned int initval, int flags)')
        : undefined,
    sysconf: libc.func('long sysconf(int name)'),
  };
}
let rawCache: ReturnType<typeof bind_> | undefined;
const R = () => (rawCache ??= bind_());

function check(name: string, r: number | bigint, detail?: () => string | undefined): number {
  const n = Number(r);
  if (n < 0) throw new SysError(name, koffi.errno(), detail?.());
  return n;
}

export const EAGAIN = ERRNO.EAGAIN ?? 11;

export function socket(domain: number, type: number, protocol: number): number {
  return check('socket', R().socket(domain, type, protocol));
}
export function bind(fd: number, addr: Uint8Array): void {
  check('bind', R().bind(fd, addr, addr.length));
}
export function setsockopt(
  fd: number,
  level: number,
  name: number,
  val: Uint8Array,
  label = 'setsockopt',
  detail?: () => string | undefined,
): void {
  check(label, R().setsockopt(fd, level, name, val, val.length), detail);
}
/** Returns the option length the kernel reported. */
export function getsockopt(
  fd: number,
  level: number,
  name: number,
  val: Uint8Array,
  label = 'getsockopt',
): number {
  const len = [val.length];
  check(label, R().getsockopt(fd, level, name, val.length ? val : null, len));
  return len[0];
}
export function ioctl(fd: number, req: number, arg: Uint8Array | null, label = 'ioctl'): number {
  return check(label, R().ioctl(fd, req, arg));
}
export function send(fd: number, buf: Uint8Array, flags = 0): number {
  return check('send', R().send(fd, buf, buf.length, flags));
}
export function sendto(fd: number, buf: Uint8Array, addr: Uint8Array, flags = 0): number {
  return check('sendto', R().sendto(fd, buf, buf.length, flags, addr, addr.length));
}
/** Returns the byte count, or -1 when a non-blocking socket has nothing (EAGAIN). */
export function recv(fd: number, buf: Uint8Array, flags = 0): number {
  const n = Number(R().recv(fd, buf, buf.length, flags));
  if (n >= 0) return n;
  const e = koffi.errno();
  if (e === EAGAIN) return -1;
  throw new SysError('recv', e);
}
/** Like recv, also filling `addr` (e.g. sockaddr_ll); returns -1 on EAGAIN. */
export function recvfrom(fd: number, buf: Uint8Array, flags: number, addr: Uint8Array): number {
  const alen = [addr.length];
  const n = Number(R().recvfrom(fd, buf, buf.length, flags, addr, alen));
  if (n >= 0) return n;
  const e = koffi.errno();
  if (e === EAGAIN) return -1;
  throw new SysError('recvfrom', e);
}
export const POLLIN = 1;
export const POLLERR = 8;
export const POLLHUP = 16;
export const POLLNVAL = 32;
/** poll(2) on one descriptor, run on koffi's worker pool so the event loop stays free. */
export function pollAsync(fd: number, events: number, timeoutMs: number): Promise<number> {
  const pfd = new Uint8Array(8);
  const dv = new DataView(pfd.buffer);
  dv.setInt32(0, fd, true);
  dv.setInt16(4, events, true);
  return new Promise((resolve, reject) => {
    R().poll.async(pfd, 1, timeoutMs, (err: unknown, r: number) => {
      if (err) reject(err);
      else resolve(r < 0 ? 0 : dv.getInt16(6, true));
    });
  });
}
export function close(fd: number): void {
  check('close', R().close(fd));
}
/** close(2) on koffi's worker pool: closing a packet socket waits for an RCU grace period (~25 ms). */
export function closeAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    R().close.async(fd, (err: unknown) => (err ? reject(err) : resolve()));
  });
}
export function ifNameToIndex(name: string): number {
  const i = R().if_nametoindex(name) as number;
  if (i === 0) throw new SysError(`if_nametoindex(${name})`, koffi.errno() || (ERRNO.ENODEV ?? 19));
  return i;
}
/** The name of interface `index`, or undefined when there is none (any more). */
export function ifIndexToName(index: number): string | undefined {
  const buf = Buffer.alloc(16);
  const r = R().if_indextoname(index, buf);
  if (r === null) return undefined;
  const end = buf.indexOf(0);
  return buf.subarray(0, end < 0 ? 16 : end).toString('latin1');
}
export const F_GETFL = 3;
export const F_SETFL = 4;
export const O_NONBLOCK = 0o4000;
export function fcntl(fd: number, cmd: number, arg = 0): number {
  return check('fcntl', R().fcntl(fd, cmd, arg));
}
export function setNonBlocking(fd: number): void {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}
export function open(path: string, flags: number): number {
  return check(`open(${path})`, R().open(path, flags));
}
export function read(fd: number, buf: Uint8Array): number {
  return check('read', R().read(fd, buf, buf.length));
}
/** read(2) on koffi's worker pool, for a descriptor whose read blocks (/dev/bpf with a read timeout). */
export function readAsync(fd: number, buf: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    R().read.async(fd, buf, buf.length, (err: unknown, r: number | bigint) => {
      if (err) reject(err);
      else if (Number(r) < 0) reject(new SysError('read', koffi.errno()));
      else resolve(Number(r));
    });
  });
}
export function write(fd: number, buf: Uint8Array): number {
  return check('write', R().write(fd, buf, buf.length));
}
/** writev(2) of `count` struct iovec entries laid out in `iov`; returns the bytes written. */
export function writev(fd: number, iov: Uint8Array, count: number): number {
  return check('writev', R().writev(fd, iov, count));
}
export function mmap(len: number, prot: number, flags: number, fd: number): unknown {
  const p = R().mmap(null, len, prot, flags, fd, 0);
  if (koffi.address(p) === 0xffffffffffffffffn) throw new SysError('mmap', koffi.errno());
  return p;
}
/**
 * Replaces the mapping at `p` with zero-filled private memory (MAP_FIXED | MAP_ANONYMOUS): what was
 * mapped there is released, and a view still pointing at it reads zeros instead of faulting.
 */
export function mmapAnonymousAt(p: unknown, len: number): void {
  const MAP_PRIVATE = 2;
  const MAP_FIXED = 0x10;
  const MAP_ANONYMOUS = 0x20;
  const q = R().mmap(p, len, 3, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
  if (koffi.address(q) === 0xffffffffffffffffn) throw new SysError('mmap', koffi.errno());
}
export function munmap(p: unknown, len: number): void {
  check('munmap', R().munmap(p, len));
}
const EFD_CLOEXEC = 0o2000000;
const EFD_NONBLOCK = 0o4000;
/** A non-blocking eventfd(2) (Linux): a descriptor another thread's poll() can be woken through. */
export function eventfd(): number {
  const eventfd_ = R().eventfd;
  if (!eventfd_) throw new SysError('eventfd', ERRNO.ENOSYS ?? 38);
  return check('eventfd', eventfd_(0, EFD_CLOEXEC | EFD_NONBLOCK));
}
/** Adds 1 to an eventfd's counter, making it readable. */
export function signalEventfd(fd: number): void {
  const one = new Uint8Array(8);
  one[0] = 1;
  write(fd, one);
}
/** sysconf(_SC_PAGESIZE), whose number differs per system. */
export function pageSize(): number {
  const name = process.platform === 'darwin' ? 29 : process.platform === 'freebsd' ? 47 : 30;
  return check('sysconf(_SC_PAGESIZE)', R().sysconf(name));
}
/** The address of a buffer, for structs that hold pointers (sock_fprog). */
export function addressOf(buf: Uint8Array): bigint {
  return koffi.address(buf);
}
