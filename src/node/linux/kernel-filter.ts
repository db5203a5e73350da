// The filter option of a Linux capture as the socket runs it: an expression compiled for what the
// kernel sees (compile's linuxSocket), or, where no kernel program can give the captured frame's
// verdict, the ordinary program run here on each frame (libpcap's "filtering in userland").
import type { Program } from '../../core/encode.js';
import { toProgram } from '../../core/encode.js';
import type { Insn, RawInsn } from '../../core/insn.js';
import { parseProgramText, recognizeProgramText } from '../../core/text/index.js';

/** Where a capture's filter runs. Both undefined: no filter. */
export interface LinuxFilter {
  /** Attached to the socket (SO_ATTACH_FILTER). */
  readonly kernel?: Program;
  /** Run in this process on each captured frame (libpcap profile, as tcpdump -r runs it). */
  readonly user?: Program;
  /**
   * Run here on the frames the kernel program lets through unjudged: a cooked socket's outgoing
   * frames that carried VLAN tags inline (direction OUTGOING with VLAN metadata in the ring).
   */
  readonly outgoingVlan?: Program;
}

/**
 * Resolves a capture's `filter` for a socket whose frames have link type `linktype`: a program (or
 * program text) goes to the kernel as it is; an expression is compiled (the compiler loads only then).
 */
export async function resolveLinuxFilter(
  filter: string | readonly (Insn | RawInsn)[] | undefined,
  linktype: number,
  snaplen: number,
): Promise<LinuxFilter> {
  if (filter === undefined) return {};
  if (typeof filter !== 'string') return { kernel: toProgram(filter) };
  if (filter.trim() === '') return {};
  // Text that can only be a program is parsed as one, its errors standing (as resolveFilter does).
  const format = recognizeProgramText(filter);
  if (format) return { kernel: parseProgramText(filter, format) };
  const { compile, KernelViewError, needsOutgoingVlanRecheck } = await import(
    '../../compiler/index.js'
  );
  try {
    const kernel = toProgram(compile(filter, { linktype, snaplen, linuxSocket: true }));
    return needsOutgoingVlanRecheck(linktype)
      ? { kernel, outgoingVlan: toProgram(compile(filter, { linktype, snaplen })) }
      : { kernel };
  } catch (e) {
    if (!(e instanceof KernelViewError)) throw e;
  }
  return { user: toProgram(compile(filter, { linktype, snaplen })) };
}
