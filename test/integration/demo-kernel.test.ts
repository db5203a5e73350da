// `npm start`'s kernel part: the sample replayed through a real AF_PACKET socket in a private namespace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { requireRootAndIp } from '../helpers/netns.js';

test('demo: the kernel copies 10,000 frames without the filter and 112 with it', async () => {
  requireRootAndIp();
  const r = await runCli(['demo']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /no filter\s+10,000 frames copied/);
  assert.match(r.stdout, /ARP-reply filter\s+112 frames copied/);
  assert.match(r.stdout, /dropped 9,888 before the copy/);
});
