// BSD/macOS /dev/bpf ioctl request numbers, computed from the _IO/_IOR/_IOW/_IOWR macros (FFI-free).
// Untested on a real macOS or FreeBSD kernel; the numbers are checked against cbpf-reference 6.3.

const IOCPARM_MASK = 0x1fff;
const IOC_VOID = 0x20000000;
const IOC_OUT = 0x40000000;
const IOC_IN = 0x80000000;

function ioc(dir: number, group: string, n: number, size: number): number {
  return (dir | ((size & IOCPARM_MASK) << 16) | (group.charCodeAt(0) << 8) | n) >>> 0;
}
export const _IO = (g: string, n: number) => ioc(IOC_VOID, g, n, 0);
export const _IOR = (g: string, n: number, size: number) => ioc(IOC_OUT, g, n, size);
export const _IOW = (g: string, n: number, size: number) => ioc(IOC_IN, g, n, size);
export const _IOWR = (g: string, n: number, size: number) => ioc(IOC_IN | IOC_OUT, g, n, size);

/** Argument sizes on 64-bit macOS and FreeBSD. */
export const SIZEOF = { u_int: 4, bpf_program: 16, ifreq: 32, timeval: 16, bpf_stat: 8 } as const;

export const BIOCGBLEN = _IOR('B', 102, SIZEOF.u_int);
export const BIOCSBLEN = _IOWR('B', 102, SIZEOF.u_int);
export const BIOCSETF = _IOW('B', 103, SIZEOF.bpf_program);
export const BIOCFLUSH = _IO('B', 104);
export const BIOCPROMISC = _IO('B', 105);
export const BIOCGDLT = _IOR('B', 106, SIZEOF.u_int);
export const BIOCGETIF = _IOR('B', 107, SIZEOF.ifreq);
export const BIOCSETIF = _IOW('B', 108, SIZEOF.ifreq);
export const BIOCSRTIMEOUT = _IOW('B', 109, SIZEOF.timeval);
export const BIOCGRTIMEOUT = _IOR('B', 110, SIZEOF.timeval);
export const BIOCGSTATS = _IOR('B', 111, SIZEOF.bpf_stat);
export const BIOCIMMEDIATE = _IOW('B', 112, SIZEOF.u_int);
export const BIOCVERSION = _IOR('B', 113, SIZEOF.u_int);
export const BIOCGHDRCMPLT = _IOR('B', 116, SIZEOF.u_int);
export const BIOCSHDRCMPLT = _IOW('B', 117, SIZEOF.u_int);
export const BIOCGSEESENT = _IOR('B', 118, SIZEOF.u_int);
export const BIOCSSEESENT = _IOW('B', 119, SIZEOF.u_int);
export const BIOCSDLT = _IOW('B', 120, SIZEOF.u_int);
export const BIOCSETFNR_MACOS = _IOW('B', 126, SIZEOF.bpf_program);
export const BIOCSETFNR_FREEBSD = _IOW('B', 130, SIZEOF.bpf_program);
export const BIOCLOCK = _IO('B', 122);
export const BIOCSETWF = _IOW('B', 123, SIZEOF.bpf_program);
