// `cbpf -i IFACE ...` (live capture, filtered in the kernel) and `cbpf -r FILE ...` (offline), tcpdump style.
// The flags are read by ../tcpdump.ts; the live runner, -D and -L are ./live.ts.
import type { Command } from '../io.js';
import { tcpdumpCommand } from '../tcpdump.js';
import { helpText } from '../usage.js';

export const capture: Command = (argv, io) =>
  tcpdumpCommand(
    argv,
    io,
    async (iface, expr, o, cliIo) => {
      const { live } = await import('./live.js');
      return live(iface, expr, o, cliIo);
    },
    () => io.help?.() ?? helpText(),
  );
