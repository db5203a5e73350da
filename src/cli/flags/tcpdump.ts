// tcpdump's command line (4.99's SHORTOPTS and long options) read into typed flags, with tcpdump's
// checks and its wording for a bad value ("invalid packet count x"). What the flags do lives elsewhere.
import { dltByName } from '../link-names.js';
import { getoptLong, type OptionSpec, UsageError } from './getopt.js';

/** libpcap's MAXIMUM_SNAPLEN: the largest -s tcpdump takes. */
export const MAXIMUM_SNAPLEN = 262_144;

/** Everything `cbpf [flags] [expression]` was told, as tcpdump would read it. */
export interface TcpdumpFlags {
  /** -r FILE */
  read?: string;
  /** -V FILE: a file naming the capture files to read, one per line. */
  fileList?: string;
  /** -i IFACE */
  interface?: string;
  /** -w FILE */
  write?: string;
  /** -c N (packets per input file, as tcpdump's pcap_loop counts them). */
  count?: number;
  /** -s N, 0..262144 (0: the default). Ignored when reading files, as tcpdump 4.99 does. */
  snaplen?: number;
  /** -d repeated: 1 -d, 2 -dd, 3+ -ddd. */
  dump: number;
  /** -x/-xx, -X/-XX, -A/-AA repeats. */
  hex: number;
  hexAscii: number;
  ascii: number;
  /** -v repeats. */
  verbose: number;
  /** -t repeats (0 default stamps ... 5 -ttttt). */
  stamps: number;
  /** -q repeats. */
  quiet: number;
  /** -e */
  link: boolean;
  /** -S: absolute TCP sequence numbers. */
  absoluteSeq: boolean;
  /** -l: stdout line by line. */
  lineBuffered: boolean;
  /** -U: each packet written out as it is dumped. */
  packetBuffered: boolean;
  /** -B KiB as bytes (live capture's kernel buffer). */
  bufferSize?: number;
  /** -C, in bytes (the value times 1,000,000). */
  fileSize?: number;
  /** -W */
  fileCount?: number;
  /** -G seconds (0: no rotation by time). */
  rotateSeconds: number;
  /** -z command run on each file a rotation closes. */
  postRotate?: string;
  /** -y: the DLT name as given, and its value. */
  dlt?: { name: string; value: number };
  /** -F FILE */
  filterFile?: string;
  /** -O */
  noOptimize: boolean;
  /** -p */
  noPromiscuous: boolean;
  /** -Q in|out|inout */
  direction?: 'in' | 'out' | 'inout';
  /** --immediate-mode */
  immediate: boolean;
  /** -#, --number */
  number: boolean;
  /** --count */
  countOnly: boolean;
  /** --print: print packets while writing them with -w. */
  print: boolean;
  /** --nano / --time-stamp-precision=nano */
  nano: boolean;
  /** -h, --help */
  help: boolean;
  /** --version */
  version: boolean;
  /** -D: list the interfaces a capture can use. */
  listInterfaces: boolean;
  /** -L: list the link types of -i's interface. */
  listLinkTypes: boolean;
  /** cbpf's own: --pcapng (write pcapng), --jobs N (-V worker threads). */
  pcapng: boolean;
  jobs?: number;
  /** The tcpdump flags cbpf does not implement that were given: `-T (interpret packets as ...)`. */
  unsupported: string[];
  /** The expression: the operands joined by spaces. */
  expression: string;
}

// Long names in tcpdump's table order (its ambiguity message lists them so); cbpf's own last.
const SPECS: OptionSpec[] = [
  { key: 'B', short: 'B', long: 'buffer-size', value: true },
  { key: 'D', short: 'D', long: 'list-interfaces', value: false },
  { key: 'h', short: 'h', long: 'help', value: false },
  { key: 'i', short: 'i', long: 'interface', value: true },
  { key: 'I', short: 'I', long: 'monitor-mode', value: false },
  { key: 'j', short: 'j', long: 'time-stamp-type', value: true },
  { key: 'J', short: 'J', long: 'list-time-stamp-types', value: false },
  { key: 'micro', long: 'micro', value: false },
  { key: 'nano', long: 'nano', value: false },
  { key: 'precision', long: 'time-stamp-precision', value: true },
  { key: 'K', short: 'K', long: 'dont-verify-checksums', value: false },
  { key: 'L', short: 'L', long: 'list-data-link-types', value: false },
  { key: 'O', short: 'O', long: 'no-optimize', value: false },
  { key: 'p', short: 'p', long: 'no-promiscuous-mode', value: false },
  { key: 'Q', short: 'Q', long: 'direction', value: true },
  { key: 's', short: 's', long: 'snapshot-length', value: true },
  { key: 'S', short: 'S', long: 'absolute-tcp-sequence-numbers', value: false },
  { key: 'U', short: 'U', long: 'packet-buffered', value: false },
  { key: 'y', short: 'y', long: 'linktype', value: true },
  { key: 'immediate', long: 'immediate-mode', value: false },
  { key: 'Y', short: 'Y', long: 'debug-filter-parser', value: false },
  { key: 'Z', short: 'Z', long: 'relinquish-privileges', value: true },
  { key: 'count', long: 'count', value: false },
  { key: 'fp-type', long: 'fp-type', value: false },
  { key: '#', short: '#', long: 'number', value: false },
  { key: 'print', long: 'print', value: false },
  { key: 'version', long: 'version', value: false },
  { key: 'pcapng', long: 'pcapng', value: false },
  { key: 'jobs', long: 'jobs', value: true },
  // Short only.
  ...[...'aAbdefHlnNqtuvxX'].map((c) => ({ key: c, short: c, value: false })),
  ...[...'cCEFGmMrTVwWz'].map((c) => ({ key: c, short: c, value: true })),
];

/** Flags whose work cbpf does not do, with what they would have done (for the one-line refusal). */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  E: 'decrypt ESP',
  I: 'monitor mode',
  j: 'time stamp type',
  J: 'list time stamp types',
  m: 'load SMI MIB modules',
  M: 'TCP-MD5 secret',
  T: 'interpret packets as a given type',
  Y: 'debug the filter parser',
  'fp-type': 'floating-point type',
};

/**
 * C's atoi as glibc has it: leading blanks, a sign, digits, anything after ignored; the strtol value
 * cast to int (so 4294967297 is 1 and "x" is 0).
 */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  let v = BigInt(m[1] as string);
  const max = 2n ** 63n - 1n;
  if (v > max) v = max;
  if (v < -max - 1n) v = -max - 1n;
  return Number(BigInt.asIntN(32, v));
}

/** strtol(s, &end, base) that must use the whole string; undefined when it does not. */
function strtolWhole(s: string, base: 0 | 10): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(s);
  if (!m) return undefined;
  const [, sign, digits] = m as unknown as [string, string, string];
  if (base === 10 && /^0[xX]/.test(digits)) return undefined;
  const v =
    base === 0 && /^0[xX]/.test(digits)
      ? BigInt(digits)
      : base === 0 && digits.length > 1 && digits[0] === '0'
        ? BigInt(`0o${digits.slice(1)}`)
        : BigInt(digits);
  return sign === '-' ? -v : v;
}

/** Reads argv as tcpdump does; throws UsageError with tcpdump's wording. */
export function parseTcpdumpFlags(argv: readonly string[]): TcpdumpFlags {
  const { options, operands } = getoptLong(argv, SPECS);
  const f: TcpdumpFlags = {
    dump: 0,
    hex: 0,
    hexAscii: 0,
    ascii: 0,
    verbose: 0,
    stamps: 0,
    quiet: 0,
    link: false,
    absoluteSeq: false,
    lineBuffered: false,
    packetBuffered: false,
    rotateSeconds: 0,
    noOptimize: false,
    noPromiscuous: false,
    immediate: false,
    number: false,
    countOnly: false,
    print: false,
    nano: false,
    help: false,
    version: false,
    listInterfaces: false,
    listLinkTypes: false,
    pcapng: false,
    unsupported: [],
    expression: operands.join(' '),
  };
  for (const { key, spelled, value = '' } of options) {
    if (Object.hasOwn(UNSUPPORTED, key)) {
      f.unsupported.push(`${spelled} (${UNSUPPORTED[key]})`);
      continue;
    }
    switch (key) {
      case 'A':
        f.ascii++;
        break;
      case 'B': {
        const kib = atoi(value);
        if (kib <= 0 || kib * 1024 > 0x7fffffff)
          throw new UsageError(`invalid packet buffer size ${value}`);
        f.bufferSize = kib * 1024;
        break;
      }
      case 'c': {
        const n = atoi(value);
        if (n <= 0) throw new UsageError(`invalid packet count ${value}`);
        f.count = n;
        break;
      }
      case 'C': {
        const n = strtolWhole(value, 10);
        if (n === undefined || n <= 0n || n > 2n ** 63n - 1n)
          throw new UsageError(`invalid file size ${value}`);
        if (n > (2n ** 63n - 1n) / 1_000_000n)
          throw new UsageError(`file size ${value} is too large`);
        f.fileSize = Number(n * 1_000_000n);
        break;
      }
      case 'd':
        f.dump++;
        break;
      case 'D':
        f.listInterfaces = true;
        break;
      case 'L':
        f.listLinkTypes = true;
        break;
      case 'e':
        f.link = true;
        break;
      case 'F':
        f.filterFile = value;
        break;
      case 'G': {
        const s = atoi(value);
        if (s < 0) throw new UsageError(`invalid number of seconds ${value}`);
        f.rotateSeconds = s;
        break;
      }
      case 'h':
        f.help = true;
        break;
      case 'i':
        f.interface = value;
        break;
      case 'l':
        f.lineBuffered = true;
        break;
      case 'O':
        f.noOptimize = true;
        break;
      case 'p':
        f.noPromiscuous = true;
        break;
      case 'q':
        f.quiet++;
        break;
      case 'Q': {
        const d = value.toLowerCase();
        if (d !== 'in' && d !== 'out' && d !== 'inout')
          throw new UsageError(`unknown capture direction \`${value}'`);
        f.direction = d;
        break;
      }
      case 'r':
        f.read = value;
        break;
      case 's': {
        const n = strtolWhole(value, 0);
        const v = n === undefined ? undefined : Number(BigInt.asIntN(32, n));
        if (v === undefined || v < 0 || v > MAXIMUM_SNAPLEN)
          throw new UsageError(`invalid snaplen ${value} (must be >= 0 and <= ${MAXIMUM_SNAPLEN})`);
        f.snaplen = v;
        break;
      }
      case 'S':
        f.absoluteSeq = true;
        break;
      case 't':
        f.stamps++;
        break;
      case 'U':
        f.packetBuffered = true;
        break;
      case 'v':
        f.verbose++;
        break;
      case 'V':
        f.fileList = value;
        break;
      case 'w':
        f.write = value;
        break;
      case 'W': {
        const n = atoi(value);
        if (n <= 0) throw new UsageError(`invalid number of output files ${value}`);
        f.fileCount = n;
        break;
      }
      case 'x':
        f.hex++;
        break;
      case 'X':
        f.hexAscii++;
        break;
      case 'y': {
        // cbpf also takes a LINKTYPE number, which tcpdump does not.
        const v = dltByName(value) ?? (/^\d+$/.test(value) ? Number(value) : undefined);
        if (v === undefined) throw new UsageError(`invalid data link type ${value}`);
        f.dlt = { name: value, value: v };
        break;
      }
      case 'z':
        f.postRotate = value;
        break;
      case '#':
        f.number = true;
        break;
      case 'count':
        f.countOnly = true;
        break;
      case 'print':
        f.print = true;
        break;
      case 'version':
        f.version = true;
        break;
      case 'micro':
        f.nano = false;
        break;
      case 'nano':
        f.nano = true;
        break;
      case 'precision':
        if (value.startsWith('nano')) f.nano = true;
        else if (value.startsWith('micro')) f.nano = false;
        else throw new UsageError('unsupported time stamp precision');
        break;
      case 'immediate':
        f.immediate = true;
        break;
      case 'pcapng':
        f.pcapng = true;
        break;
      case 'jobs': {
        const n = atoi(value);
        if (n <= 0 || String(n) !== value.trim()) throw new UsageError(`invalid --jobs ${value}`);
        f.jobs = n;
        break;
      }
      // Nothing to do in cbpf: names are never resolved (-n, -N, -f), checksums never verified (-K),
      // privileges never dropped (-Z), and -a, -b, -H, -u change only printers cbpf does not have.
      default:
        break;
    }
  }
  return f;
}

/** Checks between flags, in tcpdump's order and words; returns the first problem, if any. */
export function flagConflicts(f: TcpdumpFlags): string | undefined {
  if (f.stamps > 5) return 'only -t, -tt, -ttt, -tttt and -ttttt are supported';
  if (f.fileList !== undefined && f.read !== undefined) return '-V and -r are mutually exclusive.';
  return undefined;
}

/** The one-line refusal for flags cbpf does not implement, or undefined when there are none. */
export function unsupportedText(f: TcpdumpFlags): string | undefined {
  const first = f.unsupported[0];
  return first === undefined ? undefined : `${first} is not supported by cbpf`;
}

export { UsageError };
