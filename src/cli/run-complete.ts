// The end of a run that is not an error: -G with -W wrote its last file (tcpdump: "Maximum file limit
// reached"). Apart from rotate.ts so the command can recognise it without loading the rotation code.
import { CliError } from './errors.js';

/** Thrown to end a run early without an error; the message goes to stderr, the status is 0. */
export class RunComplete extends CliError {
  constructor(message: string) {
    super('RUN_COMPLETE', message);
  }
}
