// Ready-made filters for the seeds' jobs.

export {
  assembleLabeled,
  type Item,
  jumpTo,
  type Label,
  type LabelJump,
  label,
} from './labels.js';
export {
  type BlockBuilder,
  KERNEL_MAX_INSNS,
  type MacSetOptions,
  macBytes,
  macSetProgram,
  programFromBlocks,
} from './mac-set.js';
export * from './ready.js';
