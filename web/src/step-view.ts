// The step view: registers, scratch memory and the packet in hex with the bytes the current
// instruction loads highlighted.
import type { MachineState, Program } from '../../src/index.js';
import { el, hex } from './dom.js';
import { bytesAt } from './stepper.js';

export function renderRegisters(
  target: HTMLElement,
  st: MachineState,
  before: MachineState | undefined,
): void {
  const reg = (name: string, v: number, changed: boolean) =>
    el(
      'div',
      { class: `reg${changed ? ' changed' : ''}`, 'data-reg': name },
      el('span', { class: 'name' }, name),
      el('span', { class: 'hex' }, hex(v, 8)),
      el('span', { class: 'dec' }, String(v >>> 0)),
    );
  const mem = el('div', { class: 'mem' });
  st.M.forEach((v, i) => {
    mem.append(reg(`M[${i}]`, v, before !== undefined && before.M[i] !== v));
  });
  target.replaceChildren(
    el(
      'div',
      { class: 'regs' },
      reg('A', st.A, before !== undefined && before.A !== st.A),
      reg('X', st.X, before !== undefined && before.X !== st.X),
    ),
    mem,
  );
}

export function renderHex(
  target: HTMLElement,
  program: Program,
  st: MachineState,
  packet: Uint8Array,
): void {
  const r = bytesAt(program, st);
  const rows: HTMLElement[] = [];
  for (let o = 0; o < packet.length; o += 16) {
    const cells = el('span', { class: 'bytes' });
    const text = el('span', { class: 'ascii' });
    for (let i = o; i < Math.min(o + 16, packet.length); i++) {
      const on = r !== undefined && i >= r.offset && i < r.offset + r.size;
      const b = packet[i];
      cells.append(
        el(
          'span',
          { class: on ? 'byte loaded' : 'byte', 'data-offset': String(i) },
          b.toString(16).padStart(2, '0'),
        ),
      );
      text.append(
        el(
          'span',
          { class: on ? 'loaded' : '' },
          b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.',
        ),
      );
    }
    rows.push(
      el(
        'div',
        { class: 'hexrow' },
        el('span', { class: 'off' }, o.toString(16).padStart(4, '0')),
        cells,
        text,
      ),
    );
  }
  const note =
    r === undefined
      ? ''
      : r.offset + r.size > packet.length
        ? `loads ${r.size} byte${r.size > 1 ? 's' : ''} at ${r.offset}: past the ${packet.length} captured bytes, so the program returns 0`
        : `loads ${r.size} byte${r.size > 1 ? 's' : ''} at offset ${r.offset} (${hex(r.offset)})`;
  target.replaceChildren(el('div', { class: 'hexnote' }, note), ...rows);
}
