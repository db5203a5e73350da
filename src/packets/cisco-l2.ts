// Cisco link-level protocols carried in SNAP with the Cisco OUI: CDP, DTP, UDLD and VTP, as tcpdump's
// print-cdp.c, print-dtp.c, print-udld.c and print-vtp.c print them without -v.
import { printUnknownData } from './icmpv6.js';
import { bittok2str, charText, type Printer, type Tok, tok2str } from './printer.js';

/** CDP TLV types tcpdump knows: [name, min length, max length] (0 = no bound). */
const CDP_TLVS: ReadonlyArray<readonly [string | undefined, number, number] | undefined> = [
  [undefined, 0, 0],
  ['Device-ID', -1, -1],
  ['Address', -1, -1],
  ['Port-ID', -1, -1],
  ['Capability', 4, 4],
  ['Version String', -1, -1],
  ['Platform', -1, -1],
  ['Prefixes', -1, -1],
  ['Protocol-Hello option', -1, -1],
  ['VTP Management Domain', -1, -1],
  ['Native VLAN ID', 2, 2],
  ['Duplex', 1, 1],
  [undefined, 0, 0],
  [undefined, 0, 0],
  ['ATA-186 VoIP VLAN assignment', 3, 3],
  ['ATA-186 VoIP VLAN request', 2, 3],
  ['power consumption', 1, 3],
  ['MTU', 4, 4],
  ['AVVID trust bitmap', 1, 1],
  ['AVVID untrusted ports CoS', 1, 1],
  ['System Name', -1, -1],
  ['System Object ID (not decoded)', -1, -1],
  ['Management Addresses', 4, -1],
  ['Physical Location', 1, -1],
];

/** cdp_print: version, TTL, the Device-ID and a hex dump of every other TLV. */
export function printCdp(p: Printer, o: number, origLength: number): void {
  p.protocol = 'cdp';
  let q = o;
  let length = origLength;
  const invalid = () => {
    p.invalid();
    p.need(q, length);
  };
  if (length < 4) {
    p.print(` (packet length ${length} < 4)`);
    invalid();
    return;
  }
  p.print(`CDPv${p.u8(q)}, ttl: ${p.u8(q + 1)}s`);
  p.u16(q + 2);
  q += 4;
  length -= 4;
  while (length) {
    if (length < 4) {
      p.print(` (remaining packet length ${length} < 4)`);
      invalid();
      return;
    }
    const type = p.u16(q);
    let len = p.u16(q + 2);
    const info = type <= 0x17 ? CDP_TLVS[type] : undefined;
    const name = info?.[0] ?? 'unknown field type';
    if (len < 4) {
      p.print(`, ${name} TLV length ${len} too short`);
      invalid();
      return;
    }
    if (len > length) {
      p.print(` (TLV length ${len} > ${length})`);
      invalid();
      return;
    }
    q += 4;
    length -= 4;
    len -= 4;
    if (type === 1) p.print(', Device-ID ');
    let covered = false;
    if (info) {
      const [, min, max] = info;
      if ((min > 0 && len < min) || (max > 0 && len > max)) p.print(' (malformed TLV)');
      else if (type === 1) {
        p.print("'");
        for (let i = 0; i < len; i++) p.print(charText(p.u8(q + i)));
        p.print("'");
        covered = true;
      }
    }
    if (!covered) {
      p.need(q, len);
      printUnknownData(p, q, '\n\t  ', len);
    }
    q += len;
    length -= len;
  }
  p.print(`, length ${origLength}`);
}

/** dtp_print: `DTPv1, length N`. */
export function printDtp(p: Printer, o: number, length: number): void {
  p.protocol = 'dtp';
  if (length < 1) {
    p.print('[zero packet length]');
    p.invalid();
    p.need(o, length);
    return;
  }
  p.print(`DTPv${p.u8(o)}, length ${length}`);
}

const UDLD_CODES: Tok = new Map([
  [0, 'Reserved'],
  [1, 'Probe message'],
  [2, 'Echo message'],
  [3, 'Flush message'],
]);
const UDLD_FLAGS: Tok = new Map([
  [1, 'RT'],
  [2, 'RSY'],
  [4, 'MBZ-2'],
  [8, 'MBZ-3'],
  [16, 'MBZ-4'],
  [32, 'MBZ-5'],
  [64, 'MBZ-6'],
  [128, 'MBZ-7'],
]);

/** udld_print: version, opcode and flags. */
export function printUdld(p: Printer, o: number, length: number): void {
  p.protocol = 'udld';
  if (length < 4) {
    p.invalid();
    p.need(o, length);
    return;
  }
  const ver = (p.u8(o) & 0xe0) >> 5;
  const code = p.u8(o) & 0x1f;
  const flags = p.u8(o + 1);
  p.print(
    `UDLDv${ver}, Code ${tok2str(UDLD_CODES, 'Reserved', code)} (${code.toString(16)}), Flags [${bittok2str(UDLD_FLAGS, 'none', flags)}] (0x${flags.toString(16).padStart(2, '0')}), length ${length}`,
  );
  p.need(o + 2, length - 2);
}

const VTP_TYPES: Tok = new Map([
  [1, 'Summary advertisement'],
  [2, 'Subset advertisement'],
  [3, 'Advertisement request'],
  [4, 'Join message'],
]);

/** vtp_print: version and message type. */
export function printVtp(p: Printer, o: number, length: number): void {
  p.protocol = 'vtp';
  if (length < 36) {
    p.invalid();
    p.need(o, length);
    return;
  }
  p.need(o, 36);
  const type = p.u8(o + 1);
  p.print(
    `VTPv${p.u8(o)}, Message ${tok2str(VTP_TYPES, 'Unknown message type', type)} (0x${type.toString(16).padStart(2, '0')}), length ${length}`,
  );
  p.need(o, length);
}
