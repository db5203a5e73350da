// A value made at its first use: tables a module needs only on some paths (a text format, a name
// lookup) are not built at every start of the CLI, which loads every module of its bundle.

/** A function returning `make()`'s value, made at the first call and kept. */
export function lazy<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
