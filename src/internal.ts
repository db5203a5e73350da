// `cbpf/internal`: the few private modules the `cbpf` command line uses beyond the public entries, named
// here so that they are few and known (test/meta/layering.test.ts counts them). Not for applications:
// they may change in any release. Each is here for the CLI's startup: they come without the socket
// layer and its FFI, which cbpf/node loads.
export { AtomicFile, refuseSameFile, systemReason } from './node/atomic-file.js';
export { BufferedOutput } from './node/buffered-output.js';
export { type ErrnoCode, SystemError } from './node/errors.js';
export { resolveFilter } from './node/resolve-filter.js';
export {
  type ScanBatchHandler,
  type ScanCaptureFileOptions,
  scanCaptureFile,
} from './node/scan-file.js';
