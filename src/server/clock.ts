/**
 * The one source of "now" for quota days, budgets and schedules, so tests can move time.
 * Offsets are kept on globalThis so every module instance in a process sees the same clock.
 */
const g = globalThis as unknown as { __influenceClockOffsetMs?: number; __influenceClockFixed?: number };

export function now(): Date {
  if (g.__influenceClockFixed !== undefined) return new Date(g.__influenceClockFixed);
  return new Date(Date.now() + (g.__influenceClockOffsetMs ?? 0));
}

/** Tests only: freeze the clock at a moment, or pass undefined to release it. */
export function setClock(at: Date | undefined): void {
  g.__influenceClockFixed = at?.getTime();
}

/** Tests only: run the clock shifted by an offset. */
export function shiftClock(offsetMs: number): void {
  g.__influenceClockOffsetMs = offsetMs;
}

/** The calendar day (YYYY-MM-DD) of a moment in an IANA time zone. */
export function dayIn(timeZone: string, at: Date = now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The calendar month (YYYY-MM) of a moment in an IANA time zone. */
export function monthIn(timeZone: string, at: Date = now()): string {
  return dayIn(timeZone, at).slice(0, 7);
}
