// Placeholder while the decompiler is written.
import type { Program } from '../../core/encode.js';
import type { ProfileName } from '../../core/profiles.js';

export interface DecompileOptions {
  linktype?: string | number;
  profile?: ProfileName;
  maxLength?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface DecompileResult {
  expression?: string;
  proof?: 'value' | 'verdict';
  snaplen?: number;
  structured: string;
  why?: string;
}

export async function decompile(_p: Program, _o: DecompileOptions = {}): Promise<DecompileResult> {
  return { structured: '', why: 'not written yet' };
}
