// The selected packet in full: its tcpdump -e summary (never cut off) and its headers as a tree of
// fields with their byte ranges, the fields the program reads lit.
import { printPacket } from '../../src/packets.js';
import { el } from './dom.js';
import { type Header, packetFields } from './fields.js';

export interface Range {
  readonly offset: number;
  readonly size: number;
}

export interface PacketDetail {
  show(
    p: { index: number; bytes: Uint8Array; wirelen: number; linktype: number } | undefined,
  ): void;
  /** Lights the fields the whole run reads, and more strongly the one the current step loads. */
  light(read: readonly Range[], current: Range | undefined): void;
}

const overlaps = (o: number, n: number, r: Range) => o < r.offset + r.size && r.offset < o + n;
const span = (o: number, n: number) => (n <= 1 ? `${o}` : `${o}–${o + n - 1}`);

export function createPacketDetail(summaryBox: HTMLElement, treeBox: HTMLElement): PacketDetail {
  let headers: Header[] = [];
  let rows: { el: HTMLElement; offset: number; length: number }[] = [];
  let heads: { el: HTMLElement; h: Header }[] = [];
  return {
    show(p) {
      rows = [];
      heads = [];
      if (!p) {
        summaryBox.textContent = '';
        treeBox.replaceChildren();
        return;
      }
      let text: string;
      try {
        text = printPacket(p.bytes, p.linktype, { wirelen: p.wirelen, link: true }).text;
      } catch (err) {
        text = `(not decoded: ${(err as Error).message})`;
      }
      summaryBox.textContent = `packet ${p.index}: ${text}`;
      headers = packetFields(p.bytes, p.linktype);
      const out = headers.map((h) => {
        const table = el('table', { class: 'fields' });
        for (const f of h.fields) {
          const tr = el(
            'tr',
            {},
            el('th', { scope: 'row' }, f.name),
            el('td', { class: 'value' }, f.value),
            el('td', { class: 'at' }, span(f.offset, f.length)),
          );
          rows.push({ el: tr, offset: f.offset, length: f.length });
          table.append(tr);
        }
        const summary = el(
          'summary',
          {},
          el('span', { class: 'title' }, h.title),
          el(
            'span',
            { class: 'at' },
            `bytes ${span(h.offset, h.length)}${h.truncated ? ', cut off' : ''}`,
          ),
        );
        const d = el('details', { open: '' }, summary);
        if (h.fields.length) d.append(table);
        heads.push({ el: d, h });
        return d;
      });
      treeBox.replaceChildren(...out);
    },
    light(read, current) {
      for (const r of rows) {
        r.el.classList.toggle(
          'read',
          read.some((x) => overlaps(r.offset, r.length, x)),
        );
        r.el.classList.toggle(
          'loading',
          current !== undefined && overlaps(r.offset, r.length, current),
        );
      }
      for (const { el: d, h } of heads)
        d.classList.toggle(
          'read',
          read.some((x) => overlaps(h.offset, Math.max(1, h.length), x)),
        );
    },
  };
}
