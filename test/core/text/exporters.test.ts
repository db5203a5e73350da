// Programs as Go (golang.org/x/net/bpf), Rust and Python source. Go: printed and read back exactly for
// any instruction, the seeds' own Go read as they are, and the printed source built with Debian's Go and
// x/net/bpf, whose VM gives cbpf's verdict on the same packets. Python and Rust: the printed source run,
// giving the kernel's 8-byte records (Python also attaches the program to a real socket).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { compile } from '../../../src/compiler/index.js';
import { toBytes } from '../../../src/core/encode.js';
import { TextSyntaxError } from '../../../src/core/errors.js';
import { parseGo, printGo } from '../../../src/core/text/go.js';
import { parseTcpdumpDD } from '../../../src/core/text/index.js';
import { printPython, printRust } from '../../../src/core/text/rust-python.js';
import { run } from '../../../src/core/vm.js';
import { buildIpFrame } from '../../../src/packets/build-ip.js';
import { buildArpFrame } from '../../../src/packets/build-link.js';
import { SEEDS_DIR } from '../../helpers/corpus.js';

const rawInsn = fc
  .record({
    code: fc.oneof(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 0xffff })),
    jt: fc.integer({ min: 0, max: 255 }),
    jf: fc.integer({ min: 0, max: 255 }),
    k: fc.oneof(
      fc.integer({ min: 0, max: 64 }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.constantFrom(0xfffff000, 0xfffff004, 0xfffff02c, 0xfffff03c, 0xfff00000),
    ),
  })
  .map((x) => ({ ...x }));

test('Go: any program prints as typed literals or RawInstructions and reads back exactly', () => {
  fc.assert(
    fc.property(fc.array(rawInsn, { minLength: 1, maxLength: 30 }), (p) => {
      assert.deepEqual(parseGo(printGo(p)), p);
      assert.deepEqual(parseGo(printGo(p, { form: 'raw', name: 'prog' })), p);
    }),
    { numRuns: 500 },
  );
});

const seed = (n: string) => readFileSync(`${SEEDS_DIR}${n}`, 'utf8');
const ARP_REPLY = parseTcpdumpDD(
  '{ 0x28, 0, 0, 0x0000000c },{ 0x15, 0, 3, 0x00000806 },{ 0x28, 0, 0, 0x00000014 },{ 0x15, 0, 1, 0x00000002 },{ 0x6, 0, 0, 0xffffffff },{ 0x6, 0, 0, 0x00000000 },',
);

test("Go: the seeds' own x/net/bpf source reads as written", () => {
  // A whole write-up, prose and all, as a user might paste it.
  const s0 = seed('000_154263ccaba87407.txt');
  assert.deepEqual(parseGo(s0, { name: 'arpReplyFilter' }), ARP_REPLY);
  assert.equal(parseGo(s0, { name: 'httpFilter' }).length, 9);
  assert.throws(
    () => parseGo(s0),
    /2 programs here \(arpReplyFilter, httpFilter\): choose one by name/,
  );
  // Seed 001 builds its filter from two parameters.
  // The write-up's listing stops before its closing braces.
  const s1 = `${seed('001_0308db59a726de22.txt').split('BPF is great')[0]}\t}\n}\n`;
  assert.throws(() => parseGo(s1), /'dstPort' has no value here/);
  const dhcp = parseGo(s1, { constants: { dstPort: 67, op: 1 } });
  assert.deepEqual(dhcp.slice(-2), [
    { code: 0x06, jt: 0, jf: 0, k: 0xffffffff },
    { code: 0x06, jt: 0, jf: 0, k: 0 },
  ]);
  assert.deepEqual(dhcp[5], { code: 0x15, jt: 0, jf: 3, k: 67 });
  const s3 = seed('003_1ee1a64f04221e8b.txt');
  // Its list is of a named slice type, and its listing also stops before the closing brace.
  assert.deepEqual(parseGo(`${s3.split('and call ApplyTo')[0]}}`), [
    { code: 0x28, jt: 0, jf: 0, k: 22 },
    { code: 0x15, jt: 0, jf: 1, k: 8080 },
    { code: 0x06, jt: 0, jf: 0, k: 0xffff },
    { code: 0x06, jt: 0, jf: 0, k: 0 },
  ]);
});

test('Go: flipped tests assemble as x/net/bpf assembles them; errors name line and column', () => {
  const p = parseGo(`f := []bpf.Instruction{
    bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: 0x800, SkipTrue: 2},
    bpf.JumpIfX{Cond: bpf.JumpLessThan, SkipTrue: 1, SkipFalse: 4},
    bpf.LoadExtension{Num: bpf.ExtLen}, bpf.LoadExtension{Num: bpf.ExtVLANTag},
    bpf.ALUOpConstant{Op: bpf.ALUOpShiftLeft, Val: 1 << 3},
    bpf.LoadAbsolute{Off: uint32(-0x1000 + 4), Size: 4},
    bpf.RawInstruction{0x81, 0, 0, 0},
  }`);
  assert.deepEqual(p, [
    { code: 0x15, jt: 0, jf: 2, k: 0x800 },
    { code: 0x3d, jt: 4, jf: 1, k: 0 },
    { code: 0x80, jt: 0, jf: 0, k: 0 },
    { code: 0x20, jt: 0, jf: 0, k: 0xfffff02c },
    { code: 0x64, jt: 0, jf: 0, k: 8 },
    { code: 0x20, jt: 0, jf: 0, k: 0xfffff004 },
    { code: 0x81, jt: 0, jf: 0, k: 0 },
  ]);
  const fail = (src: string, where: RegExp) => {
    const e = (() => {
      try {
        parseGo(src);
      } catch (err) {
        return err;
      }
    })();
    assert.ok(e instanceof TextSyntaxError, `no error for ${src}`);
    assert.match(e.message, where);
  };
  fail(
    '[]bpf.Instruction{\n  bpf.LoadAbsolute{Off: 12, Size: 3},\n}',
    /^2:29: Size must be 1, 2 or 4/,
  );
  fail(
    '[]bpf.Instruction{\n  bpf.LoadAbsolute{Of: 12},\n}',
    /^2:20: bpf.LoadAbsolute has no field Of/,
  );
  fail('[]bpf.Instruction{ bpf.Load{} }', /^1:20: bpf.Load is not an x\/net\/bpf instruction type/);
  fail('[]bpf.Instruction{ bpf.JumpIf{SkipTrue: 256} }', /SkipTrue 256 is outside 0..255/);
  fail('[]bpf.Instruction{ bpf.RetA{} bpf.RetA{} }', /expected ','/);
  fail('package main', /expected an x\/net\/bpf instruction literal, found 'package'/);
});

const FILTERS = [
  'arp[6:2] = 2',
  'udp dst port 67',
  'tcp port 80 or tcp port 443',
  'icmp or ip6',
  'ip[2:2] > 576 and not tcp',
];

function samplePackets(): Uint8Array[] {
  const mac = { src: '52:54:00:00:00:01', dst: '52:54:00:00:00:02' };
  const ip = { src: '10.0.0.1', dst: '10.0.0.2' };
  return [
    buildArpFrame({
      op: 'reply',
      senderMac: mac.src,
      senderIp: ip.src,
      targetMac: mac.dst,
      targetIp: ip.dst,
    }),
    buildArpFrame({ op: 'request', senderMac: mac.src, senderIp: ip.src, targetIp: ip.dst }),
    buildIpFrame(mac, ip, { kind: 'udp', srcPort: 68, dstPort: 67, payload: new Uint8Array(300) }),
    buildIpFrame(mac, ip, { kind: 'tcp', srcPort: 40000, dstPort: 443 }),
    buildIpFrame(mac, ip, { kind: 'icmp', type: 8, code: 0, payload: new Uint8Array(600) }),
  ];
}

test("Go: the printed source builds with x/net/bpf, and its VM gives cbpf's verdicts", () => {
  if (spawnSync('go', ['version']).error)
    throw new Error(
      'go is missing: apt-get install -y golang-go golang-golang-x-net-dev (npm test installs them as root)',
    );
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-go-'));
  try {
    const packets = samplePackets();
    const programs = FILTERS.map((f) => compile(f));
    const decls = programs.map((p, i) =>
      printGo(p, { name: `f${i}`, form: i % 2 ? 'raw' : 'instructions', comment: FILTERS[i] }),
    );
    const go = `package main

import (
\t"fmt"

\t"golang.org/x/net/bpf"
)

${decls.join('\n')}
var packets = [][]byte{
${packets.map((p) => `\t{${[...p].join(', ')}},\n`).join('')}}

func main() {
${programs
  .map((_, i) =>
    i % 2
      ? `\tvm${i}, err := bpf.NewVM(disasm(f${i}))\n\tcheck(err)\n\trunAll(vm${i})\n`
      : `\tvm${i}, err := bpf.NewVM(f${i})\n\tcheck(err)\n\trunAll(vm${i})\n`,
  )
  .join('')}}

func disasm(raw []bpf.RawInstruction) []bpf.Instruction {
\tinsns, ok := bpf.Disassemble(raw)
\tif !ok {
\t\tpanic("not all instructions decoded")
\t}
\treturn insns
}

func check(err error) {
\tif err != nil {
\t\tpanic(err)
\t}
}

func runAll(vm *bpf.VM) {
\tfor _, p := range packets {
\t\tn, err := vm.Run(p)
\t\tcheck(err)
\t\tfmt.Print(n, " ")
\t}
\tfmt.Println()
}
`;
    writeFileSync(join(dir, 'main.go'), go);
    const out = execFileSync('go', ['run', 'main.go'], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GOPATH: '/usr/share/gocode',
        GO111MODULE: 'off',
        GOCACHE: join(dir, 'cache'),
        GOFLAGS: '',
      },
    });
    const want = programs.map((p) => packets.map((pk) => run(p, pk)).join(' ')).join('\n');
    assert.equal(
      out
        .trim()
        .split('\n')
        .map((l) => l.trim())
        .join('\n'),
      want,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Python: the printed module gives the 8-byte records and attaches to a real socket', () => {
  const program = compile('udp dst port 67');
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-py-'));
  try {
    writeFileSync(
      join(dir, 'f.py'),
      `${printPython(program, { comment: 'udp dst port 67' })}
import sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
attach_filter(s)
sys.stdout.write(b"".join(struct.pack("<HBBI", *i) for i in FILTER).hex())
`,
    );
    const r = spawnSync('python3', [join(dir, 'f.py')], { encoding: 'utf8' });
    if (r.error) throw new Error('python3 is missing: apt-get install -y python3');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, Buffer.from(toBytes(program)).toString('hex'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Rust: the printed array compiles against libc::sock_filter's layout and holds the records", () => {
  const program = compile('tcp port 80 or tcp port 443');
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-rs-'));
  try {
    // The libc crate's definition (repr(C), as linux/filter.h's struct), so the test needs no crate.
    writeFileSync(
      join(dir, 'main.rs'),
      `#[allow(non_camel_case_types, dead_code)]
mod libc {
    #[repr(C)]
    #[derive(Clone, Copy)]
    pub struct sock_filter { pub code: u16, pub jt: u8, pub jf: u8, pub k: u32 }
}
${printRust(program, { comment: 'tcp port 80 or tcp port 443' })}
fn main() {
    assert_eq!(std::mem::size_of::<libc::sock_filter>(), 8);
    let mut out = String::new();
    for f in FILTER.iter() {
        for b in f.code.to_le_bytes().iter().chain([f.jt, f.jf].iter()).chain(f.k.to_le_bytes().iter()) {
            out.push_str(&format!("{:02x}", b));
        }
    }
    print!("{}", out);
}
`,
    );
    const c = spawnSync(
      'rustc',
      ['--edition', '2018', '-O', '-o', join(dir, 'f'), join(dir, 'main.rs')],
      { encoding: 'utf8' },
    );
    if (c.error)
      throw new Error('rustc is missing: apt-get install -y rustc (npm test installs it as root)');
    assert.equal(c.status, 0, c.stderr);
    assert.equal(
      execFileSync(join(dir, 'f'), { encoding: 'utf8' }),
      Buffer.from(toBytes(program)).toString('hex'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
