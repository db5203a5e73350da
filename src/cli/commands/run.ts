// `cbpf run`: run a program on one packet, or (--batch) on stdin lines "<program hex> <wirelen> <packet hex>".
import { parseArgs } from 'node:util';
import {
  formatSpan,
  fromBytes,
  hexToBytes,
  isProfileName,
  type PreparedProgram,
  type Program,
  parseProgramText,
  prepare,
  recognizeProgramText,
  TextSyntaxError,
  ValidationError,
  validate,
} from '../../index.js';
import { compiled, evalBatchLine, formatBatchResult } from '../batch.js';
import { type Command, readLines, write } from '../io.js';
import { usageError } from './usage-error.js';

const HELP = `usage: cbpf run [--profile linux|bsd|libpcap] [--wirelen N] [--engine interp|jit|wasm] PROGRAM PACKETHEX
       cbpf run --batch [--profile P] [--engine interp|jit|wasm] < lines

Runs a classic BPF program on a packet and prints its result (a u32: 0 = drop).

PROGRAM is the 8-byte little-endian sock_filter records as hex, the tcpdump -ddd form
(count, then "code jt jf k" decimal groups; newlines or commas between groups, as iptables/tc
take it), or tcpdump -d / -dd text or bpf_asm source. PACKETHEX is the captured bytes as hex ("" for an empty packet).

options:
  --profile P     validator and run-time semantics: linux (default), bsd or libpcap
  --wirelen N     packet length on the wire (what "ld #len" loads); default: the captured length
  --engine E      jit (default for a single run), interp (default for --batch) or wasm
                  (WebAssembly; the JIT for the few programs it refuses)
  --batch         read "<program hex> <wirelen> <packet hex>" lines on stdin and print
                  "valid=<0|1> ret=<u32>" for each (ret=0 when invalid)
  -h, --help      this text

exit status: 0 ran (or batch done), 1 program invalid for the profile, 2 usage error`;

/**
 * Hex records (one token), -ddd decimal text (whitespace or commas), or any other text form (-d, -dd,
 * bpf_asm). Throws TextSyntaxError, with the line and column, for text in none of them.
 */
export function parseProgramArg(text: string): Program {
  return parseHexOrDecimal(text) ?? parseProgramText(text);
}

/**
 * As parseProgramArg, but undefined for text that may be a filter expression instead (cbpf jit
 * compiles it then); text that can only be a program still throws where it goes wrong.
 */
export function parseProgramOrExpressionArg(text: string): Program | undefined {
  const quick = parseHexOrDecimal(text);
  if (quick) return quick;
  const format = recognizeProgramText(text);
  return format ? parseProgramText(text, format) : undefined;
}

/** `cbpf CMD: PROGRAM L:C: message`, the line and a caret under the place. */
export function programError(cmd: string, text: string, err: TextSyntaxError): string {
  return `cbpf ${cmd}: PROGRAM ${formatSpan(err.message, text, err.offset, err.offset + err.length)}\n`;
}

function parseHexOrDecimal(text: string): Program | undefined {
  const t = text.trim();
  if (!/[\s,]/.test(t)) {
    const bytes = hexToBytes(t.replace(/^0x/i, ''));
    return bytes && bytes.length > 0 && bytes.length % 8 === 0 ? fromBytes(bytes, 'le') : undefined;
  }
  const nums = t.split(/[\s,]+/).filter((s) => s.length > 0);
  if (!nums.every((s) => /^\d+$/.test(s))) return undefined;
  const n = Number(nums[0]);
  if (nums.length !== 1 + 4 * n) return undefined;
  const out = [];
  for (let i = 0; i < n; i++) {
    const [code, jt, jf, k] = nums.slice(1 + 4 * i, 5 + 4 * i).map(Number);
    if (code > 0xffff || jt > 0xff || jf > 0xff || k > 0xffffffff) return undefined;
    out.push({ code, jt, jf, k });
  }
  return out;
}

export const run: Command = async (argv, io) => {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    return usageError('run', err, HELP, io);
  }
  const { values, positionals } = args;
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const profile = values.profile ?? 'linux';
  if (!isProfileName(profile)) {
    io.stderr.write(`cbpf run: unknown profile '${profile}' (linux, bsd or libpcap)\n`);
    return 2;
  }
  const engine = values.engine ?? (values.batch ? 'interp' : 'jit');
  if (engine !== 'interp' && engine !== 'jit' && engine !== 'wasm') {
    io.stderr.write(`cbpf run: unknown engine '${engine}' (interp, jit or wasm)\n`);
    return 2;
  }

  if (values.batch) {
    if (positionals.length > 0) {
      io.stderr.write('cbpf run: --batch takes no PROGRAM/PACKET arguments (it reads stdin)\n');
      return 2;
    }
    let out = '';
    for await (const line of readLines(io.stdin)) {
      out += `${formatBatchResult(evalBatchLine(line, profile, engine))}\n`;
      if (out.length > 65536) {
        await write(io.stdout, out);
        out = '';
      }
    }
    if (out.length > 0) await write(io.stdout, out);
    return 0;
  }

  if (positionals.length !== 2) {
    io.stderr.write(`cbpf run: expected PROGRAM and PACKETHEX\n${HELP}\n`);
    return 2;
  }
  let program: Program;
  try {
    program = parseProgramArg(positionals[0]);
  } catch (err) {
    if (!(err instanceof TextSyntaxError)) throw err;
    io.stderr.write(programError('run', positionals[0], err));
    return 2;
  }
  const packet = hexToBytes(positionals[1].replace(/\s+/g, ''));
  if (!packet) {
    io.stderr.write('cbpf run: PACKETHEX is not an even-length hex string\n');
    return 2;
  }
  let wirelen: number | undefined;
  if (values.wirelen !== undefined) {
    wirelen = Number(values.wirelen);
    if (!/^\d+$/.test(values.wirelen) || wirelen > 0xffffffff) {
      io.stderr.write('cbpf run: --wirelen must be a u32\n');
      return 2;
    }
  }
  let prepared: PreparedProgram;
  try {
    prepared = prepare(program, { profile });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    for (const e of validate(program, profile))
      io.stderr.write(`cbpf run: invalid for ${profile}: [${e.rule}] ${e.message}\n`);
    return 1;
  }
  const result = compiled(prepared, engine)(packet, wirelen);
  io.stdout.write(`${result}\n`);
  return 0;
};

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      profile: { type: 'string' },
      wirelen: { type: 'string' },
      engine: { type: 'string' },
      batch: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
