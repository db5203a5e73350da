// A FrameSink on a Linux AF_PACKET socket: frames go out whole, link header included; a full transmit
// queue is waited out (poll for POLLOUT off the event loop) instead of dropping the frame.

import * as libc from '../../node/ffi/libc.js';
import { SysError } from '../../node/ffi/libc.js';
import { PacketSocket } from '../../node/linux/packet-socket.js';
import { FrameRefusedError, type FrameSink } from './replay.js';

const POLLOUT = 4;

export interface SocketSink extends FrameSink {
  close(): void;
}

/** Opens a raw packet socket on `iface` for sending. Throws SysError (ENODEV, EPERM …) as it opens. */
export function openSocketSink(iface: string): SocketSink {
  const socket = new PacketSocket({ interface: iface, type: 'raw' });
  // Nothing is received on this socket: a filter that drops all keeps its queue empty.
  socket.setFilter([{ code: 0x06, jt: 0, jf: 0, k: 0 }]);
  return {
    async send(frame) {
      for (;;) {
        try {
          socket.send(frame);
          return;
        } catch (err) {
          if (!(err instanceof SysError)) throw err;
          if (err.code === 'EAGAIN' || err.code === 'ENOBUFS') {
            await libc.pollAsync(socket.fd, POLLOUT, 50);
            continue;
          }
          if (err.code === 'EMSGSIZE')
            throw new FrameRefusedError(
              `a ${frame.length}-byte frame is longer than ${iface}'s MTU allows`,
            );
          throw err;
        }
      }
    },
    close: () => socket.close(),
  };
}
