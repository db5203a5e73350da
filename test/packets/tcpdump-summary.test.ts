// Differential: summaries of corpus packets against `tcpdump -n -t -S` (and `-e`), compared by facts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeFrame, summarize } from '../../src/packets/index.js';
import { parseCapture } from '../../src/pcap/index.js';
import { missingFacts } from './corpus-facts.js';

const DIR = new URL('../../../shared/corpus/pcap/', import.meta.url).pathname;
const LINKTYPES = new Set([0, 1, 101, 108, 113, 228, 229, 276]);
const COUNTED = new Set(['arp', 'udp', 'tcp', 'icmp', 'icmpv6', 'dhcp', 'dns']);
/** The agreement rate below which the test fails (measured: see the printed figure). */
const MIN_AGREEMENT = 0.98;

function tcpdumpLines(file: string, link: boolean): string[] {
  const r = spawnSync('tcpdump', ['-r', file, '-n', '-t', '-S', ...(link ? ['-e'] : [])], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.error)
    throw new Error(
      `tcpdump not runnable (${r.error.message}); install it: apt-get install -y tcpdump`,
    );
  const lines: string[] = [];
  // Continuation lines (protocol detail some printers add) start with white space; an SLL -e line starts with " In".
  for (const l of r.stdout.split('\n')) {
    if (l === '') continue;
    if (/^\s/.test(l) && lines.length > 0 && !/^ {0,2}(In|Out|B|M|P) /.test(l))
      lines[lines.length - 1] += l;
    else lines.push(l);
  }
  return lines;
}

test('summaries agree with tcpdump -n on the corpus (facts, with and without -e)', () => {
  let total = 0;
  let agreed = 0;
  const failures: string[] = [];
  for (const name of readdirSync(DIR).sort()) {
    if (!/\.pcap(ng)?$/.test(name)) continue;
    const { records } = parseCapture(new Uint8Array(readFileSync(DIR + name)));
    if (records.length === 0 || !records.every((r) => LINKTYPES.has(r.linktype))) continue;
    const counted = records.map((r) => {
      const d = decodeFrame(r.data, r.linktype);
      const top = d.layers.filter((l) => l.kind !== 'payload').at(-1);
      return top !== undefined && COUNTED.has(top.kind) && !top.truncated;
    });
    if (!counted.some(Boolean)) continue;
    for (const link of [false, true]) {
      const lines = tcpdumpLines(DIR + name, link);
      if (lines.length !== records.length) continue; // a printer that splits lines differently: not comparable
      records.forEach((r, i) => {
        if (!counted[i]) return;
        total++;
        const ours = summarize(r.data, r.linktype, { link, wireLength: r.wireLength });
        const miss = missingFacts(ours, lines[i]);
        if (miss.length === 0) agreed++;
        else if (failures.length < 400)
          failures.push(
            `${name}#${i}${link ? ' -e' : ''}: missing ${JSON.stringify(miss)}\n  ours:    ${ours}\n  tcpdump: ${lines[i]}`,
          );
      });
    }
  }
  const rate = agreed / total;
  console.log(`summary agreement: ${agreed}/${total} = ${(rate * 100).toFixed(2)}%`);
  if (process.env.CBPF_SHOW_DIFF) console.log(failures.join('\n'));
  assert.ok(total > 1000, `only ${total} comparable packets`);
  assert.ok(
    rate >= MIN_AGREEMENT,
    `agreement ${(rate * 100).toFixed(2)}% below ${MIN_AGREEMENT * 100}%; first: ${failures.slice(0, 5).join('\n')}`,
  );
});
