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

/** The 49 opcodes Linux (`chk_code_allowed`) and FreeBSD (`bpf_code_map`) accept. */
export const VALID_OPCODES: ReadonlySet<number> = new Set([
  // LD
  0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x00, 0x80, 0x60,
  // LDX
  0x01, 0x81, 0x61, 0xb1,
  // ST, STX
  0x02, 0x03,
  // ALU K / X
  0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x94, 0x9c, 0x44, 0x4c, 0x54, 0x5c, 0xa4, 0xac,
  0x64, 0x6c, 0x74, 0x7c, 0x84,
  // JMP
  0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d,
  // RET, MISC
  0x06, 0x16, 0x07, 0x87,
]);

/** True if `code` is one of the 49 canonical classic BPF opcodes. */
export function isValidOpcode(code: number): boolean {
  return VALID_OPCODES.has(code);
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
