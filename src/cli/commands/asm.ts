// `cbpf asm`: assemble bpf_asm (or -d) text to -ddd, the one-line form, C initializers or hex.
import { conversionCommand } from './text-io.js';

const HELP = `usage: cbpf asm [--from FORMAT] [--format ddd|line|dd|c|hex|d|asm|go|go-raw|rust|python] [FILE|-]

Assembles a program read from FILE or stdin: Linux bpf_asm syntax with labels and comments, or
tcpdump -d text, a C initializer (records or BPF_STMT/BPF_JUMP macros), -ddd, the one-line form or
hex — detected, or named by --from asm|d|dd|c|ddd|line|hex|go (golang.org/x/net/bpf source).
  --format ddd   tcpdump -ddd: the count, then "code jt jf k" lines (default)
  --format line  the same numbers on one line, as iptables -m bpf --bytecode and tc take them
  --format dd    tcpdump -dd C initializers { 0x28, 0, 0, 0x0000000c },
  --format c     a struct sock_filter array of BPF_STMT/BPF_JUMP macros
  --format hex   the 8-byte little-endian sock_filter records
  --format d     tcpdump -d text;  --format asm  bpf_asm source
  --format go    golang.org/x/net/bpf instruction literals (go-raw: []bpf.RawInstruction)
  --format rust  a libc::sock_filter array;  --format python  tuples and attach_filter(sock)
exit status: 0 assembled, 1 bad input, 2 usage error
`;

export const asm = conversionCommand('asm', HELP, 'ddd');
