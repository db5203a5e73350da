// The playground's wiring: editor → (worker) programs, listings, graph → verdicts on the loaded
// packets → the step view of the chosen packet. Nothing slow runs here: compiling and laying out
// happen in the build worker, a capture is read and filtered in the capture worker.
import { dltOfLinktype, LINKTYPE_NAMES, linktypeName } from '../../src/compiler.js';
import { DLT, PROFILE_NAMES, type ProfileName, type RawInsn, run } from '../../src/index.js';
import type { BuildParams, Built, GraphOutcome } from './build.js';
import { byId, el, scrollRegion } from './dom.js';
import { createEditor } from './editor.js';
import { createGraphView } from './graph-view.js';
import { createListing } from './listing.js';
import { createPacketDetail, type Range } from './packet-detail.js';
import { capturePackets, hexPackets, type PacketSet, samplePackets } from './packets.js';
import { PRESETS } from './presets.js';
import type { SourceMode } from './source.js';
import { createHexView, renderRegisters } from './step-view.js';
import { bytesAt, type Trace, traceRun } from './stepper.js';
import { createPacketTable, type VerdictState, verdictText } from './table.js';
import { readUrl, writeUrl } from './url-state.js';
import { createBuildService, createFilterService } from './worker-client.js';

/** What a first visit shows: a small filter whose optimizer halves it, and the DNS query it accepts. */
const FIRST_EXPRESSION = 'ip and udp dst port 53';
const FIRST_SAMPLE = 3;

const textarea = byId<HTMLTextAreaElement>('source');
const editor = createEditor(textarea, byId('source-backdrop'));
const modeSel = byId<HTMLSelectElement>('mode');
const linkSel = byId<HTMLSelectElement>('linktype');
const optimizeBox = byId<HTMLInputElement>('optimize');
const profileSel = byId<HTMLSelectElement>('profile');
const message = byId('message');
const count = byId('insn-count');
const packetInfo = byId('packet-count');
const filterNote = byId('filter-note');
const progressBar = byId<HTMLProgressElement>('progress');
const progressText = byId('progress-text');
const stepStatus = byId('step-status');
const stepHint = byId('step-hint');
const fileInput = byId<HTMLInputElement>('file-input');
const table = createPacketTable(byId('packets'));
const graph = createGraphView(byId('graph'));
const detail = createPacketDetail(byId('packet-summary'), byId('fields'));
const hexView = createHexView(byId('hex'));
scrollRegion(byId('hex'), 'the packet in hex');
scrollRegion(byId('step-body'), 'the packet and the machine');
const builds = createBuildService();
const captures = createFilterService();

const columns = {
  optimized: {
    col: byId('col-optimized'),
    listing: createListing(byId('listing-optimized'), 'optimized program'),
  },
  unoptimized: {
    col: byId('col-unoptimized'),
    listing: createListing(byId('listing-unoptimized'), 'unoptimized program'),
  },
};

for (const name of Object.keys(LINKTYPE_NAMES)) linkSel.append(el('option', { value: name }, name));
PRESETS.forEach((p, i) => {
  byId('preset').append(el('option', { value: String(i) }, p.label));
});
for (const p of PROFILE_NAMES) profileSel.append(el('option', { value: p }, p));

interface State {
  /** The program the options select: listed, drawn, stepped and filtered with. */
  program: RawInsn[] | undefined;
  /** Its listing lines. */
  lines: readonly string[];
  /** Set while the selected program is being built (its verdicts are not known yet). */
  building: boolean;
  packets: PacketSet | undefined;
  /** Set when `packets` is a capture opened in the capture worker. */
  captureOpen: boolean;
  verdicts: Uint32Array | undefined;
  selected: number;
  trace: Trace | undefined;
  /** Every range of packet bytes the run reads. */
  reads: Range[];
  usesMemory: boolean;
  pos: number;
}
const state: State = {
  program: undefined,
  lines: [],
  building: true,
  packets: undefined,
  captureOpen: false,
  verdicts: undefined,
  selected: -1,
  trace: undefined,
  reads: [],
  usesMemory: false,
  pos: 0,
};

const params = (): BuildParams => ({
  text: editor.value,
  mode: modeSel.value as SourceMode,
  linktype: linkSel.value,
  optimize: optimizeBox.checked,
  profile: profileSel.value as ProfileName,
});

// ---- programs ----

let buildStarted = 0;
function rebuild(): void {
  scheduleUrl();
  const p = params();
  state.building = true;
  // For anyone waiting on the page (tests): 'pending' until the build's last reply.
  document.body.dataset.build = 'pending';
  const started = ++buildStarted;
  // Say so only when a build is slow, so quick edits don't flicker.
  setTimeout(() => {
    if (state.building && started === buildStarted) {
      count.textContent = 'compiling…';
      document.body.classList.add('building');
    }
  }, 300);
  builds.build(p, {
    program: (optimized, built) => showVariant(p, optimized, built),
    graph: (g) => showGraph(p, g),
    failed: (msg) => {
      state.building = false;
      document.body.dataset.build = 'failed';
      document.body.classList.remove('building');
      message.className = 'message error';
      message.textContent = `compiling failed: ${msg}`;
    },
  });
  showPackets();
}

function showVariant(p: BuildParams, optimized: boolean | undefined, built: Built): void {
  const isText = optimized === undefined;
  document.body.classList.toggle('program-text', isText);
  byId('kind').textContent =
    built.kind === 'empty' || built.kind === 'expression' ? '' : built.kind;
  // The optimizer is the compiler's: program text runs as written.
  optimizeBox.disabled = isText && built.kind !== 'empty';
  const colName = isText ? 'optimized' : optimized ? 'optimized' : 'unoptimized';
  const c = columns[colName];
  c.col.querySelector('.col-name')!.textContent = isText
    ? 'program, as written'
    : optimized
      ? 'optimized'
      : 'unoptimized (-O)';
  // A program the profile's loader would refuse (a kernel takes at most 4096 instructions) still
  // compiles and steps; its column says so, the reasons in full in the tooltip.
  const countEl = c.col.querySelector<HTMLElement>('.col-count')!;
  countEl.textContent = built.ok
    ? `${built.program.length} instruction${built.program.length === 1 ? '' : 's'}${built.warnings.length ? ` · ${p.profile} rejects it` : ''}`
    : '';
  countEl.title = built.ok ? built.warnings.join('\n') : '';
  c.col
    .querySelector('.listing')
    ?.setAttribute('aria-label', `${c.col.querySelector('.col-name')?.textContent} program`);
  c.listing.show(built.ok ? built.lines : undefined, built.ok ? '' : built.message);
  if (isText) columns.unoptimized.listing.show(undefined);
  if (!isText && optimized === false && p.optimize) {
    // The optimized variant is on its way; until then its column says so.
    columns.optimized.listing.show(undefined, 'optimizing…');
    columns.optimized.col.querySelector('.col-count')!.textContent = '';
  }
  const selected = isText || optimized === p.optimize;
  for (const [name, col] of Object.entries(columns)) {
    const active = isText ? name === 'optimized' : (name === 'optimized') === p.optimize;
    col.col.classList.toggle('active', active);
    col.col.querySelector('.col-pick')?.setAttribute('aria-pressed', String(active));
  }
  if (selected) setProgram(built);
}

function setProgram(built: Built): void {
  state.building = false;
  document.body.classList.remove('building');
  textarea.setAttribute('aria-invalid', String(!built.ok && built.kind !== 'empty'));
  if (!built.ok) {
    editor.mark(built.span);
    message.className = built.kind === 'empty' ? 'message' : 'message error';
    message.textContent = built.message;
    state.program = undefined;
    state.lines = [];
    count.textContent = '—';
  } else {
    editor.mark(undefined);
    message.className = built.warnings.length ? 'message warning' : 'message';
    message.textContent = built.warnings.join('\n');
    state.program = built.program;
    state.lines = built.lines ?? [];
    const n = built.program.length;
    count.textContent = `${n} instruction${n === 1 ? '' : 's'} stepped and drawn`;
  }
  state.usesMemory = (state.program ?? []).some((x) => {
    const cls = x.code & 7;
    return ((cls === 0 || cls === 1) && (x.code & 0xe0) === 0x60) || cls === 2 || cls === 3;
  });
  void refilter();
}

function showGraph(p: BuildParams, g: GraphOutcome): void {
  document.body.dataset.build = g.drawn ? 'drawn' : g.reason;
  if (g.drawn) graph.show(g.layout);
  else if (g.reason === 'too-large')
    graph.clear(
      `This program has ${g.instructions} instructions: its graph would be too big to read.`,
      {
        label: 'draw it anyway',
        run: () => {
          graph.clear('laying out…');
          builds.layout(p, {
            program: () => {},
            graph: (g2) => showGraph(p, g2),
            failed: (msg) => graph.clear(`layout failed: ${msg}`),
          });
        },
      },
    );
  else graph.clear('The graph appears when the filter compiles.');
  renderStep();
}

// ---- packets and verdicts ----

let filterGen = 0;
async function refilter(): Promise<void> {
  const gen = ++filterGen;
  const { program, packets } = state;
  state.verdicts = undefined;
  if (!program || !packets) {
    showPackets();
    retrace();
    return;
  }
  // Samples and pasted frames are few: run them here; a capture is filtered where it is open.
  if (!state.captureOpen) {
    const v = new Uint32Array(packets.count);
    for (let i = 0; i < packets.count; i++)
      v[i] = run(program, packets.bytes(i), {
        wirelen: packets.wirelen(i),
        profile: profileSel.value as ProfileName,
      });
    state.verdicts = v;
    showPackets();
    retrace();
    return;
  }
  showPackets();
  retrace();
  try {
    const out = await captures.filter(program, profileSel.value as ProfileName, progress);
    if (gen !== filterGen) return;
    state.verdicts = out.verdicts;
    showPackets(
      `filtered with the ${out.engine} in ${out.ms.toFixed(0)} ms (${captures.where === 'worker' ? 'in a worker' : 'in the page'})`,
    );
  } catch (err) {
    if (gen === filterGen) showPackets(`filtering failed: ${(err as Error).message}`);
  } finally {
    if (gen === filterGen) progressDone();
  }
}

function verdictState(): VerdictState {
  if (state.verdicts) return 'ready';
  return state.building || (state.program && state.captureOpen) ? 'pending' : 'no-program';
}

function showPackets(note = ''): void {
  const { packets, verdicts } = state;
  table.show(packets, verdicts, verdictState());
  filterNote.textContent = note;
  if (!packets) {
    packetInfo.dataset.count = '0';
    packetInfo.dataset.accepted = '';
    return;
  }
  let accepted = 0;
  if (verdicts) for (const v of verdicts) if (v !== 0) accepted++;
  packetInfo.textContent = `${packets.count} packet${packets.count === 1 ? '' : 's'} (${packets.name})${verdicts ? `, ${accepted} accepted` : ''}`;
  packetInfo.dataset.count = String(packets.count);
  packetInfo.dataset.accepted = verdicts ? String(accepted) : '';
  table.empty(
    verdicts && accepted === 0
      ? 'The filter accepts none of these packets. Untick “accepted only” to see them all.'
      : '',
  );
}

function progress(phase: string, done: number, total: number): void {
  progressBar.hidden = false;
  progressBar.max = Math.max(total, 1);
  progressBar.value = done;
  progressText.textContent = `${phase} ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`;
}
function progressDone(): void {
  progressBar.hidden = true;
  progressText.textContent = '';
}

const NO_PACKETS =
  'No packets. Load the samples, open a pcap or pcapng file, or paste a frame as hex.';

function load(set: PacketSet, captureOpen: boolean, select = 0): void {
  state.packets = set;
  state.captureOpen = captureOpen;
  state.selected = set.count > 0 ? Math.min(select, set.count - 1) : -1;
  table.empty(NO_PACKETS);
  table.select(state.selected);
  showDetail();
  scheduleUrl();
  void refilter();
}

/** Drops whatever packets are loaded and everything shown about them. */
function unload(status: string): void {
  filterGen++;
  state.packets = undefined;
  state.captureOpen = false;
  state.verdicts = undefined;
  state.selected = -1;
  progressDone();
  packetInfo.textContent = status;
  table.empty(NO_PACKETS);
  table.select(-1);
  showPackets();
  showDetail();
  retrace();
  scheduleUrl();
}

let openGen = 0;
async function openFile(file: File): Promise<void> {
  const gen = ++openGen;
  unload(`reading ${file.name} …`);
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const ix = await captures.open(bytes.slice().buffer, progress);
    if (gen !== openGen) return;
    const first = ix.linktypes[0];
    const name = first === undefined ? undefined : linktypeName(dltOfLinktype(first));
    if (name && name in LINKTYPE_NAMES && name !== linkSel.value) {
      linkSel.value = name;
      rebuild();
    }
    progressDone();
    load(capturePackets(file.name, bytes, ix), true);
  } catch (err) {
    if (gen !== openGen) return;
    unload(`${file.name}: ${(err as Error).message}. Nothing is loaded.`);
  } finally {
    // The same file can be chosen again.
    fileInput.value = '';
  }
}

// ---- the selected packet and stepping ----

function showDetail(): void {
  const { packets, selected } = state;
  const ok = packets !== undefined && selected >= 0 && selected < packets.count;
  detail.show(
    ok
      ? {
          index: selected,
          bytes: packets.bytes(selected),
          wirelen: packets.wirelen(selected),
          linktype: packets.linktype(selected),
        }
      : undefined,
  );
  hexView.show(ok ? packets.bytes(selected) : undefined);
}

function retrace(): void {
  const { program, packets, selected } = state;
  state.pos = 0;
  if (!program || !packets || selected < 0 || selected >= packets.count) {
    state.trace = undefined;
    state.reads = [];
    renderStep();
    return;
  }
  const trace = traceRun(
    program,
    packets.bytes(selected),
    packets.wirelen(selected),
    profileSel.value as ProfileName,
  );
  state.trace = trace;
  state.reads = trace.states.flatMap((s) => bytesAt(program, s) ?? []);
  renderStep();
}

function renderStep(): void {
  const { trace, program, packets } = state;
  const active =
    optimizeBox.checked || optimizeBox.disabled ? columns.optimized : columns.unoptimized;
  const other = active === columns.optimized ? columns.unoptimized : columns.optimized;
  other.listing.mark([], false);
  for (const b of document.querySelectorAll<HTMLButtonElement>('.step-controls button'))
    b.disabled = !trace;
  if (!trace || !program || !packets) {
    stepStatus.textContent = '';
    stepStatus.dataset.done = '';
    stepStatus.dataset.result = '';
    stepHint.textContent = !packets
      ? 'Load some packets to step through the program.'
      : state.selected < 0
        ? 'Pick a packet in the list (click it, or focus the list and press ↑/↓) to step through the program.'
        : state.building
          ? 'Compiling…'
          : 'Fix the filter to step through its program.';
    byId('registers').replaceChildren();
    active.listing.mark([], false);
    graph.highlight([], false);
    hexView.light([], undefined);
    detail.light([], undefined);
    return;
  }
  const st = trace.states[state.pos];
  const last = trace.states.length - 1;
  // The pcs executed, and the current one; once done, the last is the `ret`.
  const path = trace.states.slice(0, st.done ? state.pos : state.pos + 1).map((s) => s.pc);
  active.listing.mark(path, st.done);
  graph.highlight(path, st.done);
  const current = bytesAt(program, st);
  hexView.light(state.reads, current);
  detail.light(state.reads, current);
  renderRegisters(
    byId('registers'),
    st,
    state.pos > 0 ? trace.states[state.pos - 1] : undefined,
    state.usesMemory,
  );
  if (st.done) {
    stepStatus.textContent = `packet ${state.selected}: returned ${st.result} — ${verdictText(st.result ?? 0)} after ${st.steps} instruction${st.steps === 1 ? '' : 's'}`;
    stepHint.textContent =
      '« start (Home) to run it again; ↑/↓ in the packet list pick another packet.';
  } else {
    stepStatus.textContent = `packet ${state.selected}: step ${st.steps} of ${last}, about to run ${state.lines[st.pc]?.replace(/\s+/g, ' ') ?? `(${st.pc})`}`;
    stepHint.textContent =
      state.pos === 0
        ? 'Press step › or → to run one instruction; the graph and the listing follow.'
        : '→ steps on, ← steps back, End runs to the verdict.';
  }
  stepStatus.dataset.done = st.done ? 'true' : '';
  stepStatus.dataset.result = st.done ? String(st.result) : '';
}

function move(to: number): void {
  if (!state.trace) return;
  state.pos = Math.max(0, Math.min(state.trace.states.length - 1, to));
  renderStep();
}

function choose(i: number): void {
  state.selected = i;
  table.select(i);
  showDetail();
  scheduleUrl();
  retrace();
}

// ---- events ----

const rebuildSoon = debounce(rebuild, 80);
editor.onInput(() => {
  // Pending from the keystroke on, so nothing waiting on the page mistakes the last build for this one.
  document.body.dataset.build = 'pending';
  rebuildSoon();
});
for (const c of [modeSel, linkSel, optimizeBox, profileSel]) c.addEventListener('change', rebuild);
for (const b of document.querySelectorAll<HTMLButtonElement>('.col-pick'))
  b.addEventListener('click', () => {
    const want = b.dataset.optimize === 'true';
    if (optimizeBox.disabled || optimizeBox.checked === want) return;
    optimizeBox.checked = want;
    rebuild();
  });
byId('zoom-in').addEventListener('click', () => graph.zoom(1.25));
byId('zoom-out').addEventListener('click', () => graph.zoom(0.8));
byId('zoom-fit').addEventListener('click', () => graph.fit());
byId('zoom-actual').addEventListener('click', () => graph.actual());
graph.onScale((s) => {
  byId('zoom-level').textContent = `${Math.round(s * 100)}%`;
});
byId<HTMLInputElement>('accepted-only').addEventListener('change', (e) =>
  table.acceptedOnly((e.target as HTMLInputElement).checked),
);
byId<HTMLSelectElement>('preset').addEventListener('change', (e) => {
  const sel = e.target as HTMLSelectElement;
  const p = PRESETS[Number(sel.value)];
  sel.value = '';
  if (!p) return;
  editor.set(p.text);
  linkSel.value = p.linktype;
  rebuild();
});
byId('load-samples').addEventListener('click', () => load(samplePackets(), false));
byId('load-hex').addEventListener('click', () => {
  const linktype = DLT[linkSel.value as keyof typeof DLT] ?? DLT.EN10MB;
  const set = hexPackets(byId<HTMLTextAreaElement>('hex-input').value, linktype);
  if (typeof set === 'string') packetInfo.textContent = set;
  else load(set, false);
});
fileInput.addEventListener('change', () => {
  const f = fileInput.files?.[0];
  if (f) void openFile(f);
});
table.onSelect(choose);
byId('step-reset').addEventListener('click', () => move(0));
byId('step-back').addEventListener('click', () => move(state.pos - 1));
byId('step-next').addEventListener('click', () => move(state.pos + 1));
byId('step-end').addEventListener('click', () => move(Number.POSITIVE_INFINITY));
document.addEventListener('keydown', (e) => {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  if ((e.target as HTMLElement).closest('textarea, input, select, summary')) return;
  if (e.key === 'ArrowRight' || e.key === 'n') move(state.pos + 1);
  else if (e.key === 'ArrowLeft' || e.key === 'p') move(state.pos - 1);
  else if (e.key === 'Home') move(0);
  else if (e.key === 'End') move(Number.POSITIVE_INFINITY);
  else return;
  e.preventDefault();
});

function debounce(f: () => void, ms: number): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(t);
    t = setTimeout(f, ms);
  };
}

// ---- the state a link carries ----

const scheduleUrl = debounce(() => {
  history.replaceState(
    null,
    '',
    writeUrl({
      text: editor.value,
      mode: modeSel.value,
      linktype: linkSel.value,
      profile: profileSel.value,
      optimize: optimizeBox.checked,
      sample: state.packets?.name === 'samples' && state.selected >= 0 ? state.selected : undefined,
    }),
  );
}, 400);

const fromUrl = readUrl(location.hash);
const pick = (s: HTMLSelectElement, v: string | undefined) => {
  if (v !== undefined && [...s.options].some((o) => o.value === v)) s.value = v;
};
editor.set(fromUrl.text ?? FIRST_EXPRESSION);
pick(linkSel, fromUrl.linktype);
pick(modeSel, fromUrl.mode);
pick(profileSel, fromUrl.profile);
optimizeBox.checked = fromUrl.optimize ?? true;
rebuild();
load(samplePackets(), false, fromUrl.sample ?? (fromUrl.text === undefined ? FIRST_SAMPLE : 0));
