// Where the tests' own copies of outside material live: tcpdump's test captures (test/corpus/, with their
// license) and the four seed write-ups. Tests never read outside the repository (test/meta/self-contained).
export const CORPUS_DIR = new URL('../corpus/tcpdump/', import.meta.url).pathname;
export const SEEDS_DIR = new URL('../fixtures/seeds/', import.meta.url).pathname;
