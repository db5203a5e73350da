// The link-specific primitives: LLC frame kinds, pflog fields, 802.11 frame control, SunATM/MTP3 fields,
// and `byte N &|` (libpcap gen_llc_*, gen_pf_*, gen_p80211_*, gen_atmfield_code, gen_byteop).
import type { Expr, Word } from '../ast.js';
import { fail } from '../errors.js';
import {
  LLC_S_SUBTYPES,
  LLC_U_SUBTYPES,
  lookupNoCase,
  PF_ACTIONS,
  PF_REASONS,
  WLAN_DIRS,
  WLAN_SUBTYPES,
  WLAN_TYPES,
} from '../names.js';
import { atmFieldExpr } from './atm.js';
import type { Ctx } from './context.js';
import { FC, WLAN_DLTS } from './link/ieee80211.js';
import { PFLOG } from './link/pflog.js';
import { bcmpAt, cmpAt, jsetAt, mcmpAt } from './load.js';
import { and, not, type Pred, test } from './pred.js';
import { mtp3FieldExpr } from './ss7.js';

type Special = Extract<Expr, { kind: 'llcSubtype' | 'pf' | 'wlan' | 'field' | 'byteop' }>;

export function lowerSpecial(ctx: Ctx, e: Special): Pred {
  switch (e.kind) {
    case 'llcSubtype':
      return llcSubtype(ctx, e);
    case 'pf':
      return pf(ctx, e);
    case 'wlan':
      return wlan(ctx, e);
    case 'field':
      return e.field === 'vpi' || e.field === 'vci' ? atmFieldExpr(ctx, e) : mtp3FieldExpr(ctx, e);
    case 'byteop':
      // libpcap 1.10's `byte N &|` applies the operation to whatever A holds and never loads the byte.
      return not(
        test([{ kind: 'alu', op: e.op === '&' ? 'and' : 'or', src: 'k', k: e.value }], 'jeq', 0),
      );
  }
}

const nameOf = (w: Word) => (w.kind === 'name' ? w.name : String(w.value));

/** `llc i|s|u|rr|...` (libpcap gen_llc_i, gen_llc_s, gen_llc_u and the subtype variants). */
function llcSubtype(ctx: Ctx, e: Extract<Expr, { kind: 'llcSubtype' }>): Pred {
  const name = nameOf(e.name).toLowerCase();
  const s = lookupNoCase(LLC_S_SUBTYPES, name);
  const u = lookupNoCase(LLC_U_SUBTYPES, name);
  if (!['i', 's', 'u'].includes(name) && s === undefined && u === undefined)
    return fail('UNKNOWN_NAME', `unknown LLC type name "${nameOf(e.name)}"`, e.name.span);
  const llc = ctx.link.llc;
  if (!llc)
    return fail('UNSUPPORTED_FOR_LINKTYPE', `'llc' not supported for ${ctx.link.name}`, e.span);
  const frame = llc(ctx, e.span);
  // The control byte follows DSAP and SSAP: I frames have bit 0 clear, S frames end in 01, U frames in 11.
  if (name === 'i') return and(frame, not(jsetAt(ctx, 'llc', 2, 1, 0x01)));
  if (name === 's') return and(frame, mcmpAt(ctx, 'llc', 2, 1, 0x03, 0x01));
  if (name === 'u') return and(frame, mcmpAt(ctx, 'llc', 2, 1, 0x03, 0x03));
  if (s !== undefined) return and(frame, mcmpAt(ctx, 'llc', 2, 1, 0x0f, s));
  return and(frame, mcmpAt(ctx, 'llc', 2, 1, 0xef, u as number));
}

/** pflog fields (libpcap gen_pf_*). */
function pf(ctx: Ctx, e: Extract<Expr, { kind: 'pf' }>): Pred {
  const { field, arg, span } = e;
  // Names resolve first, as in libpcap's grammar; the link type is checked when the test is generated.
  let value = 0;
  if (field === 'reason' || field === 'action') {
    if (arg.kind === 'num') value = arg.value;
    else {
      const v = lookupNoCase(field === 'reason' ? PF_REASONS : PF_ACTIONS, arg.name);
      if (v === undefined)
        return fail('UNKNOWN_NAME', `unknown PF ${field} "${arg.name}"`, arg.span);
      value = v;
    }
  } else if (arg.kind === 'num') value = arg.value;
  const label = field === 'rset' ? 'ruleset' : field;
  if (ctx.link.dlt !== 117)
    return fail('UNSUPPORTED_FOR_LINKTYPE', `${label} supported only on PF linktype`, span);
  switch (field) {
    case 'ifname':
    case 'rset': {
      const text = nameOf(arg);
      if (text.length >= 16)
        fail(
          'OUT_OF_RANGE',
          field === 'ifname'
            ? 'ifname interface names can only be 15 characters'
            : 'ruleset names can only be 15 characters',
          arg.span,
        );
      const bytes = [...new TextEncoder().encode(text)];
      if (bytes.length === 0) return fail('SYNTAX', `empty ${label}`, arg.span);
      return bcmpAt(ctx, 'linkhdr', field === 'ifname' ? PFLOG.ifname : PFLOG.ruleset, bytes);
    }
    case 'rnr':
      return cmpAt(ctx, 'linkhdr', PFLOG.rulenr, 4, value);
    case 'srnr':
      return cmpAt(ctx, 'linkhdr', PFLOG.subrulenr, 4, value);
    case 'reason':
      return cmpAt(ctx, 'linkhdr', PFLOG.reason, 1, value);
    case 'action':
      return cmpAt(ctx, 'linkhdr', PFLOG.action, 1, value);
  }
}

/** 802.11 frame control (libpcap gen_p80211_type, gen_p80211_fcdir and the grammar's name lookups). */
function wlan(ctx: Ctx, e: Extract<Expr, { kind: 'wlan' }>): Pred {
  const { span } = e;
  if (e.field === 'dir') {
    const d = e.type as Word;
    let v: number;
    if (d.kind === 'num') v = d.value;
    else {
      const n = lookupNoCase(WLAN_DIRS, d.name);
      if (n === undefined) return fail('UNKNOWN_NAME', 'unknown 802.11 direction', d.span);
      v = n;
    }
    if (!WLAN_DLTS.has(ctx.link.dlt))
      return fail(
        'UNSUPPORTED_FOR_LINKTYPE',
        'frame direction supported only with 802.11 headers',
        span,
      );
    return mcmpAt(ctx, 'linkhdr', 1, 1, FC.DIR_MASK, v);
  }
  let value: number;
  let mask = FC.TYPE_MASK | FC.SUBTYPE_MASK;
  if (e.field === 'subtype') {
    // A subtype alone: the first type whose subtypes have the name.
    const w = e.subtype as Extract<Word, { kind: 'name' }>;
    const hit = WLAN_SUBTYPES.map(([t, names]) => [t, lookupNoCase(names, w.name)] as const).find(
      ([, v]) => v !== undefined,
    );
    if (!hit) return fail('UNKNOWN_NAME', 'unknown 802.11 type name', w.span);
    value = hit[0] | (hit[1] as number);
  } else {
    const t = e.type as Word;
    let type: number;
    if (t.kind === 'num') {
      if ((t.value & ~FC.TYPE_MASK) !== 0)
        return fail(
          'OUT_OF_RANGE',
          `invalid 802.11 type value 0x${t.value.toString(16).padStart(2, '0')}`,
          t.span,
        );
      type = t.value;
    } else {
      const v = lookupNoCase(WLAN_TYPES, t.name);
      if (v === undefined)
        return fail('UNKNOWN_NAME', `unknown 802.11 type name "${t.name}"`, t.span);
      type = v;
    }
    value = type;
    const st = e.subtype;
    if (st === null) mask = FC.TYPE_MASK;
    else if (st.kind === 'num') {
      if ((st.value & ~FC.SUBTYPE_MASK) !== 0)
        return fail(
          'OUT_OF_RANGE',
          `invalid 802.11 subtype value 0x${st.value.toString(16).padStart(2, '0')}`,
          st.span,
        );
      value |= st.value;
    } else {
      const names = WLAN_SUBTYPES.find(([ty]) => ty === type)?.[1];
      if (!names) return fail('UNKNOWN_NAME', 'unknown 802.11 type', t.span);
      const v = lookupNoCase(names, st.name);
      if (v === undefined)
        return fail('UNKNOWN_NAME', `unknown 802.11 subtype name "${st.name}"`, st.span);
      value |= v;
    }
  }
  if (!WLAN_DLTS.has(ctx.link.dlt))
    return fail(
      'UNSUPPORTED_FOR_LINKTYPE',
      '802.11 link-layer types supported only on 802.11',
      span,
    );
  return mcmpAt(ctx, 'linkhdr', 0, 1, mask, value);
}
