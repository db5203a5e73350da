// `cbpf send`: replay captured frames onto an interface.
export {
  FrameRefusedError,
  type FrameSink,
  type ReplayOptions,
  type ReplayStats,
  replay,
} from './replay.js';
export { openSocketSink, type SocketSink } from './socket-sink.js';
