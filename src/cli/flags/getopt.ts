// Command-line options read the way tcpdump reads them: GNU getopt_long, with its clusters (`-nnvvX`),
// attached values (`-c10`, `-r-`), long options and their unique prefixes (`--cou`), operands mixed
// with options (`-r f tcp -c 3`), `--` ending the options, and its one-line complaints.
import { CliError } from '../errors.js';

/** One option: a short letter and/or a long name, with or without a value. */
export interface OptionSpec {
  /** What the caller sees in `ParsedOption.key`. */
  key: string;
  short?: string;
  long?: string;
  /** Takes a value: the rest of the cluster or the next argument (`--long=v` or `--long v`). */
  value: boolean;
}

/** An option as it appeared, in order (repeats stay separate: `-vv` is two). */
export interface ParsedOption {
  key: string;
  /** How the user spelled it: `-c` or `--count`. */
  spelled: string;
  value?: string;
}

/** A command line getopt_long refuses; `message` is glibc's wording without the program name. */
export class UsageError extends CliError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/**
 * Splits `argv` into options and operands as glibc's getopt_long does for `tcpdump`: options may
 * follow operands, a long option may be abbreviated to any prefix that names one option (an exact
 * name always wins), and everything after `--` is an operand. A lone `-` is an operand.
 */
export function getoptLong(
  argv: readonly string[],
  specs: readonly OptionSpec[],
): { options: ParsedOption[]; operands: string[] } {
  const options: ParsedOption[] = [];
  const operands: string[] = [];
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  const longs = specs.filter((s) => s.long);
  let i = 0;
  const next = (): string | undefined => (i < argv.length ? argv[i++] : undefined);
  while (i < argv.length) {
    const arg = argv[i++] as string;
    if (arg === '--') {
      operands.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const spec = findLong(arg, name, longs);
      const spelled = `--${spec.long}`;
      if (eq >= 0) {
        if (!spec.value) throw new UsageError(`option '${spelled}' doesn't allow an argument`);
        options.push({ key: spec.key, spelled, value: arg.slice(eq + 1) });
      } else if (spec.value) {
        const v = next();
        if (v === undefined) throw new UsageError(`option '${spelled}' requires an argument`);
        options.push({ key: spec.key, spelled, value: v });
      } else options.push({ key: spec.key, spelled });
      continue;
    }
    if (arg.length < 2 || arg[0] !== '-') {
      operands.push(arg);
      continue;
    }
    // A cluster: letters until one that takes a value, which takes the rest (or the next argument).
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j] as string;
      const spec = byShort.get(c);
      if (!spec) throw new UsageError(`invalid option -- '${c}'`);
      if (!spec.value) {
        options.push({ key: spec.key, spelled: `-${c}` });
        continue;
      }
      const v = j + 1 < arg.length ? arg.slice(j + 1) : next();
      if (v === undefined) throw new UsageError(`option requires an argument -- '${c}'`);
      options.push({ key: spec.key, spelled: `-${c}`, value: v });
      break;
    }
  }
  return { options, operands };
}

/** The long option `--name` stands for: an exact name, else the only one it is a prefix of. */
function findLong(arg: string, name: string, longs: readonly OptionSpec[]): OptionSpec {
  const exact = longs.find((s) => s.long === name);
  if (exact) return exact;
  const matches = name === '' ? [] : longs.filter((s) => (s.long as string).startsWith(name));
  if (matches.length === 1) return matches[0] as OptionSpec;
  if (matches.length > 1)
    throw new UsageError(
      `option '--${name}' is ambiguous; possibilities:${matches.map((s) => ` '--${s.long}'`).join('')}`,
    );
  throw new UsageError(`unrecognized option '${arg}'`);
}
