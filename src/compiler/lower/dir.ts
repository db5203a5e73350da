// Direction qualifiers applied to per-direction tests, in libpcap's order (src before dst), with its
// messages for the 802.11 qualifiers where they do not apply.
import type { DirQual, Span } from '../ast.js';
import { fail } from '../errors.js';
import { and, or, type Pred } from './pred.js';

/** How a link's MAC tests word the refusal of addr1..addr4/ra/ta. */
export type WlanOnly = 'ip' | 'mac' | 'mac-802.11-headers';

function wlanQualifier(dir: DirQual, kind: WlanOnly, span: Span): never {
  const named = dir.startsWith('addr') ? `'${dir}' and 'address${dir.slice(4)}'` : `'${dir}'`;
  const plural = dir.startsWith('addr');
  if (kind === 'ip')
    return fail(
      'BAD_QUALIFIER',
      `${named} ${plural ? 'are not valid qualifiers' : 'is not a valid qualifier'} for addresses other than 802.11 MAC addresses`,
      span,
    );
  return fail(
    'BAD_QUALIFIER',
    `${named} ${plural ? 'are' : 'is'} only supported on 802.11${kind === 'mac' ? '' : ' with 802.11 headers'}`,
    span,
  );
}

/** Applies `dir` to per-direction tests (libpcap's Q_SRC/Q_DST/Q_AND/Q_OR cases). */
export function byDir(
  dir: DirQual | null,
  src: () => Pred,
  dst: () => Pred,
  span: Span,
  kind: WlanOnly = 'ip',
): Pred {
  switch (dir) {
    case 'src':
      return src();
    case 'dst':
      return dst();
    case 'src and dst':
      return and(src(), dst());
    case null:
    case 'src or dst':
      return or(src(), dst());
    default:
      return wlanQualifier(dir, kind, span);
  }
}
