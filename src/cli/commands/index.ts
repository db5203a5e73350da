// The command table: name → one-line summary and a lazy loader, so `cbpf --help` stays fast.
import type { Command } from '../io.js';

export interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

/** Add a command by adding one entry here (keep alphabetical). */
export const COMMANDS: Record<string, CommandEntry> = {
  demo: {
    summary: 'show what a six-instruction ARP-reply filter does (what `npm start` runs)',
    load: async () => (await import('./demo.js')).demo,
  },
  run: {
    summary: 'run a program on a packet (hex), or --batch over stdin lines; prints the u32 result',
    load: async () => (await import('./run.js')).run,
  },
};
