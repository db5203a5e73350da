// `cbpf lint`: the mistakes people make in hand-written filters, each with the instruction, a packet
// that shows it and the fix. Exits 1 when it reports a finding, as linters do.
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CompileError, compile, parseLinktype } from '../../compiler.js';
import {
  CbpfError,
  formatSpan,
  type LintFinding,
  lint,
  type ProfileName,
  type Program,
  parseGo,
  TextSyntaxError,
} from '../../index.js';
import { type Command, write } from '../io.js';
import { parseProgramOrExpressionArg, programError } from './run.js';
import { usageError } from './usage-error.js';

const HELP = `usage: cbpf lint PROGRAM|FILE|EXPRESSION [-y DLT] [--snaplen N] [--profile linux|bsd] [--json]
                 [--go NAME=VALUE]...

Names the mistakes of hand-written filters: a compare of one byte of a 2-byte port, a fixed 20-byte
IPv4 header, loads before any protocol check, port loads without a fragment check, unreachable
instructions, jumps whose two targets are the same, a return shorter than the headers the program
read, loads past --snaplen, Linux ancillary loads under --profile bsd, and (with --profile) what one
platform's validator accepts and the other's rejects. Each finding gives the instruction, a packet
that shows the problem where one exists, and the fix.
PROGRAM is any program text cbpf reads (tcpdump -d/-dd/-ddd, bpf_asm, C, hex, golang.org/x/net/bpf
source), inline or in FILE; anything else is compiled as a tcpdump filter expression.
  -y DLT          the link type the program reads: EN10MB (default), RAW, IPV4, LINUX_SLL, NULL, LOOP
  --snaplen N     report loads past a capture's snap length
  --profile P     the platform the program is for; also compares the Linux and BSD validators
  --go NAME=N     a value for a Go name the source uses (seed 001's dstPort, op)
  --json          the findings as JSON, one object per line
exit status: 0 nothing found, 1 findings, 2 usage or input error
`;

/** Packet bytes as hex, trailing zero bytes (beyond 64) left out. */
function hexOf(b: Uint8Array): string {
  let end = b.length;
  while (end > 64 && b[end - 1] === 0) end--;
  return Buffer.from(b.subarray(0, end)).toString('hex');
}

function findingText(f: LintFinding): string {
  const lines = [`instruction ${f.index}: ${f.rule}: ${f.message}`];
  if (f.packet)
    lines.push(
      `  packet: ${hexOf(f.packet.bytes)}`,
      `          (${f.packet.note}): the program returns ${f.packet.result}`,
    );
  if (f.fix) lines.push(`  fix: ${f.fix}`);
  return `${lines.join('\n')}\n`;
}

export const lintCommand: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        y: { type: 'string', short: 'y' },
        snaplen: { type: 'string' },
        profile: { type: 'string' },
        go: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usageError('lint', err, HELP, io);
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const usage = (m: string) => {
    io.stderr.write(`cbpf lint: ${m}\n${HELP}`);
    return 2;
  };
  if (parsed.positionals.length === 0)
    return usage('a program, a file or an expression is required');
  const dltName = v.y ?? 'EN10MB';
  const linktype = parseLinktype(dltName);
  if (linktype === undefined) return usage(`unknown link type '${dltName}'`);
  const snaplen = v.snaplen === undefined ? undefined : Number(v.snaplen);
  if (snaplen !== undefined && !(Number.isInteger(snaplen) && snaplen > 0))
    return usage(`--snaplen takes a positive number, not '${v.snaplen}'`);
  if (v.profile !== undefined && v.profile !== 'linux' && v.profile !== 'bsd')
    return usage(`--profile takes linux or bsd, not '${v.profile}'`);
  // No prototype: `--go __proto__=1` is a name like any other.
  const constants: Record<string, number> = Object.create(null);
  for (const d of v.go ?? []) {
    const m = /^([A-Za-z_]\w*)=(\d+|0x[0-9a-fA-F]+)$/.exec(d);
    if (!m) return usage(`--go takes NAME=NUMBER, not '${d}'`);
    constants[m[1]] = Number(m[2]);
  }
  const arg = parsed.positionals.join(' ');
  const text = parsed.positionals.length === 1 && existsSync(arg) ? readFileSync(arg, 'utf8') : arg;
  let program: Program;
  try {
    program = /\bbpf\.[A-Z]\w*\s*\{/.test(text)
      ? parseGo(text, { constants })
      : (parseProgramOrExpressionArg(text) ?? compile(text, { linktype }));
  } catch (err) {
    if (err instanceof TextSyntaxError) {
      io.stderr.write(programError('lint', text, err));
      return 2;
    }
    if (err instanceof CompileError) {
      io.stderr.write(
        `cbpf lint: ${formatSpan(err.message, text, err.span[0], Math.max(err.span[1], err.span[0] + 1))}\n`,
      );
      return 2;
    }
    if (err instanceof CbpfError) {
      io.stderr.write(`cbpf lint: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const findings = lint(program, {
    linktype,
    snaplen,
    profile: v.profile as ProfileName | undefined,
  });
  for (const f of findings)
    await write(
      io.stdout,
      v.json
        ? `${JSON.stringify({ ...f, packet: f.packet && { ...f.packet, bytes: hexOf(f.packet.bytes) } })}\n`
        : findingText(f),
    );
  if (!v.json)
    io.stderr.write(
      findings.length
        ? `${findings.length} finding${findings.length === 1 ? '' : 's'}\n`
        : 'no findings\n',
    );
  return findings.length ? 1 : 0;
};
