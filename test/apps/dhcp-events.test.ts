import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ethernetArpCodec } from '../../src/apps/arp-scan/codec.js';
import { dhcpEvent, formatDhcpEvent } from '../../src/apps/dhcp-watch/events.js';
import { DLT } from '../../src/core/opcodes.js';
import { buildDhcpFrame } from '../../src/packets/build-app.js';
import { buildArpFrame } from '../../src/packets/build-link.js';

const mac = '52:54:00:12:34:56';

test('dhcpEvent reads the lease facts from built DHCP frames', () => {
  const discover = dhcpEvent(
    buildDhcpFrame({
      type: 'discover',
      chaddr: mac,
      xid: 7,
      hostname: 'vm1',
      requestedIp: '10.0.0.50',
    }),
    DLT.EN10MB,
    0,
  );
  assert.deepEqual(
    {
      type: discover?.type,
      mac: discover?.clientMac,
      req: discover?.requestedIp,
      host: discover?.hostname,
      xid: discover?.xid,
    },
    { type: 'DISCOVER', mac, req: '10.0.0.50', host: 'vm1', xid: 7 },
  );
  const ack = dhcpEvent(
    buildDhcpFrame({
      type: 'ack',
      chaddr: mac,
      xid: 7,
      yiaddr: '10.0.0.50',
      serverId: '10.0.0.1',
      leaseTime: 3600,
    }),
    DLT.EN10MB,
    0,
  );
  assert.equal(ack?.type, 'ACK');
  assert.equal(ack?.assignedIp, '10.0.0.50');
  assert.equal(ack?.from, '10.0.0.1');
  assert.match(
    formatDhcpEvent(ack!),
    /ACK +52:54:00:12:34:56 10\.0\.0\.50 from 10\.0\.0\.1 lease 3600s/,
  );
  const nak = dhcpEvent(
    buildDhcpFrame({ type: 'nak', chaddr: mac, serverId: '10.0.0.1' }),
    DLT.EN10MB,
  );
  assert.equal(nak?.type, 'NAK');
  assert.equal(nak?.assignedIp, undefined);
});

test('dhcpEvent ignores non-DHCP and cut-off frames', () => {
  const arp = buildArpFrame({ senderMac: mac, senderIp: '10.0.0.5', targetIp: '10.0.0.1' });
  assert.equal(dhcpEvent(arp, DLT.EN10MB), undefined);
  const f = buildDhcpFrame({ type: 'request', chaddr: mac });
  assert.equal(dhcpEvent(f.subarray(0, 100), DLT.EN10MB), undefined);
});

test('the Ethernet ARP codec builds padded requests and reads replies only', () => {
  const req = ethernetArpCodec.request('02:00:00:00:00:01', '10.0.0.1', '10.0.0.5');
  assert.equal(req.length, 60);
  assert.equal(ethernetArpCodec.reply(req), undefined);
  const rep = buildArpFrame({
    op: 'reply',
    senderMac: mac,
    senderIp: '10.0.0.5',
    targetMac: '02:00:00:00:00:01',
    targetIp: '10.0.0.1',
  });
  assert.deepEqual(ethernetArpCodec.reply(rep), { mac, ip: '10.0.0.5' });
});
