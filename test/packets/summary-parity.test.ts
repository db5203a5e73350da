// Differential: every line cbpf prints for the corpus against `tcpdump -n` (Debian's 4.99.3), with and
// without -e, counted per protocol (test/packets/parity.ts). The README's table comes from the same
// measurement (scripts/summary-parity.ts).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { measureParity, type ParityReport } from './parity.js';

/** The share of all lines that must be identical. */
const MIN_SHARE = 0.95;
/** Buckets (test/packets/parity-protocol.ts) whose every line must be identical. */
const EXACT = [
  'ethernet',
  'ARP',
  'RARP',
  'InARP',
  'IPv4',
  'IPv6',
  'IP fragment',
  'TCP',
  'UDP',
  'ICMP',
  'ICMPv6',
  'MLD',
  'MLDv2',
  'DNS',
  'DHCP',
  'NTP',
];

const files = readdirSync(CORPUS_DIR)
  .sort()
  .map((n) => CORPUS_DIR + n);

function check(report: ParityReport, label: string): void {
  const share = report.same / report.lines;
  console.log(
    `${label}: ${report.same}/${report.lines} lines identical (${(share * 100).toFixed(1)}%)`,
  );
  assert.ok(report.lines > 10_000, `only ${report.lines} lines compared`);
  assert.ok(share >= MIN_SHARE, `${label}: ${(share * 100).toFixed(2)}% < ${MIN_SHARE * 100}%`);
  for (const proto of EXACT) {
    const t = report.byProtocol.get(proto);
    assert.ok(t && t.lines > 0, `${label}: no ${proto} lines in the corpus`);
    const misses = report.mismatches.filter((m) => m.protocol === proto).slice(0, 3);
    assert.equal(
      t.same,
      t.lines,
      `${label}: ${proto} ${t.same}/${t.lines}; first:\n${misses
        .map((m) => `${m.file}#${m.index}\n  tcpdump: ${m.theirs}\n  cbpf:    ${m.ours}`)
        .join('\n')}`,
    );
  }
}

// Both measurements run at once (tcpdump spends most of its time starting up).
const settle = (link: boolean) =>
  measureParity({ files, link, jobs: 4 }).then(
    (report) => ({ report }),
    (error: unknown) => ({ error }),
  );
const plain = settle(false);
const withLink = settle(true);

async function report(p: ReturnType<typeof settle>): Promise<ParityReport> {
  const r = await p;
  if ('error' in r) throw r.error;
  return r.report;
}

test('summary lines are tcpdump -n lines over the corpus (≥95%, core protocols all)', async () => {
  check(await report(plain), 'tcpdump -n');
});

test('and with -e', async () => {
  check(await report(withLink), 'tcpdump -n -e');
});
