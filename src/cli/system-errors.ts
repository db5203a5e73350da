// File errors worded as tcpdump words them: "x.pcap: No such file or directory" (the C library's
// strerror text after the name), not Node's "ENOENT: no such file or directory, open 'x.pcap'".

/** glibc's strerror() for the errors opening, reading or writing a file can give. */
const STRERROR: Readonly<Record<string, string>> = {
  EACCES: 'Permission denied',
  EBADF: 'Bad file descriptor',
  EEXIST: 'File exists',
  EFBIG: 'File too large',
  EINVAL: 'Invalid argument',
  EIO: 'Input/output error',
  EISDIR: 'Is a directory',
  ELOOP: 'Too many levels of symbolic links',
  EMFILE: 'Too many open files',
  ENAMETOOLONG: 'File name too long',
  ENFILE: 'Too many open files in system',
  ENODEV: 'No such device',
  ENOENT: 'No such file or directory',
  ENOMEM: 'Cannot allocate memory',
  ENOSPC: 'No space left on device',
  ENOTDIR: 'Not a directory',
  ENXIO: 'No such device or address',
  EPERM: 'Operation not permitted',
  EPIPE: 'Broken pipe',
  EROFS: 'Read-only file system',
  ETXTBSY: 'Text file busy',
};

/** The strerror text of a Node system error, or its own message when the code is unknown. */
export function strerror(err: NodeJS.ErrnoException): string {
  return (err.code && STRERROR[err.code]) || err.message;
}

/** True for the errors Node's fs raises (they carry a code and a syscall). */
export function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  return (
    err instanceof Error &&
    typeof (err as NodeJS.ErrnoException).code === 'string' &&
    typeof (err as NodeJS.ErrnoException).syscall === 'string'
  );
}
