// A program listing (tcpdump -d lines) with the stepper's marks laid over it by line number. Only
// the lines in view (and a screenful around them) are in the DOM: an unoptimized list of hosts runs
// to thousands of lines, and laying all of them out again on every keystroke cost the page more
// than anything else it does while you type.
import { el, scrollRegion } from './dom.js';

export interface ListingView {
  /** Shows the lines, or clears the listing to a note. */
  show(lines: readonly string[] | undefined, note?: string): void;
  /** Marks the pcs executed so far; the last one is current (or, when `done`, the final `ret`). */
  mark(path: readonly number[], done: boolean): void;
  readonly lines: number;
}

/** Must equal the CSS line height of `.listing pre` (style.css: --listing-line). */
const LINE = 19;
const TOP = 4;
/** Lines drawn beyond the visible ones, above and below. */
const OVERSCAN = 40;

export function createListing(box: HTMLElement, label: string): ListingView {
  scrollRegion(box, label);
  const marks = el('div', { class: 'marks', 'aria-hidden': 'true' });
  const code = el('pre', { class: 'code' });
  const sizer = el('div', { class: 'sizer' });
  const note = el('p', { class: 'listing-note' });
  sizer.append(marks, code);
  box.replaceChildren(note, sizer);
  let lines: readonly string[] = [];
  let drawn: [number, number] = [0, 0];
  let path: readonly number[] = [];
  let done = false;
  let frame = 0;

  const draw = () => {
    frame = 0;
    const first = Math.max(0, Math.floor((box.scrollTop - TOP) / LINE) - OVERSCAN);
    const last = Math.min(
      lines.length,
      Math.ceil((box.scrollTop + box.clientHeight) / LINE) + OVERSCAN,
    );
    if (first !== drawn[0] || last !== drawn[1]) {
      drawn = [first, last];
      code.textContent = lines.slice(first, last).join('\n');
      code.style.top = `${TOP + first * LINE}px`;
    }
  };
  box.addEventListener(
    'scroll',
    () => {
      if (!frame) frame = requestAnimationFrame(draw);
    },
    { passive: true },
  );
  new ResizeObserver(() => {
    if (!frame) frame = requestAnimationFrame(draw);
  }).observe(box);

  const drawMarks = () => {
    const seen = new Set<number>();
    const out: HTMLElement[] = [];
    path.forEach((pc, i) => {
      const last = i === path.length - 1;
      if (seen.has(pc) && !last) return;
      seen.add(pc);
      out.push(
        el('div', {
          class: `line ${last ? (done ? 'current final' : 'current') : 'visited'}`,
          'data-pc': String(pc),
          style: `top:${TOP + pc * LINE}px`,
        }),
      );
    });
    marks.replaceChildren(...out);
  };

  return {
    get lines() {
      return lines.length;
    },
    show(next, text = '') {
      lines = next ?? [];
      note.textContent = text;
      note.hidden = text === '';
      sizer.hidden = lines.length === 0;
      // The sizer gives the scroll area the whole listing's size; monospace, so width is characters.
      const widest = lines.reduce((m, l) => Math.max(m, l.length), 0);
      sizer.style.height = `${2 * TOP + lines.length * LINE}px`;
      sizer.style.width = `calc(${widest}ch + 16px)`;
      box.dataset.lines = String(lines.length);
      path = [];
      marks.replaceChildren();
      drawn = [-1, -1];
      draw();
    },
    mark(p, d) {
      path = p;
      done = d;
      drawMarks();
      const pc = p.at(-1);
      if (pc === undefined) return;
      // Scroll the listing alone: scrollIntoView would scroll the page too.
      const top = TOP + pc * LINE;
      if (top < box.scrollTop + LINE || top + 2 * LINE > box.scrollTop + box.clientHeight) {
        box.scrollTop = top - box.clientHeight / 2;
        draw();
      }
    },
  };
}
