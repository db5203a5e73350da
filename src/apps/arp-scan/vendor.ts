// Vendors of the MAC prefixes VMs and containers get, the scanner's use case; no full IEEE table is bundled.

const VM_OUIS: Readonly<Record<string, string>> = {
  '52:54:00': 'QEMU/KVM',
  '08:00:27': 'VirtualBox',
  '0a:00:27': 'VirtualBox host-only',
  '00:0c:29': 'VMware',
  '00:50:56': 'VMware',
  '00:05:69': 'VMware',
  '00:1c:14': 'VMware',
  '00:16:3e': 'Xen',
  '00:15:5d': 'Hyper-V',
  '00:1c:42': 'Parallels',
  '02:42:ac': 'Docker',
  'fa:16:3e': 'OpenStack',
};

/** The vendor of a MAC's OUI when it is a known VM/container prefix, else 'locally administered' or undefined. */
export function macVendor(mac: string): string | undefined {
  const m = mac.toLowerCase();
  const known = VM_OUIS[m.slice(0, 8)];
  if (known) return known;
  return (Number.parseInt(m.slice(0, 2), 16) & 0x02) !== 0 ? 'locally administered' : undefined;
}
