// `geneve [VNI]`: UDP to port 6081 over IPv4 or IPv6, Geneve version 0 (and the VNI); everything after it
// looks inside (libpcap gen_geneve). The inner offsets depend on the IP header length and on the Geneve
// options length, so they go to scratch registers: the link type field (the Geneve protocol type, or an
// inner Ethernet's), the inner link header and the inner payload. libpcap computes them with a jump inside
// a statement list and so leaves the program unoptimized; cbpf keeps every load as well.
import type { Span } from '../ast.js';
import { fail } from '../errors.js';
import type { Stmt } from '../ir.js';
import { allocReg, type Ctx } from './context.js';
import { en10mb } from './link/en10mb.js';
import { loadxIpHdrLen, mcmpAt, type Rel, varPart } from './load.js';
import { portAtom, ports4, ports6 } from './port.js';
import { and, or, type Pred, test } from './pred.js';

const GENEVE_PORT = 6081;
/** Transparent Ethernet bridging: an Ethernet header follows the Geneve header. */
const ETHERTYPE_TEB = 0x6558;

/** Geneve to the port, version 0, and the VNI (libpcap gen_geneve_check). */
function check(ctx: Ctx, v6: boolean, vni: number | null, span: Span): Pred {
  const rel: Rel = v6 ? 'tran6' : 'tran4';
  const port = (v6 ? ports6 : ports4)(ctx, 17, 'dst', portAtom(GENEVE_PORT), span);
  let p = and(port, mcmpAt(ctx, rel, 8, 1, 0xc0, 0));
  if (vni !== null) {
    if (vni > 0xffffff)
      fail('OUT_OF_RANGE', `Geneve VNI ${vni} greater than maximum ${0xffffff}`, span);
    p = and(p, mcmpAt(ctx, rel, 12, 4, 0xffffff00, (vni << 8) >>> 0));
  }
  return p;
}

/** Always true: leaves A = X = the IP header length (plus the payload's variable part). */
function headerLength(stmts: Stmt[]): Pred {
  return test(stmts, 'jeq', 0, 'x');
}

export function geneve(ctx: Ctx, vni: number | null, span: Span): Pred {
  const v4 = and(
    check(ctx, false, vni, span),
    headerLength([...loadxIpHdrLen(ctx), { kind: 'txa' }]),
  );
  const vp = varPart(ctx, ctx.offLinkPl);
  const v6 = and(
    check(ctx, true, vni, span),
    headerLength(
      vp.length
        ? [...vp, { kind: 'ldImm', k: 40 }, { kind: 'alu', op: 'add', src: 'x' }, { kind: 'tax' }]
        : [{ kind: 'ldImm', k: 40 }, { kind: 'tax' }],
    ),
  );
  // The Geneve header's offset: A plus the constant parts of the payload offset and the UDP header.
  const base = (ctx.offLinkPl.k + ctx.offNl + 8) >>> 0;
  const lt = allocReg(ctx, span);
  const hdr = allocReg(ctx, span);
  const pl = allocReg(ctx, span);
  ctx.zeroRegs.push(lt, hdr, pl);
  const offsets: Pred = {
    kind: 'graph',
    build: (add, t) => {
      // X ends as the inner payload's offset: after the Geneve header, and after an inner Ethernet header.
      const join = add([{ kind: 'stx', k: pl }], { kind: 'goto', target: t });
      const teb = add(
        [
          { kind: 'txa' },
          { kind: 'alu', op: 'add', src: 'k', k: 12 },
          { kind: 'st', k: lt },
          { kind: 'alu', op: 'add', src: 'k', k: 2 },
          { kind: 'tax' },
        ],
        { kind: 'goto', target: join },
      );
      return add(
        [
          { kind: 'alu', op: 'add', src: 'k', k: base },
          { kind: 'tax' },
          { kind: 'alu', op: 'add', src: 'k', k: 2 },
          { kind: 'st', k: lt },
          // Options length (4-byte words) in the first byte, plus the 8-byte base header.
          { kind: 'ldInd', size: 1, k: 0 },
          { kind: 'alu', op: 'and', src: 'k', k: 0x3f },
          { kind: 'alu', op: 'mul', src: 'k', k: 4 },
          { kind: 'alu', op: 'add', src: 'k', k: 8 },
          { kind: 'alu', op: 'add', src: 'x' },
          { kind: 'st', k: hdr },
          { kind: 'ldInd', size: 2, k: 2 },
          { kind: 'ldxMem', k: hdr },
        ],
        { kind: 'branch', cond: 'jeq', src: 'k', k: ETHERTYPE_TEB, t: teb, f: join },
      );
    },
  };
  ctx.prevLink = ctx.link;
  ctx.offPrevLinkHdr = ctx.offLinkHdr;
  ctx.link = en10mb;
  ctx.offLinkType = { k: 0, v: { reg: lt } };
  ctx.offLinkHdr = { k: 0, v: { reg: hdr } };
  ctx.offLinkPl = { k: 0, v: { reg: pl } };
  ctx.offNl = 0;
  ctx.isGeneve = true;
  ctx.noOptimize = true;
  return and(or(v4, v6), offsets);
}
