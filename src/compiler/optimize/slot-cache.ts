// A small direct-mapped cache: one entry per slot, a new one replacing the old. The optimizer puts it in
// front of Maps it asks most (a test's constant at every visit, ALU results and indexed loads at every
// step of every walk, facts learnt from nothing), whose keys are often heap numbers that a Map hashes
// slowly. An entry is found only under the same tag and key, so a miss is never wrong: the caller looks
// the Map up and notes the answer.

export class SlotCache<V> {
  private readonly tags: Float64Array;
  private readonly keys: Float64Array;
  private readonly values: (V | undefined)[];
  private readonly mask: number;

  /** `size`: a power of two. */
  constructor(size: number) {
    this.tags = new Float64Array(size).fill(-1);
    this.keys = new Float64Array(size);
    this.values = new Array<V | undefined>(size).fill(undefined);
    this.mask = size - 1;
  }

  /** The slot of `hash` (any integer the key's parts make). */
  slot(hash: number): number {
    return (hash ^ (hash >>> 9)) & this.mask;
  }

  /** The value noted in `slot` under `tag` and `key`, or undefined. */
  get(slot: number, tag: number, key: number): V | undefined {
    return this.tags[slot] === tag && this.keys[slot] === key ? this.values[slot] : undefined;
  }

  set(slot: number, tag: number, key: number, value: V): void {
    this.tags[slot] = tag;
    this.keys[slot] = key;
    this.values[slot] = value;
  }
}
