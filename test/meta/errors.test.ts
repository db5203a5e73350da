// Every error cbpf throws on purpose is a CbpfError whose code a subsystem registered in CbpfErrorCodes
// (a code nobody registered does not compile). What else may be thrown is listed here, file by file.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import type { AnalysisErrorCode } from '../../src/analysis/errors.js';
import type { AppsErrorCode } from '../../src/apps/errors.js';
import type { CliErrorCode } from '../../src/cli/errors.js';
import type { CompileErrorCode } from '../../src/compiler/errors.js';
import type { CbpfErrorCode, CbpfErrorCodes } from '../../src/core/errors.js';
import type { NodeErrorCode } from '../../src/node/errors.js';
import type { PcapFormatCode, PcapUsageCode } from '../../src/pcap/errors.js';

const SRC = new URL('../../src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/**
 * Throws of other classes that stay, and why. Bad arguments at an API boundary (a programmer's
 * mistake: an option of the wrong type or range) are RangeError or TypeError as in JavaScript's own
 * APIs; the tests hold most of them to that (marked *), and their siblings in the same function
 * family keep the same contract. Assertions of states no input reaches (a throw there is a cbpf bug)
 * are marked "internal".
 */
const KEPT: Record<string, { RangeError?: number; TypeError?: number; Error?: number }> = {
  'apps/arp-scan/scan.ts': { RangeError: 2 }, // * arpScan: a subnet too large unforced, a bad rate
  'apps/arp-scan/subnet.ts': { RangeError: 2 }, // * parseSubnet, and its address parser
  'apps/discover/index.ts': { RangeError: 3 }, // discover's rate and subnet size, as arpScan's
  'apps/send/replay.ts': { RangeError: 3 }, // replay's rate, realtime and loop options
  'compiler/lower/linux-socket.ts': { Error: 1 }, // internal: lowering's graph shape
  'core/fast-vm.ts': { RangeError: 1 }, // * count(): a packet outside the buffer
  'core/filter.ts': { RangeError: 1 }, // * at(): a packet outside the buffer
  'core/jit/index.ts': { RangeError: 1 }, // * the JIT's count(), in generated source
  'core/prepare.ts': { RangeError: 2, TypeError: 2 }, // * engine options (profile, limits, ancillary)
  'core/profiles.ts': { RangeError: 1 }, // * an unknown profile name
  'core/text/go.ts': { RangeError: 1 }, // printGo's identifier option
  'core/text/rust-python.ts': { RangeError: 1 }, // printRust/printPython's identifier option
  'core/insn.ts': { Error: 1 }, // internal: assertNever
  'core/jit/emit.ts': { TypeError: 1 }, // internal: only finite numbers reach generated source
  'core/wasm/encoder.ts': { RangeError: 2 }, // internal: the encoder's integer immediates
  'filters/mac-set.ts': { RangeError: 3 }, // * MAC spellings, an empty set, a set too large
  'filters/ready.ts': { RangeError: 2 }, // * MAC spellings; a port outside 0..65535
  'packets/addr.ts': { RangeError: 3 }, // * parseMac, and parseIpv4/parseIpv6 beside it
  'packets/build-app.ts': { RangeError: 1 }, // a DNS label longer than 63 bytes
  'packets/build-dhcp6.ts': { RangeError: 1 }, // a DHCPv6 xid wider than 24 bits
  'pcap/classic.ts': { RangeError: 2 }, // PcapWriter: u32 fields, a time pcap cannot hold
  'pcap/pcapng.ts': { RangeError: 5 }, // PcapngWriter: link type, interface, time, option length
  'pcap/walker.ts': { RangeError: 3 }, // * batchSize, a scan range outside the buffer; record(i)
};

test('nothing but CbpfErrors is thrown on purpose, besides the listed argument checks', () => {
  const got: typeof KEPT = {};
  for (const file of files(SRC)) {
    const rel = relative(SRC, file);
    for (const m of readFileSync(file, 'utf8').matchAll(/new (RangeError|TypeError|Error)\(/g)) {
      const k = m[1] as 'RangeError' | 'TypeError' | 'Error';
      got[rel] ??= {};
      got[rel][k] = (got[rel][k] ?? 0) + 1;
    }
  }
  assert.deepEqual(got, KEPT);
});

test('every CbpfError subclass names the closed union of its codes', () => {
  const problems: string[] = [];
  for (const file of files(SRC))
    for (const m of readFileSync(file, 'utf8').matchAll(/class (\w+) extends CbpfError\b(<)?/g))
      if (m[2] !== '<') problems.push(`${relative(SRC, file)}: ${m[1]}`);
  assert.deepEqual(problems, []);
});

test('each subsystem registers its codes, and CbpfErrorCode is their union', () => {
  // These lines type-check only if the registry holds each subsystem's union under its name.
  const registry: { [K in keyof CbpfErrorCodes]: CbpfErrorCodes[K] } = {
    core: 'EMPTY',
    text: 'TEXT_SYNTAX',
    compiler: 'SYNTAX' satisfies CompileErrorCode,
    analysis: 'SOLVER_TIMEOUT' satisfies AnalysisErrorCode,
    pcap: 'TRUNCATED' satisfies PcapFormatCode,
    node: 'EPERM' satisfies NodeErrorCode,
    apps: 'FRAME_REFUSED' satisfies AppsErrorCode,
    cli: 'BAD_HEX' satisfies CliErrorCode,
  };
  const usage: CbpfErrorCode = 'PUSH_AFTER_END' satisfies PcapUsageCode;
  assert.deepEqual(Object.keys(registry).sort(), [
    'analysis',
    'apps',
    'cli',
    'compiler',
    'core',
    'node',
    'pcap',
    'text',
  ]);
  assert.equal(usage, 'PUSH_AFTER_END');
});
