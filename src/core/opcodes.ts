// ABI numbers of classic BPF under their C names (linux/filter.h, pcap/bpf.h), so a grep finds them.

/** Instruction classes (`code & 0x07`). */
export const BPF_LD = 0x00;
export const BPF_LDX = 0x01;
export const BPF_ST = 0x02;
export const BPF_STX = 0x03;
export const BPF_ALU = 0x04;
export const BPF_JMP = 0x05;
export const BPF_RET = 0x06;
export const BPF_MISC = 0x07;

/** Load sizes (`code & 0x18`). */
export const BPF_W = 0x00;
export const BPF_H = 0x08;
export const BPF_B = 0x10;

/** Load modes (`code & 0xe0`). */
export const BPF_IMM = 0x00;
export const BPF_ABS = 0x20;
export const BPF_IND = 0x40;
export const BPF_MEM = 0x60;
export const BPF_LEN = 0x80;
export const BPF_MSH = 0xa0;

/** ALU operations (`code & 0xf0`). */
export const BPF_ADD = 0x00;
export const BPF_SUB = 0x10;
export const BPF_MUL = 0x20;
export const BPF_DIV = 0x30;
export const BPF_OR = 0x40;
export const BPF_AND = 0x50;
export const BPF_LSH = 0x60;
export const BPF_RSH = 0x70;
export const BPF_NEG = 0x80;
export const BPF_MOD = 0x90;
export const BPF_XOR = 0xa0;

/** Jump operations (`code & 0xf0`). */
export const BPF_JA = 0x00;
export const BPF_JEQ = 0x10;
export const BPF_JGT = 0x20;
export const BPF_JGE = 0x30;
export const BPF_JSET = 0x40;

/** Operand source (`code & 0x08`) for ALU and JMP; return value source for RET (`code & 0x18`). */
export const BPF_K = 0x00;
export const BPF_X = 0x08;
export const BPF_A = 0x10;

/** MISC operations (`code & 0xf8`). */
export const BPF_TAX = 0x00;
export const BPF_TXA = 0x80;

/** Scratch memory words (`M[0..15]`). */
export const BPF_MEMWORDS = 16;
/** Linux's program length limit (`BPF_MAXINSNS` in linux/bpf_common.h). */
export const LINUX_MAXINSNS = 4096;
/** BSD/macOS kernels' default program length limit (`BPF_MAXINSNS` in net/bpf.h). */
export const BSD_MAXINSNS = 512;

export const BPF_CLASS = (code: number): number => code & 0x07;
export const BPF_SIZE = (code: number): number => code & 0x18;
export const BPF_MODE = (code: number): number => code & 0xe0;
export const BPF_OP = (code: number): number => code & 0xf0;
export const BPF_SRC = (code: number): number => code & 0x08;
export const BPF_RVAL = (code: number): number => code & 0x18;
export const BPF_MISCOP = (code: number): number => code & 0xf8;

/** Linux header-relative and ancillary offsets (signed in C; here as u32). */
export const SKF_AD_OFF = 0xfffff000;
export const SKF_NET_OFF = 0xfff00000;
export const SKF_LL_OFF = 0xffe00000;

/** Linux ancillary data fields: `SKF_AD_OFF + n` (linux/filter.h). */
export const SKF_AD = {
  protocol: 0,
  pkttype: 4,
  ifindex: 8,
  nlattr: 12,
  nlattr_nest: 16,
  mark: 20,
  queue: 24,
  hatype: 28,
  rxhash: 32,
  cpu: 36,
  alu_xor_x: 40,
  vlan_tag: 44,
  vlan_tag_present: 48,
  pay_offset: 52,
  random: 56,
  vlan_tpid: 60,
} as const;
/** `SKF_AD_MAX`: one past the last ancillary offset. */
export const SKF_AD_MAX = 64;

/** Name of a Linux ancillary field. */
export type AncillaryName = keyof typeof SKF_AD;

const ANC_BY_OFFSET = new Map<number, AncillaryName>(
  (Object.entries(SKF_AD) as [AncillaryName, number][]).map(([name, n]) => [n, name]),
);

/** The ancillary field named by an absolute load offset `k`, or undefined. */
export function ancillaryAt(k: number): AncillaryName | undefined {
  const u = k >>> 0;
  if (u < SKF_AD_OFF) return undefined;
  return ANC_BY_OFFSET.get(u - SKF_AD_OFF);
}

/**
 * Every classic BPF operation under one name, its opcode written as the BPF_* composition the C
 * headers use: the one place an opcode is spelled. Decoding, the validator, the interpreters, the
 * printers and the emitters name operations through this table (`OP.LD_H_ABS`), never by number.
 * The order is the one Linux's `chk_code_allowed` lists them in, which seeded generators rely on.
 */
export const OP = {
  LD_W_ABS: BPF_LD | BPF_W | BPF_ABS,
  LD_H_ABS: BPF_LD | BPF_H | BPF_ABS,
  LD_B_ABS: BPF_LD | BPF_B | BPF_ABS,
  LD_W_IND: BPF_LD | BPF_W | BPF_IND,
  LD_H_IND: BPF_LD | BPF_H | BPF_IND,
  LD_B_IND: BPF_LD | BPF_B | BPF_IND,
  LD_IMM: BPF_LD | BPF_W | BPF_IMM,
  LD_LEN: BPF_LD | BPF_W | BPF_LEN,
  LD_MEM: BPF_LD | BPF_W | BPF_MEM,
  LDX_IMM: BPF_LDX | BPF_W | BPF_IMM,
  LDX_LEN: BPF_LDX | BPF_W | BPF_LEN,
  LDX_MEM: BPF_LDX | BPF_W | BPF_MEM,
  /** `ldxb 4*([k]&0xf)`: X = the IPv4 header length at k. */
  LDX_MSH: BPF_LDX | BPF_B | BPF_MSH,
  ST: BPF_ST,
  STX: BPF_STX,
  ADD_K: BPF_ALU | BPF_ADD | BPF_K,
  ADD_X: BPF_ALU | BPF_ADD | BPF_X,
  SUB_K: BPF_ALU | BPF_SUB | BPF_K,
  SUB_X: BPF_ALU | BPF_SUB | BPF_X,
  MUL_K: BPF_ALU | BPF_MUL | BPF_K,
  MUL_X: BPF_ALU | BPF_MUL | BPF_X,
  DIV_K: BPF_ALU | BPF_DIV | BPF_K,
  DIV_X: BPF_ALU | BPF_DIV | BPF_X,
  MOD_K: BPF_ALU | BPF_MOD | BPF_K,
  MOD_X: BPF_ALU | BPF_MOD | BPF_X,
  OR_K: BPF_ALU | BPF_OR | BPF_K,
  OR_X: BPF_ALU | BPF_OR | BPF_X,
  AND_K: BPF_ALU | BPF_AND | BPF_K,
  AND_X: BPF_ALU | BPF_AND | BPF_X,
  XOR_K: BPF_ALU | BPF_XOR | BPF_K,
  XOR_X: BPF_ALU | BPF_XOR | BPF_X,
  LSH_K: BPF_ALU | BPF_LSH | BPF_K,
  LSH_X: BPF_ALU | BPF_LSH | BPF_X,
  RSH_K: BPF_ALU | BPF_RSH | BPF_K,
  RSH_X: BPF_ALU | BPF_RSH | BPF_X,
  NEG: BPF_ALU | BPF_NEG,
  JA: BPF_JMP | BPF_JA,
  JEQ_K: BPF_JMP | BPF_JEQ | BPF_K,
  JEQ_X: BPF_JMP | BPF_JEQ | BPF_X,
  JGT_K: BPF_JMP | BPF_JGT | BPF_K,
  JGT_X: BPF_JMP | BPF_JGT | BPF_X,
  JGE_K: BPF_JMP | BPF_JGE | BPF_K,
  JGE_X: BPF_JMP | BPF_JGE | BPF_X,
  JSET_K: BPF_JMP | BPF_JSET | BPF_K,
  JSET_X: BPF_JMP | BPF_JSET | BPF_X,
  RET_K: BPF_RET | BPF_K,
  RET_A: BPF_RET | BPF_A,
  TAX: BPF_MISC | BPF_TAX,
  TXA: BPF_MISC | BPF_TXA,
} as const;

/** The name of a classic BPF operation in OP. */
export type OpName = keyof typeof OP;

const NAME_BY_CODE = new Map<number, OpName>(
  (Object.entries(OP) as [OpName, number][]).map(([name, code]) => [code, name]),
);

/** The OP name of opcode `code`, or undefined when it is not one of the 49. */
export function opName(code: number): OpName | undefined {
  return NAME_BY_CODE.get(code);
}

/** The 49 opcodes Linux (`chk_code_allowed`) and FreeBSD (`bpf_code_map`) accept: OP's values. */
export const VALID_OPCODES: ReadonlySet<number> = new Set(NAME_BY_CODE.keys());

/** True if `code` is one of the 49 canonical classic BPF opcodes. */
export function isValidOpcode(code: number): boolean {
  return NAME_BY_CODE.has(code);
}

/**
 * The ALU operations by their mnemonic (bpf_asm, tcpdump -d): the BPF_OP bits, to combine with
 * BPF_ALU and BPF_K or BPF_X (`neg` has no operand and is OP.NEG).
 */
export const ALU_OPS = {
  add: BPF_ADD,
  sub: BPF_SUB,
  mul: BPF_MUL,
  div: BPF_DIV,
  or: BPF_OR,
  and: BPF_AND,
  lsh: BPF_LSH,
  rsh: BPF_RSH,
  mod: BPF_MOD,
  xor: BPF_XOR,
} as const;

/** The conditional jumps by their mnemonic: the BPF_OP bits, to combine with BPF_JMP and BPF_K or BPF_X. */
export const JMP_CONDS = {
  jeq: BPF_JEQ,
  jgt: BPF_JGT,
  jge: BPF_JGE,
  jset: BPF_JSET,
} as const;

/** Bytes a load of this opcode reads: its BPF_SIZE, and 1 for `ldxb 4*([k]&0xf)`. */
export function loadSize(code: number): 1 | 2 | 4 {
  if (BPF_MODE(code) === BPF_MSH) return 1;
  const size = BPF_SIZE(code);
  return size === BPF_B ? 1 : size === BPF_H ? 2 : 4;
}

/** Data link types (DLT_*) cbpf knows by name; values as pcap files store them (LINKTYPE_*). */
export const DLT = {
  NULL: 0,
  EN10MB: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  LINUX_SLL2: 276,
  IPV4: 228,
  IPV6: 229,
} as const;
export type DltName = keyof typeof DLT;
