// `cbpf equiv A B`: are two filters the same on every packet? Exit 0 equal, 1 different, 2 error (as cmp).
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CompileError, compile, LINKTYPE_NAMES } from '../../compiler.js';
import {
  AnalysisError,
  type EquivClaim,
  type EquivDifferent,
  equivalent,
  isProfileName,
  type ProfileName,
  type Program,
  printTcpdumpDLine,
  TextSyntaxError,
} from '../../index.js';
import { summarize } from '../../packets.js';
import { PcapWriter } from '../../pcap.js';
import type { CliIo, Command } from '../io.js';
import { parseProgramOrExpressionArg, programError } from './run.js';
import { usageError } from './usage-error.js';

const HELP = `usage: cbpf equiv [-y DLT] [--profile linux|bsd|libpcap] [--max-length N] [--verdict]
                  [--claim all|unless-a-stops|unless-either-stops] [--unroll N] [--timeout SEC]
                  [-w FILE] A B

Decides whether A and B give the same result on every packet of at most N captured bytes, whatever
the captured and wire lengths (captured <= wire), under the profile's exact run-time semantics: a
load past the captured bytes stops the run with 0, as does a division by 0; Linux metadata loads
(SKF_AD_*) and header-relative offsets are free values within their ranges; libpcap's backward ja
is unrolled to a bound (--unroll) and a run that may take more backward jumps is refused.
If they differ, prints a counterexample: the packet, its lengths, each filter's path (instruction
indices) and result; -w writes it as a pcap file.

A and B are each a program as cbpf run takes it (hex records, tcpdump -ddd/-dd/-d text, bpf_asm
source), @FILE for a program or expression read from FILE, or a filter expression, compiled for -y.

options:
  -y DLT             link type of expressions and of -w's file (default EN10MB)
  --profile P        run-time semantics: linux (default), bsd or libpcap
  --max-length N     longest captured packet considered (default 1514)
  --verdict          compare accept/drop only, not the returned snap lengths
  --claim C          all (default) packets; unless-a-stops: those on which A reaches a ret (does not
                     stop at a load past the captured bytes or a division by 0); unless-either-stops
  --unroll N         libpcap: backward jumps followed per run (default 16)
  --timeout SEC      give up after SEC seconds of solving (default 60; exit 2)
  -w FILE            write the counterexample packet to FILE (pcap)
  -h, --help         this text

Needs the optional z3-solver package (npm install z3-solver).
exit status: 0 equal, 1 different, 2 error (bad input, no solver, no answer in time)
`;

export const equivCommand: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        y: { type: 'string' },
        profile: { type: 'string' },
        'max-length': { type: 'string' },
        verdict: { type: 'boolean' },
        claim: { type: 'string' },
        unroll: { type: 'string' },
        timeout: { type: 'string' },
        w: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usageError('equiv', err, HELP, io);
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const fail = (msg: string) => {
    io.stderr.write(`cbpf equiv: ${msg}\n`);
    return 2;
  };
  if (parsed.positionals.length !== 2) return fail(`expected two filters, A and B\n${HELP}`);
  const profile = v.profile ?? 'linux';
  if (!isProfileName(profile)) return fail(`unknown profile '${profile}' (linux, bsd or libpcap)`);
  const linktype = v.y ?? 'EN10MB';
  const named =
    LINKTYPE_NAMES[linktype.toUpperCase()] ??
    (/^\d+$/.test(linktype) ? Number(linktype) : undefined);
  if (named === undefined) return fail(`unknown link type '${linktype}'`);
  // tcpdump's -y RAW is DLT 12; files and decoders call raw IP LINKTYPE_RAW (101).
  const dlt = named === 12 ? 101 : named;
  const num = (name: string, s: string | undefined, max: number): number | undefined | null => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!/^\d+(\.\d+)?$/.test(s) || n > max) {
      io.stderr.write(`cbpf equiv: ${name} takes a number up to ${max}\n`);
      return null;
    }
    return n;
  };
  const maxLength = num('--max-length', v['max-length'], 0x7fff0000);
  const unroll = num('--unroll', v.unroll, 1000);
  const timeout = num('--timeout', v.timeout, 86400);
  if (maxLength === null || unroll === null || timeout === null) return 2;
  if (
    (maxLength !== undefined && !Number.isInteger(maxLength)) ||
    (unroll !== undefined && !Number.isInteger(unroll))
  )
    return fail('--max-length and --unroll take whole numbers');
  const claim = v.claim ?? 'all';
  if (claim !== 'all' && claim !== 'unless-a-stops' && claim !== 'unless-either-stops')
    return fail(`--claim takes all, unless-a-stops or unless-either-stops, not '${claim}'`);

  const programs: Program[] = [];
  for (const [i, arg] of parsed.positionals.entries()) {
    const p = await filterArg(arg, linktype, i === 0 ? 'A' : 'B', io);
    if (p === undefined) return 2;
    programs.push(p);
  }
  try {
    const r = await equivalent(programs[0], programs[1], {
      profile,
      maxLength,
      unroll,
      compare: v.verdict ? 'verdict' : 'value',
      claim: claim as EquivClaim,
      timeoutMs: timeout === undefined ? undefined : timeout * 1000,
      signal: io.signal,
    });
    const within = `every packet of up to ${maxLength ?? 1514} bytes${claim === 'all' ? '' : claim === 'unless-a-stops' ? ' on which A reaches a ret' : ' on which both reach a ret'}`;
    if (r.equal) {
      io.stdout.write(
        `equal: A and B give the same ${v.verdict ? 'verdict' : 'result'} on ${within} (${profile} semantics; ${(r.solveMs / 1000).toFixed(2)} s)\n`,
      );
      return 0;
    }
    io.stdout.write(describe(r, programs, profile, v.verdict ? 'verdict' : 'result', dlt));
    if (v.w !== undefined) {
      const w = new PcapWriter({ linktype: dlt, snaplen: Math.max(r.caplen, 65535) });
      try {
        await writeAtomically(
          v.w,
          w.write({ data: r.packet, wirelen: r.wirelen, timestampNs: 0n }),
        );
      } catch (err) {
        return fail(`-w ${v.w}: ${(err as Error).message}`);
      }
      io.stdout.write(`counterexample written to ${v.w}\n`);
    }
    return 1;
  } catch (err) {
    if (err instanceof AnalysisError) return fail(err.message);
    throw err;
  }
};

/** A program, @FILE, or an expression compiled for `linktype`; undefined once the error is printed. */
async function filterArg(
  arg: string,
  linktype: string,
  which: string,
  io: CliIo,
): Promise<Program | undefined> {
  let text = arg;
  if (arg.startsWith('@')) {
    try {
      text = await readFile(arg.slice(1), 'utf8');
    } catch (err) {
      io.stderr.write(`cbpf equiv: ${which}: ${(err as Error).message}\n`);
      return undefined;
    }
  }
  try {
    const p = parseProgramOrExpressionArg(text);
    if (p) return p;
  } catch (err) {
    if (!(err instanceof TextSyntaxError)) throw err;
    io.stderr.write(programError('equiv', text, err).replace('PROGRAM', which));
    return undefined;
  }
  try {
    return compile(text.trim(), { linktype });
  } catch (err) {
    if (!(err instanceof CompileError)) throw err;
    io.stderr.write(
      `cbpf equiv: ${which} is not a program in any known form, nor an expression: ${err.message}\n`,
    );
    return undefined;
  }
}

function describe(
  r: EquivDifferent,
  programs: Program[],
  profile: ProfileName,
  what: string,
  dlt: number,
): string {
  const lines = [
    `different: on this ${r.caplen}-byte packet (wire length ${r.wirelen}) A returns ${r.results[0]} and B returns ${r.results[1]}`,
  ];
  for (const i of [0, 1]) {
    const p = programs[i];
    const path = r.paths[i];
    const last = path[path.length - 1];
    const end =
      last === undefined
        ? 'empty program'
        : `${r.stopped[i] ? 'stops at ' : 'ends at '}${printTcpdumpDLine(p[last], last).replace(/\s+/g, ' ')}`;
    lines.push(`  ${i === 0 ? 'A' : 'B'} path: ${path.join(' ')}  (${end})`);
  }
  lines.push(`  packet: ${Buffer.from(r.packet).toString('hex')}`);
  try {
    lines.push(
      `  as tcpdump -e reads it: ${summarize(r.packet, dlt, { wirelen: r.wirelen, link: true })}`,
    );
  } catch {
    // A decoder's complaint about a made-up packet is no reason to hide the counterexample.
  }
  if (r.ancillary) {
    const meta = Object.entries(r.ancillary)
      .map(
        ([k, val]) => `${k}=${val instanceof Uint8Array ? Buffer.from(val).toString('hex') : val}`,
      )
      .join(' ');
    lines.push(`  metadata: ${meta}`);
  }
  if (!r.confirmed)
    lines.push(
      `  note: running both on this packet does not show the difference: ${profile} metadata the solver treats as free (nlattr, rand) decide it`,
    );
  else if (what === 'verdict') lines.push('  (one accepts, the other drops)');
  return `${lines.join('\n')}\n`;
}

/** Writes `bytes` to `path` through a temporary file, so an interrupted run leaves no half file. */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
