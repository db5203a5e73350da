// The codes of the errors src/node throws on purpose, registered in CbpfErrorCodes as `node`, and the
// errors of the modules that have no class of their own. A failed system call is a SysError whose code
// is the errno's name (node/ffi/libc.ts).
import { CbpfError } from '../core/errors.js';

/** openCapture on a platform or with options it cannot serve (CaptureError). */
export type CaptureErrorCode =
  | 'UNSUPPORTED_PLATFORM'
  | 'RING_UNSUPPORTED'
  /** /dev/bpf without an interface (it has no `any`). */
  | 'NO_INTERFACE'
  /** No interface of that name. */
  | 'NO_SUCH_DEVICE'
  /** The interface is down, or went away during the capture. */
  | 'IFACE_NOT_UP'
  | 'IFACE_GONE'
  /** A protocol, link kind or link type the interface cannot give. */
  | 'BAD_PROTOCOL'
  | 'BAD_LINKTYPE'
  | 'LINK_UNAVAILABLE'
  | 'LINKTYPE_UNAVAILABLE'
  /** The socket was closed under the ring. */
  | 'RING_FAILED'
  /** A second iteration of one capture at the same time. */
  | 'ALREADY_ITERATING'
  /** /dev/bpf older than libpcap accepts (BIOCVERSION). */
  | 'BPF_VERSION';
/** The TPACKET_V3 ring: a geometry or block the kernel should never give (RingError). */
export type RingErrorCode = 'RING_BAD_PAGE' | 'RING_BAD_BLOCK';
/** A /dev/bpf read buffer or interface name that does not fit (BpfRecordError). */
export type BpfRecordErrorCode = 'BPF_SHORT_HEADER' | 'BPF_SHORT_RECORD' | 'BAD_INTERFACE';
/** A Node socket whose descriptor cannot be reached (DescriptorError). */
export type DescriptorErrorCode = 'NO_DESCRIPTOR';
/** A network namespace that cannot be made or entered here (NetnsError). */
export type NetnsErrorCode = 'UNSUPPORTED_PLATFORM' | 'NEEDS_ROOT' | 'NETNS_FAILED';
/** A capture file writer used after close(). */
export type FileErrorCode = 'WRITE_AFTER_CLOSE';
/** An output file that is the input file (OutputFileError). */
export type OutputFileErrorCode = 'SAME_FILE';
/** A failed system call: the errno's name (EPERM, ENODEV ...), or ERRNO_<n> for a number libc does not name. */
export type ErrnoCode = `E${string}`;

export type NodeErrorCode =
  | CaptureErrorCode
  | RingErrorCode
  | BpfRecordErrorCode
  | DescriptorErrorCode
  | NetnsErrorCode
  | FileErrorCode
  | OutputFileErrorCode
  | ErrnoCode;

declare module '../core/errors.js' {
  interface CbpfErrorCodes {
    node: NodeErrorCode;
  }
}

/** enterPrivateNetns where it cannot work: not Linux, not root, or setns(2) refused. */
export class NetnsError extends CbpfError<NetnsErrorCode> {}

/**
 * A system call's failure as Node reports it (ENOENT, ENOSPC ...), said about the path a user named
 * rather than a temporary one; the code is the errno's name.
 */
export class SystemError extends CbpfError<ErrnoCode> {}

/** A capture file writer's write() after its close(). */
export class FileError extends CbpfError<FileErrorCode> {}
