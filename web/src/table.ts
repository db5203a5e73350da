// The packet table: number, verdict, length, summary, as a listbox (focus it, then Up/Down, Page
// Up/Down, Home/End pick a packet). Only the rows in view exist in the DOM, so a capture of 100,000
// packets scrolls as lightly as five samples; the selected row is always rendered, so it can be the
// listbox's active descendant.
import { el } from './dom.js';
import type { PacketSet } from './packets.js';

const ROW = 24;

/** What the verdict column shows when there are no verdicts: being computed, or no program. */
export type VerdictState = 'ready' | 'pending' | 'no-program';

export interface PacketTable {
  show(set: PacketSet | undefined, verdicts: Uint32Array | undefined, state: VerdictState): void;
  select(i: number): void;
  /** Lists only the packets the filter accepts (once verdicts are known). */
  acceptedOnly(on: boolean): void;
  onSelect(listener: (i: number) => void): void;
  /** The note shown when no row is listed. */
  empty(text: string): void;
}

export const verdictText = (v: number) => (v === 0 ? 'drop' : `accept (${v >>> 0})`);

export function createPacketTable(viewport: HTMLElement): PacketTable {
  const spacer = el('div', { class: 'spacer' });
  const rows = el('div', { class: 'rows' });
  const emptyNote = el('p', { class: 'empty' });
  spacer.append(rows);
  viewport.append(spacer, emptyNote);
  viewport.setAttribute('role', 'listbox');
  viewport.setAttribute('aria-label', 'packets: Up and Down pick one to step through');
  viewport.tabIndex = 0;
  let set: PacketSet | undefined;
  let verdicts: Uint32Array | undefined;
  let state: VerdictState = 'no-program';
  let selected = -1;
  let onlyAccepted = false;
  let emptyText = '';
  /** Packet index of each listed row when only accepted packets are listed. */
  let shown: Uint32Array | undefined;
  const listeners: ((i: number) => void)[] = [];

  const refilter = () => {
    shown = undefined;
    if (!onlyAccepted || !verdicts) return;
    let k = 0;
    for (const v of verdicts) if (v !== 0) k++;
    const s = new Uint32Array(k);
    k = 0;
    verdicts.forEach((v, i) => {
      if (v !== 0) s[k++] = i;
    });
    shown = s;
  };
  const listed = () => (shown ? shown.length : (set?.count ?? 0));
  const packetAt = (row: number) => (shown ? shown[row] : row);
  /** Row of packet i, or -1 when it is not listed. */
  const rowOf = (i: number) => {
    if (i < 0) return -1;
    if (!shown) return i < (set?.count ?? 0) ? i : -1;
    let lo = 0;
    let hi = shown.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (shown[mid] < i) lo = mid + 1;
      else hi = mid;
    }
    return shown[lo] === i ? lo : -1;
  };
  const verdictCell = (v: number | undefined) =>
    v !== undefined ? verdictText(v) : state === 'pending' ? '…' : '—';
  const render = () => {
    const n = listed();
    spacer.style.height = `${n * ROW}px`;
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW) - 5);
    // Capped, in case a stylesheet lets the viewport grow with its content.
    const last = Math.min(n, first + Math.min(200, Math.ceil(viewport.clientHeight / ROW) + 10));
    rows.style.transform = `translateY(${first * ROW}px)`;
    const out: HTMLElement[] = [];
    for (let r = first; r < last && set; r++) {
      const i = packetAt(r);
      const v = verdicts?.[i];
      const summary = set.summary(i);
      out.push(
        el(
          'div',
          {
            class: `row${v === undefined ? '' : v ? ' accept' : ' drop'}${i === selected ? ' selected' : ''}`,
            id: `packet-${i}`,
            role: 'option',
            'aria-selected': String(i === selected),
            'data-index': String(i),
          },
          el('span', { class: 'num' }, String(i)),
          el(
            'span',
            {
              class: 'verdict',
              title: v === undefined && state === 'no-program' ? 'no program: fix the filter' : '',
            },
            verdictCell(v),
          ),
          el('span', { class: 'len' }, String(set.wirelen(i))),
          el('span', { class: 'summary', title: summary }, summary),
        ),
      );
    }
    rows.replaceChildren(...out);
    emptyNote.textContent = n === 0 ? emptyText : '';
    emptyNote.hidden = n !== 0;
    if (rowOf(selected) >= 0) viewport.setAttribute('aria-activedescendant', `packet-${selected}`);
    else viewport.removeAttribute('aria-activedescendant');
  };
  viewport.addEventListener('scroll', () => requestAnimationFrame(render));
  new ResizeObserver(render).observe(viewport);
  const choose = (i: number) => {
    for (const l of listeners) l(i);
  };
  rows.addEventListener('click', (e) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
    if (row) choose(Number(row.dataset.index));
  });
  viewport.addEventListener('keydown', (e) => {
    const n = listed();
    if (n === 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    const page = Math.max(1, Math.floor(viewport.clientHeight / ROW) - 1);
    const at = rowOf(selected);
    let to: number;
    if (e.key === 'ArrowDown') to = at < 0 ? 0 : at + 1;
    else if (e.key === 'ArrowUp') to = at < 0 ? 0 : at - 1;
    else if (e.key === 'PageDown') to = at + page;
    else if (e.key === 'PageUp') to = at - page;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = n - 1;
    else return;
    e.preventDefault();
    // Handled here: the page's own keys (Home/End step) must not see these.
    e.stopPropagation();
    choose(packetAt(Math.max(0, Math.min(n - 1, to))));
  });
  return {
    show(s, v, st) {
      if (s !== set) viewport.scrollTop = 0;
      set = s;
      verdicts = v;
      state = st;
      if (s === undefined || selected >= s.count) selected = -1;
      refilter();
      render();
    },
    acceptedOnly(on) {
      onlyAccepted = on;
      refilter();
      viewport.scrollTop = 0;
      this.select(selected);
    },
    select(i) {
      selected = i;
      const r = rowOf(i);
      if (r >= 0) {
        const top = r * ROW;
        if (top < viewport.scrollTop || top + ROW > viewport.scrollTop + viewport.clientHeight)
          viewport.scrollTop = Math.max(0, top - viewport.clientHeight / 2);
      }
      render();
    },
    onSelect(l) {
      listeners.push(l);
    },
    empty(text) {
      emptyText = text;
      render();
    },
  };
}
