import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ArpCodec, arpScan, diffScans, type ScanLink } from '../../src/apps/arp-scan/scan.js';
import { parseSubnet } from '../../src/apps/arp-scan/subnet.js';

// A fake codec and segment: frames are JSON text, hosts answer requests for their own IP.
const enc = new TextEncoder();
const dec = new TextDecoder();
const codec: ArpCodec = {
  request: (mac, ip, target) => enc.encode(JSON.stringify({ op: 1, mac, ip, target })),
  reply: (f) => {
    const m = JSON.parse(dec.decode(f));
    return m.op === 2 ? { mac: m.mac, ip: m.ip } : undefined;
  },
};

function segment(
  hostsByIp: Record<string, string>,
  lossFirst = new Set<string>(),
): ScanLink & { sent: number } {
  const queue: Uint8Array[] = [];
  let wake: (() => void) | undefined;
  const link = {
    mac: '02:00:00:00:00:01',
    ip: '10.0.0.1',
    sent: 0,
    send(frame: Uint8Array) {
      link.sent++;
      const m = JSON.parse(dec.decode(frame));
      const mac = hostsByIp[m.target];
      if (!mac) return;
      if (lossFirst.delete(m.target)) return; // first request lost: needs a retry
      queue.push(enc.encode(JSON.stringify({ op: 2, mac, ip: m.target })));
      wake?.();
    },
    async *frames(signal: AbortSignal) {
      while (!signal.aborted) {
        while (queue.length) yield queue.shift()!;
        await new Promise<void>((r) => {
          wake = r;
          signal.addEventListener('abort', () => r(), { once: true });
        });
      }
    },
  };
  return link;
}

test('arpScan finds exactly the live hosts of the subnet, retrying lost requests', async () => {
  const net = {
    '10.0.0.5': '52:54:00:00:00:05',
    '10.0.0.9': '52:54:00:00:00:09',
    '10.0.1.5': '52:54:00:00:01:05',
  };
  const link = segment(net, new Set(['10.0.0.9']));
  const found = await arpScan(link, codec, {
    subnet: parseSubnet('10.0.0.0/28'),
    rate: 10_000,
    timeout: 20,
    retries: 1,
  });
  assert.deepEqual(found, [
    { ip: '10.0.0.5', mac: '52:54:00:00:00:05' },
    { ip: '10.0.0.9', mac: '52:54:00:00:00:09' },
  ]);
  assert.equal(link.sent, 13 + 12); // 13 targets (14 hosts minus our own), then the 12 unanswered again
});

test('arpScan with a MAC set reports only those and stops retrying once all are found', async () => {
  const net = { '10.0.0.5': '52:54:00:00:00:05', '10.0.0.9': '52:54:00:00:00:09' };
  const found = await arpScan(segment(net), codec, {
    subnet: parseSubnet('10.0.0.0/28'),
    macs: ['52:54:00:00:00:09'],
    rate: 10_000,
    timeout: 20,
  });
  assert.deepEqual(found, [{ ip: '10.0.0.9', mac: '52:54:00:00:00:09' }]);
});

test('arpScan refuses huge subnets unless forced, and bad rates', async () => {
  await assert.rejects(
    arpScan(segment({}), codec, { subnet: parseSubnet('10.0.0.0/8') }),
    RangeError,
  );
  await assert.rejects(
    arpScan(segment({}), codec, { subnet: parseSubnet('10.0.0.0/30'), rate: 0 }),
    RangeError,
  );
});

test('diffScans reports new, moved and gone hosts by MAC', () => {
  const a = [
    { ip: '10.0.0.2', mac: 'm1' },
    { ip: '10.0.0.3', mac: 'm2' },
  ];
  const b = [
    { ip: '10.0.0.4', mac: 'm1' },
    { ip: '10.0.0.5', mac: 'm3' },
  ];
  assert.deepEqual(diffScans(a, b), [
    { kind: 'moved', host: { ip: '10.0.0.4', mac: 'm1' }, previousIp: '10.0.0.2' },
    { kind: 'new', host: { ip: '10.0.0.5', mac: 'm3' } },
    { kind: 'gone', host: { ip: '10.0.0.3', mac: 'm2' } },
  ]);
});
