// ETSI GeoNetworking (EN 302 636-4-1) with its BTP header, as tcpdump's print-geonet.c without -v.

import type { LinkAddrs } from './ethertypes.js';
import { type Printer, type Tok, tok2str } from './printer.js';

const MSG_TYPES: Tok = new Map([
  [0, 'CAM'],
  [1, 'DENM'],
  [101, 'TPEGM'],
  [102, 'TSPDM'],
  [103, 'VPM'],
  [104, 'SRM'],
  [105, 'SLAM'],
  [106, 'ecoCAM'],
  [107, 'ITM'],
  [150, 'SA'],
]);
const NEXT: Readonly<Record<number, string>> = { 0: 'Any', 1: 'BTP-A', 2: 'BTP-B', 3: 'IPv6' };
const TYPES: Readonly<Record<string, string>> = {
  '0': 'Any',
  '1': 'Beacon',
  '2': 'GeoUnicast',
  '3-0': 'GeoAnycastCircle',
  '3-1': 'GeoAnycastRect',
  '3-2': 'GeoAnycastElipse',
  '4-0': 'GeoBroadcastCircle',
  '4-1': 'GeoBroadcastRect',
  '4-2': 'GeoBroadcastElipse',
  '5-0': 'TopoScopeBcast-SH',
  '5-1': 'TopoScopeBcast-MH',
  '6-0': 'LocService-Request',
  '6-1': 'LocService-Reply',
};

/** geonet_print. */
export function printGeonet(p: Printer, o: number, length0: number, src?: LinkAddrs): void {
  p.protocol = 'geonet';
  p.print('GeoNet ');
  if (src) p.print(`src:${p.mac(src.src)}`);
  p.print('; ');
  let length = length0;
  if (length < 36) {
    p.print(` (common header length ${length} < 36)`);
    p.invalid();
    return;
  }
  const version = p.u8(o) >> 4;
  const nh = p.u8(o) & 0x0f;
  const ht = p.u8(o + 1) >> 4;
  const hst = p.u8(o + 1) & 0x0f;
  const payload = p.u16(o + 4);
  const hop = p.u8(o + 7);
  const typeText = TYPES[ht <= 2 ? String(ht) : `${ht}-${hst}`] ?? 'Unknown';
  p.print(`v:${version} `);
  p.print(`NH:${nh}-${NEXT[nh] ?? 'Unknown'} `);
  p.print(`HT:${ht}-${hst}-${typeText} `);
  p.print(`HopLim:${hop} `);
  p.print(`Payload:${payload} `);
  p.print(`GN_ADDR:${p.hexColon(o + 8, 8)} `);
  p.print(`lat:${p.u32(o + 20)} `);
  p.print(`lon:${p.u32(o + 24)}`);
  p.need(o, 36);
  length -= 36;
  let bp = o + 36;
  let hdrSize = -1;
  if (ht === 0 || ht === 1) hdrSize = 0;
  else if (ht === 5 && hst === 0) hdrSize = 0;
  else if (ht === 5 && hst === 1) hdrSize = 68 - 36;
  if (hdrSize < 0) return;
  if (length < hdrSize) {
    p.print(` (header size ${hdrSize} > ${length})`);
    p.invalid();
    return;
  }
  p.need(bp, hdrSize);
  length -= hdrSize;
  bp += hdrSize;
  if (nh === 1 || nh === 2) {
    if (length < 4) {
      p.print(` (BTP length ${length} < 4)`);
      p.invalid();
      return;
    }
    p.print(`; BTP Dst:${p.u16(bp)}`);
    p.print(` Src:${p.u16(bp + 2)}`);
    length -= 4;
    bp += 4;
    if (length >= 2) {
      p.print(`; ItsPduHeader v:${p.u8(bp)}`);
      const t = p.u8(bp + 1);
      p.print(` t:${t}-${tok2str(MSG_TYPES, 'unknown (%u)', t)}`);
    }
  }
}
