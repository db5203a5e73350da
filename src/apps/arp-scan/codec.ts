// The scanner's frames: Ethernet ARP requests out, ARP replies in, through src/packets.
import { DLT } from '../../core/opcodes.js';
import { buildArpFrame } from '../../packets/build-link.js';
import { decodeFrame } from '../../packets/decode.js';
import type { ArpCodec } from './scan.js';

/** Broadcast who-has requests padded to the 60-byte Ethernet minimum; replies decoded from Ethernet frames. */
export const ethernetArpCodec: ArpCodec = {
  request: (senderMac, senderIp, targetIp) =>
    buildArpFrame({ op: 'request', senderMac, senderIp, targetIp, padTo: 60 }),
  reply(frame) {
    const arp = decodeFrame(frame, DLT.EN10MB).layers.find((l) => l.kind === 'arp');
    if (arp?.kind !== 'arp' || arp.op !== 2 || arp.truncated || arp.hlen !== 6 || arp.plen !== 4)
      return undefined;
    return { mac: arp.sha, ip: arp.spa };
  },
};
