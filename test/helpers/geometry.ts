// Layout checks shared by the playground's model test and bench/graph-layout.ts.

/** A box as a layout places it. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Does the segment s = [x0, y0, x1, y1] pass through the inside of box b (shrunk by 2 px, so touching
 * a border is no hit)? Liang–Barsky clipping of the segment against the box.
 */
export function segmentCrosses(s: readonly number[], b: Rect): boolean {
  const [x0, y0, x1, y1] = [b.x + 2, b.y + 2, b.x + b.width - 2, b.y + b.height - 2];
  let t0 = 0;
  let t1 = 1;
  const dx = s[2] - s[0];
  const dy = s[3] - s[1];
  for (const [p, q] of [
    [-dx, s[0] - x0],
    [dx, x1 - s[0]],
    [-dy, s[1] - y0],
    [dy, y1 - s[1]],
  ]) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const r = q / p;
    if (p < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    if (t0 > t1) return false;
  }
  return t1 - t0 > 1e-6;
}
