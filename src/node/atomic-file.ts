// Output files that appear whole or not at all: written to a temporary file beside the destination
// and renamed over it when done, so a crash or SIGKILL never leaves a half-written capture where
// the output should be, and an existing file is replaced only by a complete one.
import {
  closeSync,
  fchmodSync,
  fstatSync,
  ftruncateSync,
  openSync,
  realpathSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CbpfError } from '../core/errors.js';
import { type ErrnoCode, type OutputFileErrorCode, SystemError } from './errors.js';

/** An output file refused or failed for a reason of cbpf's own (the system's errors keep their codes). */
export class OutputFileError extends CbpfError<OutputFileErrorCode> {}

/** A file's identity (device and inode), whatever path or descriptor names it. */
export interface FileIdentity {
  dev: bigint;
  ino: bigint;
  /** Regular file (devices and FIFOs are never "the same file" in the sense of being destroyed). */
  regular: boolean;
}

/** The identity of the file `target` (a path, following links, or a descriptor); undefined if there is none. */
export function fileIdentity(target: string | number): FileIdentity | undefined {
  try {
    // A path that names nothing (a new output, as a rule) answers without an exception made.
    const st =
      typeof target === 'number'
        ? fstatSync(target, { bigint: true })
        : statSync(target, { bigint: true, throwIfNoEntry: false });
    if (st === undefined) return undefined;
    return { dev: st.dev, ino: st.ino, regular: st.isFile() };
  } catch {
    return undefined;
  }
}

/** Whether two identities name one regular file. */
export function sameFile(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return !!a && !!b && a.regular && b.regular && a.dev === b.dev && a.ino === b.ino;
}

/** "no such file or directory" from Node's "ENOENT: no such file or directory, open '...'". */
export function systemReason(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  const colon = m.indexOf(': ');
  const comma = m.lastIndexOf(', ');
  return colon >= 0 && comma > colon ? m.slice(colon + 2, comma) : m;
}

/** Temporary names taken by this process: with the pid, no two of its files ever share one. */
let tempCount = 0;

/**
 * The hex tag of a temporary name: a per-process counter and 32 random bits, so two processes
 * whose pids collide (containers, pid reuse) still differ. Math.random is enough: the name needs
 * no secrecy (it is opened with O_EXCL and retried if taken), and node:crypto costs a few ms at
 * every start.
 */
function tempTag(): string {
  tempCount++;
  return `${tempCount.toString(16)}${Math.floor(Math.random() * 2 ** 32)
    .toString(16)
    .padStart(8, '0')}`;
}

/** Rethrows a system error about `path` with the path a user named (not a temporary one). */
function about(path: string, err: unknown): Error {
  const code = ((err as NodeJS.ErrnoException).code ?? 'EIO') as ErrnoCode;
  return new SystemError(code, `${path}: ${systemReason(err)}`);
}

/**
 * A file being written. For a regular file (or a name not yet taken) the bytes go to a temporary
 * file in the destination's directory, renamed over it by commit(); a device or FIFO (/dev/null,
 * a named pipe) is written in place, as there is nothing to replace.
 */
export class AtomicFile {
  /** The descriptor to write to. */
  readonly fd: number;
  /** The destination as given. */
  readonly path: string;
  /** Where commit() renames to (the target of a symbolic link, so the link stays). */
  private readonly target: string;
  /** The temporary file, or undefined when writing in place. */
  private readonly temp: string | undefined;
  private done = false;

  private constructor(fd: number, path: string, target: string, temp: string | undefined) {
    this.fd = fd;
    this.path = path;
    this.target = target;
    this.temp = temp;
  }

  /** Opens `path` for writing as described above; a missing directory or no permission throws with `path` in the message. */
  static open(path: string): AtomicFile {
    let target = path;
    let existing: Stats | undefined;
    try {
      // Asked without an exception for the usual case, a new file (one made and thrown costs a start
      // a few tenths of a millisecond).
      existing = statSync(path, { throwIfNoEntry: false });
      if (existing) target = realpathSync(path);
    } catch {
      // No such file yet: a new one (a dangling link is replaced by it).
      existing = undefined;
      target = path;
    }
    if (existing && !existing.isFile()) {
      try {
        return new AtomicFile(openSync(target, 'w'), path, target, undefined);
      } catch (e) {
        throw about(path, e);
      }
    }
    let temp = '';
    let fd: number | undefined;
    for (let attempt = 0; fd === undefined; attempt++) {
      temp = join(dirname(target), `.${basename(target)}.cbpf-${process.pid}-${tempTag()}.tmp`);
      try {
        // 'wx': the name is ours alone; a name some other writer holds is never opened.
        fd = openSync(temp, 'wx', 0o666);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' && attempt < 8) continue;
        // A directory we may not write in, holding a file we may: write that file in place, as
        // tcpdump does, rather than refuse.
        if (existing && (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')) {
          try {
            return new AtomicFile(openSync(target, 'w'), path, target, undefined);
          } catch (e2) {
            throw about(path, e2);
          }
        }
        throw about(path, e);
      }
    }
    // The replacement keeps the replaced file's permissions (open's mode is cut by the umask).
    if (existing) {
      try {
        fchmodSync(fd, existing.mode & 0o7777);
      } catch {
        // Not ours to change (another owner): the umask's mode it is.
      }
    }
    return new AtomicFile(fd, path, target, temp);
  }

  /** Whether the output is a temporary file that commit() renames (false: written in place). */
  get atomic(): boolean {
    return this.temp !== undefined;
  }

  /**
   * Closes the file and puts it in place; with `length`, first cuts it to that many bytes (the
   * end of the last record written whole, after a failed write).
   */
  commit(length?: number): void {
    if (this.done) return;
    this.done = true;
    try {
      if (length !== undefined && this.temp !== undefined) ftruncateSync(this.fd, length);
      closeSync(this.fd);
      if (this.temp !== undefined) renameSync(this.temp, this.target);
    } catch (e) {
      this.removeTemp();
      throw about(this.path, e);
    }
  }

  /** Closes and removes the temporary file: the destination stays as it was. */
  discard(): void {
    if (this.done) return;
    this.done = true;
    try {
      closeSync(this.fd);
    } catch {
      // Already closed: nothing more to release.
    }
    this.removeTemp();
  }

  private removeTemp(): void {
    if (this.temp === undefined) return;
    try {
      unlinkSync(this.temp);
    } catch {
      // Gone already.
    }
  }
}

/**
 * Refuses to write `output` when it is the file being read (`input`: a path, or a descriptor for
 * stdin; `outputFd` for `-w -`): reading a file while replacing or appending to it destroys it or
 * never ends.
 */
export function refuseSameFile(
  input: { path: string; fd?: number },
  output: { path: string; fd?: number },
): void {
  const a = fileIdentity(input.fd ?? input.path);
  const b = fileIdentity(output.fd ?? output.path);
  if (sameFile(a, b))
    throw new OutputFileError(
      'SAME_FILE',
      `${output.path === '-' ? 'standard output' : output.path} is the input file ${input.path === '-' ? '(standard input)' : input.path}; refusing to overwrite it`,
    );
}
