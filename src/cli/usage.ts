// The usage texts of the tcpdump-style command line: the short one after a bad flag (as tcpdump
// prints its own), and the long one for `cbpf --help`, which lists what each flag does in cbpf.

/** tcpdump's usage lines with cbpf's name and cbpf's flags. */
export const SHORT_USAGE = `Usage: cbpf [-AdelnOpqStUvxX#] [ -B size ] [ -c count ] [--count]
		[ -C file_size ] [ -F file ] [ -G seconds ]
		[ -i interface ] [ --immediate-mode ] [ --jobs n ]
		[ --number ] [ --pcapng ] [ --print ] [ -Q in|out|inout ]
		[ -r file ] [ -s snaplen ] [ --version ]
		[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
		[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
		[ -z postrotate-command ] [ expression ]
       cbpf <command> [options]   (cbpf <command> --help for details)
`;

/** What each flag does, for --help. */
export const FLAGS_HELP = `Reads a capture file (-r, or -V for a list of them) or captures live (-i), keeps the packets the
filter expression accepts, and prints a line per packet as tcpdump -n does, or writes them (-w).
EXPRESSION is a pcap-filter expression, or a program in a text form (tcpdump -d/-dd/-ddd, bpf_asm, hex).

Input and output:
  -r FILE         read packets from FILE ('-' for stdin)
  -V FILE         read the capture files FILE lists, one per line ('-' for stdin), in that order
  --jobs N        threads for -V lists and for a large file written or counted (default: one
                  per core idle now, less one; 1: this thread alone); the output is what
                  one thread writes
  -i IFACE        capture live on IFACE (Linux AF_PACKET; needs root or CAP_NET_RAW)
  -w FILE         write the packets to FILE ('-' for stdout) instead of printing them
  --print         print the packets even with -w
  --pcapng        write pcapng with -w (default: by FILE's extension, else pcap)
  -C SIZE         with -w: start a new file (FILE1, FILE2, ...) once one is past SIZE million bytes
  -G SECONDS      with -w: start a new file every SECONDS; FILE is a strftime format
  -W COUNT        with -C: COUNT files, reused in turn; with -G alone: stop after COUNT files
  -z COMMAND      run COMMAND FILE on each file -C or -G closes
  -U              with -w: write each packet out as soon as it is dumped
  -c COUNT        stop after COUNT packets (per input file)
  --count         print only how many packets matched
  -F FILE         read the expression from FILE
  -y TYPE         link type (EN10MB, RAW, LINUX_SLL, ...): for -d without -r, and for compiling
                  the expression against each packet instead of the file's own type
  -d, -dd, -ddd   print the compiled filter (tcpdump -d text, C array, decimal) and exit
  -O              do not optimize the compiled filter
  -s SNAPLEN      bytes kept per packet live, and the value -d's program returns (ignored with -r,
                  as tcpdump 4.99 ignores it)
Live capture:
  -p              do not put the interface in promiscuous mode
  -B KIB          kernel buffer size
  -Q DIRECTION    in, out or inout
  --immediate-mode  deliver packets as they arrive
Each packet's line:
  -t, -tt, -ttt, -tttt, -ttttt   no time, Unix seconds, time since the previous packet, date and
                  time, time since the first packet (default: local time of day)
  --nano, --micro, --time-stamp-precision=nano|micro   nanosecond or microsecond fractions
  -#, --number    number the packets
  -e              print the link-level header
  -q              less protocol detail (TCP and UDP ports and length only)
  -S              absolute TCP sequence numbers
  -x, -xx         hex dump after the line (-xx: with the link-level header)
  -X, -XX         hex and ASCII dump (-XX: with the link-level header)
  -A, -AA         ASCII dump (-AA: with the link-level header)
  -v, -vv, -vvv   accepted; cbpf prints no extra protocol detail and says so once
  -l              write each line out at once
  -n, -N, -K, -Z USER, -a, -b, -f, -H, -u   accepted and without effect (cbpf never resolves names)
  -h, --help      this text;  --version
exit status: 0 done, 1 error, 2 usage error
`;

/**
 * `cbpf --help`: the tcpdump-style usage, the flags, then the subcommands (given by main.ts, which
 * owns the command table; without them, as a command run on its own has it, the flags only).
 */
export function helpText(commands?: Readonly<Record<string, { summary: string }>>): string {
  if (!commands) return `${SHORT_USAGE}\n${FLAGS_HELP}`;
  const names = Object.keys(commands).sort();
  const width = Math.max(...names.map((n) => n.length));
  const list = names.map((n) => `  ${n.padEnd(width)}  ${commands[n]?.summary}\n`).join('');
  return `${SHORT_USAGE}\n${FLAGS_HELP}\ncommands:\n${list}`;
}
