'use client';

import { createContext, useContext, type ReactNode } from 'react';
import { DEFAULT_TIME_ZONE, formatDate, formatDateTime, formatDateTimeSeconds } from '@/app/_lib/dates';

/**
 * The app's time zone (config TZ) for client components. The root layout provides it from the server's config, so
 * the server render and the browser format every date the same way (app/_lib/dates.ts).
 */
const TimeZoneContext = createContext(DEFAULT_TIME_ZONE);

export function TimeZoneProvider({ timeZone, children }: { timeZone: string; children: ReactNode }) {
  return <TimeZoneContext.Provider value={timeZone}>{children}</TimeZoneContext.Provider>;
}

export function useTimeZone(): string {
  return useContext(TimeZoneContext);
}

type Value = string | number | Date | null | undefined;

/** Date formatting in the app's time zone, for code that needs a string (e.g. inside a sentence). */
export function useDateFormat() {
  const tz = useTimeZone();
  return {
    timeZone: tz,
    date: (v: Value, fallback?: string) => formatDate(v, tz, fallback),
    dateTime: (v: Value, fallback?: string) => formatDateTime(v, tz, fallback),
  };
}

/**
 * A date (`date`) or date and time in the app's time zone, as a <time> element that never wraps; the full time with
 * seconds and the zone is its tooltip. Works in server and client components.
 */
export function Time({ value, date = false, fallback = '—' }: { value: Value; date?: boolean; fallback?: string }) {
  const tz = useTimeZone();
  const text = date ? formatDate(value, tz, fallback) : formatDateTime(value, tz, fallback);
  if (text === fallback) return <>{fallback}</>;
  const at = value instanceof Date ? value : new Date(value!);
  return (
    <time className="nowrap" dateTime={at.toISOString()} title={`${formatDateTimeSeconds(value, tz)} (${tz})`}>
      {text}
    </time>
  );
}
