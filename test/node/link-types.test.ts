// Link types from ARPHRD types as libpcap 1.10's Linux backend picks them, and how a capture's options
// choose the socket and link type (FFI-free parts of the Linux backend).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ANY_LINK_TYPES,
  ARPHRD,
  LINKTYPE,
  linkTypesOf,
  linktypeLabel,
} from '../../src/node/linux/link-types.js';
import { linktypeNumber, planLink, protocolNumber } from '../../src/node/linux/packet-capture.js';

test("ARPHRD types map to libpcap's link types", () => {
  const of = (arphrd: number, name = 'x0', wifi = false) => {
    const l = linkTypesOf(arphrd, name, wifi);
    return [l.linktype, l.linktypes, l.cooked];
  };
  assert.deepEqual(of(ARPHRD.ETHER), [1, [1, 143], false]); // EN10MB, DOCSIS
  assert.deepEqual(of(ARPHRD.ETHER, 'wlan0', true), [1, [1], false]);
  assert.deepEqual(of(ARPHRD.LOOPBACK), [1, [1], false]);
  assert.deepEqual(of(ARPHRD.NONE), [101, [101], false]); // tun: RAW
  for (const t of [ARPHRD.TUNNEL, ARPHRD.SIT, ARPHRD.SLIP, ARPHRD.RAWHDLC])
    assert.deepEqual(of(t), [101, [101], false]);
  assert.deepEqual(of(ARPHRD.IEEE80211_RADIOTAP), [127, [127], false]);
  assert.deepEqual(of(ARPHRD.IEEE80211), [105, [105], false]);
  // PPP, GRE, ATM and types libpcap does not know: a cooked socket, LINUX_SLL.
  for (const t of [ARPHRD.PPP, ARPHRD.IPGRE, ARPHRD.ATM, ARPHRD.TUNNEL6, 12345])
    assert.deepEqual(of(t), [113, [113], true]);
  assert.deepEqual(of(ARPHRD.ETHER, 'isdn0'), [113, [113], true]);
  assert.deepEqual(of(ARPHRD.ETHER, 'cdma_rmnet0'), [101, [101], false]);
  assert.deepEqual(ANY_LINK_TYPES, { linktype: 276, linktypes: [113, 276], cooked: true });
  assert.equal(linktypeLabel(LINKTYPE.RAW), 'RAW (Raw IP)');
  assert.equal(linktypeLabel(LINKTYPE.LINUX_SLL2), 'LINUX_SLL2 (Linux cooked v2)');
  assert.equal(linktypeLabel(9999), 'linktype-9999');
});

test('a capture plan: the socket and link type from the options, errors as tcpdump words them', () => {
  const eth = linkTypesOf(ARPHRD.ETHER, 'eth0');
  const plan = (d: Parameters<typeof planLink>[1], o: Parameters<typeof planLink>[2]) => {
    const p = planLink('eth0', d, o);
    return [p.cooked, p.linktype];
  };
  assert.deepEqual(plan(eth, {}), [false, 1]);
  assert.deepEqual(plan(eth, { linktype: 'docsis' }), [false, 143]);
  assert.deepEqual(plan(eth, { link: 'cooked' }), [true, 276]);
  assert.deepEqual(plan(eth, { link: 'cooked', linktype: 'LINUX_SLL' }), [true, 113]);
  // Seed 001's socket: cooked, IPv4 only: the kernel's bytes, raw IP.
  assert.deepEqual(plan(eth, { link: 'cooked', protocol: 'ip' }), [true, 101]);
  assert.deepEqual(plan(ANY_LINK_TYPES, {}), [true, 276]);
  assert.deepEqual(plan(ANY_LINK_TYPES, { linktype: 113 }), [true, 113]);
  assert.throws(() => plan(eth, { linktype: 'RAW' }), {
    code: 'LINKTYPE_UNAVAILABLE',
    message: 'RAW is not one of the DLTs supported by this device',
  });
  assert.throws(() => plan(ANY_LINK_TYPES, { link: 'raw' }), { code: 'LINK_UNAVAILABLE' });
  assert.throws(() => linktypeNumber('NOSUCH'), { message: 'invalid data link type NOSUCH' });
  assert.equal(linktypeNumber(12), 101); // DLT_RAW on Linux
  assert.deepEqual(
    (['all', 'ip', 'ipv6', 'arp', 0x88cc] as const).map(protocolNumber),
    [3, 0x800, 0x86dd, 0x806, 0x88cc],
  );
  assert.throws(() => protocolNumber(0x10000), { code: 'BAD_PROTOCOL' });
});
