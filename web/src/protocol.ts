// Messages between the page and its workers. Every request carries an id; replies and progress echo
// it, so the page can ignore answers to requests it has since replaced.
import type { ProfileName, RawInsn } from '../../src/index.js';
import type { BuildParams, Built, GraphOutcome } from './build.js';
import type { CaptureIndex, FilterOutcome } from './capture.js';

export type Request =
  | { kind: 'open'; id: number; file: ArrayBuffer }
  | { kind: 'filter'; id: number; program: RawInsn[]; profile: ProfileName }
  | ({ kind: 'build'; id: number } & BuildParams)
  | { kind: 'layout'; id: number; params: BuildParams };

export type Reply =
  | { kind: 'progress'; id: number; phase: 'reading' | 'filtering'; done: number; total: number }
  | ({ kind: 'opened'; id: number } & CaptureIndex)
  | ({ kind: 'filtered'; id: number } & FilterOutcome)
  /** One program of a build: an expression's two variants come in turn, the quick unoptimized one first. */
  | { kind: 'program'; id: number; optimized: boolean | undefined; built: Built; ms: number }
  /** The last reply to a build or layout request. */
  | { kind: 'graph'; id: number; graph: GraphOutcome; ms: number }
  | { kind: 'error'; id: number; message: string };
