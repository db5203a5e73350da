// Spanning tree BPDUs (802.1D config/TCN, 802.1w RSTP, 802.1s MSTP) carried in 802.2 LLC (SAP 0x42).
import { formatMac } from './addr.js';
import { type LayerBase, u16 } from './layer.js';
import { bittok2str, type Printer, type Tok, tok2str } from './printer.js';

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

// ---- Printing, as tcpdump's print-stp.c without -v ----

const STP_PROTO_NAMES: Tok = new Map([
  [0, '802.1d'],
  [2, '802.1w'],
  [3, '802.1s'],
  [4, '802.1aq'],
]);
const STP_BPDU_TYPES: Tok = new Map([
  [0x00, 'Config'],
  [0x02, 'Rapid STP'],
  [0x80, 'Topology Change'],
]);
const STP_FLAG_NAMES: Tok = new Map([
  [0x01, 'Topology change'],
  [0x02, 'Proposal'],
  [0x10, 'Learn'],
  [0x20, 'Forward'],
  [0x40, 'Agreement'],
  [0x80, 'Topology change ACK'],
]);
/** sizeof(struct stp_bpdu_): the 802.1D configuration BPDU with the v1 length byte. */
const STP_BPDU_LEN = 36;

function bridgeIdText(p: Printer, o: number): string {
  p.need(o, 8);
  return `${hex2(p.b[o])}${hex2(p.b[o + 1])}.${p.hexColon(o + 2, 6)}`;
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0');
}

/** stp_print: a BPDU at `o` of `length` bytes. */
export function printStp(p: Printer, o: number, length: number): void {
  p.protocol = 'stp';
  if (length < 4) {
    p.invalid();
    return;
  }
  if (p.u16(o) !== 0) {
    p.print(`unknown STP version, length ${length}`);
    return;
  }
  const version = p.u8(o + 2);
  p.print(`STP ${tok2str(STP_PROTO_NAMES, 'Unknown STP protocol (0x%02x)', version)}`);
  if (version !== 0 && version !== 2 && version !== 3 && version !== 4) return;
  const type = p.u8(o + 3);
  p.print(`, ${tok2str(STP_BPDU_TYPES, 'Unknown BPDU Type (0x%02x)', type)}`);
  const config = () => {
    p.print(`, Flags [${bittok2str(STP_FLAG_NAMES, 'none', p.u8(o + 4))}]`);
    p.print(
      `, bridge-id ${bridgeIdText(p, o + 17)}.${p
        .u16(o + 25)
        .toString(16)
        .padStart(4, '0')}, length ${length}`,
    );
  };
  if (type === 0x00) {
    if (length < STP_BPDU_LEN - 1) {
      p.invalid();
      return;
    }
    config();
  } else if (type === 0x02) {
    if (version === 2) {
      if (length < STP_BPDU_LEN) {
        p.invalid();
        return;
      }
      config();
    } else if (version === 3 || version === 4) {
      if (length < 102 || p.u8(o + 35) !== 0) {
        p.invalid();
        return;
      }
      const mstpLen = p.u16(o + 36) + 2;
      if (length < STP_BPDU_LEN + mstpLen) {
        p.invalid();
        return;
      }
      p.print(
        `, CIST Flags [${bittok2str(STP_FLAG_NAMES, 'none', p.u8(o + 4))}], length ${length}`,
      );
      if (version === 4) {
        const spbLen = p.u16(o + 36 + mstpLen) + 2;
        if (length < STP_BPDU_LEN + mstpLen + spbLen || spbLen < 87) {
          p.invalid();
          return;
        }
      }
    }
  }
}
