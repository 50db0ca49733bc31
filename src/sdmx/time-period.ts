/**
 * SDMX time periods as inclusive ranges of UTC instants, so that periods of any frequency can be
 * compared with each other and with REST query bounds.
 *
 * Instants are `toISOString()` text (`2019-01-01T00:00:00.000Z`); for four-digit years string
 * order is time order, which lets storage compare them as plain text.
 *
 * Query matching is by overlap: an observation belongs to `startPeriod=S&endPeriod=E` when
 * `periodRange(obs).end >= queryPeriodStart(S)` and `periodRange(obs).start <= queryPeriodEnd(E)`.
 * The data service applies that rule; this module only supplies the bounds. Reporting periods
 * (`2019-Q3`, `2019-W01`...) use a reporting year that starts on 1 January.
 */

export interface PeriodRange {
  readonly start: string;
  readonly end: string;
}

/** Milliseconds since the epoch; `end` is exclusive (the start of the next period). */
interface MsRange {
  readonly start: number;
  readonly end: number;
}

const MS_MINUTE = 60_000;
const MS_DAY = 86_400_000;
// The largest magnitude a JS Date accepts; beyond it toISOString throws.
const MAX_DATE_MS = 8.64e15;

/** Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not. */
function utcMs(year: number, month0: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month0, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

function daysInMonth(year: number, month0: number): number {
  return new Date(utcMs(year, month0 + 1, 0)).getUTCDate();
}

/** Only four-digit years keep string order equal to time order, so others are refused. */
function instantText(ms: number): string | undefined {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) return undefined;
  const text = new Date(ms).toISOString();
  return /^\d{4}-/.test(text) ? text : undefined;
}

function toRange(range: MsRange | undefined): PeriodRange | undefined {
  if (!range || range.end <= range.start) return undefined;
  const start = instantText(range.start);
  const end = instantText(range.end - 1);
  return start !== undefined && end !== undefined ? { start, end } : undefined;
}

function monthSpan(year: number, firstMonth0: number, count: number): MsRange {
  return { start: utcMs(year, firstMonth0, 1), end: utcMs(year, firstMonth0 + count, 1) };
}

function calendarDate(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month - 1)) return undefined;
  return utcMs(year, month - 1, day);
}

/** ISO 8601 week: Monday start; week 1 holds the year's first Thursday (equivalently 4 January). */
function isoWeek(year: number, week: number): MsRange | undefined {
  if (week < 1 || week > 53) return undefined;
  const jan4 = utcMs(year, 0, 4);
  const daysSinceMonday = (new Date(jan4).getUTCDay() + 6) % 7;
  const start = jan4 - daysSinceMonday * MS_DAY + (week - 1) * 7 * MS_DAY;
  // A week belongs to the year holding its Thursday, which rules out W53 in most years.
  if (new Date(start + 3 * MS_DAY).getUTCFullYear() !== year) return undefined;
  return { start, end: start + 7 * MS_DAY };
}

function dayOfYear(year: number, day: number): MsRange | undefined {
  if (day < 1) return undefined;
  const start = utcMs(year, 0, day);
  if (new Date(start).getUTCFullYear() !== year) return undefined;
  return { start, end: start + MS_DAY };
}

/** Reporting and calendar periods whose length is one day or more. */
function calendarPeriod(text: string): MsRange | undefined {
  const match = /^(\d{4})(?:-(A1|S\d|T\d|Q\d|M\d{2}|\d{2}|W\d{2}|D\d{3}|\d{2}-\d{2}))?$/.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const part = match[2];
  if (part === undefined || part === 'A1') return monthSpan(year, 0, 12);
  const n = Number(part.slice(1));
  switch (part[0]) {
    case 'S':
      return n >= 1 && n <= 2 ? monthSpan(year, (n - 1) * 6, 6) : undefined;
    case 'T':
      return n >= 1 && n <= 3 ? monthSpan(year, (n - 1) * 4, 4) : undefined;
    case 'Q':
      return n >= 1 && n <= 4 ? monthSpan(year, (n - 1) * 3, 3) : undefined;
    case 'M':
      return n >= 1 && n <= 12 ? monthSpan(year, n - 1, 1) : undefined;
    case 'W':
      return isoWeek(year, n);
    case 'D':
      return dayOfYear(year, n);
  }
  if (part.length === 2) {
    const month = Number(part);
    return month >= 1 && month <= 12 ? monthSpan(year, month - 1, 1) : undefined;
  }
  const start = calendarDate(year, Number(part.slice(0, 2)), Number(part.slice(3)));
  return start === undefined ? undefined : { start, end: start + MS_DAY };
}

/** A date-time as its wall-clock value (read as if UTC) and its offset from UTC. */
interface LocalDateTime {
  readonly localMs: number;
  readonly offsetMs: number;
}

/** A date followed by a time; `2019-T1` (a trimester) must not look like one. */
const HAS_TIME = /^\d{4}-\d{2}-\d{2}T/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?$/;

function parseOffset(text: string | undefined): number | undefined {
  if (text === undefined || text === 'Z') return 0;
  const hours = Number(text.slice(1, 3));
  const minutes = Number(text.slice(4, 6));
  if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) return undefined;
  return (text[0] === '-' ? -1 : 1) * (hours * 60 + minutes) * MS_MINUTE;
}

function parseDateTime(text: string, secondsRequired: boolean): LocalDateTime | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  if (secondsRequired && second === undefined) return undefined;
  const date = calendarDate(Number(year), Number(month), Number(day));
  const h = Number(hour);
  const m = Number(minute);
  const s = Number(second ?? 0);
  if (date === undefined || h > 23 || m > 59 || s > 59) return undefined;
  const offsetMs = parseOffset(offset);
  if (offsetMs === undefined) return undefined;
  // Sub-millisecond digits cannot be represented; they are dropped, not rounded up.
  const ms = Number((fraction ?? '').slice(0, 3).padEnd(3, '0'));
  return { localMs: date + ((h * 60 + m) * 60 + s) * 1000 + ms, offsetMs };
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Adds an ISO 8601 duration to a wall-clock time. Years and months are calendar steps with the
 * day clamped to the target month's length (XML Schema 1.0 appendix E: 01-31 + P1M = 02-28).
 */
function addDuration(localMs: number, duration: string): number | undefined {
  const match = DURATION.exec(duration);
  if (!match || duration === 'P' || duration.endsWith('T')) return undefined;
  const [years, months, weeks, days, hours, minutes] = match.slice(1, 7).map((v) => Number(v ?? 0));
  const seconds = Number(match[7] ?? 0);
  const from = new Date(localMs);
  const totalMonths = from.getUTCMonth() + years * 12 + months;
  const year = from.getUTCFullYear() + Math.floor(totalMonths / 12);
  const month0 = totalMonths % 12;
  const day = Math.min(from.getUTCDate(), daysInMonth(year, month0));
  const timeOfDay = localMs - utcMs(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  const shifted = utcMs(year, month0, day) + timeOfDay;
  return shifted + (weeks * 7 + days) * MS_DAY + ((hours * 60 + minutes) * 60) * 1000 + Math.round(seconds * 1000);
}

/** `<date or dateTime>/<duration>`: from the start for the duration, end exclusive. */
function timeRange(text: string): MsRange | undefined {
  const parts = text.split('/');
  if (parts.length !== 2) return undefined;
  const [from, duration] = parts as [string, string];
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(from);
  const local = dateOnly
    ? { localMs: calendarDate(Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])), offsetMs: 0 }
    : parseDateTime(from, true);
  if (!local || local.localMs === undefined) return undefined;
  const endLocal = addDuration(local.localMs, duration);
  if (endLocal === undefined) return undefined;
  return { start: local.localMs - local.offsetMs, end: endLocal - local.offsetMs };
}

function instantRange(text: string): MsRange | undefined {
  const local = parseDateTime(text, true);
  if (!local) return undefined;
  const at = local.localMs - local.offsetMs;
  return { start: at, end: at + 1 };
}

/**
 * The inclusive range of an SDMX observation time period (ObservationalTimePeriodType): a
 * reporting or calendar period, a dateTime (one instant; no offset means UTC) or a time range
 * `<start>/<duration>`. Undefined when the text is not a valid period.
 */
export function periodRange(period: string): PeriodRange | undefined {
  if (period.includes('/')) return toRange(timeRange(period));
  if (HAS_TIME.test(period)) return toRange(instantRange(period));
  return toRange(calendarPeriod(period));
}

/** REST 1.x startPeriod/endPeriod take every period form except time ranges. */
function queryPeriod(value: string): PeriodRange | undefined {
  return value.includes('/') ? undefined : periodRange(value);
}

/** The first instant of a REST 1.x `startPeriod` value (`2019-Q3` → 2019-07-01T00:00:00.000Z). */
export function queryPeriodStart(value: string): string | undefined {
  return queryPeriod(value)?.start;
}

/** The last instant of a REST 1.x `endPeriod` value (`2019` → 2019-12-31T23:59:59.999Z). */
export function queryPeriodEnd(value: string): string | undefined {
  return queryPeriod(value)?.end;
}

/**
 * `updatedAfter` / `asOf`: a year, year-month, date or dateTime (seconds, fraction and offset
 * optional; no offset means UTC), normalised to the instant it starts at.
 */
export function parseInstant(value: string): string | undefined {
  if (HAS_TIME.test(value)) {
    const local = parseDateTime(value, false);
    return local ? instantText(local.localMs - local.offsetMs) : undefined;
  }
  if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) return undefined;
  return toRange(calendarPeriod(value))?.start;
}
