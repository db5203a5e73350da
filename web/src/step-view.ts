// The step view: registers, scratch memory and the packet in hex, with the bytes the current
// instruction loads lit (and, more faintly, every byte the run reads).
import type { MachineState } from '../../src/index.js';
import { el, hex } from './dom.js';
import type { Range } from './packet-detail.js';

export function renderRegisters(
  target: HTMLElement,
  st: MachineState,
  before: MachineState | undefined,
  usesMemory: boolean,
): void {
  const reg = (name: string, v: number, changed: boolean) =>
    el(
      'div',
      { class: `reg${changed ? ' changed' : ''}`, 'data-reg': name },
      el('span', { class: 'name' }, name),
      el('span', { class: 'hex' }, hex(v, 8)),
      el('span', { class: 'dec' }, String(v >>> 0)),
    );
  const regs = el(
    'div',
    { class: 'regs' },
    reg('A', st.A, before !== undefined && before.A !== st.A),
    reg('X', st.X, before !== undefined && before.X !== st.X),
  );
  if (!usesMemory) {
    target.replaceChildren(
      regs,
      el('p', { class: 'mem-note' }, 'M[0–15]: this program uses no scratch memory'),
    );
    return;
  }
  const mem = el('div', { class: 'mem' });
  st.M.forEach((v, i) => {
    mem.append(reg(`M[${i}]`, v, before !== undefined && before.M[i] !== v));
  });
  target.replaceChildren(regs, mem);
}

export interface HexView {
  show(packet: Uint8Array | undefined): void;
  light(read: readonly Range[], current: Range | undefined): void;
}

/** The packet in hex and ASCII, drawn once per packet; stepping only moves the lit bytes. */
export function createHexView(target: HTMLElement): HexView {
  const note = el('div', { class: 'hexnote' });
  let cells: HTMLElement[] = [];
  let chars: HTMLElement[] = [];
  let length = 0;
  let lit: HTMLElement[] = [];
  return {
    show(packet) {
      cells = [];
      chars = [];
      lit = [];
      length = packet?.length ?? 0;
      const rows: HTMLElement[] = [];
      for (let o = 0; packet && o < packet.length; o += 16) {
        const bytes = el('span', { class: 'bytes' });
        const text = el('span', { class: 'ascii' });
        for (let i = o; i < Math.min(o + 16, packet.length); i++) {
          const b = packet[i];
          const c = el(
            'span',
            { class: 'byte', 'data-offset': String(i) },
            b.toString(16).padStart(2, '0'),
          );
          const a = el('span', {}, b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');
          cells.push(c);
          chars.push(a);
          bytes.append(c);
          text.append(a);
        }
        rows.push(
          el(
            'div',
            { class: 'hexrow' },
            el('span', { class: 'off' }, o.toString(16).padStart(4, '0')),
            bytes,
            text,
          ),
        );
      }
      note.textContent = '';
      target.replaceChildren(note, ...rows);
    },
    light(read, current) {
      for (const e of lit) e.classList.remove('loaded', 'read');
      lit = [];
      const mark = (r: Range, cls: string) => {
        for (let i = r.offset; i < Math.min(length, r.offset + r.size); i++)
          for (const e of [cells[i], chars[i]]) {
            e.classList.add(cls);
            lit.push(e);
          }
      };
      for (const r of read) mark(r, 'read');
      if (current) mark(current, 'loaded');
      const r = current;
      note.textContent =
        r === undefined
          ? ''
          : r.offset + r.size > length
            ? `loads ${r.size} byte${r.size > 1 ? 's' : ''} at ${r.offset}: past the ${length} captured bytes, so the program returns 0`
            : `loads ${r.size} byte${r.size > 1 ? 's' : ''} at offset ${r.offset} (${hex(r.offset)})`;
    },
  };
}
