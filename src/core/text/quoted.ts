// Source text inside an error message, kept short: a hostile line can be megabytes long, and the
// message already says where it is.

const MAX = 40;

/** `s` in quotes, cut to its first characters when long. */
export function quoted(s: string): string {
  if (s.length <= MAX) return `'${s}'`;
  let end = MAX - 3;
  // Not between the halves of a surrogate pair.
  if (s.charCodeAt(end - 1) >= 0xd800 && s.charCodeAt(end - 1) < 0xdc00) end--;
  return `'${s.slice(0, end)}...'`;
}
