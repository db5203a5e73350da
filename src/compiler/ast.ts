// The filter expression's syntax tree: every node has a `kind` and the [start, end) span it came from.
// Qualifier inheritance (`host a or b`) is already resolved: each primitive carries its own qualifiers.

export type Span = readonly [number, number];

/** Protocol qualifiers of pcap-filter(7) that cbpf knows. */
export type ProtoQual =
  | 'link'
  | 'ether'
  | 'ip'
  | 'ip6'
  | 'arp'
  | 'rarp'
  | 'tcp'
  | 'udp'
  | 'sctp'
  | 'icmp'
  | 'icmp6'
  | 'igmp'
  | 'igrp'
  | 'pim'
  | 'vrrp'
  | 'carp'
  | 'ah'
  | 'esp'
  | 'atalk'
  | 'aarp'
  | 'decnet'
  | 'lat'
  | 'sca'
  | 'moprc'
  | 'mopdl'
  | 'iso'
  | 'esis'
  | 'isis'
  | 'clnp'
  | 'stp'
  | 'ipx'
  | 'netbeui'
  | 'l1'
  | 'l2'
  | 'iih'
  | 'lsp'
  | 'snp'
  | 'csnp'
  | 'psnp'
  | 'radio'
  | 'fddi'
  | 'tr'
  | 'wlan';
/** Direction qualifiers. */
export type DirQual =
  | 'src'
  | 'dst'
  | 'src or dst'
  | 'src and dst'
  | 'addr1'
  | 'addr2'
  | 'addr3'
  | 'addr4'
  | 'ra'
  | 'ta';
/** Type qualifiers. */
export type TypeQual = 'host' | 'net' | 'port' | 'portrange' | 'gateway' | 'proto' | 'protochain';

/** The operand of a `[proto] [dir] [type] id` primitive, as written. */
export type Id =
  | { readonly kind: 'num'; readonly value: number; readonly span: Span }
  /** A name: host, port, protocol or service name (`\tcp` arrives without the backslash). */
  | { readonly kind: 'name'; readonly name: string; readonly span: Span }
  /** Dotted IPv4, possibly partial (`10`, `192.168`): `parts` are the written bytes. */
  | { readonly kind: 'ipv4'; readonly parts: readonly number[]; readonly span: Span }
  | { readonly kind: 'ipv6'; readonly bytes: readonly number[]; readonly span: Span }
  | { readonly kind: 'mac'; readonly bytes: readonly number[]; readonly span: Span }
  /** `a/len` */
  | { readonly kind: 'cidr'; readonly addr: Id; readonly len: number; readonly span: Span }
  /** `a mask m` */
  | { readonly kind: 'mask'; readonly addr: Id; readonly mask: Id; readonly span: Span }
  /** `lo-hi` of portrange (either side a number or a name). */
  | { readonly kind: 'range'; readonly lo: Id; readonly hi: Id; readonly span: Span };

/** Arithmetic of relations. */
export type Arith =
  | { readonly kind: 'const'; readonly value: number; readonly span: Span }
  /** `len`: the packet's wire length. */
  | { readonly kind: 'len'; readonly span: Span }
  /** `proto[offset:size]` */
  | {
      readonly kind: 'load';
      readonly proto: ProtoQual;
      readonly offset: Arith;
      readonly size: 1 | 2 | 4;
      readonly span: Span;
    }
  | {
      readonly kind: 'binop';
      readonly op: ArithOp;
      readonly left: Arith;
      readonly right: Arith;
      readonly span: Span;
    }
  | { readonly kind: 'neg'; readonly expr: Arith; readonly span: Span };

export type ArithOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>';
export type RelOp = '>' | '<' | '>=' | '<=' | '=' | '!=';

/** Keyword primitives that take at most a number (`vlan 10`, `less 100`, `inbound`). */
export type KeywordName =
  | 'less'
  | 'greater'
  | 'broadcast'
  | 'multicast'
  | 'inbound'
  | 'outbound'
  | 'ifindex'
  | 'vlan'
  | 'mpls'
  | 'pppoes'
  | 'pppoed'
  | 'geneve'
  | 'vxlan'
  | 'llc';

export type Expr =
  /** The empty (or all-blank) expression: accepts every packet, as tcpdump with no filter. */
  | { readonly kind: 'empty'; readonly span: Span }
  | { readonly kind: 'and'; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'or'; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'not'; readonly expr: Expr; readonly span: Span }
  /** `[proto] [dir] [type] id`; absent qualifiers are null (libpcap's Q_DEFAULT). */
  | {
      readonly kind: 'primitive';
      readonly proto: ProtoQual | null;
      readonly dir: DirQual | null;
      readonly type: TypeQual | null;
      readonly id: Id;
      readonly span: Span;
    }
  /** A protocol alone: `tcp`, `ip6`, `arp`, also `ip proto` forms without id are errors. */
  | { readonly kind: 'protoAbbrev'; readonly proto: ProtoQual; readonly span: Span }
  /** `[proto] keyword [num]`: `ether broadcast`, `ip6 multicast`, `vlan 10`, `less 64`. */
  | {
      readonly kind: 'keyword';
      readonly name: KeywordName;
      readonly proto: ProtoQual | null;
      readonly arg: number | null;
      readonly span: Span;
    }
  /** `left relop right` */
  | {
      readonly kind: 'relation';
      readonly op: RelOp;
      readonly left: Arith;
      readonly right: Arith;
      readonly span: Span;
    };
