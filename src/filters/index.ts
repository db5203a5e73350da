// Ready-made filters for the seeds' jobs.
export * from './ready.js';
export { type Item, type Label, type LabelJump, jumpTo, label, link } from './labels.js';
