// The neighbour table: MAC → its IPv4 and IPv6 addresses, each with how it was learned and when it was
// first and last seen. Observations update it and say what changed: a new address, an address that
// moved to another MAC, an address gone quiet for too long.
import { macVendor } from '../arp-scan/vendor.js';
import type { Learned, Observation } from './observe.js';

export interface AddressEntry {
  readonly ip: string;
  readonly family: 4 | 6;
  /** Every way it was learned, in the order first seen. */
  readonly how: Learned[];
  /** Milliseconds since the epoch. */
  firstSeen: number;
  lastSeen: number;
}

export interface Neighbor {
  readonly mac: string;
  readonly vendor?: string;
  readonly addresses: AddressEntry[];
  firstSeen: number;
  lastSeen: number;
}

export type Change =
  | {
      readonly kind: 'new';
      readonly mac: string;
      readonly ip: string;
      readonly family: 4 | 6;
      readonly how: Learned;
      readonly time: number;
    }
  | {
      readonly kind: 'moved';
      readonly mac: string;
      /** The MAC that had the address before. */
      readonly from: string;
      readonly ip: string;
      readonly family: 4 | 6;
      readonly how: Learned;
      readonly time: number;
    }
  | {
      readonly kind: 'gone';
      readonly mac: string;
      readonly ip: string;
      readonly family: 4 | 6;
      readonly lastSeen: number;
      readonly time: number;
    };

/** A duplicate-address probe only says the host wants the address: it never takes one from another MAC. */
const TENTATIVE: ReadonlySet<Learned> = new Set(['arp-probe', 'dad']);

/** Canonical spellings, so the same address is one key however it was written. */
const key = (ip: string) => ip.toLowerCase();
const macKey = (mac: string) => mac.toLowerCase();

export class NeighborTable {
  readonly #byMac = new Map<string, Neighbor>();
  /** ip → the MAC holding it */
  readonly #owner = new Map<string, string>();
  readonly #only?: ReadonlySet<string>;

  /** With `macs`, only those MACs are kept (the kernel filter already drops the rest). */
  constructor(macs?: readonly string[]) {
    if (macs?.length) this.#only = new Set(macs.map(macKey));
  }

  /** Records `o` at `time` (ms since the epoch) and returns what changed. */
  observe(o: Observation, time: number): Change[] {
    const mac = macKey(o.mac);
    if (this.#only && !this.#only.has(mac)) return [];
    if (mac === '00:00:00:00:00:00' || mac === 'ff:ff:ff:ff:ff:ff') return [];
    const ip = key(o.ip);
    const holder = this.#owner.get(ip);
    const changes: Change[] = [];
    if (holder !== undefined && holder !== mac) {
      if (TENTATIVE.has(o.how)) return [];
      this.#drop(holder, ip);
      changes.push({
        kind: 'moved',
        mac,
        from: holder,
        ip: o.ip,
        family: o.family,
        how: o.how,
        time,
      });
    }
    let n = this.#byMac.get(mac);
    if (!n) {
      n = { mac, vendor: macVendor(mac), addresses: [], firstSeen: time, lastSeen: time };
      this.#byMac.set(mac, n);
    }
    n.lastSeen = Math.max(n.lastSeen, time);
    let a = n.addresses.find((x) => key(x.ip) === ip);
    if (!a) {
      a = { ip: o.ip, family: o.family, how: [], firstSeen: time, lastSeen: time };
      n.addresses.push(a);
      this.#owner.set(ip, mac);
      if (changes.length === 0)
        changes.push({ kind: 'new', mac, ip: o.ip, family: o.family, how: o.how, time });
    }
    if (!a.how.includes(o.how)) a.how.push(o.how);
    a.lastSeen = Math.max(a.lastSeen, time);
    return changes;
  }

  /** Forgets addresses not seen since `now - maxAgeMs`, and says so. */
  expire(now: number, maxAgeMs: number): Change[] {
    const changes: Change[] = [];
    for (const n of this.#byMac.values())
      for (const a of [...n.addresses])
        if (now - a.lastSeen > maxAgeMs) {
          this.#drop(n.mac, key(a.ip));
          changes.push({
            kind: 'gone',
            mac: n.mac,
            ip: a.ip,
            family: a.family,
            lastSeen: a.lastSeen,
            time: now,
          });
        }
    return changes;
  }

  #drop(mac: string, ip: string): void {
    const n = this.#byMac.get(mac);
    if (n) {
      const i = n.addresses.findIndex((x) => key(x.ip) === ip);
      if (i >= 0) n.addresses.splice(i, 1);
    }
    if (this.#owner.get(ip) === mac) this.#owner.delete(ip);
  }

  /** Every neighbour with at least one address, by MAC; addresses IPv4 first, then by text. */
  neighbors(): Neighbor[] {
    return [...this.#byMac.values()]
      .filter((n) => n.addresses.length > 0)
      .sort((a, b) => (a.mac < b.mac ? -1 : 1))
      .map((n) => ({
        ...n,
        addresses: [...n.addresses].sort(
          (a, b) => a.family - b.family || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0),
        ),
      }));
  }

  /** The MAC holding `ip`, if any. */
  ownerOf(ip: string): string | undefined {
    return this.#owner.get(key(ip));
  }
}
