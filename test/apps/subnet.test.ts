import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  contains,
  formatSubnet,
  hostCount,
  hosts,
  parseSubnet,
} from '../../src/apps/arp-scan/subnet.js';

test('parseSubnet clears host bits and lists hosts without network/broadcast', () => {
  const s = parseSubnet('10.1.2.77/29');
  assert.equal(formatSubnet(s), '10.1.2.72/29');
  assert.equal(hostCount(s), 6);
  assert.equal([...hosts(s)].length, 6);
  assert.ok(contains(s, [...hosts(s)][0]));
  assert.equal(hostCount(parseSubnet('10.0.0.1/32')), 1);
  assert.equal(hostCount(parseSubnet('10.0.0.0/31')), 2);
});

test('parseSubnet rejects malformed input with a RangeError', () => {
  for (const bad of ['10.0.0.0/33', '10.0.0/24', '10.0.0.256/24', '10.0.0.0/2x', 'x']) {
    assert.throws(() => parseSubnet(bad), RangeError, bad);
  }
});
