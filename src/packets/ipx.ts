// Novell IPX with its SAP and RIP messages, as tcpdump's print-ipx.c.
import { printEigrp } from './eigrp.js';
import type { Printer } from './printer.js';

const hex = (v: number, w: number) => v.toString(16).padStart(w, '0');

function ipxAddr(p: Printer, net: number, node: number): string {
  return `${hex(net, 8)}.${p.hexColon(node, 6)}`;
}

/** ipx_print. */
export function printIpx(p: Printer, o: number, _length: number): void {
  p.protocol = 'ipx';
  if (!p.eflag) p.print('IPX ');
  p.print(`${ipxAddr(p, p.u32(o + 18), o + 22)}.${hex(p.u16(o + 28), 4)} > `);
  p.print(`${ipxAddr(p, p.u32(o + 6), o + 10)}.${hex(p.u16(o + 16), 4)}: `);
  const length = p.u16(o + 2);
  if (length < 30) {
    p.print(`[length ${length} < 30]`);
    p.invalid();
    return;
  }
  const data = o + 30;
  const len = length - 30;
  const skt = p.u16(o + 16);
  switch (skt) {
    case 0x0451:
      p.print(`ipx-ncp ${len}`);
      break;
    case 0x0452:
      sap(p, data, len);
      break;
    case 0x0453:
      rip(p, data, len);
      break;
    case 0x0455:
      p.print(`ipx-netbios ${len}`);
      break;
    case 0x0456:
      p.print(`ipx-diags ${len}`);
      break;
    case 0x0553:
      p.print(`ipx-nwlink-dgm ${len}`);
      break;
    case 0x85be:
      printEigrp(p, data, len);
      break;
    default:
      p.print(`ipx-#${skt.toString(16)} ${len}`);
  }
}

function lcheck(p: Printer, length: number, min: number): boolean {
  if (length >= min) return true;
  p.print(` [length ${length} < ${min}]`);
  p.invalid();
  return false;
}

function sap(p: Printer, o: number, length0: number): void {
  const command = p.u16(o);
  if (!lcheck(p, length0, 2)) return;
  let q = o + 2;
  let length = length0 - 2;
  switch (command) {
    case 1:
    case 3:
      p.print(command === 1 ? 'ipx-sap-req' : 'ipx-sap-nearest-req');
      p.print(` ${hex(p.u16(q), 4)}`);
      break;
    case 2:
    case 4:
      p.print(command === 2 ? 'ipx-sap-resp' : 'ipx-sap-nearest-resp');
      for (let i = 0; i < 8 && length !== 0; i++) {
        p.need(q, 2);
        if (length < 2) {
          p.invalid();
          return;
        }
        p.print(` ${hex(p.u16(q), 4)} '`);
        q += 2;
        length -= 2;
        if (length < 48) {
          p.print("'");
          p.invalid();
          return;
        }
        p.printjnp(q, 48);
        p.print("'");
        q += 48;
        length -= 48;
        p.need(q, 10);
        if (length < 10) {
          p.invalid();
          return;
        }
        p.print(` addr ${ipxAddr(p, p.u32(q), q + 4)}`);
        q += 10;
        length -= 10;
        p.need(q, 4);
        if (length < 4) {
          p.invalid();
          return;
        }
        q += 4;
        length -= 4;
      }
      break;
    default:
      p.print(`ipx-sap-?${command.toString(16)}`);
  }
}

function rip(p: Printer, o: number, length0: number): void {
  const command = p.u16(o);
  if (!lcheck(p, length0, 2)) return;
  let q = o + 2;
  let length = length0 - 2;
  const entry = () => `${hex(p.u32(q), 8)}/${p.u16(q + 4)}.${p.u16(q + 6)}`;
  switch (command) {
    case 1:
      p.print('ipx-rip-req');
      if (length !== 0) {
        if (length < 8) {
          p.invalid();
          return;
        }
        p.print(` ${entry()}`);
      }
      break;
    case 2:
      p.print('ipx-rip-resp');
      for (let i = 0; i < 50 && length !== 0; i++) {
        if (length < 8) {
          p.invalid();
          return;
        }
        p.print(` ${entry()}`);
        q += 8;
        length -= 8;
      }
      break;
    default:
      p.print(`ipx-rip-?${command.toString(16)}`);
  }
}
