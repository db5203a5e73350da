// The compiler against tcpdump on the real captures: every corpus file tcpdump can filter (`tcpdump -r FILE
// 'ip or not ip'`), cbpf can filter; and for a handful of expressions per link type (on up to 30 files of
// each), cbpf compiled as `cbpf -r` compiles (a capture file: savefile semantics) accepts exactly the
// records `tcpdump -r FILE -w - EXPR` writes, and fails exactly where tcpdump fails. tcpdump's answers are
// cached on disk (.cache/, keyed by its version and each file's digest) so a rerun spawns nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { CompileError, compile } from '../../src/compiler/index.js';
import { dltOfLinktype, linktypeName } from '../../src/compiler/names.js';
import type { RawInsn } from '../../src/core/insn.js';
import { run } from '../../src/core/vm.js';
import { type PcapRecord, parseCapture } from '../../src/pcap/index.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { tcpdumpVersion } from './tcpdump-oracle.js';

/** Every file: whether tcpdump and cbpf can filter it at all, and their verdicts. */
const EVERY_FILE = 'ip or not ip';
/** On up to FILES_PER_LINK files of each link type (evenly spread), with BY_LINK's. */
const ALL = ['ip', 'ip6 or arp', 'tcp port 80 or udp port 53', 'len > 200 and not icmp'];
const FILES_PER_LINK = 30;

/** More per link type: its own keywords, and some it refuses (the errors must agree too). */
const BY_LINK: Readonly<Record<string, readonly string[]>> = {
  EN10MB: ['vlan', 'llc', 'broadcast or multicast', 'ether src 00:00:0c:07:ac:01', 'mpls and ip'],
  IEEE802_11_RADIO: [
    'type mgt',
    'subtype beacon or subtype probe-resp',
    'type data and dir fromds and not broadcast',
    'wlan ta 00:0d:93:82:36:3a or radio[0] = 0',
    'llc and tcp',
    'multicast',
  ],
  IEEE802_11: [
    'type ctl',
    'subtype ack',
    'dir tods',
    'wlan addr1 ff:ff:ff:ff:ff:ff',
    'ip6 and udp',
  ],
  PPP: ['ip and not udp', 'mpls', 'pppoed', 'vlan'],
  PPP_SERIAL: ['tcp', 'iso', 'mpls'],
  C_HDLC: ['iso', 'isis', 'mpls and ip', 'clnp'],
  FRELAY: ['iso', 'isis or esis', 'iso proto \\clnp', 'arp'],
  SLIP: ['inbound', 'outbound and tcp', 'ip6'],
  SUNATM: ['lane', 'vpi 0 and vci 5', 'metac or bcc or sc', 'llc', 'lane and ip', 'oamf4'],
  ATM_RFC1483: ['llc', 'ip6', 'isis'],
  ATM_CLIP: ['ip6', 'llc'],
  ARCNET_LINUX: ['broadcast', 'arp or rarp', 'host $01', 'atalk'],
  IPNET: ['inbound', 'outbound', 'ip6 and tcp'],
  JUNIPER_ETHER: ['inbound', 'outbound and tcp'],
  JUNIPER_PPPOE_ATM: ['inbound'],
  JUNIPER_ATM1: ['inbound', 'iso'],
  JUNIPER_ES: ['outbound'],
  JUNIPER_MLPPP: ['inbound'],
  JUNIPER_MFR: ['outbound'],
  JUNIPER_SERVICES: ['inbound'],
  NULL: ['ip6 and udp', 'inbound'],
  LOOP: ['ip6'],
  LINUX_SLL: ['inbound', 'outbound and tcp'],
  LINUX_SLL2: ['inbound', 'ifindex 1'],
  RAW: ['ip6 and tcp', 'vlan'],
};

interface Answer {
  /** tcpdump's message when it refused the expression or could not read the file. */
  readonly error?: string;
  /** Indices of the records it wrote. */
  readonly accepted?: readonly number[];
}

const CACHE_DIR = new URL('../../.cache/tcpdump-corpus/', import.meta.url).pathname;

function runTcpdump(file: string, expr: string): Promise<{ out: Buffer; err: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'tcpdump',
      ['-r', file, '-w', '-', expr],
      { encoding: 'buffer', maxBuffer: 1 << 28 },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT')
          reject(new Error('tcpdump is missing: apt-get install -y tcpdump'));
        else resolve({ out: stdout, err: stderr.toString().trim() });
      },
    );
  });
}

/** The input records tcpdump wrote, matched in order by bytes and wire length. */
function acceptedOf(out: Buffer, records: readonly PcapRecord[]): number[] {
  const written = parseCapture(new Uint8Array(out)).records;
  const accepted: number[] = [];
  let i = 0;
  for (const w of written) {
    while (
      i < records.length &&
      !(
        records[i].wirelen === w.wirelen && Buffer.from(records[i].data).equals(Buffer.from(w.data))
      )
    )
      i++;
    if (i === records.length) throw new Error('tcpdump wrote a record the file does not have');
    accepted.push(i++);
  }
  return accepted;
}

test('corpus captures: cbpf filters every file tcpdump filters, with its verdicts and its errors', {
  timeout: 600_000,
}, async () => {
  const version = tcpdumpVersion();
  const cacheFile = `${CACHE_DIR}${createHash('sha256').update(version).digest('hex').slice(0, 16)}.json`;
  let cache: Record<string, Answer> = {};
  try {
    cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
  } catch {
    // No cache yet.
  }
  const files = readdirSync(CORPUS_DIR).sort();
  const jobs: {
    file: string;
    expr: string;
    key: string;
    records: PcapRecord[];
    lt: number;
    swapped: boolean;
  }[] = [];
  let multi = 0;
  let unreadable = 0;
  // Files by link type, to spread the per-link expressions over each type's files.
  const seen = new Map<number, number>();
  const total = new Map<number, number>();
  const parsed = files.map((file) => {
    const bytes = readFileSync(CORPUS_DIR + file);
    const { records } = parseCapture(new Uint8Array(bytes));
    const lts = [...new Set(records.map((r) => r.linktype))];
    if (lts.length === 1) total.set(lts[0] as number, (total.get(lts[0] as number) ?? 0) + 1);
    return { file, bytes, records, lts };
  });
  for (const { file, bytes, records, lts } of parsed) {
    if (records.length === 0) {
      unreadable++;
      continue;
    }
    // tcpdump filters a file with one compiled program: files mixing link types are left out.
    if (lts.length > 1) {
      multi++;
      continue;
    }
    const lt = lts[0] as number;
    // A classic file's magic read little-endian: 0xa1b2c3d4 or 0xa1b23c4d when the file is little-endian.
    const magic = bytes.readUInt32LE(0);
    const swapped = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
    const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    const name = linktypeName(dltOfLinktype(lt)) ?? String(lt);
    const n = seen.get(lt) ?? 0;
    seen.set(lt, n + 1);
    const every = Math.max(1, Math.floor((total.get(lt) ?? 1) / FILES_PER_LINK));
    const more = n % every === 0 ? [...ALL, ...(BY_LINK[name] ?? [])] : [];
    for (const expr of [EVERY_FILE, ...more])
      jobs.push({ file, expr, key: `${digest}\t${expr}`, records, lt, swapped });
  }
  const missing = jobs.filter((j) => !(j.key in cache));
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < missing.length) {
        const j = missing[next++];
        const { out, err } = await runTcpdump(CORPUS_DIR + j.file, j.expr);
        cache[j.key] = out.length < 24 ? { error: err } : { accepted: acceptedOf(out, j.records) };
      }
    }),
  );
  if (missing.length) {
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(cacheFile, JSON.stringify(cache));
  }

  const failures: string[] = [];
  const filterable = new Set<string>();
  const refused = new Set<string>();
  let verdicts = 0;
  let pairs = 0;
  const perLink = new Map<string, number>();
  for (const j of jobs) {
    const ref = cache[j.key] as Answer;
    let program: RawInsn[] | undefined;
    let error: string | undefined;
    try {
      program = compile(j.expr, { linktype: j.lt, savefile: true, swapped: j.swapped });
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      error = e.message;
    }
    if (j.expr === EVERY_FILE) (ref.error === undefined ? filterable : refused).add(j.file);
    if (ref.error !== undefined) {
      if (program) failures.push(`${j.file} '${j.expr}': cbpf compiles, tcpdump says ${ref.error}`);
      continue;
    }
    if (!program) {
      failures.push(`${j.file} '${j.expr}': tcpdump filters it, cbpf says ${error}`);
      continue;
    }
    pairs++;
    const want = new Set(ref.accepted);
    const ours: number[] = [];
    j.records.forEach((r, i) => {
      if (run(program, r.data, { wirelen: r.wirelen, profile: 'libpcap' }) !== 0) ours.push(i);
    });
    verdicts += j.records.length;
    const name = linktypeName(dltOfLinktype(j.lt)) ?? String(j.lt);
    perLink.set(name, (perLink.get(name) ?? 0) + j.records.length);
    const extra = ours.filter((i) => !want.has(i));
    const lost = [...want].filter((i) => !ours.includes(i));
    if (extra.length || lost.length)
      failures.push(
        `${j.file} '${j.expr}': cbpf also accepts records ${extra.slice(0, 5)}, not ${lost.slice(0, 5)}`,
      );
  }
  console.log(
    `corpus vs tcpdump -r: ${filterable.size} files filterable by tcpdump (cbpf: all of them), ` +
      `${refused.size} refused by both; ${multi} with several link types and ${unreadable} without records left out`,
  );
  console.log(`${pairs} file/expression pairs, ${verdicts} record verdicts equal tcpdump's`);
  console.log(
    [...perLink]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  );
  assert.deepEqual(failures, []);
  assert.ok(filterable.size >= 800, `${filterable.size} filterable files`);
});
