// Character tests the text scanners share, by name rather than by character code arithmetic.

/** An ASCII letter folded to lower case: capitals differ from small letters in one bit (32). */
export const lowerAscii = (c: number): number => c | 32;

/** An ASCII decimal digit, 0-9. */
export const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** An ASCII hex digit: 0-9, a-f or A-F. */
export const isHexDigit = (c: number): boolean =>
  isDigit(c) || (lowerAscii(c) >= 97 && lowerAscii(c) <= 102);
