// The committed sample capture is what scripts/gen-sample.ts generates, with the documented counts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateSamplePcap, SAMPLE_COUNTS, SAMPLE_VMS } from '../../scripts/gen-sample.js';
import { DLT } from '../../src/core/opcodes.js';
import { createTcpSeqState, decodeFrame, summarize } from '../../src/packets/index.js';
import { parseCapture } from '../../src/pcap/index.js';
import { splitPackets } from './parity.js';

const FILE = new URL('../../data/sample-home-lan.pcap', import.meta.url);

test('data/sample-home-lan.pcap is byte-identical to a fresh generation', () => {
  const committed = new Uint8Array(readFileSync(FILE));
  assert.ok(committed.length < 1 << 20, `${committed.length} bytes`);
  assert.ok(
    Buffer.from(generateSamplePcap()).equals(committed),
    'regenerate with: npx tsx scripts/gen-sample.ts',
  );
});

test('the sample has the documented mix (data/README.md)', () => {
  const { records, error } = parseCapture(new Uint8Array(readFileSync(FILE)));
  assert.equal(error, undefined);
  assert.equal(records.length, 10000);
  const c = { arpRequest: 0, arpReplyOther: 0, arpReplyVm: 0, ipv4: 0, ipv6: 0, other: 0 };
  const perVm = new Map<string, number>();
  const vmMacs = new Set(SAMPLE_VMS.map((v) => v.mac));
  for (const r of records) {
    assert.equal(r.linktype, DLT.EN10MB);
    const d = decodeFrame(r.data, r.linktype);
    assert.equal(d.truncated, false);
    const l = d.layers[1];
    if (l?.kind === 'arp' && l.op === 1) c.arpRequest++;
    else if (l?.kind === 'arp' && l.op === 2 && vmMacs.has(l.sha)) {
      c.arpReplyVm++;
      perVm.set(l.sha, (perVm.get(l.sha) ?? 0) + 1);
    } else if (l?.kind === 'arp') c.arpReplyOther++;
    else if (l?.kind === 'ipv4') c.ipv4++;
    else if (l?.kind === 'ipv6') c.ipv6++;
    else c.other++;
  }
  assert.deepEqual(c, { ...SAMPLE_COUNTS });
  assert.deepEqual([...perVm.values()], [25, 25, 25, 25]);
  const spanNs = records.at(-1)!.timestampNs - records[0].timestampNs;
  assert.ok(spanNs > 3_000_000_000n && spanNs < 5_000_000_000n, `span ${spanNs} ns`);
  assert.ok(
    records.every((r, i) => i === 0 || r.timestampNs > records[i - 1].timestampNs),
    'timestamps increase',
  );
});

test('every sample frame summarises exactly as tcpdump -n prints it (with and without -e)', () => {
  const file = fileURLToPath(FILE);
  const { records } = parseCapture(new Uint8Array(readFileSync(FILE)));
  for (const link of [false, true]) {
    const r = spawnSync('tcpdump', ['-r', file, '-n', '-tt', ...(link ? ['-e'] : [])], {
      encoding: 'latin1',
      maxBuffer: 64 << 20,
    });
    if (r.error)
      throw new Error(
        `tcpdump not runnable (${r.error.message}); install it: apt-get install -y tcpdump`,
      );
    // Hex dumps of undecoded frames are continuation lines, part of the packet's text.
    const theirs = splitPackets(r.stdout).map((lines) => lines.join('\n'));
    const tcpSeq = createTcpSeqState();
    const ours = records.map((rec) => summarize(rec.data, rec.linktype, { link, tcpSeq }));
    assert.equal(ours.length, theirs.length);
    const diff = ours.findIndex((s, i) => s !== theirs[i]);
    assert.equal(
      diff,
      -1,
      `frame ${diff}${link ? ' -e' : ''}:\n ours    ${ours[diff]}\n tcpdump ${theirs[diff]}`,
    );
  }
});
