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
  /** An ARCnet address, `$xx`. */
  | { readonly kind: 'arcnet'; readonly addr: number; readonly span: Span }
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
  | 'llc'
  // SunATM: LANE, circuits by VPI/VCI, signalling messages.
  | 'lane'
  | 'metac'
  | 'bcc'
  | 'oamf4ec'
  | 'oamf4sc'
  | 'sc'
  | 'ilmic'
  | 'oam'
  | 'oamf4'
  | 'connectmsg'
  | 'metaconnect'
  // SS7 MTP2 signal units by length indicator (h: high-speed links).
  | 'fisu'
  | 'lssu'
  | 'msu'
  | 'hfisu'
  | 'hlssu'
  | 'hmsu';

/** A number or a name, as pflog and 802.11 keywords take them. */
export type Word =
  | { readonly kind: 'num'; readonly value: number; readonly span: Span }
  | { readonly kind: 'name'; readonly name: string; readonly span: Span };

/** pflog header fields (`on`/`ifname`, `rset`/`ruleset`, `rnr`/`rulenum`, `srnr`/`subrulenum`, `reason`, `action`). */
export type PfField = 'ifname' | 'rset' | 'rnr' | 'srnr' | 'reason' | 'action';

/** Header fields compared with `field [relop] value` or `field (v or v ...)`: SunATM's and SS7 MTP3's. */
export type FieldName =
  | 'vpi'
  | 'vci'
  | 'sio'
  | 'opc'
  | 'dpc'
  | 'sls'
  | 'hsio'
  | 'hopc'
  | 'hdpc'
  | 'hsls';

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
  /** `llc i`, `llc rnr` ...: an LLC frame of a kind or subtype, by name as written. */
  | { readonly kind: 'llcSubtype'; readonly name: Word; readonly span: Span }
  /** A pflog header field. */
  | { readonly kind: 'pf'; readonly field: PfField; readonly arg: Word; readonly span: Span }
  /** 802.11 frame control: `type T [subtype S]`, `subtype S`, `dir D` (a protocol qualifier before it is ignored). */
  | {
      readonly kind: 'wlan';
      readonly field: 'type' | 'subtype' | 'dir';
      readonly type: Word | null;
      readonly subtype: Word | null;
      readonly span: Span;
    }
  /** A SunATM or MTP3 field: `vpi 5`, `vci > 32`, `vpi (1 or 2)` (one relation, or equalities or-ed). */
  | {
      readonly kind: 'field';
      readonly field: FieldName;
      readonly op: RelOp;
      readonly values: readonly number[];
      readonly span: Span;
    }
  /** `byte N & V`, `byte N | V`: libpcap 1.10 tests A as it stands (the byte is never loaded). */
  | {
      readonly kind: 'byteop';
      readonly op: '&' | '|';
      readonly index: number;
      readonly value: number;
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
