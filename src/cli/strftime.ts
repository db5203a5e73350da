// C's strftime in the C locale, for -G file names (`-w 'trace-%Y%m%d-%H%M%S.pcap'`), as tcpdump
// expands them with localtime(). Unknown conversions stay as written, as glibc leaves them.

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const pad = (n: number, w = 2, c = '0') => String(n).padStart(w, c);

/** Day of the year, 0-based. */
function yday(d: Date): number {
  const start = new Date(d.getFullYear(), 0, 1);
  return Math.round(
    (Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) - Date.UTC(start.getFullYear(), 0, 1)) /
      86_400_000,
  );
}

/** ISO 8601 week-based year and week number. */
function isoWeek(d: Date): { year: number; week: number } {
  const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const year = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return { year, week };
}

/** The UTC offset as +hhmm. */
function zone(d: Date): string {
  const m = -d.getTimezoneOffset();
  return `${m < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(m) / 60))}${pad(Math.abs(m) % 60)}`;
}

/** Expands `format` for the local time `seconds` since the epoch. */
export function strftime(format: string, seconds: number): string {
  const d = new Date(seconds * 1000);
  const h12 = d.getHours() % 12 || 12;
  const conv = (c: string): string | undefined => {
    switch (c) {
      case 'a':
        return (DAYS[d.getDay()] as string).slice(0, 3);
      case 'A':
        return DAYS[d.getDay()];
      case 'b':
      case 'h':
        return (MONTHS[d.getMonth()] as string).slice(0, 3);
      case 'B':
        return MONTHS[d.getMonth()];
      case 'c':
        return `${conv('a')} ${conv('b')} ${pad(d.getDate(), 2, ' ')} ${conv('T')} ${d.getFullYear()}`;
      case 'C':
        return pad(Math.floor(d.getFullYear() / 100));
      case 'd':
        return pad(d.getDate());
      case 'D':
        return `${conv('m')}/${conv('d')}/${conv('y')}`;
      case 'e':
        return pad(d.getDate(), 2, ' ');
      case 'F':
        return `${d.getFullYear()}-${conv('m')}-${conv('d')}`;
      case 'g':
        return pad(isoWeek(d).year % 100);
      case 'G':
        return String(isoWeek(d).year);
      case 'H':
        return pad(d.getHours());
      case 'I':
        return pad(h12);
      case 'j':
        return pad(yday(d) + 1, 3);
      case 'k':
        return pad(d.getHours(), 2, ' ');
      case 'l':
        return pad(h12, 2, ' ');
      case 'm':
        return pad(d.getMonth() + 1);
      case 'M':
        return pad(d.getMinutes());
      case 'n':
        return '\n';
      case 'p':
        return d.getHours() < 12 ? 'AM' : 'PM';
      case 'P':
        return d.getHours() < 12 ? 'am' : 'pm';
      case 'r':
        return `${pad(h12)}:${conv('M')}:${conv('S')} ${conv('p')}`;
      case 'R':
        return `${conv('H')}:${conv('M')}`;
      case 's':
        return String(Math.floor(seconds));
      case 'S':
        return pad(d.getSeconds());
      case 't':
        return '\t';
      case 'T':
        return `${conv('H')}:${conv('M')}:${conv('S')}`;
      case 'u':
        return String(d.getDay() || 7);
      case 'U':
        return pad(Math.floor((yday(d) + 7 - d.getDay()) / 7));
      case 'V':
        return pad(isoWeek(d).week);
      case 'w':
        return String(d.getDay());
      case 'W':
        return pad(Math.floor((yday(d) + 7 - ((d.getDay() + 6) % 7)) / 7));
      case 'x':
        return conv('D');
      case 'X':
        return conv('T');
      case 'y':
        return pad(d.getFullYear() % 100);
      case 'Y':
        return String(d.getFullYear());
      case 'z':
        return zone(d);
      case 'Z':
        return (
          new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
            .formatToParts(d)
            .find((p) => p.type === 'timeZoneName')?.value ?? ''
        );
      case '%':
        return '%';
      default:
        return undefined;
    }
  };
  return format.replace(/%([a-zA-Z%])/g, (all, c: string) => conv(c) ?? all);
}
