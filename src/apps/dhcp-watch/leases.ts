// The lease table a DHCP watcher keeps: which address each client holds, from which server, until when.
// DHCPv4 leases are keyed by client MAC; DHCPv6 leases by client DUID and address (a client may hold
// several), with the MAC when its DUID carries one. ACK/REPLY grant, RELEASE/DECLINE/NAK end, time expires.
import type { DhcpEvent } from './events.js';
import type { Dhcp6Event } from './events6.js';

export interface Lease {
  readonly family: 4 | 6;
  /** The client's MAC: chaddr for DHCPv4, from a DUID-LL/LLT for DHCPv6 (else undefined). */
  readonly mac?: string;
  /** DHCPv6: the client DUID in hex. */
  readonly duid?: string;
  readonly ip: string;
  readonly hostname?: string;
  /** DHCPv4 server identifier, or the DHCPv6 server DUID in hex. */
  readonly server?: string;
  /** When the lease was granted or last renewed, ms since the epoch. */
  readonly granted: number;
  /** When it runs out, ms since the epoch; undefined for an infinite lease. */
  readonly expires?: number;
}

/** Why a lease left the table. */
export type LeaseEnd = {
  readonly lease: Lease;
  readonly reason: 'released' | 'declined' | 'refused' | 'expired';
};

const INFINITE = 0xffffffff;
const expiry = (start: number, seconds: number | undefined) =>
  seconds === undefined || seconds === INFINITE ? undefined : start + seconds * 1000;

export class LeaseTable {
  readonly #leases = new Map<string, Lease>();
  /** DHCPv4 hostnames from DISCOVER/REQUEST, shown on the ACK's lease. */
  readonly #hostnames = new Map<string, string>();

  /** Applies a DHCPv4 event; returns the leases it ended (a NAK or RELEASE ends the client's lease). */
  apply(e: DhcpEvent): LeaseEnd[] {
    const key = `4 ${e.clientMac}`;
    if (e.hostname) this.#hostnames.set(e.clientMac, e.hostname);
    const old = this.#leases.get(key);
    switch (e.type) {
      case 'ACK':
        if (e.assignedIp)
          this.#leases.set(key, {
            family: 4,
            mac: e.clientMac,
            ip: e.assignedIp,
            hostname: e.hostname ?? this.#hostnames.get(e.clientMac),
            server: e.serverId ?? (e.from || undefined),
            granted: e.time,
            expires: expiry(e.time, e.leaseTime),
          });
        return [];
      case 'RELEASE':
      case 'DECLINE':
      case 'NAK':
        if (!old) return [];
        this.#leases.delete(key);
        return [
          {
            lease: old,
            reason:
              e.type === 'RELEASE' ? 'released' : e.type === 'DECLINE' ? 'declined' : 'refused',
          },
        ];
      default:
        return [];
    }
  }

  /** Applies a DHCPv6 event: a REPLY grants (or renews, or with zero lifetimes ends) its IA addresses. */
  apply6(e: Dhcp6Event): LeaseEnd[] {
    if (!e.clientDuid) return [];
    const ended: LeaseEnd[] = [];
    const key = (ip: string) => `6 ${e.clientDuid} ${ip.toLowerCase()}`;
    if (e.type === 'REPLY') {
      for (const a of e.addresses) {
        const old = this.#leases.get(key(a.ip));
        if (a.valid === 0) {
          if (old) {
            this.#leases.delete(key(a.ip));
            ended.push({ lease: old, reason: 'released' });
          }
          continue;
        }
        this.#leases.set(key(a.ip), {
          family: 6,
          mac: e.clientMac,
          duid: e.clientDuid,
          ip: a.ip,
          server: e.serverDuid,
          granted: e.time,
          expires: expiry(e.time, a.valid),
        });
      }
    } else if (e.type === 'RELEASE' || e.type === 'DECLINE') {
      for (const a of e.addresses) {
        const old = this.#leases.get(key(a.ip));
        if (!old) continue;
        this.#leases.delete(key(a.ip));
        ended.push({ lease: old, reason: e.type === 'RELEASE' ? 'released' : 'declined' });
      }
    }
    return ended;
  }

  /** Removes and returns the leases that ran out by `now`. */
  expire(now: number): LeaseEnd[] {
    const ended: LeaseEnd[] = [];
    for (const [k, l] of this.#leases)
      if (l.expires !== undefined && l.expires <= now) {
        this.#leases.delete(k);
        ended.push({ lease: l, reason: 'expired' });
      }
    return ended;
  }

  /** The current leases: IPv4 first, then by address. */
  leases(): Lease[] {
    return [...this.#leases.values()].sort(
      (a, b) => a.family - b.family || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0),
    );
  }
}
