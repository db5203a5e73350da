// 802.11: bare (DLT_IEEE802_11), and behind a radio header: Prism or AVS (DLT_PRISM_HEADER: the cookie tells
// which), AVS (DLT_IEEE802_11_RADIO_AVS), radiotap (DLT_IEEE802_11_RADIO) and PPI (DLT_PPI). The radio header
// and the 802.11 header both vary in length, so libpcap computes their lengths into scratch registers before
// the filter runs (insert_compute_vloffsets) and loads through them; the 802.11 length code jumps, so libpcap
// leaves such a program unoptimized. Frames carry LLC+SNAP; only data frames carry a network protocol.
import type { DirQual, Span } from '../../ast.js';
import type { BlockId, Stmt } from '../../ir.js';
import { linktypeDescription } from '../../names.js';
import { allocReg, type Ctx, type LinkLayer } from '../context.js';
import { byDir } from '../dir.js';
import { bcmpAt, jsetAt, mcmpAt } from '../load.js';
import { type AddBlock, and, not, or, type Pred } from '../pred.js';
import { llcLinktype } from './llc.js';

/** Frame control: type bits (mask 0x0c) and subtype bits (mask 0xf0), and byte 1's direction bits. */
export const FC = {
  TYPE_MASK: 0x0c,
  SUBTYPE_MASK: 0xf0,
  CTL: 0x04,
  CTS: 0xc0,
  ACK: 0xd0,
  DIR_MASK: 0x03,
};

/** A data frame: type bit 0x08 set, 0x04 clear (libpcap gen_check_802_11_data_frame). */
export function dataFrame(ctx: Ctx): Pred {
  return and(not(jsetAt(ctx, 'linkhdr', 0, 1, 0x04)), jsetAt(ctx, 'linkhdr', 0, 1, 0x08));
}

/**
 * Where an address is, by frame type and the To DS / From DS bits: `tests(off)` is the test at one place;
 * control frames (type bit 0x04) have none. Mirrors libpcap gen_wlanhostop's source and destination cases.
 */
function byFrame(ctx: Ctx, src: boolean, at: (off: number) => Pred): Pred {
  const toDs = () => jsetAt(ctx, 'linkhdr', 1, 1, 0x01);
  const fromDs = () => jsetAt(ctx, 'linkhdr', 1, 1, 0x02);
  const data = () => jsetAt(ctx, 'linkhdr', 0, 1, 0x08);
  // Data frames: the source at 10 (From DS clear), 16 (From DS only) or 24 (both); the destination at 4
  // (To DS clear) or 16.
  const inData = src
    ? or(
        and(not(fromDs()), at(10)),
        and(fromDs(), or(and(not(toDs()), at(16)), and(toDs(), at(24)))),
      )
    : or(and(not(toDs()), at(4)), and(toDs(), at(16)));
  // Management frames: SA at 10, DA at 4.
  return and(
    not(jsetAt(ctx, 'linkhdr', 0, 1, 0x04)),
    or(and(not(data()), at(src ? 10 : 4)), and(data(), inData)),
  );
}

/** Not a CTS or ACK control frame, which have no second address. */
function hasAddr2(ctx: Ctx): Pred {
  const isCtl = mcmpAt(ctx, 'linkhdr', 0, 1, FC.TYPE_MASK, FC.CTL);
  const sub = (v: number) => not(mcmpAt(ctx, 'linkhdr', 0, 1, FC.SUBTYPE_MASK, v));
  return or(not(isCtl), and(sub(FC.CTS), sub(FC.ACK)));
}

/** libpcap gen_wlanhostop. */
export function wlanHost(ctx: Ctx, mac: readonly number[], dir: DirQual | null, span: Span): Pred {
  const at = (off: number) => bcmpAt(ctx, 'linkhdr', off, mac);
  switch (dir) {
    case 'addr1':
      return at(4);
    case 'addr2':
      return and(hasAddr2(ctx), at(10));
    case 'addr3':
      return and(not(mcmpAt(ctx, 'linkhdr', 0, 1, FC.TYPE_MASK, FC.CTL)), at(16));
    case 'addr4':
      return and(mcmpAt(ctx, 'linkhdr', 1, 1, FC.DIR_MASK, 3), at(24));
    case 'ra':
      return and(jsetAt(ctx, 'linkhdr', 0, 1, 0x08), at(4));
    case 'ta':
      return and(and(jsetAt(ctx, 'linkhdr', 0, 1, 0x08), hasAddr2(ctx)), at(10));
    default:
      return byDir(
        dir,
        () => byFrame(ctx, true, at),
        () => byFrame(ctx, false, at),
        span,
      );
  }
}

const BROADCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
const DLT_IEEE802_11 = 105;
const DLT_PRISM_HEADER = 119;
const DLT_IEEE802_11_RADIO_AVS = 163;
const DLT_IEEE802_11_RADIO = 127;
const DLT_PPI = 192;

/** Radiotap presence bits, as loaded (the word is little-endian): flags, extension, TSFT. */
const RT_FLAGS = 0x02000000;
const RT_EXT = 0x00000080;
const RT_TSFT = 0x01000000;
/** Radiotap flags: padding between the 802.11 header and the payload. */
const RT_DATAPAD = 0x20;

/** Statements leaving the radio header length in X and in `reg` (libpcap gen_load_*_llprefixlen). */
function radioLength(dlt: number, reg: number, add: AddBlock, next: BlockId): BlockId {
  const store: Stmt[] = [{ kind: 'st', k: reg }, { kind: 'tax' }];
  if (dlt === DLT_PRISM_HEADER) {
    // An AVS header where the cookie says so (its length is at 4), else Prism's fixed 144 bytes.
    const join = add(store, { kind: 'goto', target: next });
    const avs = add([{ kind: 'ldAbs', size: 4, k: 4 }], { kind: 'goto', target: join });
    const prism = add([{ kind: 'ldImm', k: 144 }], { kind: 'goto', target: join });
    return add(
      [
        { kind: 'ldAbs', size: 4, k: 0 },
        { kind: 'alu', op: 'and', src: 'k', k: 0xfffff000 },
      ],
      { kind: 'branch', cond: 'jeq', src: 'k', k: 0x80211000, t: avs, f: prism },
    );
  }
  if (dlt === DLT_IEEE802_11_RADIO_AVS)
    return add([{ kind: 'ldAbs', size: 4, k: 4 }, ...store], { kind: 'goto', target: next });
  // Radiotap and PPI: a little-endian 16-bit length at 2.
  return add(
    [
      { kind: 'ldAbs', size: 1, k: 3 },
      { kind: 'alu', op: 'lsh', src: 'k', k: 8 },
      { kind: 'tax' },
      { kind: 'ldAbs', size: 1, k: 2 },
      { kind: 'alu', op: 'or', src: 'x' },
      ...store,
    ],
    { kind: 'goto', target: next },
  );
}

/**
 * The payload offset into `reg`: X (the radio header length, or 0) + 24, +2 for QoS data frames, rounded up
 * to 4 where radiotap says the driver padded (libpcap gen_load_802_11_header_len).
 */
function headerLength(
  dlt: number,
  reg: number,
  add: AddBlock,
  next: BlockId,
  setX: boolean,
): BlockId {
  const branch = (stmts: Stmt[], k: number, t: BlockId, f: BlockId) =>
    add(stmts, { kind: 'branch', cond: 'jset', src: 'k', k, t, f });
  let afterQos = next;
  if (dlt === DLT_IEEE802_11_RADIO) {
    const roundUp = add(
      [
        { kind: 'ldMem', k: reg },
        { kind: 'alu', op: 'add', src: 'k', k: 3 },
        { kind: 'alu', op: 'and', src: 'k', k: 0xfffffffc },
        { kind: 'st', k: reg },
      ],
      { kind: 'goto', target: next },
    );
    // The flags field follows the 8-byte header, after the 8-byte TSFT field when that is present.
    const tsft = branch([{ kind: 'ldAbs', size: 1, k: 16 }], RT_DATAPAD, roundUp, next);
    const noTsft = branch([{ kind: 'ldAbs', size: 1, k: 8 }], RT_DATAPAD, roundUp, next);
    const ext = branch([], RT_EXT, next, branch([], RT_TSFT, tsft, noTsft));
    afterQos = branch([{ kind: 'ldAbs', size: 4, k: 4 }], RT_FLAGS, ext, next);
  }
  const qos = add(
    [
      { kind: 'ldMem', k: reg },
      { kind: 'alu', op: 'add', src: 'k', k: 2 },
      { kind: 'st', k: reg },
    ],
    { kind: 'goto', target: afterQos },
  );
  const isQos = branch([], 0x80, qos, afterQos);
  const isData = branch([], 0x04, next, isQos);
  return branch(
    [
      ...(setX ? [{ kind: 'ldxImm', k: 0 } as const] : []),
      { kind: 'txa' },
      { kind: 'alu', op: 'add', src: 'k', k: 24 },
      { kind: 'st', k: reg },
      { kind: 'ldInd', size: 1, k: 0 },
    ],
    0x08,
    isData,
    next,
  );
}

function wlan(dlt: number): LinkLayer {
  const radio = dlt !== DLT_IEEE802_11;
  return {
    dlt,
    name: linktypeDescription(dlt),
    offLinkHdr: 0,
    varLinkHdr: radio,
    offLinkType: 24,
    offLinkPl: 0,
    varLinkPl: true,
    offNl: 8,
    offNlNosnap: 3,
    linktype: (ctx, t) => and(dataFrame(ctx), llcLinktype(ctx, t)),
    macHost: wlanHost,
    macBroadcast: (ctx, span) => wlanHost(ctx, BROADCAST, 'dst', span),
    macMulticast: (ctx) => byFrame(ctx, false, (off) => jsetAt(ctx, 'linkhdr', off, 1, 1)),
    llc: dataFrame,
    vlan: dlt !== DLT_PPI,
    prefix: (ctx, add, next, reject) => {
      const hdr = ctx.outerHdrVar;
      const pl = ctx.outerPlVar;
      // The payload offset includes the radio header's length: compute that too.
      if (pl?.reg != null && hdr && hdr.reg === null) hdr.reg = allocReg(ctx, [0, 0]);
      let entry = next;
      if (pl?.reg != null) {
        ctx.noOptimize = true;
        entry = headerLength(dlt, pl.reg, add, entry, !radio);
      }
      if (hdr?.reg != null) {
        if (dlt === DLT_PRISM_HEADER) ctx.noOptimize = true;
        entry = radioLength(dlt, hdr.reg, add, entry);
      }
      // PPI carries other link types too: libpcap filters only its 802.11 packets (DLT 105, little-endian).
      if (dlt === DLT_PPI)
        entry = add([{ kind: 'ldAbs', size: 4, k: 4 }], {
          kind: 'branch',
          cond: 'jeq',
          src: 'k',
          k: 0x69000000,
          t: entry,
          f: reject,
        });
      return entry;
    },
  };
}

export const ieee80211 = wlan(DLT_IEEE802_11);
export const prismHeader = wlan(DLT_PRISM_HEADER);
export const radioAvs = wlan(DLT_IEEE802_11_RADIO_AVS);
export const radiotap = wlan(DLT_IEEE802_11_RADIO);
export const ppi = wlan(DLT_PPI);

/** Link types with a radio header in front, where `radio[...]` loads from it. */
export const RADIO_DLTS: ReadonlySet<number> = new Set([
  DLT_PRISM_HEADER,
  DLT_IEEE802_11_RADIO_AVS,
  DLT_IEEE802_11_RADIO,
]);

/** Link types where the 802.11 keywords (type, subtype, dir) apply (not PPI, as in libpcap). */
export const WLAN_DLTS: ReadonlySet<number> = new Set([
  DLT_IEEE802_11,
  DLT_PRISM_HEADER,
  DLT_IEEE802_11_RADIO_AVS,
  DLT_IEEE802_11_RADIO,
]);
