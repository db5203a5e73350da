// The packet table: number, verdict, length, summary. Only the rows in view exist in the DOM, so
// a capture of 100,000 packets scrolls as lightly as five samples.
import { el } from './dom.js';
import type { PacketSet } from './packets.js';

const ROW = 22;

export interface PacketTable {
  show(set: PacketSet | undefined, verdicts: Uint32Array | undefined): void;
  select(i: number): void;
  /** Lists only the packets the filter accepts (once verdicts are known). */
  acceptedOnly(on: boolean): void;
  onSelect(listener: (i: number) => void): void;
}

export const verdictText = (v: number) => (v === 0 ? 'drop' : `accept (${v >>> 0})`);

export function createPacketTable(viewport: HTMLElement): PacketTable {
  const spacer = el('div', { class: 'spacer' });
  const rows = el('div', { class: 'rows' });
  spacer.append(rows);
  viewport.append(spacer);
  let set: PacketSet | undefined;
  let verdicts: Uint32Array | undefined;
  let selected = -1;
  let onlyAccepted = false;
  /** Packet index of each listed row when only accepted packets are listed. */
  let shown: Uint32Array | undefined;
  const listeners: ((i: number) => void)[] = [];

  const refilter = () => {
    shown = undefined;
    if (!onlyAccepted || !verdicts) return;
    let k = 0;
    for (const v of verdicts) if (v !== 0) k++;
    shown = new Uint32Array(k);
    k = 0;
    verdicts.forEach((v, i) => {
      if (v !== 0) shown![k++] = i;
    });
  };
  /** Row of packet i, or -1 when it is not listed. */
  const rowOf = (i: number) => {
    if (!shown) return i;
    let lo = 0;
    let hi = shown.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (shown[mid] < i) lo = mid + 1;
      else hi = mid;
    }
    return shown[lo] === i ? lo : -1;
  };
  const render = () => {
    const n = shown ? shown.length : (set?.count ?? 0);
    spacer.style.height = `${n * ROW}px`;
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW) - 5);
    // Capped, in case a stylesheet lets the viewport grow with its content.
    const last = Math.min(n, first + Math.min(200, Math.ceil(viewport.clientHeight / ROW) + 10));
    rows.style.transform = `translateY(${first * ROW}px)`;
    rows.replaceChildren();
    for (let r = first; r < last && set; r++) {
      const i = shown ? shown[r] : r;
      const v = verdicts?.[i];
      const row = el(
        'div',
        {
          class: `row${v === undefined ? '' : v ? ' accept' : ' drop'}${i === selected ? ' selected' : ''}`,
          'data-index': String(i),
        },
        el('span', { class: 'num' }, String(i)),
        el('span', { class: 'verdict' }, v === undefined ? '…' : verdictText(v)),
        el('span', { class: 'len' }, String(set.wirelen(i))),
        el('span', { class: 'summary' }, set.summary(i)),
      );
      rows.append(row);
    }
  };
  viewport.addEventListener('scroll', () => requestAnimationFrame(render));
  new ResizeObserver(render).observe(viewport);
  rows.addEventListener('click', (e) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
    if (!row) return;
    const i = Number(row.dataset.index);
    for (const l of listeners) l(i);
  });
  return {
    show(s, v) {
      if (s !== set) viewport.scrollTop = 0;
      set = s;
      verdicts = v;
      if (s !== undefined && selected >= s.count) selected = -1;
      refilter();
      render();
    },
    acceptedOnly(on) {
      onlyAccepted = on;
      refilter();
      viewport.scrollTop = 0;
      if (selected >= 0) this.select(selected);
      else render();
    },
    select(i) {
      selected = i;
      const top = rowOf(i) * ROW;
      if (top < 0) {
        render();
        return;
      }
      if (top < viewport.scrollTop || top + ROW > viewport.scrollTop + viewport.clientHeight)
        viewport.scrollTop = Math.max(0, top - viewport.clientHeight / 2);
      render();
    },
    onSelect(l) {
      listeners.push(l);
    },
  };
}
