/**
 * The console's one way to write a date or a time: always in the app's time zone (config TZ, default Asia/Seoul),
 * never the server's or the browser's, so a page renders the same text on the server and in the browser (no
 * hydration mismatch) and every operator reads the same clock. Built from formatToParts, so the text does not depend
 * on the ICU version of Node or of the browser: `2026-12-05` and `2026-12-05 14:03`.
 * Components use <Time> or useDateFormat() (app/_components/time.tsx), which know the zone.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Seoul';

type Value = string | number | Date | null | undefined;

const formats = new Map<string, Intl.DateTimeFormat>();

/** The zone if the runtime knows it, else the default (a wrong TZ must not break every page). */
export function validTimeZone(timeZone: string | undefined): string {
  if (!timeZone) return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

function parts(value: Value, timeZone: string): Record<string, string> | null {
  if (value === null || value === undefined || value === '') return null;
  const at = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(at.getTime())) return null;
  const zone = validTimeZone(timeZone);
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(zone, f);
  }
  return Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
}

/** `2026-12-05` in the zone, or the fallback for a missing or invalid value. */
export function formatDate(value: Value, timeZone: string, fallback = '—'): string {
  const p = parts(value, timeZone);
  return p ? `${p.year}-${p.month}-${p.day}` : fallback;
}

/** `2026-12-05 14:03` in the zone (24-hour clock), or the fallback. */
export function formatDateTime(value: Value, timeZone: string, fallback = '—'): string {
  const p = parts(value, timeZone);
  return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` : fallback;
}

/** `2026-12-05 14:03:09` in the zone, for tooltips and logs shown to the operator. */
export function formatDateTimeSeconds(value: Value, timeZone: string, fallback = '—'): string {
  const p = parts(value, timeZone);
  return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}` : fallback;
}
