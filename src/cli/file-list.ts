// -V on the machine's cores: worker threads each filter whole files of the list (./file-list-worker.ts),
// and this thread writes what they send back in the list's order, as it comes, so the output is the
// one a single thread would write. Across files it keeps what tcpdump keeps: the -# numbers and -ttt
// times (it writes those columns itself), the output file, and the TCP conversations behind relative
// sequence numbers: a packet a worker printed from a conversation its file met without the SYN is
// printed again here if an earlier file started that conversation.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BufferedOutput } from '../internal.js';
import { PcapngWriter, PcapWriter } from '../pcap.js';
import type { OutputHeader } from './commands/offline.js';
import { CliError } from './errors.js';
import type { FileEvent, FileListSetup, FileTask } from './file-list-worker.js';
import type { TcpdumpFlags } from './flags/tcpdump.js';
import { type CliIo, write, writeErr } from './io.js';
import { type PacketPrinter, printerFlags } from './packet-printer.js';

/** The part of tsx's package.json that says where its ES module API is. */
interface TsxPackage {
  exports: { './esm/api': { import: { default: string } } };
}

/**
 * How a worker starts: a short script that marks the thread as a -V worker, then loads the CLI's
 * entry module, which sees the mark and runs the file-list worker. Bundled, the entry is the bundle
 * itself, run from its V8 code cache as bin/cbpf.cjs runs it; from TypeScript sources (a checkout)
 * the script first registers tsx, which a worker does not inherit.
 */
export function startWorker(setup: FileListSetup): Worker {
  const self = import.meta.url;
  const mark = 'globalThis.cbpfFileListWorker = true;';
  let code: string;
  if (self.endsWith('.cjs')) {
    const bundle = JSON.stringify(fileURLToPath(self));
    code = `${mark}
const { existsSync, readFileSync } = require('node:fs');
const { isAscii } = require('node:buffer');
const { Script } = require('node:vm');
const bundle = ${bundle};
const cache = bundle + '.v8cache';
const bytes = readFileSync(bundle);
const text = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
const script = new Script(
  '(function (exports, require, module, __filename, __dirname) {' + text + '\\n})',
  { filename: bundle, cachedData: existsSync(cache) ? readFileSync(cache) : undefined },
);
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, require('node:module').createRequire(bundle), mod, bundle, require('node:path').dirname(bundle));`;
  } else if (!self.endsWith('.ts')) {
    code = `${mark} import(${JSON.stringify(new URL('./main.js', self).href)});`;
  } else {
    // tsx's ES module API, found through its package's exports (its CommonJS one misplaces its loader).
    const pkg = createRequire(self).resolve('tsx/package.json');
    const api = (JSON.parse(readFileSync(pkg, 'utf8')) as TsxPackage).exports['./esm/api'].import
      .default;
    const tsx = JSON.stringify(pathToFileURL(join(dirname(pkg), api)).href);
    const main = JSON.stringify(new URL('./main.ts', self).href);
    code = `${mark} import(${tsx}).then((m) => { m.register(); return import(${main}); });`;
  }
  return new Worker(code, { eval: true, workerData: setup, stdout: true, stderr: false });
}

export interface ParallelRun {
  files: readonly string[];
  sizes: readonly (number | undefined)[];
  flags: TcpdumpFlags;
  expr: string;
  jobs: number;
  /** -w: the output's header (the first file's). */
  header?: OutputHeader;
  /** The printer when printing (its TCP state is the run's). */
  printer?: PacketPrinter;
}

/**
 * Runs the list on `jobs` workers; returns the exit code, the number of packets that matched, and
 * whether an error ended the run early (it has been reported).
 */
export async function runFileListParallel(
  run: ParallelRun,
  io: CliIo,
): Promise<{ code: number; count: number; fatal: boolean }> {
  const { files, flags: f, printer } = run;
  const setup: FileListSetup = {
    kind: 'cbpf-file-list',
    expr: run.expr,
    count: f.count ?? Infinity,
    dlt: f.dlt?.name,
    noOptimize: f.noOptimize,
    link: f.link,
    write: run.header && {
      pcapng: f.pcapng || /\.pcapng$/i.test(f.write ?? ''),
      header: run.header,
    },
    print: printer && {
      flags: printerFlags(f),
      compose: printer.ordered,
    },
  };
  let out: BufferedOutput | undefined;
  if (run.header && f.write !== undefined) {
    out = new BufferedOutput(f.write === '-' ? io.stdout : f.write);
    const h = run.header;
    const snaplen = h.snaplen || 262_144;
    out.append(
      setup.write?.pcapng
        ? new PcapngWriter({ linktype: h.linktype, snaplen }).header()
        : new PcapWriter({ linktype: (h.linktype | h.linkExtension) >>> 0, snaplen }).header(),
    );
  }
  const queues: FileEvent[][] = files.map(() => []);
  const done: boolean[] = files.map(() => false);
  let head = 0;
  let count = 0;
  let code = 0;
  let fatal = false;
  let next = 0;
  const workers = Array.from({ length: Math.min(run.jobs, files.length) }, () =>
    startWorker(setup),
  );

  /** Writes one event of the head file. */
  const handle = async (e: FileEvent): Promise<void> => {
    switch (e.kind) {
      case 'header':
        writeErr(io, e.line);
        if (run.header && e.first.linktype !== run.header.linktype)
          throw new CliError('NEW_DLT', `${files[e.index]}: new dlt does not match original`);
        return;
      case 'bytes':
        if (!out) return;
        out.append(e.data);
        await out.drained();
        return;
      case 'text':
        await write(io.stdout, e.text);
        return;
      case 'items': {
        if (!printer) return;
        // A guessed packet whose conversation an earlier file started: printed again from that state
        // (which its printing cannot change: only a SYN with ACK does, and that is never a guess).
        const known = printer.tcpSeq?.conversations;
        for (const g of e.guesses)
          if (known?.has(g.key))
            e.items[g.item] = printer.body({
              time: { sec: 0, frac: 0 },
              data: g.data,
              wirelen: g.wirelen,
              linktype: g.linktype,
            });
        let text = '';
        for (let j = 0; j < e.items.length; j++) {
          const sec = e.times[2 * j] as number;
          const body = e.items[j] as string;
          text += printer.compose(
            body,
            Number.isNaN(sec) ? undefined : { sec, frac: e.times[2 * j + 1] as number },
          );
        }
        await write(io.stdout, text);
        return;
      }
      case 'done': {
        count += e.count;
        // The conversations as they stand after this file: its own, and those it restarted; one an
        // earlier file started and this one only continued keeps the earlier file's bases.
        const all = printer?.tcpSeq?.conversations;
        if (all) {
          const restarted = new Set(e.restarted);
          for (const [k, v] of e.conversations) if (!all.has(k) || restarted.has(k)) all.set(k, v);
        }
        if (e.error) {
          writeErr(io, `cbpf: ${e.error.text}\n`);
          // A file that does not open, or an expression that does not compile, ends the run;
          // a file broken part way ends only that file, as tcpdump's pcap_loop error does.
          if (!e.error.afterHeader || !/^pcap_loop: /.test(e.error.text)) {
            fatal = true;
            code = 1;
          } else code = 1;
        } else code = 0;
        return;
      }
    }
  };

  /** Writes out whatever the head files have ready, in order. */
  let pumping = Promise.resolve();
  const pump = () => {
    pumping = pumping.then(async () => {
      while (head < files.length && !fatal) {
        const q = queues[head] as FileEvent[];
        while (q.length > 0 && !fatal) await handle(q.shift() as FileEvent);
        if (!done[head]) return;
        head++;
      }
    });
    return pumping;
  };

  const finished = new Promise<void>((resolve, reject) => {
    let live = workers.length;
    const give = (w: Worker) => {
      if (next >= files.length || fatal) {
        void w.terminate();
        if (--live === 0) resolve();
        return;
      }
      const index = next++;
      const task: FileTask = { index, path: files[index] as string, size: run.sizes[index] };
      w.postMessage(task);
    };
    for (const w of workers) {
      w.on('message', (e: FileEvent) => {
        queues[e.index]?.push(e);
        if (e.kind === 'done') {
          done[e.index] = true;
          give(w);
        }
        pump().catch(reject);
      });
      w.on('error', reject);
      give(w);
    }
  });
  try {
    await finished;
    await pump();
    await pumping;
  } finally {
    for (const w of workers) void w.terminate();
    await out?.close();
  }
  return { code, count, fatal };
}
