// What a link to the playground carries, in the URL's fragment (so it works from file:// too): the
// source, input mode, link type, profile, optimizer setting and the selected sample packet.

export interface SharedState {
  text?: string;
  mode?: string;
  linktype?: string;
  profile?: string;
  optimize?: boolean;
  sample?: number;
}

export function readUrl(hash: string): SharedState {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const s: SharedState = {};
  const e = q.get('e');
  if (e !== null) s.text = e;
  for (const [k, name] of [
    ['m', 'mode'],
    ['l', 'linktype'],
    ['p', 'profile'],
  ] as const) {
    const v = q.get(k);
    if (v !== null) s[name] = v;
  }
  if (q.has('O')) s.optimize = false;
  else if (e !== null) s.optimize = true;
  const sample = q.get('s');
  if (sample !== null && /^\d{1,6}$/.test(sample)) s.sample = Number(sample);
  return s;
}

export function writeUrl(s: Required<Omit<SharedState, 'sample'>> & { sample?: number }): string {
  const q = new URLSearchParams({ e: s.text, l: s.linktype, m: s.mode, p: s.profile });
  if (!s.optimize) q.set('O', '');
  if (s.sample !== undefined) q.set('s', String(s.sample));
  return `#${q}`;
}
