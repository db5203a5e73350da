// Objects kept for the life of the program: one of each class the compiler makes anew on every compile.
// V8's optimized code checks an object's shape (its map) and holds that map weakly, so a full garbage
// collection that finds no instance alive (between two compiles: a page or a server idle for a while)
// frees the map and throws away every function optimized against it ("weak objects" deoptimizations:
// 70 of the compiler's functions after one such collection between passes over the mixed batch). The
// compiles after it ran in V8's interpreter until it had optimized them again: the next pass over the
// mixed batch took 500-700 ms (60 before the collection; about 250 with these kept, the rest being the
// optimizer's inner closures, whose optimized code V8 keeps only while one of them lives).

/** Read by keep(), so V8 keeps it in the module's context: an array only top-level code used would be a
 * local of the module's first run, and freed after it. */
const kept: object[] = [];

/** Keeps `o` alive for as long as the compiler is loaded; returns it. */
export function keep<T extends object>(o: T): T {
  kept.push(o);
  return o;
}
