import { DomainError } from '@/src/server/errors';
import { addDays, zonedDayStart } from '@/src/server/ops/quota/zoned-day';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A period from operator input: days (YYYY-MM-DD) are whole days in the app's time zone, `to` inclusive
 * (2026-11-01..2026-11-30 is all of November); ISO date-times are taken as they are. Returns [from, to) instants.
 */
export function resolveRange(fromText: string, toText: string, timeZone: string): { from: Date; to: Date } {
  const from = DAY.test(fromText) ? zonedDayStart(fromText, timeZone) : new Date(fromText);
  const to = DAY.test(toText) ? zonedDayStart(addDays(toText, 1), timeZone) : new Date(toText);
  if (Number.isNaN(from.getTime())) throw new DomainError('bad_request', `from "${fromText}" is not a date`, 'from');
  if (Number.isNaN(to.getTime())) throw new DomainError('bad_request', `to "${toText}" is not a date`, 'to');
  if (to.getTime() <= from.getTime()) throw new DomainError('bad_request', 'to must not be before from', 'to');
  return { from, to };
}
