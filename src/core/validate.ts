// The validator: one rule set per profile (cbpf-reference.md 4.1 Linux, 4.2 libpcap, 4.3 FreeBSD).
import type { Program } from './encode.js';
import { ValidationError } from './errors.js';
import {
  ancillaryAt,
  BPF_ABS,
  BPF_ALU,
  BPF_CLASS,
  BPF_DIV,
  BPF_JMP,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_LSH,
  BPF_MEM,
  BPF_MEMWORDS,
  BPF_MOD,
  BPF_MODE,
  BPF_OP,
  BPF_RET,
  BPF_RSH,
  BPF_SRC,
  BPF_ST,
  BPF_STX,
  isValidOpcode,
  OP,
  SKF_AD_OFF,
} from './opcodes.js';
import { PROFILES, type ProfileFacts, type ProfileName } from './profiles.js';

const isUint = (v: unknown, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

/**
 * Every problem `profile` finds in `program`, in the order the platform's checker meets them
 * (per instruction, then the last-instruction rule, then Linux's scratch pass). Never throws:
 * anything that is not a well-formed array of {code, jt, jf, k} is reported, not trusted.
 */
export function validate(program: Program, profile: ProfileName = 'linux'): ValidationError[] {
  if (!Object.hasOwn(PROFILES, profile))
    return [new ValidationError('BAD_PROGRAM', -1, `unknown profile ${String(profile)}`)];
  const facts = PROFILES[profile];
  const errors: ValidationError[] = [];
  if (!Array.isArray(program))
    return [new ValidationError('BAD_PROGRAM', -1, 'program is not an array')];
  const n = program.length;
  if (n === 0) {
    if (!facts.emptyAcceptsAll)
      errors.push(new ValidationError('EMPTY', -1, 'program has no instructions'));
    return errors;
  }
  if (n > facts.maxInsns) {
    errors.push(
      new ValidationError(
        'TOO_LONG',
        -1,
        `${n} instructions, ${facts.name} allows at most ${facts.maxInsns}`,
      ),
    );
    return errors;
  }
  let fieldsOk = true;
  for (let pc = 0; pc < n; pc++) {
    const insn: unknown = program[pc];
    if (typeof insn !== 'object' || insn === null) {
      errors.push(new ValidationError('BAD_FIELD', pc, 'not an instruction object'));
      fieldsOk = false;
      continue;
    }
    const { code, jt, jf, k } = insn as Record<string, unknown>;
    if (!isUint(code, 0xffff) || !isUint(jt, 255) || !isUint(jf, 255) || !isUint(k, 0xffffffff)) {
      errors.push(new ValidationError('BAD_FIELD', pc, 'code must be u16, jt/jf u8 and k u32'));
      fieldsOk = false;
      continue;
    }
    checkInsn(code, jt, jf, k, pc, n, facts, errors);
  }
  if (!fieldsOk) return errors;
  const last = program[n - 1] as { code: number };
  const finalOk = facts.strictFinalRet
    ? last.code === OP.RET_K || last.code === OP.RET_A
    : BPF_CLASS(last.code) === BPF_RET;
  if (!finalOk)
    errors.push(new ValidationError('NO_FINAL_RET', n - 1, 'last instruction is not a return'));
  // The kernel runs its scratch pass only on a program that passed everything else.
  if (facts.scratchCheck && errors.length === 0) checkLoadAndStores(program, errors);
  return errors;
}

/** Throws the first problem validate() finds. */
export function assertValid(program: Program, profile: ProfileName = 'linux'): void {
  const errors = validate(program, profile);
  if (errors.length > 0) throw errors[0];
}

/** True if `program` passes `profile`'s validator. */
export function isValid(program: Program, profile: ProfileName = 'linux'): boolean {
  return validate(program, profile).length === 0;
}

function checkInsn(
  code: number,
  jt: number,
  jf: number,
  k: number,
  pc: number,
  n: number,
  facts: ProfileFacts,
  errors: ValidationError[],
): void {
  if (!isValidOpcode(code)) {
    errors.push(
      new ValidationError(
        'BAD_OPCODE',
        pc,
        `opcode 0x${code.toString(16)} is not a classic BPF opcode`,
      ),
    );
    return;
  }
  const cls = BPF_CLASS(code);
  switch (cls) {
    case BPF_LD:
    case BPF_LDX:
      if (BPF_MODE(code) === BPF_MEM && k >= BPF_MEMWORDS) errors.push(memIndex(pc, k));
      // Linux resolves `ld [k]` in the SKF_AD range when it loads the program: unknown fields fail here.
      if (
        facts.linuxExtensions &&
        cls === BPF_LD &&
        BPF_MODE(code) === BPF_ABS &&
        k >= SKF_AD_OFF &&
        !ancillaryAt(k)
      ) {
        errors.push(
          new ValidationError(
            'BAD_ANCILLARY',
            pc,
            `no ancillary field at SKF_AD_OFF+${k - SKF_AD_OFF}`,
          ),
        );
      }
      return;
    case BPF_ST:
    case BPF_STX:
      if (k >= BPF_MEMWORDS) errors.push(memIndex(pc, k));
      return;
    case BPF_ALU: {
      const op = BPF_OP(code);
      if (BPF_SRC(code) !== BPF_K) return;
      if ((op === BPF_DIV || op === BPF_MOD) && k === 0)
        errors.push(new ValidationError('DIV_BY_ZERO', pc, 'division by constant 0'));
      if (facts.rejectConstShift32 && (op === BPF_LSH || op === BPF_RSH) && k >= 32) {
        errors.push(new ValidationError('SHIFT_TOO_LARGE', pc, `shift by constant ${k} (>= 32)`));
      }
      return;
    }
    case BPF_JMP:
      if (code === OP.JA) {
        if (k < n - pc - 1) return;
        // libpcap adds k with 32-bit wraparound, so a "huge" k can be a backward jump it accepts.
        const wrapped = (pc + 1 + k) % 0x1_0000_0000;
        if (wrapped < n) {
          if (!facts.backwardJa)
            errors.push(
              new ValidationError('JUMP_BACKWARD', pc, `ja to ${wrapped}: backward jump`),
            );
          return;
        }
        errors.push(new ValidationError('JUMP_OUT_OF_RANGE', pc, `ja past the end (k = ${k})`));
        return;
      }
      if (pc + 1 + jt >= n || pc + 1 + jf >= n) {
        errors.push(
          new ValidationError('JUMP_OUT_OF_RANGE', pc, `jump past the end (jt ${jt}, jf ${jf})`),
        );
      }
      return;
    default:
      return;
  }
}

const memIndex = (pc: number, k: number) =>
  new ValidationError('MEM_INDEX', pc, `scratch index ${k} (>= ${BPF_MEMWORDS})`);

/**
 * Linux's `check_load_and_stores`, literally: one pass in index order with a "written" mask that a
 * jump hands to its targets and then resets to all ones. It does not reset after `ret`, so it
 * rejects some programs that never read an unwritten cell (cbpf-reference.md 4.1 item 9).
 * Assumes every jump target is in range (checked before).
 */
function checkLoadAndStores(program: Program, errors: ValidationError[]): void {
  const n = program.length;
  const masks = new Uint16Array(n).fill(0xffff);
  let valid = 0;
  for (let pc = 0; pc < n; pc++) {
    const { code, jt, jf, k } = program[pc] as { code: number; jt: number; jf: number; k: number };
    valid &= masks[pc] as number;
    if (code === OP.ST || code === OP.STX) {
      valid |= 1 << k;
    } else if (code === OP.LD_MEM || code === OP.LDX_MEM) {
      if ((valid & (1 << k)) === 0) {
        errors.push(
          new ValidationError(
            'MEM_READ_BEFORE_WRITE',
            pc,
            `M[${k}] may be read before it is written`,
          ),
        );
        return;
      }
    } else if (code === OP.JA) {
      masks[pc + 1 + k] = (masks[pc + 1 + k] as number) & valid;
      valid = 0xffff;
    } else if (BPF_CLASS(code) === BPF_JMP) {
      masks[pc + 1 + jt] = (masks[pc + 1 + jt] as number) & valid;
      masks[pc + 1 + jf] = (masks[pc + 1 + jf] as number) & valid;
      valid = 0xffff;
    }
  }
}
