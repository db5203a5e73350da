// tcpdump -q ("quick output"): the same line with less protocol detail. Only a few printers look at
// -q: TCP prints `tcp N` after the ports, UDP `UDP, length N` without decoding what it carries, and
// the link-level prefix of -e names the protocol without its number. The rest of the line is the
// normal summary, so -q is a rewrite of it, guided by the decoded layers.
import type { DecodedFrame } from '../packets/decode.js';
import type { Ipv4Layer } from '../packets/ipv4.js';
import type { Ipv6Layer } from '../packets/ipv6.js';
import type { Layer } from '../packets/layer.js';

/** The IP layer right before `i` (the transport's own header), if that is what precedes it. */
function ipBefore(layers: readonly Layer[], i: number): Ipv4Layer | Ipv6Layer | undefined {
  const l = layers[i - 1];
  return l && (l.kind === 'ipv4' || l.kind === 'ipv6') ? l : undefined;
}

/** The byte count an IP header hands its transport (tcpdump's `length`): total minus headers. */
function transportLength(ip: Ipv4Layer | Ipv6Layer, transportOffset: number): number {
  return ip.kind === 'ipv4'
    ? ip.totalLength - ip.ihl
    : ip.payloadLength - (transportOffset - ip.offset - 40);
}

/** Replaces what follows `marker` (its last occurrence) with `tail`; unchanged if it is missing. */
function replaceAfter(line: string, marker: string, tail: string, expect?: string): string {
  const at = line.lastIndexOf(marker);
  if (at < 0) return line;
  const rest = line.slice(at + marker.length);
  if (expect !== undefined && !rest.startsWith(expect)) return line;
  return line.slice(0, at + marker.length) + tail;
}

/**
 * The -e link-level text as tcpdump -q prints it: Ethernet (and each VLAN tag's) `ethertype IPv4
 * (0x0800)` becomes `IPv4`, BSD loopback's `AF IPv4 (2)` `IPv4`, and Linux cooked captures drop the
 * protocol and length after the address.
 */
function quietLink(line: string, d: DecodedFrame): string {
  const first = d.layers[0];
  if (!first) return line;
  if (first.kind === 'ethernet')
    return line.replace(/ethertype (.+?) \((0x[0-9a-f]{4})\)/g, (_, name: string, hex: string) =>
      name === 'Unknown' ? `Unknown Ethertype (${hex})` : name,
    );
  if (first.kind === 'null')
    return line.replace(/^AF (.+?) \((\d+)\)/, (_, name: string, n: string) =>
      name === 'Unknown' ? `Unknown AF ${n}` : name,
    );
  if (first.kind === 'sll' || first.kind === 'sll2')
    return line.replace(/(ethertype .+? \(0x[0-9a-f]{4}\)|802\.[23]), length \d+: /, '');
  return line;
}

/** The -q form of `line`, the summary of the decoded frame `d`. */
export function quietSummary(line: string, d: DecodedFrame, link: boolean): string {
  let out = link ? quietLink(line, d) : line;
  const layers = d.layers;
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i] as Layer;
    if (l.kind !== 'tcp' && l.kind !== 'udp') continue;
    const ip = ipBefore(layers, i);
    if (!ip || l.truncated) break;
    const length = transportLength(ip, l.offset);
    if (l.kind === 'tcp') {
      const hlen = l.dataOffset;
      if (hlen < 20) break;
      const tail = `tcp ${length - hlen}${hlen > length ? ` [bad hdr length ${hlen} - too long, > ${length}]` : ''}`;
      out = replaceAfter(out, `${ip.dst}.${l.dstPort}: `, tail, 'Flags [');
    } else {
      if (length < 8 || l.length < 8) break;
      const ulen = l.length - 8;
      const fragmented = ip.kind === 'ipv4' ? ip.mf : (ip.fragment?.more ?? false);
      const tail =
        ulen > length - 8 && !fragmented
          ? `UDP, bad length ${ulen} > ${length - 8}`
          : `UDP, length ${ulen}`;
      out = replaceAfter(out, `${ip.dst}.${l.dstPort}: `, tail);
    }
    break;
  }
  return out;
}
