// The filters bench/filters.ts measures (the seeds' jobs and common tcpdump filters, a 12-host list last);
// test/core/wasm/equiv.test.ts runs the same ones through every engine.
export const BENCH_EXPRS = [
  'arp',
  'arp[6:2] = 2',
  'udp port 67 or udp port 68',
  'tcp port 80 or tcp port 443',
  'tcp port 80',
  'udp port 53 or udp port 67 or udp port 68',
  'host 10.0.0.1 and (tcp port 22 or tcp port 443)',
  'ip6 and not icmp6',
  `host ${Array.from({ length: 12 }, (_, i) => `10.0.0.${i + 1}`).join(' or host ')}`,
];
