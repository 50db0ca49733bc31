/**
 * The release calendar as iCalendar (RFC 5545), for subscription from any calendar client: one
 * VEVENT per announced release, with a UID made only from the release code so that every
 * refresh updates the same event, and SEQUENCE counting postponements (plus one for a
 * cancellation) so clients apply the change. The body depends only on the calendar's content,
 * never on the request time: DTSTAMP is the entry's last change (there is no METHOD, so RFC 5545
 * §3.8.7.2 reads DTSTAMP as the last revision), which keeps the ETag stable between changes.
 * Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character.
 */
import type { CalendarItem } from './calendar.js';
import { entryDescription } from './entry-text.js';

export const ICS_MEDIA_TYPE = 'text/calendar; charset=utf-8';
export const UID_DOMAIN = 'releases.iccs-sdmx';
const CALENDAR_NAME = 'ICCS crime statistics: release calendar';
const MAX_OCTETS = 75;

/** The event's UID: the release code only, so it survives postponements and renames. */
export function uidOf(code: string): string {
  return `${code}@${UID_DOMAIN}`;
}

/** `2026-12-01T08:00:00.000Z` → `20261201T080000Z` (UTC form, RFC 5545 §3.3.5). */
export function icsInstant(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll(/[-:]/g, '');
}

/** TEXT value escaping (RFC 5545 §3.3.11); other control characters are not allowed in TEXT. */
export function escapeText(text: string): string {
  return text
    .replaceAll('\\', '\\\\')
    .replaceAll(';', '\\;')
    .replaceAll(',', '\\,')
    .replaceAll(/\r\n|\r|\n/g, '\\n')
    .replaceAll(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}

/** Folds one content line: at most 75 octets per line, continuation lines start with a space. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > MAX_OCTETS) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n');
}

export function calendarIcs(items: readonly CalendarItem[]): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//ICCS SDMX server//Release calendar//EN',
    'CALSCALE:GREGORIAN',
    `NAME:${escapeText(CALENDAR_NAME)}`,
    `X-WR-CALNAME:${escapeText(CALENDAR_NAME)}`,
  ];
  for (const { entry, listedAt } of items) {
    const sequence = entry.postponements.length + (entry.state === 'cancelled' ? 1 : 0);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(uidOf(entry.code))}`,
      `DTSTAMP:${icsInstant(entry.updatedAt)}`,
      `DTSTART:${icsInstant(entry.announcedAt)}`,
      `SEQUENCE:${sequence}`,
      `STATUS:${entry.state === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
      `SUMMARY:${escapeText(`${entry.title} (${entry.code})`)}`,
      `DESCRIPTION:${escapeText(entryDescription(entry))}`,
      `CATEGORIES:${escapeText(entry.state)}`,
      `CREATED:${icsInstant(listedAt)}`,
      `LAST-MODIFIED:${icsInstant(entry.updatedAt)}`,
      // A publication takes no one's time.
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
