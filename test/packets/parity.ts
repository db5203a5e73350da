// Line-for-line parity of cbpf's summaries with `tcpdump -n` over capture files, counted per protocol.
// Shared by scripts/summary-parity.ts (the README table) and test/packets/summary-parity.test.ts (the targets).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTcpSeqState, decodeFrame, summarize } from '../../src/packets/index.js';
import { parseCapture } from '../../src/pcap/index.js';
import { protocolOf } from './parity-protocol.js';

export interface ParityOptions {
  /** Capture files to compare (absolute paths). */
  files: string[];
  /** Also print the link-level header (`-e`). */
  link?: boolean;
  /** tcpdump processes at once; default 4. */
  jobs?: number;
  /** A directory to keep tcpdump's output in between runs (keyed by file name, size and mtime). */
  cacheDir?: string;
}

export interface ProtocolTally {
  lines: number;
  same: number;
}

export interface Mismatch {
  file: string;
  /** Record index in the file. */
  index: number;
  protocol: string;
  ours: string;
  theirs: string;
}

export interface ParityReport {
  lines: number;
  same: number;
  byProtocol: Map<string, ProtocolTally>;
  mismatches: Mismatch[];
}

// A time stamp (tcpdump prints any microsecond value, even invalid ones of 7+ digits).
const STAMP = /^\d+\.\d+ /;

/** tcpdump -tt output split into packets: each packet's text lines, the time stamp removed. */
export function splitPackets(stdout: string): string[][] {
  const packets: string[][] = [];
  for (const line of stdout.split('\n')) {
    if (STAMP.test(line)) packets.push([line.replace(STAMP, '')]);
    // A record header tcpdump rejects is printed without a time stamp.
    else if (line.startsWith('[Invalid header:')) packets.push([line]);
    else if (line !== '' && packets.length > 0) packets[packets.length - 1].push(line);
  }
  return packets;
}

function runTcpdump(file: string, link: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('tcpdump', ['-r', file, '-n', '-tt', ...(link ? ['-e'] : [])], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', (e) =>
      reject(
        new Error(`tcpdump not runnable (${e.message}); install it: apt-get install -y tcpdump`),
      ),
    );
    child.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

async function tcpdumpText(file: string, link: boolean, cacheDir?: string): Promise<string> {
  if (!cacheDir) return runTcpdump(file, link);
  const st = statSync(file);
  const key = join(
    cacheDir,
    `${file.split('/').pop()}.${st.size}.${Math.floor(st.mtimeMs)}${link ? '.e' : ''}.txt`,
  );
  if (existsSync(key)) return readFileSync(key, 'latin1');
  const text = await runTcpdump(file, link);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(key, text, 'latin1');
  return text;
}

/** Runs tcpdump over the files (`jobs` at a time) and compares every line it prints with ours. */
export async function measureParity(o: ParityOptions): Promise<ParityReport> {
  const link = o.link ?? false;
  const texts = new Array<string>(o.files.length);
  let next = 0;
  const worker = async () => {
    while (next < o.files.length) {
      const i = next++;
      texts[i] = await tcpdumpText(o.files[i], link, o.cacheDir);
    }
  };
  await Promise.all(Array.from({ length: o.jobs ?? 4 }, worker));
  const report: ParityReport = { lines: 0, same: 0, byProtocol: new Map(), mismatches: [] };
  o.files.forEach((file, fi) => {
    const theirs = splitPackets(texts[fi]);
    const { records } = parseCapture(new Uint8Array(readFileSync(file)));
    const tcpSeq = createTcpSeqState();
    const name = file.split('/').pop() ?? file;
    theirs.forEach((packet, i) => {
      const r = records[i];
      let ours: string[] = [];
      let protocol = 'unread record';
      if (r) {
        // Empty lines are dropped on both sides (splitPackets drops tcpdump's).
        ours = summarize(r.data, r.linktype, { link, wirelen: r.wirelen, tcpSeq })
          .split('\n')
          .filter((l) => l !== '');
        protocol = protocolOf(decodeFrame(r.data, r.linktype));
      }
      let t = report.byProtocol.get(protocol);
      if (!t) {
        t = { lines: 0, same: 0 };
        report.byProtocol.set(protocol, t);
      }
      let same = 0;
      packet.forEach((line, k) => {
        if (ours.length === packet.length && ours[k] === line) same++;
      });
      t.lines += packet.length;
      t.same += same;
      report.lines += packet.length;
      report.same += same;
      if (same < packet.length)
        report.mismatches.push({
          file: name,
          index: i,
          protocol,
          ours: ours.join('\n'),
          theirs: packet.join('\n'),
        });
    });
  });
  return report;
}
