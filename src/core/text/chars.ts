// Character tests the text scanners share, by name rather than by character code arithmetic.

/** An ASCII letter folded to lower case: capitals differ from small letters in one bit (32). */
export const lowerAscii = (c: number): number => c | 32;
