// The time column of tcpdump's packet lines for -t, -tt, -ttt, -tttt, -ttttt and --nano, as its
// ts_print() writes it: local time, Unix seconds, the gap to the previous or the first packet (in UTC
// hours, so whole days drop out), or the local date and time.

/** A packet's time as libpcap hands it to tcpdump: seconds and the fraction in the run's precision. */
export interface PacketTime {
  /** Seconds since the epoch (a classic file's field as a signed 32-bit number). */
  sec: number;
  /** Microseconds, or nanoseconds with --nano; a classic file's field passes through unchecked. */
  frac: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** What tcpdump prints, without a fraction, for a time localtime() or gmtime() cannot convert. */
const ERROR = '[Error converting time]';

/** Formats one run's timestamps; keeps the reference packet -ttt and -ttttt measure from. */
export class StampFormatter {
  private readonly mode: number;
  private readonly nano: boolean;
  private readonly unit: number;
  /** ts_print's static tv_ref: unset while both fields are 0. */
  private refSec = 0;
  private refFrac = 0;
  private cachedSec = Number.NaN;
  private cachedText = '';

  /** `mode` counts the -t flags (0 to 5); `nano` is --nano. */
  constructor(mode: number, nano: boolean) {
    this.mode = mode;
    this.nano = nano;
    this.unit = nano ? 1e9 : 1e6;
  }

  /** The column with its trailing space ('' for -t). */
  text(t: PacketTime): string {
    switch (this.mode) {
      case 0:
        return `${this.clock(t.sec, false, t.frac)} `;
      case 1:
        return '';
      case 2:
        return ((t.sec >>> 0) & 0x80000000) !== 0
          ? `${ERROR} `
          : `${t.sec >>> 0}${this.frac(t.frac)} `;
      case 3:
      case 5:
        return this.delta(t);
      default:
        return `${this.clock(t.sec, true, t.frac)} `;
    }
  }

  /** .uuuuuu or .nnnnnnnnn of an unsigned field, as printf %06u / %09u. */
  private frac(f: number): string {
    return `.${pad(f >>> 0, this.nano ? 9 : 6)}`;
  }

  /** HH:MM:SS.frac (with the date before it when asked) in local time, or the error text alone. */
  private clock(sec: number, date: boolean, frac: number): string {
    if (((sec >>> 0) & 0x80000000) !== 0) return ERROR;
    const key = date ? -1 - sec : sec;
    if (key === this.cachedSec) return this.cachedText + this.frac(frac);
    const d = new Date(sec * 1000);
    if (Number.isNaN(d.getTime())) return ERROR;
    const hms = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    this.cachedSec = key;
    this.cachedText = date
      ? `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hms}`
      : hms;
    return this.cachedText + this.frac(frac);
  }

  /** -ttt (since the previous packet) and -ttttt (since the first): a sign, then gmtime of the gap. */
  private delta(t: PacketTime): string {
    if (this.refSec === 0 && this.refFrac === 0) {
      this.refSec = t.sec;
      this.refFrac = t.frac;
    }
    const negative = t.sec === this.refSec ? t.frac < this.refFrac : t.sec < this.refSec;
    const [a, b] = negative
      ? [
          { sec: this.refSec, frac: this.refFrac },
          { sec: t.sec, frac: t.frac },
        ]
      : [t, { sec: this.refSec, frac: this.refFrac }];
    let sec = a.sec - b.sec;
    let frac = a.frac - b.frac;
    if (frac < 0) {
      sec--;
      frac += this.unit;
    }
    if (this.mode === 3) {
      this.refSec = t.sec;
      this.refFrac = t.frac;
    }
    let clock: string;
    if (((sec >>> 0) & 0x80000000) !== 0 || sec < 0) clock = ERROR;
    else {
      const s = sec % 86400;
      clock = `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}${this.frac(frac)}`;
    }
    return `${negative ? '-' : ' '}${clock} `;
  }
}
