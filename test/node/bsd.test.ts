import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as I from '../../src/node/bsd/ioctl.js';
import {
  bpfProgramStruct,
  bpfWordAlign,
  ifreq,
  parseBpfBuffer,
  parseBpfStat,
} from '../../src/node/bsd/records.js';

test('ioctl numbers computed from the macros match cbpf-reference 6.3', () => {
  const table: [number, number][] = [
    [I.BIOCGBLEN, 0x40044266],
    [I.BIOCSBLEN, 0xc0044266],
    [I.BIOCSETF, 0x80104267],
    [I.BIOCFLUSH, 0x20004268],
    [I.BIOCPROMISC, 0x20004269],
    [I.BIOCGDLT, 0x4004426a],
    [I.BIOCGETIF, 0x4020426b],
    [I.BIOCSETIF, 0x8020426c],
    [I.BIOCSRTIMEOUT, 0x8010426d],
    [I.BIOCGRTIMEOUT, 0x4010426e],
    [I.BIOCGSTATS, 0x4008426f],
    [I.BIOCIMMEDIATE, 0x80044270],
    [I.BIOCVERSION, 0x40044271],
    [I.BIOCGHDRCMPLT, 0x40044274],
    [I.BIOCSHDRCMPLT, 0x80044275],
    [I.BIOCGSEESENT, 0x40044276],
    [I.BIOCSSEESENT, 0x80044277],
    [I.BIOCSDLT, 0x80044278],
    [I.BIOCSETFNR_MACOS, 0x8010427e],
    [I.BIOCSETFNR_FREEBSD, 0x80104282],
    [I.BIOCLOCK, 0x2000427a],
    [I.BIOCSETWF, 0x8010427b],
  ];
  for (const [got, want] of table) assert.equal(got.toString(16), want.toString(16));
});

function record(
  flavor: 'macos' | 'freebsd',
  sec: number,
  usec: number,
  data: number[],
  wire: number,
  hdrlen: number,
): number[] {
  const align = flavor === 'macos' ? 4 : 8;
  const total = bpfWordAlign(hdrlen + data.length, align);
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  if (flavor === 'macos') {
    dv.setInt32(0, sec, true);
    dv.setInt32(4, usec, true);
    dv.setUint32(8, data.length, true);
    dv.setUint32(12, wire, true);
    dv.setUint16(16, hdrlen, true);
  } else {
    dv.setBigInt64(0, BigInt(sec), true);
    dv.setBigInt64(8, BigInt(usec), true);
    dv.setUint32(16, data.length, true);
    dv.setUint32(20, wire, true);
    dv.setUint16(24, hdrlen, true);
  }
  b.set(data, hdrlen);
  return [...b];
}

for (const flavor of ['macos', 'freebsd'] as const) {
  test(`${flavor}: several records with word-align padding, data at bh_hdrlen`, () => {
    const h = flavor === 'macos' ? 18 : 26;
    const bytes = [
      ...record(flavor, 1700000000, 5, [1, 2, 3], 60, h),
      ...record(flavor, 1700000001, 6, [4, 5, 6, 7, 8], 5, h + 2),
      ...record(flavor, 1700000002, 7, [], 1514, h),
    ];
    const buf = new Uint8Array([...bytes, 0xee, 0xee]);
    const recs = parseBpfBuffer(buf, bytes.length, flavor);
    assert.equal(recs.length, 3);
    assert.deepEqual([...recs[0].data], [1, 2, 3]);
    assert.equal(recs[0].wirelen, 60);
    assert.equal(recs[0].sec, 1700000000);
    assert.equal(recs[1].usec, 6);
    assert.deepEqual([...recs[1].data], [4, 5, 6, 7, 8]);
    assert.equal(recs[2].data.length, 0);
    assert.equal(recs[2].wirelen, 1514);
  });

  test(`${flavor}: a truncated buffer is a typed error`, () => {
    const bytes = record(flavor, 1, 2, [1, 2, 3, 4], 4, flavor === 'macos' ? 18 : 26);
    assert.throws(() => parseBpfBuffer(new Uint8Array(bytes), bytes.length - 4, flavor), {
      code: 'BPF_SHORT_RECORD',
    });
    assert.throws(() => parseBpfBuffer(new Uint8Array(bytes), 10, flavor), {
      code: 'BPF_SHORT_HEADER',
    });
  });
}

test('struct layouts: bpf_program 16 bytes, ifreq name, bpf_stat', () => {
  const p = bpfProgramStruct(6, 0x1122334455667788n);
  assert.deepEqual(
    [...p],
    [6, 0, 0, 0, 0, 0, 0, 0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11],
  );
  const r = ifreq('en0');
  assert.equal(r.length, 32);
  assert.deepEqual([...r.subarray(0, 4)], [0x65, 0x6e, 0x30, 0]);
  assert.throws(() => ifreq('a-very-long-name0'), { code: 'BAD_INTERFACE' });
  assert.deepEqual(parseBpfStat(new Uint8Array([5, 0, 0, 0, 1, 0, 0, 0])), {
    received: 5,
    dropped: 1,
  });
});
