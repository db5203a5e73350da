// Work on a whole capture file, shared by the worker and the in-page fallback: index its records
// (offsets into the file, lengths, link types, summaries) and run a compiled filter over them.
import { compileFilter, isJitAvailable, type ProfileName, type Program } from '../../src/index.js';
import { createTcpSeqState, summarize } from '../../src/packets.js';
import { createCaptureParser } from '../../src/pcap.js';

export interface CaptureIndex {
  format: string;
  offsets: Uint32Array;
  caplens: Uint32Array;
  wirelens: Uint32Array;
  linktypes: Uint16Array;
  summaries: string[];
}

export type Progress = (phase: 'reading' | 'filtering', done: number, total: number) => void;

/** How many packets between progress reports. */
const REPORT_EVERY = 4096;

export function indexCapture(file: Uint8Array, progress: Progress): CaptureIndex {
  const parser = createCaptureParser();
  // One push: every record is then a view into `file`, so its offset is all we keep.
  const records = [...parser.push(file), ...parser.end()];
  const n = records.length;
  const ix: CaptureIndex = {
    format: parser.format ?? 'pcap',
    offsets: new Uint32Array(n),
    caplens: new Uint32Array(n),
    wirelens: new Uint32Array(n),
    linktypes: new Uint16Array(n),
    summaries: new Array(n),
  };
  const seq = createTcpSeqState();
  for (let i = 0; i < n; i++) {
    const r = records[i];
    if (r.data.buffer !== file.buffer) throw new Error('capture record is not a view of the file');
    ix.offsets[i] = r.data.byteOffset - file.byteOffset;
    ix.caplens[i] = r.data.length;
    ix.wirelens[i] = r.wirelen;
    ix.linktypes[i] = r.linktype;
    try {
      ix.summaries[i] = summarize(r.data, r.linktype, { wirelen: r.wirelen, tcpSeq: seq });
    } catch (err) {
      ix.summaries[i] = `(not decoded: ${(err as Error).message})`;
    }
    if (i % REPORT_EVERY === 0) progress('reading', i, n);
  }
  progress('reading', n, n);
  return ix;
}

export interface FilterOutcome {
  verdicts: Uint32Array;
  accepted: number;
  engine: 'jit' | 'interpreter';
  ms: number;
}

export function filterCapture(
  file: Uint8Array,
  ix: CaptureIndex,
  program: Program,
  profile: ProfileName,
  progress: Progress,
): FilterOutcome {
  const t0 = performance.now();
  const f = compileFilter(program, { profile });
  const n = ix.offsets.length;
  const verdicts = new Uint32Array(n);
  let accepted = 0;
  for (let i = 0; i < n; i++) {
    const v = f.at(file, ix.offsets[i], ix.caplens[i], ix.wirelens[i]);
    verdicts[i] = v;
    if (v !== 0) accepted++;
    if (i % REPORT_EVERY === 0) progress('filtering', i, n);
  }
  progress('filtering', n, n);
  return {
    verdicts,
    accepted,
    engine: isJitAvailable() ? 'jit' : 'interpreter',
    ms: performance.now() - t0,
  };
}
