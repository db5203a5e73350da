// The source editor: a textarea over a backdrop that repeats its text, so an error's span can be
// underlined in place (the textarea's own text cannot be styled).
import { el } from './dom.js';

export interface Editor {
  readonly value: string;
  /** Replaces the text without telling the input listeners (the caller acts on it). */
  set(text: string): void;
  /** Underlines [start, end) of the text (a zero-width span marks one character); undefined clears. */
  mark(span: readonly [number, number] | undefined): void;
  onInput(listener: (text: string) => void): void;
}

export function createEditor(textarea: HTMLTextAreaElement, backdrop: HTMLElement): Editor {
  let span: readonly [number, number] | undefined;
  const render = () => {
    const text = textarea.value;
    backdrop.replaceChildren();
    if (span) {
      const start = Math.min(span[0], text.length);
      let end = Math.min(Math.max(span[1], start + 1), text.length);
      // A span at the very end (a missing token) underlines a space shown after the text.
      const tail = end <= start ? ' ' : '';
      if (tail) end = start;
      backdrop.append(
        text.slice(0, start),
        el('mark', { class: 'error-span' }, text.slice(start, end) + tail),
        text.slice(end),
      );
    } else backdrop.append(text);
    // A trailing newline needs a character after it to take up its line, as in the textarea.
    backdrop.append('\u200b');
    backdrop.scrollTop = textarea.scrollTop;
    backdrop.scrollLeft = textarea.scrollLeft;
  };
  textarea.addEventListener('scroll', () => {
    backdrop.scrollTop = textarea.scrollTop;
    backdrop.scrollLeft = textarea.scrollLeft;
  });
  // The editor grows with its text (style.css: field-sizing); where CSS cannot, its rows follow the
  // line count, between 3 and 14.
  const fits = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');
  const grow = () => {
    if (!fits) textarea.rows = Math.min(14, Math.max(3, textarea.value.split('\n').length));
  };
  textarea.addEventListener('input', () => {
    render();
    grow();
  });
  render();
  grow();
  return {
    get value() {
      return textarea.value;
    },
    set(text) {
      textarea.value = text;
      render();
      grow();
    },
    mark(s) {
      span = s;
      render();
    },
    onInput(listener) {
      textarea.addEventListener('input', () => listener(textarea.value));
    },
  };
}
