// The printers a payload is handed to by the protocol around it (see NextPrinters in printer.ts): the
// one module that imports them all, so that none of them imports another to print what it carries.
import { printEther, printEthertype } from './ethernet.js';
import { printIpDemux } from './ip-demux.js';
import { printIp } from './ipv4.js';
import { printIp6 } from './ipv6.js';
import { printIsoclns } from './isoclns.js';
import { printLlc } from './llc.js';
import { printMpls } from './mpls.js';
import { printPpp } from './ppp.js';
import type { NextPrinters } from './printer.js';

export const NEXT_PRINTERS: NextPrinters = {
  printIp,
  printIp6,
  printIpDemux,
  printEther,
  printEthertype,
  printLlc,
  printIsoclns,
  printMpls,
  printPpp,
};
