// The playground's wiring: editor → program (listing, graph, count) → verdicts on the loaded
// packets → the step view of the chosen packet.
import { dltOfLinktype, LINKTYPE_NAMES, linktypeName } from '../../src/compiler.js';
import {
  DLT,
  PROFILE_NAMES,
  type ProfileName,
  printTcpdumpDLine,
  type RawInsn,
  run,
} from '../../src/index.js';
import { drawGraph, type GraphView } from './cfg-svg.js';
import { byId, el } from './dom.js';
import { createEditor } from './editor.js';
import { capturePackets, hexPackets, type PacketSet, samplePackets } from './packets.js';
import { PRESETS } from './presets.js';
import { buildProgram, type SourceMode } from './source.js';
import { renderHex, renderRegisters } from './step-view.js';
import { type Trace, traceRun } from './stepper.js';
import { createPacketTable, verdictText } from './table.js';
import { createFilterService } from './worker-client.js';

const textarea = byId<HTMLTextAreaElement>('source');
const editor = createEditor(textarea, byId('source-backdrop'));
const modeSel = byId<HTMLSelectElement>('mode');
const linkSel = byId<HTMLSelectElement>('linktype');
const optimizeBox = byId<HTMLInputElement>('optimize');
const profileSel = byId<HTMLSelectElement>('profile');
const message = byId('message');
const count = byId('insn-count');
const listing = byId('listing');
const graphBox = byId('graph');
const packetInfo = byId('packet-count');
const progressBar = byId<HTMLProgressElement>('progress');
const progressText = byId('progress-text');
const table = createPacketTable(byId('packets'));
const service = createFilterService();

for (const name of Object.keys(LINKTYPE_NAMES)) linkSel.append(el('option', { value: name }, name));
PRESETS.forEach((p, i) => {
  byId('preset').append(el('option', { value: String(i) }, p.label));
});
for (const p of PROFILE_NAMES) profileSel.append(el('option', { value: p }, p));

interface State {
  program: RawInsn[] | undefined;
  graph: GraphView | undefined;
  packets: PacketSet | undefined;
  /** Set when `packets` is a capture opened in the worker. */
  captureOpen: boolean;
  verdicts: Uint32Array | undefined;
  selected: number;
  trace: Trace | undefined;
  pos: number;
}
const state: State = {
  program: undefined,
  graph: undefined,
  packets: undefined,
  captureOpen: false,
  verdicts: undefined,
  selected: -1,
  trace: undefined,
  pos: 0,
};

const profile = () => profileSel.value as ProfileName;

// ---- program ----

function recompile(): void {
  saveToUrl();
  const r = buildProgram(editor.value, {
    mode: modeSel.value as SourceMode,
    linktype: linkSel.value,
    optimize: optimizeBox.checked,
    profile: profile(),
  });
  byId('kind').textContent = r.kind === 'empty' ? '' : r.kind;
  // The optimizer is the compiler's: program text runs as written.
  optimizeBox.disabled = r.kind !== 'expression' && r.kind !== 'empty';
  if (!r.ok) {
    editor.mark(r.span);
    message.className = r.kind === 'empty' ? 'message' : 'message error';
    message.textContent = r.message;
    state.program = undefined;
    count.textContent = '—';
    listing.replaceChildren();
    graphBox.replaceChildren();
    state.graph = undefined;
  } else {
    editor.mark(undefined);
    message.className = r.warnings.length ? 'message warning' : 'message';
    message.textContent = r.warnings.join('\n');
    state.program = r.program;
    const n = r.program.length;
    count.textContent = `${n} instruction${n === 1 ? '' : 's'}`;
    listing.replaceChildren(
      ...r.program.map((x, pc) =>
        el('div', { class: 'line', 'data-pc': String(pc) }, printTcpdumpDLine(x, pc)),
      ),
    );
    state.graph = drawGraph(r.program);
    graphBox.replaceChildren(state.graph.element);
    count.textContent += `, ${state.graph.blocks} block${state.graph.blocks === 1 ? '' : 's'}${r.kind === 'expression' && !optimizeBox.checked ? ' (unoptimized)' : ''}`;
  }
  void refilter();
}

// ---- packets and verdicts ----

let filterGen = 0;
async function refilter(): Promise<void> {
  const gen = ++filterGen;
  const { program, packets } = state;
  state.verdicts = undefined;
  if (!program || !packets) {
    showPackets();
    return;
  }
  // Samples and pasted frames are few: run them here; a capture is filtered where it is open.
  if (!state.captureOpen) {
    const v = new Uint32Array(packets.count);
    for (let i = 0; i < packets.count; i++)
      v[i] = run(program, packets.bytes(i), { wirelen: packets.wirelen(i), profile: profile() });
    state.verdicts = v;
    showPackets();
    return;
  }
  showPackets();
  try {
    const out = await service.filter(program, profile(), progress);
    if (gen !== filterGen) return;
    state.verdicts = out.verdicts;
    showPackets(
      `filtered with the ${out.engine} in ${out.ms.toFixed(0)} ms (${service.where === 'worker' ? 'in a worker' : 'in the page'})`,
    );
  } catch (err) {
    if (gen === filterGen) showPackets(`filtering failed: ${(err as Error).message}`);
  } finally {
    if (gen === filterGen) progressDone();
  }
}

function showPackets(note = ''): void {
  const { packets, verdicts } = state;
  table.show(packets, verdicts);
  if (!packets) {
    packetInfo.textContent = 'no packets loaded';
    return;
  }
  let accepted = 0;
  if (verdicts) for (const v of verdicts) if (v !== 0) accepted++;
  packetInfo.textContent = `${packets.count} packet${packets.count === 1 ? '' : 's'} (${packets.name})${verdicts ? `, ${accepted} accepted` : ''}`;
  packetInfo.dataset.count = String(packets.count);
  packetInfo.dataset.accepted = verdicts ? String(accepted) : '';
  byId('filter-note').textContent = note;
  retrace();
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

function load(set: PacketSet, captureOpen: boolean): void {
  state.packets = set;
  state.captureOpen = captureOpen;
  state.selected = set.count > 0 ? 0 : -1;
  table.select(state.selected);
  void refilter();
}

async function openFile(file: File): Promise<void> {
  packetInfo.textContent = `reading ${file.name} …`;
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    const ix = await service.open(bytes.slice().buffer, progress);
    const first = ix.linktypes[0];
    const name = first === undefined ? undefined : linktypeName(dltOfLinktype(first));
    if (name && name in LINKTYPE_NAMES && name !== linkSel.value) {
      linkSel.value = name;
      state.packets = undefined; // recompile without filtering the old packets
      recompile();
    }
    load(capturePackets(file.name, bytes, ix), true);
  } catch (err) {
    progressDone();
    packetInfo.textContent = `${file.name}: ${(err as Error).message}`;
  }
}

// ---- stepping ----

function retrace(): void {
  const { program, packets, selected } = state;
  if (!program || !packets || selected < 0 || selected >= packets.count) {
    state.trace = undefined;
    renderStep();
    return;
  }
  state.trace = traceRun(program, packets.bytes(selected), packets.wirelen(selected), profile());
  state.pos = 0;
  renderStep();
}

function renderStep(): void {
  const status = byId('step-status');
  const regs = byId('registers');
  const hexBox = byId('hex');
  const { trace, program, packets } = state;
  for (const l of listing.querySelectorAll('.current, .visited'))
    l.classList.remove('current', 'visited');
  if (!trace || !program || !packets) {
    status.textContent = 'click a packet to step through the program';
    status.dataset.done = '';
    regs.replaceChildren();
    hexBox.replaceChildren();
    state.graph?.highlight(-1);
    return;
  }
  const st = trace.states[state.pos];
  const path = trace.states.slice(0, state.pos + 1).map((s) => s.pc);
  for (const pc of path.slice(0, -1)) listing.children[pc]?.classList.add('visited');
  if (!st.done) {
    const line = listing.children[st.pc];
    line?.classList.add('current');
    line?.scrollIntoView({ block: 'nearest' });
  }
  state.graph?.highlight(st.done ? -1 : st.pc, st.done ? path.slice(0, -1) : path);
  status.textContent = st.done
    ? `packet ${state.selected}: returned ${st.result} — ${verdictText(st.result ?? 0)} after ${st.steps} instruction${st.steps === 1 ? '' : 's'}`
    : `packet ${state.selected}: step ${st.steps} of ${trace.states.length - 1}, pc ${st.pc}`;
  status.dataset.done = st.done ? 'true' : '';
  status.dataset.result = st.done ? String(st.result) : '';
  renderRegisters(regs, st, state.pos > 0 ? trace.states[state.pos - 1] : undefined);
  renderHex(hexBox, program, st, packets.bytes(state.selected));
}

function move(to: number): void {
  if (!state.trace) return;
  state.pos = Math.max(0, Math.min(state.trace.states.length - 1, to));
  renderStep();
}

// ---- events ----

editor.onInput(debounce(recompile, 120));
for (const c of [modeSel, linkSel, optimizeBox, profileSel])
  c.addEventListener('change', recompile);
byId<HTMLInputElement>('graph-fit').addEventListener('change', (e) =>
  graphBox.classList.toggle('fit', (e.target as HTMLInputElement).checked),
);
byId<HTMLInputElement>('accepted-only').addEventListener('change', (e) =>
  table.acceptedOnly((e.target as HTMLInputElement).checked),
);
byId<HTMLSelectElement>('preset').addEventListener('change', (e) => {
  const sel = e.target as HTMLSelectElement;
  const p = PRESETS[Number(sel.value)];
  sel.value = '';
  if (!p) return;
  textarea.value = p.text;
  textarea.dispatchEvent(new Event('input'));
  linkSel.value = p.linktype;
  recompile();
});
byId('load-samples').addEventListener('click', () => load(samplePackets(), false));
byId('load-hex').addEventListener('click', () => {
  const linktype = DLT[linkSel.value as keyof typeof DLT] ?? DLT.EN10MB;
  const set = hexPackets(byId<HTMLTextAreaElement>('hex-input').value, linktype);
  if (typeof set === 'string') packetInfo.textContent = set;
  else load(set, false);
});
byId<HTMLInputElement>('file-input').addEventListener('change', (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f) void openFile(f);
});
table.onSelect((i) => {
  state.selected = i;
  table.select(i);
  retrace();
});
byId('step-reset').addEventListener('click', () => move(0));
byId('step-back').addEventListener('click', () => move(state.pos - 1));
byId('step-next').addEventListener('click', () => move(state.pos + 1));
byId('step-end').addEventListener('click', () => move(Number.POSITIVE_INFINITY));
document.addEventListener('keydown', (e) => {
  if ((e.target as HTMLElement).closest('textarea, input, select')) return;
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

// ---- the source and options live in the URL's fragment, so a link reopens them ----

function saveToUrl(): void {
  const q = new URLSearchParams({
    e: editor.value,
    l: linkSel.value,
    m: modeSel.value,
    p: profileSel.value,
  });
  if (!optimizeBox.checked) q.set('O', '');
  history.replaceState(null, '', `#${q}`);
}

function loadFromUrl(): void {
  const q = new URLSearchParams(location.hash.slice(1));
  const pick = (s: HTMLSelectElement, v: string | null) => {
    if (v !== null && [...s.options].some((o) => o.value === v)) s.value = v;
  };
  const e = q.get('e');
  if (e !== null) {
    textarea.value = e;
    textarea.dispatchEvent(new Event('input'));
  }
  pick(linkSel, q.get('l'));
  pick(modeSel, q.get('m'));
  pick(profileSel, q.get('p'));
  optimizeBox.checked = !q.has('O');
}

loadFromUrl();
recompile();
