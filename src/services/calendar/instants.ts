/**
 * The instants the release calendar reads from people: an announced instant (strict: UTC, to
 * the second, so a release is never announced for "08:00:00.5") and the bounds of a calendar
 * query (a date or an instant). Both are checked against the real calendar, so 2026-02-30 is
 * refused rather than rolled over into March as Date.parse would.
 */

/** `2026-12-01T08:00:00Z` or `2026-12-01T08:00:00.000Z`: nothing else. */
const ANNOUNCED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.000)?Z$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

export const ANNOUNCED_INSTANT_FORMAT = 'an ISO-8601 UTC instant to the second, e.g. 2026-12-01T08:00:00Z';

function realDate(year: string, month: string, day: string): boolean {
  const d = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return d.getUTCFullYear() === Number(year) && d.getUTCMonth() === Number(month) - 1 && d.getUTCDate() === Number(day);
}

function realTime(hours: string, minutes: string, seconds = '00'): boolean {
  return Number(hours) <= 23 && Number(minutes) <= 59 && Number(seconds) <= 59;
}

/** The announced instant as stored (`...T08:00:00.000Z`), or undefined when not of that form. */
export function parseAnnouncedInstant(text: string): string | undefined {
  const m = ANNOUNCED.exec(text);
  if (!m || !realDate(m[1]!, m[2]!, m[3]!) || !realTime(m[4]!, m[5]!, m[6]!)) return undefined;
  return new Date(Date.parse(text)).toISOString();
}

/** A query bound: a whole UTC day, or one instant (any offset). */
export type InstantBound = { readonly kind: 'date'; readonly startMs: number; readonly endMs: number } | { readonly kind: 'instant'; readonly ms: number };

export function parseBound(text: string): InstantBound | undefined {
  const date = DATE.exec(text);
  if (date) {
    if (!realDate(date[1]!, date[2]!, date[3]!)) return undefined;
    const startMs = Date.parse(`${text}T00:00:00.000Z`);
    return { kind: 'date', startMs, endMs: startMs + 86_400_000 - 1 };
  }
  const m = INSTANT.exec(text);
  if (!m || !realDate(m[1]!, m[2]!, m[3]!) || !realTime(m[4]!, m[5]!, m[6]) || Number(m[7] ?? 0) > 14 || Number(m[8] ?? 0) > 59) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : { kind: 'instant', ms };
}

/** `2026-12-01 08:00 UTC` (seconds only when not zero): how instants read in calendar text. */
export function readableInstant(iso: string): string {
  const d = new Date(iso);
  const seconds = d.getUTCSeconds() || d.getUTCMilliseconds() ? `:${String(d.getUTCSeconds()).padStart(2, '0')}` : '';
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}${seconds} UTC`;
}
