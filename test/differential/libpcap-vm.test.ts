// cbpf's `libpcap` profile (validator + interpreter, through the --batch line logic) against libpcap's
// own bpf_validate/bpf_filter, hardened as the profile documents (test/differential/c/filter-oracle.c).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { evalBatchLine, formatBatchResult } from '../../src/cli/batch.js';
import { run as runCommand } from '../../src/cli/commands/run.js';
import { toBytes } from '../../src/core/encode.js';
import type { RawInsn } from '../../src/core/insn.js';
import { VALID_OPCODES } from '../../src/core/opcodes.js';
import { parseCapture } from '../../src/pcap/index.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { loopProgram, randomPacket, randomProgram, rng, wirelenFor } from './gen-cases.js';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = join(here, 'bin');
const ORACLE = join(BIN, 'filter-oracle');
const CORPUS = CORPUS_DIR;

function buildOracle(): void {
  const gcc = spawnSync('sh', ['-c', 'command -v gcc'], { stdio: 'ignore' }).status === 0;
  assert.ok(gcc, 'gcc is missing: apt-get install -y gcc libpcap-dev');
  assert.ok(
    existsSync('/usr/include/pcap/bpf.h'),
    'libpcap headers are missing: apt-get install -y libpcap-dev',
  );
  mkdirSync(BIN, { recursive: true });
  execFileSync('gcc', ['-O2', '-Wall', '-o', ORACLE, join(here, 'c', 'filter-oracle.c'), '-lpcap']);
}

/** Programs tcpdump compiles (EN10MB), incl. protochain's backward jumps. */
const EXPRESSIONS = [
  'arp',
  'ip',
  'ip6',
  'tcp',
  'udp',
  'icmp',
  'icmp6',
  'port 53',
  'tcp port 80',
  'udp port 67 or udp port 68',
  'host 10.0.0.1',
  'src net 192.168.0.0/16',
  'dst host 10.1.0.1 and tcp',
  'portrange 1000-2000',
  'tcp[tcpflags] & tcp-syn != 0',
  'ip[8] < 64',
  'len > 100',
  'len <= 60',
  'greater 200',
  'less 64',
  'vlan',
  'vlan 100 and ip',
  'ether broadcast',
  'ether multicast',
  'ip multicast',
  'ip6 multicast',
  'ip proto 47',
  'ip6 protochain 6',
  'ip protochain 17',
  'ip6 protochain 58',
  'tcp[13] = 2',
  'ip[2:2] > 40',
  'ether[12:2] = 0x0806',
  'udp[8] = 1',
  'ip and not tcp',
  'tcp dst portrange 8000-9000 or icmp',
  'ether src 11:22:33:44:55:66',
  'ip[6:2] & 0x1fff != 0',
  'ip[0] & 0xf != 5',
  'ip6 and tcp port 443',
  'tcp[2:2] % 7 = 3',
  'ip[1] ^ 0xff = 0xfc',
  'ip[16:4] / 3 > 5',
  'udp[4:2] * 2 > 100',
  'ip[2:2] - 20 > 0',
  'tcp[12] >> 4 > 5',
  'ip[9] << 2 = 24',
  'sctp',
  'net 10.0.0.0/8 and (port 22 or port 80)',
];

function tcpdumpPrograms(): RawInsn[][] {
  const ok = spawnSync('sh', ['-c', 'command -v tcpdump'], { stdio: 'ignore' }).status === 0;
  assert.ok(ok, 'tcpdump is missing: apt-get install -y tcpdump');
  return EXPRESSIONS.map((e) => {
    const out = execFileSync('tcpdump', ['-ddd', '-y', 'EN10MB', e], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const nums = out.trim().split(/\s+/).map(Number);
    const prog: RawInsn[] = [];
    for (let i = 0; i < nums[0]; i++) {
      const [code, jt, jf, k] = nums.slice(1 + 4 * i, 5 + 4 * i);
      prog.push({ code, jt, jf, k: k >>> 0 });
    }
    return prog;
  });
}

function corpusPackets(): Uint8Array[] {
  assert.ok(existsSync(CORPUS), `corpus missing at ${CORPUS}`);
  const out: Uint8Array[] = [];
  for (const name of readdirSync(CORPUS).sort()) {
    if (!name.endsWith('.pcap') && !name.endsWith('.pcapng')) continue;
    const { records } = parseCapture(new Uint8Array(readFileSync(join(CORPUS, name))));
    for (const rec of records.slice(0, 20))
      if (rec.linktype === 1) out.push(rec.data.slice(0, 200));
    if (out.length > 3000) break;
  }
  return out;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const line = (p: RawInsn[], packet: Uint8Array, wirelen: number) =>
  `${hex(toBytes(p, 'le'))} ${wirelen} ${hex(packet)}`;

test('libpcap profile ≡ libpcap bpf_validate/bpf_filter (hardened) on >= 100,000 generated cases', {
  timeout: 120_000,
}, async () => {
  buildOracle();
  const r = rng(0xcb9f2026);
  const corpus = corpusPackets();
  const tcpdump = tcpdumpPrograms();
  const lines: string[] = [];
  const kinds: string[] = [];
  const add = (
    kind: string,
    p: RawInsn[],
    packet: Uint8Array,
    wirelen = wirelenFor(r, packet.length),
  ) => {
    lines.push(line(p, packet, wirelen));
    kinds.push(kind);
  };
  for (let i = 0; i < 70_000; i++) add('random', randomProgram(r), randomPacket(r, corpus));
  for (let i = 0; i < 8_000; i++) add('loop', loopProgram(r), randomPacket(r, corpus));
  for (let i = 0; i < 24_000; i++) {
    const prog = tcpdump[i % tcpdump.length];
    const packet = r.chance(0.5) && corpus.length > 0 ? r.pick(corpus) : randomPacket(r, corpus);
    add('tcpdump', prog, r.chance(0.2) ? packet.subarray(0, r.int(packet.length + 1)) : packet);
  }
  // malformed lines: lengths that are not whole records, empty packets with or without the third field
  for (let i = 0; i < 300; i++) {
    const h = hex(toBytes(randomProgram(r), 'le'));
    lines.push(
      `${h.slice(0, h.length - 2 * (1 + r.int(7)))} 10 abcd`,
      `${h} ${r.int(100)} `,
      `${h} ${r.int(100)}`,
    );
    kinds.push('malformed', 'empty-packet', 'empty-packet');
  }

  const ours = lines.map((l) => formatBatchResult(evalBatchLine(l, 'libpcap')));
  const oracle = execFileSync(ORACLE, {
    input: `${lines.join('\n')}\n`,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  })
    .trimEnd()
    .split('\n');
  assert.equal(oracle.length, lines.length);

  const mismatches: string[] = [];
  const byKind = new Map<string, { n: number; valid: number }>();
  const opcodesRun = new Set<number>();
  let validCount = 0;
  let accepted = 0;
  for (let i = 0; i < lines.length; i++) {
    const s = byKind.get(kinds[i]) ?? { n: 0, valid: 0 };
    s.n++;
    if (ours[i] !== oracle[i])
      mismatches.push(`${lines[i]}\n  cbpf: ${ours[i]}\n  libpcap: ${oracle[i]}`);
    if (oracle[i].startsWith('valid=1')) {
      s.valid++;
      validCount++;
      if (!oracle[i].endsWith(' ret=0')) accepted++;
      const h = lines[i].split(' ')[0];
      for (let o = 0; o < h.length; o += 16)
        opcodesRun.add(Number.parseInt(h.slice(o + 2, o + 4) + h.slice(o, o + 2), 16));
    }
    byKind.set(kinds[i], s);
  }
  const summary = [...byKind].map(([k, s]) => `${k} ${s.n} (${s.valid} valid)`).join(', ');
  console.log(
    `libpcap differential: ${lines.length} cases, ${lines.length - mismatches.length} agree; ${validCount} valid, ${accepted} accepted; ${summary}`,
  );
  assert.ok(lines.length >= 100_000);
  assert.deepEqual(
    mismatches.slice(0, 5),
    [],
    `${mismatches.length} of ${lines.length} cases disagree`,
  );
  const missing = [...VALID_OPCODES].filter((c) => !opcodesRun.has(c));
  assert.deepEqual(missing, [], 'every canonical opcode appears in a valid program');
  assert.ok(validCount > 30_000, `only ${validCount} valid cases`);
  assert.ok((byKind.get('loop')?.valid ?? 0) > 3_000, 'backward-jump loops exercised');

  // The command itself (streaming stdin in odd-sized chunks) prints exactly the oracle's output.
  const input = `${lines.join('\n')}\n`;
  const chunks: string[] = [];
  for (let o = 0; o < input.length; o += 4093) chunks.push(input.slice(o, o + 4093));
  // Each engine: the interpreter (the --batch default), the JIT, and WebAssembly (the JIT for the
  // programs compileWasm refuses).
  for (const engine of ['interp', 'jit', 'wasm']) {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c) => {
      out += c;
    });
    const code = await runCommand(['--batch', '--profile', 'libpcap', '--engine', engine], {
      stdin: Readable.from(chunks),
      stdout,
      stderr: new PassThrough(),
    });
    assert.equal(code, 0);
    assert.ok(
      out === `${oracle.join('\n')}\n`,
      `cbpf run --batch --engine ${engine} output differs from the oracle`,
    );
  }
});
