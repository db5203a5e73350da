// A subcommand's answer to arguments node:util's parseArgs refuses: the first sentence of its message
// (never the parser's advice about '--'), the command's help, exit status 2.
import type { CliIo } from '../io.js';

export function usageError(command: string, err: unknown, help: string, io: CliIo): 2 {
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(
    `cbpf ${command}: ${message.split('. ')[0]}\n${help.endsWith('\n') ? help : `${help}\n`}`,
  );
  return 2;
}
