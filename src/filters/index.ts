// Ready-made filters for the seeds' jobs.

export { type Item, jumpTo, type Label, type LabelJump, label, link } from './labels.js';
export * from './ready.js';
