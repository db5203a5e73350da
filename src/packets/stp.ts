// Spanning tree BPDUs (802.1D config/TCN, 802.1w RSTP, 802.1s MSTP) carried in 802.2 LLC (SAP 0x42).
import { formatMac } from './addr.js';
import { type LayerBase, u16 } from './layer.js';

export interface StpLayer extends LayerBase {
  kind: 'stp';
  protocolId: number;
  /** 0 802.1D, 2 802.1w (RSTP), 3 802.1s (MSTP), 4 802.1aq (SPB). */
  version: number;
  /** 0x00 configuration, 0x80 topology change notification, 0x02 RST/MST. */
  bpduType: number;
  flags: number;
  /** Root and bridge identifiers as tcpdump prints them: priority (hex) '.' MAC; absent for TCN. */
  rootId?: string;
  bridgeId?: string;
  portId?: number;
}

function bridgeId(b: Uint8Array, off: number): string {
  return `${u16(b, off).toString(16).padStart(4, '0')}.${formatMac(b, off + 2)}`;
}

/** Decodes a BPDU at `off` (after the LLC header). */
export function decodeStp(b: Uint8Array, off: number): StpLayer {
  const avail = Math.max(0, b.length - off);
  const bpduType = b[off + 3] ?? 0;
  const need = bpduType === 0x80 ? 4 : 35;
  const layer: StpLayer = {
    kind: 'stp',
    offset: off,
    headerLength: Math.min(need, avail),
    truncated: avail < need,
    protocolId: u16(b, off),
    version: b[off + 2] ?? 0,
    bpduType,
    flags: b[off + 4] ?? 0,
  };
  if (bpduType !== 0x80 && avail >= 35) {
    layer.rootId = bridgeId(b, off + 5);
    layer.bridgeId = bridgeId(b, off + 17);
    layer.portId = u16(b, off + 25);
  }
  return layer;
}
