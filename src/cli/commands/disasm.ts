// `cbpf disasm`: any program form (hex, -ddd, one-line, -dd, C macros) to tcpdump -d text or bpf_asm source.
import { conversionCommand } from './text-io.js';

const HELP = `usage: cbpf disasm [--from hex|ddd|line|dd|c|d|asm|go] [--format d|asm|ddd|line|dd|c|hex|go|go-raw|rust|python] [FILE|-]

Disassembles a program read from FILE or stdin (form detected unless --from names it) and prints
it as tcpdump -d text (default) or bpf_asm source with labels (--format asm); --from go reads
golang.org/x/net/bpf source, --format go|go-raw|rust|python writes source for those languages.
exit status: 0 printed, 1 bad input, 2 usage error
`;

export const disasm = conversionCommand('disasm', HELP, 'd');
