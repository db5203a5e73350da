// tcpdump's -F: the filter expression read from a file, with "# comment" to the end of each line
// blanked as tcpdump's read_infile() blanks it. Program text (bpf_asm uses '#' for immediates) is
// taken as it is when it parses as a program.
import { readFileSync } from 'node:fs';
import { parseProgramText } from '../index.js';
import { CliError } from './errors.js';
import { isSystemError, strerror } from './system-errors.js';

/** Every '#' and what follows it on its line replaced by spaces (offsets stay those of the file). */
export function stripFilterComments(text: string): string {
  let out = '';
  let from = 0;
  for (let i = text.indexOf('#'); i >= 0; i = text.indexOf('#', from)) {
    let end = text.indexOf('\n', i);
    if (end < 0) end = text.length;
    out += text.slice(from, i) + ' '.repeat(end - i);
    from = end;
  }
  return out + text.slice(from);
}

/** A -F file's text as it stands; a file that does not open is a CliError in tcpdump's words. */
export function readFilterText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    // tcpdump's words: the C library's text after the name.
    if (!isSystemError(e)) throw e;
    throw new CliError('FILTER_FILE', `can't open ${path}: ${strerror(e)}`);
  }
}

/** The text of a -F file: program text as it is, an expression with its comments blanked. */
export function readFilterFile(path: string): string {
  const text = readFilterText(path);
  if (!text.includes('#')) return text;
  try {
    parseProgramText(text);
    return text;
  } catch {
    return stripFilterComments(text);
  }
}
