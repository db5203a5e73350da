// The command table: name → one-line summary and a lazy loader, so `cbpf --help` stays fast.
import type { Command } from '../io.js';

export interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

/** Add a command by adding one entry here (keep alphabetical). */
export const COMMANDS: Record<string, CommandEntry> = {
  'arp-scan': {
    summary:
      'find which IP each host (VM) has: ARP requests out, only replies pass the kernel filter',
    load: async () => (await import('./arp-scan.js')).arpScanCommand,
  },
  asm: {
    summary: 'assemble bpf_asm (or -d) text to tcpdump -ddd, the one-line form, C or hex',
    load: async () => (await import('./asm.js')).asm,
  },
  capture: {
    summary:
      'tcpdump-style: cbpf -r FILE | -i IFACE [-w OUT] [-c N] [-e] [expr] (also reached as `cbpf -r ...`)',
    load: async () => (await import('./capture.js')).capture,
  },
  compile: {
    summary:
      'compile a tcpdump filter expression to classic BPF (-d, -dd, -ddd as tcpdump; --batch)',
    load: async () => (await import('./compile.js')).compileCommand,
  },
  debug: {
    summary:
      'step through a program on a packet (like bpf_dbg): step, back, run, break, regs, mem, packet',
    load: async () => (await import('./debug.js')).debugCommand,
  },
  decompile: {
    summary:
      'turn a program (tc/iptables blob, tcpdump -dd) back into a filter expression proven equal to it',
    load: async () => (await import('./decompile.js')).decompileCommand,
  },
  demo: {
    summary: 'show what a six-instruction ARP-reply filter does (what `npm start` runs)',
    load: async () => (await import('./demo.js')).demo,
  },
  'dhcp-watch': {
    summary: 'print DHCP lease events (DISCOVER/OFFER/REQUEST/ACK/NAK) seen on an interface',
    load: async () => (await import('./dhcp-watch.js')).dhcpWatchCommand,
  },
  discover: {
    summary:
      "find every host's IPv4 and IPv6 addresses: ARP, neighbour discovery, DHCP; --watch for changes",
    load: async () => (await import('./discover.js')).discoverCommand,
  },
  disasm: {
    summary: 'disassemble hex, -ddd or -dd to tcpdump -d text or bpf_asm source',
    load: async () => (await import('./disasm.js')).disasm,
  },
  equiv: {
    summary:
      'prove two programs or expressions give the same result on every packet, or print one where they differ',
    load: async () => (await import('./equiv.js')).equivCommand,
  },
  jit: {
    summary: 'compile a program to JavaScript with the JIT; --print shows the generated source',
    load: async () => (await import('./jit.js')).jitCommand,
  },
  lint: {
    summary:
      'name the mistakes of a hand-written filter (partial port compares, fixed IP header ...) with a packet and the fix',
    load: async () => (await import('./lint.js')).lintCommand,
  },
  run: {
    summary: 'run a program on a packet (hex), or --batch over stdin lines; prints the u32 result',
    load: async () => (await import('./run.js')).run,
  },
  send: {
    summary:
      'replay a capture (or a hex frame) onto an interface: --rate, --realtime, --loop, a filter',
    load: async () => (await import('./send.js')).sendCommand,
  },
};
