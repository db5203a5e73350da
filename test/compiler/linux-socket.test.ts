// compile({ linuxSocket: true }): the kernel's verdict on what a Linux packet socket's filter sees (an
// outer VLAN tag moved to metadata, no cooked header) must be the verdict of the ordinary program on the
// frame as captured. Generated frames, each in every form the kernel can hand it over, both programs
// run by the interpreter (the kernel's side with the linux profile and the frame's metadata).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { compile, KernelViewError } from '../../src/compiler/index.js';
import type { AncillaryData } from '../../src/core/ancillary.js';
import { run } from '../../src/core/vm.js';
import { synthPackets } from '../differential/synth-packets.js';

const VLAN_EXPRS = [
  'vlan',
  'vlan 100',
  'vlan 100 and udp',
  'vlan and vlan 200',
  'vlan 100 and vlan 200 and ip',
  'not vlan',
  'vlan or arp',
  'not vlan and ip',
  'vlan and ip6 and tcp port 443',
  'ether[14:2] & 0xfff = 100',
  'ether[12:2] = 0x8100',
  'ether[12:4] = 0x81000064',
  'ether[16:2] = 0x800',
  'vlan and udp port 67',
  'greater 100',
  'less 80',
  'len > 90',
  'inbound',
  'outbound and ip',
  'ifindex 3',
  'ip',
  'ip6',
  'arp',
  'udp port 53',
  'tcp[tcpflags] & tcp-syn != 0',
  'ip[ip[0] & 0xf] = 3',
];

/** Expressions of the differential tables for EN10MB (every third of the broad set, to keep it quick). */
function expressions(): string[] {
  const lines = (f: string) =>
    readFileSync(new URL(`../differential/exprs/${f}`, import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('EN10MB\t'))
      .map((l) => l.slice(7));
  return [
    ...VLAN_EXPRS,
    ...lines('valid.tsv'),
    ...lines('broad.tsv').filter((_, i) => i % 3 === 0),
  ];
}

const u16 = (b: Uint8Array, o: number) => (b[o]! << 8) | b[o + 1]!;
const isTag = (t: number) => t === 0x8100 || t === 0x88a8;

interface View {
  kernel: Uint8Array;
  anc: Partial<AncillaryData>;
}

/** The frame as the kernel may hold it: as is, and, with an outer 802.1Q/802.1ad tag, that tag in metadata. */
function ethernetViews(f: Uint8Array, pkttype: number): View[] {
  const views: View[] = [{ kernel: f, anc: { pkttype, ifindex: 3 } }];
  if (f.length >= 18 && isTag(u16(f, 12))) {
    const k = new Uint8Array(f.length - 4);
    k.set(f.subarray(0, 12));
    k.set(f.subarray(16), 12);
    views.push({
      kernel: k,
      anc: { pkttype, ifindex: 3, vlanPresent: 1, vlanTpid: u16(f, 12), vlanTci: u16(f, 14) },
    });
  }
  return views;
}

/** An SLL2 capture of Ethernet frame `f` as cbpf builds it, and the cooked socket's view of it. */
function sll2Forms(
  f: Uint8Array,
  pkttype: number,
  ifindex: number,
): { captured: Uint8Array; view: View }[] {
  const out: { captured: Uint8Array; view: View }[] = [];
  const header = (proto: number) => {
    const h = new Uint8Array(20);
    const dv = new DataView(h.buffer);
    dv.setUint16(0, proto);
    dv.setUint32(4, ifindex);
    dv.setUint16(8, 1);
    h[10] = pkttype;
    h[11] = 6;
    h.set(f.subarray(6, 12), 12);
    return h;
  };
  const cat = (...parts: Uint8Array[]) => {
    const o = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      o.set(p, at);
      at += p.length;
    }
    return o;
  };
  // No tag in metadata: the cooked payload starts after the Ethernet header, its type is the protocol.
  const proto = u16(f, 12);
  const payload = f.subarray(14);
  out.push({
    captured: cat(header(proto), payload),
    view: { kernel: payload, anc: { protocol: proto, pkttype, ifindex, hatype: 1 } },
  });
  if (f.length >= 18 && isTag(proto)) {
    const inner = u16(f, 16);
    const rest = f.subarray(18);
    out.push({
      captured: cat(header(proto), f.subarray(14, 18), rest),
      view: {
        kernel: rest,
        anc: {
          protocol: inner,
          pkttype,
          ifindex,
          hatype: 1,
          vlanPresent: 1,
          vlanTpid: proto,
          vlanTci: u16(f, 14),
        },
      },
    });
  }
  return out;
}

const verdict = (p: readonly { code: number }[], bytes: Uint8Array, anc?: Partial<AncillaryData>) =>
  run(p as never, bytes, { profile: anc ? 'linux' : 'libpcap', ancillary: anc }) !== 0;

// Whole frames only: the kernel filters a frame before any snap length cuts it.
const frames = synthPackets('EN10MB', 500).filter((p) => p.data.length === p.wirelen);

test('EN10MB: the kernel program on each kernel view gives the offline verdict on the captured frame', () => {
  let pairs = 0;
  let tagged = 0;
  let userspace = 0;
  for (const expr of expressions()) {
    const direction = /\b(inbound|outbound|ifindex)\b/.test(expr);
    let offline: ReturnType<typeof compile> | undefined;
    try {
      offline = direction ? undefined : compile(expr);
    } catch {
      continue;
    }
    let live: ReturnType<typeof compile>;
    try {
      live = compile(expr, { linuxSocket: true });
    } catch (e) {
      assert.ok(e instanceof KernelViewError, `${expr}: ${(e as Error).message}`);
      userspace++;
      continue;
    }
    frames.forEach((fr, i) => {
      const pkttype = i % 5;
      for (const v of ethernetViews(fr.data, pkttype)) {
        // inbound/outbound/ifindex read metadata that a saved Ethernet frame lacks: checked by their meaning.
        const want = offline
          ? verdict(offline, fr.data)
          : expr === 'inbound'
            ? pkttype !== 4
            : expr === 'ifindex 3'
              ? true
              : pkttype === 4 && verdict(compile('ip'), fr.data);
        const got = verdict(live, v.kernel, v.anc);
        assert.equal(
          got,
          want,
          `${expr} on frame ${i} (${fr.file}), tag in metadata: ${v.anc.vlanPresent === 1}`,
        );
        pairs++;
        if (v.anc.vlanPresent) tagged++;
      }
    });
  }
  assert.ok(
    pairs > 100_000 && tagged > 5_000,
    `${pairs} pairs, ${tagged} with the tag in metadata`,
  );
  console.log(`# ${pairs} (expression, kernel view) pairs, ${tagged} with the tag in metadata`);
  assert.ok(userspace < 10, `${userspace} expressions needed user space`);
});

test('LINUX_SLL2 on a cooked socket: header fields from metadata, the tag put back after the header', () => {
  let pairs = 0;
  const userspace: string[] = [];
  const exprs = [
    ...VLAN_EXPRS,
    'ether proto 0x88cc',
    'ip and udp port 67',
    'not arp',
    'link[0:2] = 0x8100',
    // The protochain walk is one IR statement: its network offset moves with the header.
    'ip6 protochain 6',
    'ip protochain 17 or ip6 protochain 58',
  ];
  for (const expr of exprs) {
    let offline: ReturnType<typeof compile>;
    let live: ReturnType<typeof compile>;
    try {
      offline = compile(expr, { linktype: 'LINUX_SLL2' });
    } catch {
      continue;
    }
    try {
      live = compile(expr, { linktype: 'LINUX_SLL2', linuxSocket: true });
    } catch (e) {
      assert.ok(e instanceof KernelViewError, `${expr}: ${(e as Error).message}`);
      userspace.push(expr);
      continue;
    }
    frames.forEach((fr, i) => {
      for (const { captured, view } of sll2Forms(fr.data, i % 5, 1 + (i % 4))) {
        const got = verdict(live, view.kernel, view.anc);
        const why = `${expr} on frame ${i}, tag in metadata: ${view.anc.vlanPresent === 1}`;
        // An outgoing frame with its tags inline: the kernel program lets it through, and the
        // capture runs the ordinary program on it (needsOutgoingVlanRecheck).
        if (view.anc.pkttype === 4 && !view.anc.vlanPresent && isTag(view.anc.protocol ?? 0))
          assert.equal(got, true, why);
        else assert.equal(got, verdict(offline, captured), why);
        pairs++;
      }
    });
  }
  assert.ok(pairs > 10_000, `${pairs} pairs`);
  // Only loads of bytes 12-19, the header's link-layer address, which no ancillary field holds.
  assert.deepEqual(
    userspace.filter((e) => !/^ether\[1[2-9]/.test(e)),
    [],
    'expressions left to user space',
  );
});

test('vlan on cooked captures (libpcap has none: its issue 1105)', () => {
  for (const lt of ['LINUX_SLL', 'LINUX_SLL2'] as const) {
    assert.doesNotThrow(() => compile('vlan 100 and udp', { linktype: lt }));
    assert.doesNotThrow(() => compile('vlan and vlan 200', { linktype: lt, linuxSocket: true }));
  }
  // A load of the cooked header's address cannot run in the kernel.
  assert.throws(
    () => compile('link[12:4] = 0x02000000', { linktype: 'LINUX_SLL2', linuxSocket: true }),
    KernelViewError,
  );
});
