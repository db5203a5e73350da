// `cbpf debug`: a bpf_dbg-like stepping debugger; commands come from stdin, so scripts drive it too.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { compile } from '../../compiler.js';
import {
  CbpfError,
  createMachine,
  hexToBytes,
  isProfileName,
  loadedBytes,
  type MachineState,
  type ProfileName,
  type Program,
  parseProgramText,
  printTcpdumpDLine,
  validate,
} from '../../index.js';
import { parseCapture } from '../../pcap.js';
import { CliError } from '../errors.js';
import type { CliIo, Command } from '../io.js';
import { isSystemError, strerror } from '../system-errors.js';
import { usageError } from './usage-error.js';

const HELP = `usage: cbpf debug [--program TEXT | --expr EXPR] [-y DLT] [--packet HEX | --pcap FILE [--index N]]
                  [--profile linux|bsd|libpcap]

Steps through a classic BPF program on one packet, like Linux's bpf_dbg. Commands are read from
stdin (a prompt when it is a terminal), one per line:
  load prog TEXT       program in any text form (-d, -ddd, one-line, bpf_asm, hex)
  load expr EXPR       compile a filter expression (-y sets the link type)
  load packet HEX      the packet bytes
  load pcap FILE [N]   packet N (from 0) of a capture file
  step [N]             execute N instructions (default 1)
  back [N]             go back N instructions
  run                  run to the end or the next breakpoint
  break N / delete N   set / clear a breakpoint at instruction N
  regs, mem, packet    show A/X and pc, scratch memory, the packet around the current load
  disasm               the program, current instruction marked
  reset                back to the first instruction
  quit
`;

interface Session {
  program?: Program;
  packet?: Uint8Array;
  wirelen?: number;
  profile: ProfileName;
  linktype: string;
  /** Instructions executed since the start; the state is recomputed from the start (runs are pure). */
  steps: number;
  breaks: Set<number>;
}

/** The machine after `steps` instructions. */
function stateAfter(s: Session, steps: number): MachineState {
  const m = createMachine(s.program!, s.packet!, { wirelen: s.wirelen, profile: s.profile });
  let st = m.state;
  while (st.steps < steps && !st.done) st = m.step();
  return st;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

function describe(s: Session, st: MachineState): string {
  if (st.done)
    return `done: the program returned ${st.result} (${st.result ? 'accept' : 'drop'}) after ${st.steps} instructions`;
  return `pc ${st.pc}: ${printTcpdumpDLine(s.program![st.pc], st.pc).slice(6).trimEnd()}`;
}

/** Byte range the instruction at pc loads from the packet, if any. */
function loadRange(s: Session, st: MachineState): [number, number] | undefined {
  const x = s.program![st.pc];
  const r = x && loadedBytes(x, st.X);
  return r && [r.offset, r.size];
}

function packetView(s: Session, st: MachineState): string {
  const p = s.packet!;
  const r = loadRange(s, st);
  const lines: string[] = [];
  for (let o = 0; o < p.length; o += 16) {
    const cells = Array.from(p.subarray(o, o + 16), (b, i) => {
      const at = o + i;
      const t = b.toString(16).padStart(2, '0');
      return r && at >= r[0] && at < r[0] + r[1] ? `[${t}]` : ` ${t} `;
    });
    lines.push(`${o.toString(16).padStart(4, '0')}: ${cells.join('')}`);
  }
  if (r && r[0] + r[1] > p.length)
    lines.push(
      `(the load at ${r[0]} of ${r[1]} bytes is past the ${p.length} captured bytes: the program will return 0)`,
    );
  return lines.join('\n');
}

async function execute(line: string, s: Session, out: (t: string) => void): Promise<boolean> {
  const [cmd = '', ...args] = line.trim().split(/\s+/);
  const rest = line.trim().slice(cmd.length).trim();
  const need = (): boolean => {
    if (!s.program || !s.packet) {
      out(
        `load a program and a packet first (${!s.program ? 'load prog/expr' : 'load packet/pcap'})`,
      );
      return false;
    }
    return true;
  };
  switch (cmd) {
    case '':
      return true;
    case 'quit':
    case 'q':
      return false;
    case 'help':
      out(HELP.slice(HELP.indexOf('  load prog')));
      return true;
    case 'load': {
      const what = args[0];
      const arg = rest.slice(what?.length ?? 0).trim();
      if (what === 'prog') {
        const p = parseProgramText(arg.replace(/\\n/g, '\n'));
        const problems = validate(p, s.profile);
        s.program = p;
        out(
          `${p.length} instructions${problems.length ? `; ${s.profile} rejects it: ${problems[0].message}` : ''}`,
        );
      } else if (what === 'expr') {
        s.program = compile(arg, { linktype: s.linktype });
        out(`${s.program.length} instructions`);
      } else if (what === 'packet') {
        const b = hexToBytes(arg.replace(/\s+/g, ''));
        if (!b) throw new CliError('BAD_HEX', 'the packet must be an even number of hex digits');
        s.packet = b;
        s.wirelen = undefined;
        out(`${b.length} bytes`);
      } else if (what === 'pcap') {
        const [file, n = '0'] = arg.split(/\s+/);
        const { records } = parseCapture(new Uint8Array(readNamed(file)));
        const r = records[Number(n)];
        if (!r)
          throw new CliError('NO_PACKET', `${file} has ${records.length} packets; no packet ${n}`);
        s.packet = r.data;
        s.wirelen = r.wirelen;
        out(`packet ${n}: ${r.data.length} bytes captured, ${r.wirelen} on the wire`);
      } else out('load prog|expr|packet|pcap ...');
      s.steps = 0;
      return true;
    }
    case 'step':
    case 's':
    case 'run':
    case 'r': {
      if (!need()) return true;
      const n = Number(args[0] ?? 1);
      if (cmd.startsWith('s') && !(Number.isInteger(n) && n >= 0)) {
        out(`${cmd} takes a number of steps`);
        return true;
      }
      const limit = cmd.startsWith('s') ? s.steps + n : Number.POSITIVE_INFINITY;
      const m = createMachine(s.program!, s.packet!, { wirelen: s.wirelen, profile: s.profile });
      let st = m.state;
      while (st.steps < s.steps && !st.done) st = m.step();
      while (!st.done && st.steps < limit) {
        st = m.step();
        if (!st.done && s.breaks.has(st.pc) && !cmd.startsWith('s')) {
          out(`breakpoint at ${st.pc}`);
          break;
        }
      }
      s.steps = st.steps;
      out(describe(s, st));
      return true;
    }
    case 'back':
    case 'b': {
      if (!need()) return true;
      const n = Number(args[0] ?? 1);
      if (!Number.isInteger(n) || n < 0) {
        out(`${cmd} takes a number of steps`);
        return true;
      }
      s.steps = Math.max(0, s.steps - n);
      out(describe(s, stateAfter(s, s.steps)));
      return true;
    }
    case 'reset':
      s.steps = 0;
      if (s.program && s.packet) out(describe(s, stateAfter(s, 0)));
      return true;
    case 'break':
    case 'delete': {
      const n = Number(args[0]);
      if (!Number.isInteger(n) || n < 0) {
        out(`${cmd} takes an instruction number`);
        return true;
      }
      if (cmd === 'break') s.breaks.add(n);
      else s.breaks.delete(n);
      out(`breakpoints: ${[...s.breaks].sort((a, b) => a - b).join(' ') || 'none'}`);
      return true;
    }
    case 'regs': {
      if (!need()) return true;
      const st = stateAfter(s, s.steps);
      out(
        `pc ${st.pc}  A ${hex(st.A)} (${st.A})  X ${hex(st.X)} (${st.X})  steps ${st.steps}${st.done ? `  result ${st.result}` : ''}`,
      );
      return true;
    }
    case 'mem': {
      if (!need()) return true;
      const st = stateAfter(s, s.steps);
      out(st.M.map((v, i) => `M[${i}] ${hex(v)}`).join('\n'));
      return true;
    }
    case 'packet':
      if (!need()) return true;
      out(packetView(s, stateAfter(s, s.steps)));
      return true;
    case 'disasm': {
      if (!s.program) {
        out('no program loaded');
        return true;
      }
      const pc = s.packet ? stateAfter(s, s.steps).pc : -1;
      out(
        s.program
          .map(
            (x, i) =>
              `${i === pc ? '=>' : '  '} ${printTcpdumpDLine(x, i)}${s.breaks.has(i) ? '   *break' : ''}`,
          )
          .join('\n'),
      );
      return true;
    }
    default:
      out(`unknown command '${cmd}' (help lists them)`);
      return true;
  }
}

export const debugCommand: Command = async (argv, io: CliIo) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        program: { type: 'string' },
        expr: { type: 'string' },
        y: { type: 'string' },
        packet: { type: 'string' },
        pcap: { type: 'string' },
        index: { type: 'string' },
        profile: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usageError('debug', err, HELP, io);
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const profile = v.profile ?? 'linux';
  if (!isProfileName(profile)) {
    io.stderr.write(`cbpf debug: unknown profile '${profile}'\n`);
    return 2;
  }
  const s: Session = { profile, linktype: v.y ?? 'EN10MB', steps: 0, breaks: new Set() };
  const out = (t: string) => io.stdout.write(`${t}\n`);
  const run1 = async (line: string): Promise<boolean> => {
    try {
      return await execute(line, s, out);
    } catch (err) {
      // A file the session cannot read (missing, a directory, no permission) ends that command only.
      if (isSystemError(err)) out(`error: ${err.path ? `${err.path}: ` : ''}${strerror(err)}`);
      else if (err instanceof CbpfError) out(`error: ${err.message}`);
      else throw err;
      return true;
    }
  };
  if (v.program !== undefined) await run1(`load prog ${v.program}`);
  if (v.expr !== undefined) await run1(`load expr ${v.expr}`);
  if (v.packet !== undefined) await run1(`load packet ${v.packet}`);
  if (v.pcap !== undefined) await run1(`load pcap ${v.pcap} ${v.index ?? 0}`);
  const interactive = (io.stdin as { isTTY?: boolean }).isTTY === true;
  const rl = createInterface({ input: io.stdin, terminal: false });
  if (interactive) io.stdout.write('(cbpf) ');
  for await (const line of rl) {
    if (!(await run1(line))) break;
    if (interactive) io.stdout.write('(cbpf) ');
  }
  rl.close();
  return 0;
};

/** A file's bytes; a failed read names the file (reading a directory fails without its name). */
function readNamed(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    if (isSystemError(err)) err.path ??= file;
    throw err;
  }
}
