// The whole /dev/bpf open sequence, in the macOS and the FreeBSD layouts, against a fake device that
// records every call with its argument bytes: probing for a free device, BIOCSBLEN before BIOCSETIF
// (halved on ENOBUFS, as libpcap), BIOCIMMEDIATE, BIOCPROMISC, BIOCSETF with the program the pointer
// points to, BIOCGDLT, BIOCGSTATS, reads of exactly the buffer size parsed in that layout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toBytes } from '../../src/core/encode.js';
import { openBpfCapture } from '../../src/node/bsd/bpf-capture.js';
import { BpfDevice, type BpfSys } from '../../src/node/bsd/device.js';
import * as I from '../../src/node/bsd/ioctl.js';
import { bpfWordAlign } from '../../src/node/bsd/records.js';
import { resolveFilter } from '../../src/node/capture.js';
import { SysError } from '../../src/node/ffi/libc.js';

const NAMES = new Map(
  Object.entries(I)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v as number, k]),
);

interface Call {
  op: string;
  path?: string;
  flags?: number;
  name?: string;
  arg?: number[];
  referenced?: number[];
  length?: number;
}

/** A record of a read buffer in `flavor`'s bpf_hdr layout. */
function record(
  flavor: 'macos' | 'freebsd',
  sec: number,
  usec: number,
  data: number[],
  wire: number,
) {
  const hdr = flavor === 'macos' ? 18 : 26;
  const b = new Uint8Array(bpfWordAlign(hdr + data.length, flavor === 'macos' ? 4 : 8));
  const dv = new DataView(b.buffer);
  if (flavor === 'macos') {
    dv.setInt32(0, sec, true);
    dv.setInt32(4, usec, true);
    dv.setUint32(8, data.length, true);
    dv.setUint32(12, wire, true);
    dv.setUint16(16, hdr, true);
  } else {
    dv.setBigInt64(0, BigInt(sec), true);
    dv.setBigInt64(8, BigInt(usec), true);
    dv.setUint32(16, data.length, true);
    dv.setUint32(20, wire, true);
    dv.setUint16(24, hdr, true);
  }
  b.set(data, hdr);
  return [...b];
}

/**
 * A kernel's /dev/bpf as far as the calls go: `busy` devices answer EBUSY, a buffer larger than
 * `maxBuffer` makes BIOCSETIF fail with ENOBUFS, reads hand out `reads` in turn (then time out).
 */
function fakeKernel(o: {
  busy: string[];
  missing?: string[];
  maxBuffer: number;
  reads: number[][];
  dlt: number;
}) {
  const calls: Call[] = [];
  let blen = 4096;
  const sys: BpfSys = {
    open(path, flags) {
      calls.push({ op: 'open', path, flags });
      if (o.missing?.includes(path)) throw new SysError(`open(${path})`, 2);
      if (o.busy.includes(path)) throw new SysError(`open(${path})`, 16);
      return 7;
    },
    ioctl(fd, request, arg, _label, referenced) {
      assert.equal(fd, 7);
      const name = NAMES.get(request) ?? `0x${request.toString(16)}`;
      calls.push({
        op: 'ioctl',
        name,
        arg: arg ? [...arg] : undefined,
        referenced: referenced ? [...referenced] : undefined,
      });
      const dv = arg ? new DataView(arg.buffer, arg.byteOffset, arg.byteLength) : undefined;
      switch (name) {
        case 'BIOCVERSION':
          dv?.setUint16(0, 1, true);
          dv?.setUint16(2, 1, true);
          break;
        case 'BIOCGBLEN':
          dv?.setUint32(0, blen, true);
          break;
        case 'BIOCSBLEN':
          blen = dv?.getUint32(0, true) ?? 0;
          break;
        case 'BIOCSETIF':
          if (blen > o.maxBuffer) throw new SysError('ioctl(BIOCSETIF)', 55);
          break;
        case 'BIOCGDLT':
          dv?.setUint32(0, o.dlt, true);
          break;
        case 'BIOCGSTATS':
          dv?.setUint32(0, 12, true);
          dv?.setUint32(4, 2, true);
          break;
      }
      return 0;
    },
    async read(fd, buf) {
      assert.equal(fd, 7);
      calls.push({ op: 'read', length: buf.length });
      // The kernel refuses reads of any other size than its buffer.
      assert.equal(buf.length, blen, 'reads are exactly the buffer size');
      const next = o.reads.shift();
      if (!next) {
        await new Promise((r) => setTimeout(r, 5));
        return 0;
      }
      buf.set(next);
      return next.length;
    },
    write: (_fd, b) => b.length,
    close: () => void calls.push({ op: 'close' }),
    closeAsync: async () => void calls.push({ op: 'close' }),
    addressOf: () => 0x1122334455667788n,
  };
  return { sys, calls };
}

const ioctls = (calls: Call[]) => calls.filter((c) => c.op === 'ioctl').map((c) => c.name);

for (const flavor of ['macos', 'freebsd'] as const) {
  test(`${flavor}: the open sequence, the filter, reads and statistics, call by call`, async () => {
    const reads = [
      [
        ...record(flavor, 1_700_000_000, 250_000, [1, 2, 3], 60),
        ...record(flavor, 1_700_000_001, 5, [4], 4),
      ],
      record(flavor, 1_700_000_002, 0, [5, 6], 1514),
    ];
    const k = fakeKernel({
      busy: ['/dev/bpf0'],
      // FreeBSD probes its cloning /dev/bpf first; this one has none.
      missing: ['/dev/bpf'],
      maxBuffer: 262_144,
      reads,
      dlt: 1,
    });
    const cap = await openBpfCapture(
      { interface: 'en0', filter: 'arp', promiscuous: true },
      resolveFilter,
      (o) =>
        new BpfDevice({
          interface: o.interface as string,
          promiscuous: o.promiscuous,
          timeoutMs: 40,
          flavor,
          sys: k.sys,
        }),
    );
    // A free device: past the busy one (and FreeBSD's missing cloning device), read-write.
    assert.deepEqual(
      k.calls.filter((c) => c.op === 'open').map((c) => [c.path, c.flags]),
      [...(flavor === 'freebsd' ? [['/dev/bpf', 2]] : []), ['/dev/bpf0', 2], ['/dev/bpf1', 2]],
    );
    // libpcap's order: the buffer size before BIOCSETIF, halved from 512 KiB until it is taken.
    assert.deepEqual(ioctls(k.calls), [
      'BIOCVERSION',
      'BIOCGBLEN',
      'BIOCSBLEN',
      'BIOCSETIF',
      'BIOCSBLEN',
      'BIOCSETIF',
      'BIOCGBLEN',
      'BIOCGDLT',
      'BIOCIMMEDIATE',
      'BIOCPROMISC',
      'BIOCSRTIMEOUT',
      'BIOCSHDRCMPLT',
      'BIOCSETF',
    ]);
    const arg = (name: string, nth = 0) => k.calls.filter((c) => c.name === name)[nth]?.arg;
    assert.deepEqual(arg('BIOCSBLEN', 0), [0, 0, 8, 0]); // 524288
    assert.deepEqual(arg('BIOCSBLEN', 1), [0, 0, 4, 0]); // 262144 after ENOBUFS
    assert.deepEqual(arg('BIOCSETIF')?.slice(0, 4), [0x65, 0x6e, 0x30, 0]); // "en0\0" in struct ifreq
    assert.equal(arg('BIOCSETIF')?.length, 32);
    assert.deepEqual(arg('BIOCIMMEDIATE'), [1, 0, 0, 0]);
    assert.equal(arg('BIOCPROMISC'), undefined);
    // struct timeval of 40 ms: 64-bit seconds, then microseconds (32 bits + padding on macOS, 64 on FreeBSD).
    assert.deepEqual(arg('BIOCSRTIMEOUT'), [0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x9c, 0, 0, 0, 0, 0, 0]);
    // struct bpf_program: the count, then the pointer to the instructions, which are `arp` for Ethernet.
    const setf = k.calls.find((c) => c.name === 'BIOCSETF') as Call;
    const program = await resolveFilter('arp', 1);
    assert.deepEqual(setf.arg, [
      program?.length,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0x88,
      0x77,
      0x66,
      0x55,
      0x44,
      0x33,
      0x22,
      0x11,
    ]);
    assert.deepEqual(setf.referenced, [...toBytes(program ?? [], 'le')]);
    assert.equal(cap.linktype, 1);
    // Reads of exactly the buffer size, records in this layout.
    const frames: { data: number[]; wire: number; t: bigint }[] = [];
    for await (const f of cap) {
      frames.push({ data: [...f.data], wire: f.wirelen, t: f.timestampNs });
      if (frames.length === 3) break;
    }
    assert.deepEqual(frames, [
      { data: [1, 2, 3], wire: 60, t: 1_700_000_000_250_000_000n },
      { data: [4], wire: 4, t: 1_700_000_001_000_005_000n },
      { data: [5, 6], wire: 1514, t: 1_700_000_002_000_000_000n },
    ]);
    assert.ok(k.calls.filter((c) => c.op === 'read').every((c) => c.length === 262_144));
    // BIOCGSTATS: struct bpf_stat { bs_recv, bs_drop }.
    assert.deepEqual(cap.stats(), { received: 12, dropped: 2, captured: 3 });
    assert.equal(ioctls(k.calls).at(-1), 'BIOCGSTATS');
    assert.equal(k.calls.filter((c) => c.op === 'close').length, 1);
  });
}

test('freebsd: the cloning /dev/bpf is taken when there is one; -B sets the size once, before BIOCSETIF', () => {
  const k = fakeKernel({ busy: [], maxBuffer: 1 << 24, reads: [], dlt: 0 });
  const dev = new BpfDevice({
    interface: 'lo0',
    bufferSize: 1 << 20,
    flavor: 'freebsd',
    sys: k.sys,
  });
  assert.equal(dev.path, '/dev/bpf');
  assert.equal(dev.linktype, 0);
  assert.deepEqual(ioctls(k.calls).slice(0, 4), [
    'BIOCVERSION',
    'BIOCSBLEN',
    'BIOCSETIF',
    'BIOCGBLEN',
  ]);
  assert.ok(!ioctls(k.calls).includes('BIOCPROMISC'));
  dev.close();
});

test('macos: every device busy, or a failing ioctl, is an error that closes what it opened', () => {
  const busy = Array.from({ length: 256 }, (_, i) => `/dev/bpf${i}`);
  assert.throws(
    () =>
      new BpfDevice({
        interface: 'en0',
        flavor: 'macos',
        sys: fakeKernel({ busy, maxBuffer: 1 << 20, reads: [], dlt: 1 }).sys,
      }),
    { code: 'EBUSY' },
  );
  const k = fakeKernel({ busy: [], maxBuffer: 1024, reads: [], dlt: 1 });
  assert.throws(() => new BpfDevice({ interface: 'en0', flavor: 'macos', sys: k.sys }), {
    errno: 55, // ENOBUFS on macOS and FreeBSD (this host names errno 55 after its own table)
  });
  assert.equal(k.calls.at(-1)?.op, 'close');
});
