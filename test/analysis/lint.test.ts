// The linter on the seeds' own filters (each mistake the issue lists, with a packet that shows it and
// the fix), on a fixture per remaining rule, and silent on the ready filters and on every compiled
// expression of the differential set.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { type LintFinding, lint } from '../../src/analysis/lint.js';
import { compile } from '../../src/compiler/index.js';
import { DLT } from '../../src/core/opcodes.js';
import { parseGo } from '../../src/core/text/go.js';
import { parseBpfAsm } from '../../src/core/text/index.js';
import { arpReply, dhcp, dns, fromMac, http, icmp, udpPorts } from '../../src/filters/index.js';
import { runCli } from '../helpers/cli.js';
import { SEEDS_DIR } from '../helpers/corpus.js';

const seed = (n: string) => readFileSync(`${SEEDS_DIR}${n}`, 'utf8');
const seed000 = seed('000_154263ccaba87407.txt');
/** Seed 001's listing stops before its closing braces; its filter takes the port and op. */
const seed001 = parseGo(`${seed('001_0308db59a726de22.txt').split('BPF is great')[0]}\t}\n}\n`, {
  constants: { dstPort: 67, op: 1 },
});
const seed003 = parseGo(`${seed('003_1ee1a64f04221e8b.txt').split('and call ApplyTo')[0]}}`);
const rules = (fs: LintFinding[]) => fs.map((f) => `${f.index} ${f.rule}`);

test('seed 000: the ARP filter is clean; the HTTP sketch assumes a 20-byte IP header and ignores fragments', () => {
  assert.deepEqual(lint(parseGo(seed000, { name: 'arpReplyFilter' })), []);
  const fs = lint(parseGo(seed000, { name: 'httpFilter' }));
  assert.deepEqual(rules(fs), ['4 fixed-ip-header', '4 no-fragment-check']);
  const [fixed, frag] = fs;
  assert.equal(fixed.packet?.result, 0, 'a port-80 packet with IP options is dropped');
  assert.equal(fixed.fix, 'tcp dst port 80');
  assert.ok((frag.packet?.result ?? 0) > 0, 'a non-first fragment is accepted');
});

test('seed 001: one byte of the 2-byte UDP port (ports 67, 323, 579 pass), a fixed header, no fragment check', () => {
  const fs = lint(seed001, { linktype: DLT.RAW });
  assert.deepEqual(rules(fs), ['4 partial-field', '4 fixed-ip-header', '4 no-fragment-check']);
  const partial = fs[0];
  assert.match(partial.message, /ports 67, 323, 579 … all match/);
  assert.ok((partial.packet?.result ?? 0) > 0, 'port 323 is accepted');
  assert.equal((partial.packet!.bytes[22] << 8) | partial.packet!.bytes[23], 323);
  assert.equal(partial.fix, 'udp dst port 67');
  assert.equal(fs[1].packet?.result, 0, 'every DHCP packet with IP options is dropped');
});

test('seed 003: a port load with no protocol check at all', () => {
  const fs = lint(seed003, { linktype: DLT.RAW });
  assert.deepEqual(rules(fs), ['0 no-protocol-check']);
  assert.ok((fs[0].packet?.result ?? 0) > 0, 'an IPv6 packet passes');
  assert.equal(fs[0].packet!.bytes[0] >> 4, 6);
});

test('the other rules, each on a program that breaks it', () => {
  const asm = (t: string) => parseBpfAsm(t);
  assert.deepEqual(rules(lint(asm('ldh [12]\njeq #0x800, ok, ok\nok: ret #-1'))), [
    '1 same-targets',
  ]);
  assert.deepEqual(rules(lint(asm('ldh [12]\njeq #0x806, a, b\na: ret #-1\nb: ret #0\nret #5'))), [
    '4 unreachable',
  ]);
  assert.deepEqual(
    rules(
      lint(asm('ldh [12]\njeq #0x800, a, b\na: ldb [23]\njeq #6, c, b\nc: ret #20\nb: ret #0')),
    ),
    ['4 short-return'],
  );
  assert.deepEqual(
    rules(
      lint(
        asm('ldh [12]\njeq #0x806, a, b\na: ld [38]\njeq #0x0a000001, c, b\nc: ret #-1\nb: ret #0'),
        { snaplen: 40 },
      ),
    ),
    ['2 past-snaplen'],
  );
  const vlan = asm('ld vlan_avail\njeq #1, a, b\na: ret #-1\nb: ret #0');
  assert.deepEqual(rules(lint(vlan, { profile: 'bsd' })), ['0 ancillary-on-bsd']);
  assert.deepEqual(rules(lint(vlan)), []);
  // A 601-instruction program is Linux's and not BSD's (512 at most): said only for a named platform.
  const long = asm(`${'ldh [12]\n'.repeat(600)}ret #0`);
  assert.deepEqual(rules(lint(long, { profile: 'linux' })), ['0 profile-mismatch']);
  assert.deepEqual(rules(lint(long)), []);
});

test('nothing on the ready filters, or on any compiled expression of the differential set', () => {
  const ready = [
    arpReply(),
    arpReply({ from: ['52:54:00:00:00:01', '52:54:00:00:00:02'] }),
    dhcp(),
    dhcp({ link: 'ip', port: 67, op: 1 }),
    dns(),
    http(),
    icmp(),
    icmp({ link: 'ip' }),
    fromMac('52:54:00:00:00:01'),
    udpPorts([9, 4789]),
  ];
  for (const f of ready)
    assert.deepEqual(
      lint(f.program, { linktype: f.linktype === 'RAW' ? DLT.RAW : DLT.EN10MB }),
      [],
      f.name,
    );
  const dir = new URL('../differential/exprs/', import.meta.url).pathname;
  const rows = ['valid.tsv', 'broad.tsv'].flatMap((f) =>
    readFileSync(dir + f, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t')),
  );
  let linted = 0;
  const noisy: string[] = [];
  for (const [dlt, expr] of rows) {
    const linktype = (DLT as Record<string, number>)[dlt];
    for (const optimize of [true, false]) {
      let p: ReturnType<typeof compile>;
      try {
        p = compile(expr, { linktype: dlt, optimize });
      } catch {
        continue;
      }
      linted++;
      const fs = lint(p, { linktype });
      if (fs.length) noisy.push(`${dlt} ${optimize ? '' : '-O '}${expr}: ${rules(fs)}`);
    }
  }
  assert.ok(linted > 1500, `${linted} programs linted`);
  assert.deepEqual(noisy, []);
});

test('cbpf lint: findings with packet and fix, exit 1; clean input exits 0; bad input 2', async () => {
  const r = await runCli([
    'lint',
    '-y',
    'RAW',
    '--go',
    'dstPort=67',
    '--go',
    'op=1',
    `${seed('001_0308db59a726de22.txt').split('BPF is great')[0]}\t}\n}\n`,
  ]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stdout,
    /^instruction 4: partial-field: compares one byte \(the low one\) of the udp destination port/,
  );
  assert.match(
    r.stdout,
    /\n {2}packet: 45[0-9a-f]+\n {10}\(udp dst port 323\): the program returns 4294967295\n {2}fix: udp dst port 67\n/,
  );
  assert.equal(r.stderr, '3 findings\n');
  const ok = await runCli(['lint', 'udp dst port 67']);
  assert.deepEqual([ok.code, ok.stdout, ok.stderr], [0, '', 'no findings\n']);
  const json = await runCli(['lint', '--json', 'ldh [36]\njeq #80, a, b\na: ret #-1\nb: ret #0']);
  assert.equal(json.code, 1);
  assert.equal(JSON.parse(json.stdout.split('\n')[0]).rule, 'no-protocol-check');
  assert.equal((await runCli(['lint', 'tcp prot 80'])).code, 2);
  assert.equal((await runCli(['lint'])).code, 2);
});
