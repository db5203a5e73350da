// Shared test oracles: tcpdump's compiled programs and the real corpus captures, grouped by link type.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { RawInsn } from '../../src/core/insn.js';
import { parseCapture } from '../../src/pcap/index.js';

import { CORPUS_DIR } from './corpus.js';

export { CORPUS_DIR };

/** tcpdump's `-ddd` program for `expr` with `-y dlt`; fails the test naming the install if tcpdump is missing. */
export function tcpdumpProgram(expr: string, dlt: string): RawInsn[] {
  const r = spawnSync('tcpdump', ['-ddd', '-y', dlt, expr], { encoding: 'utf8' });
  if (r.error)
    throw new Error(
      'tcpdump is missing: apt-get install -y tcpdump (npm test installs it as root)',
    );
  if (r.status !== 0) throw new Error(`tcpdump -ddd -y ${dlt} '${expr}': ${r.stderr.trim()}`);
  const [count, ...lines] = r.stdout.trim().split('\n');
  const program = lines.map((l) => {
    const [code, jt, jf, k] = l.trim().split(/\s+/).map(Number);
    return { code, jt, jf, k: k >>> 0 };
  });
  if (program.length !== Number(count))
    throw new Error(`tcpdump printed ${count} but ${program.length} instructions`);
  return program;
}

export interface CorpusPacket {
  readonly file: string;
  readonly data: Uint8Array;
  readonly wirelen: number;
}

let cache: Map<number, CorpusPacket[]> | undefined;

/** Every packet of the corpus, by link type (records up to the first format error of a file). */
export function corpusByLinktype(): Map<number, CorpusPacket[]> {
  if (cache) return cache;
  cache = new Map();
  for (const file of readdirSync(CORPUS_DIR).sort()) {
    const { records } = parseCapture(new Uint8Array(readFileSync(CORPUS_DIR + file)));
    for (const r of records) {
      let list = cache.get(r.linktype);
      if (!list) {
        list = [];
        cache.set(r.linktype, list);
      }
      list.push({ file, data: r.data, wirelen: r.wirelen });
    }
  }
  return cache;
}
