/**
 * A calendar entry in plain sentences, for the feeds (iCalendar DESCRIPTION, Atom summary and
 * content): what a person reading a calendar client or a feed reader needs without the JSON.
 */
import type { CalendarEntry } from './calendar.js';
import { readableInstant } from './instants.js';

/** One line: the state and the instant, with the latest postponement's reason. */
export function entrySummary(entry: CalendarEntry): string {
  const last = entry.postponements.at(-1);
  const postponed = last ? ` (moved from ${last.from ? readableInstant(last.from) : 'an earlier instant'}${last.reason ? `: ${last.reason}` : ''})` : '';
  switch (entry.state) {
    case 'published':
      return `Published ${readableInstant(entry.publishedAt!)}${postponed}.`;
    case 'scheduled':
      return `Scheduled for ${readableInstant(entry.announcedAt)}${postponed}.`;
    case 'cancelled':
      return `Cancelled (was announced for ${readableInstant(entry.announcedAt)})${entry.cancellation?.reason ? `: ${entry.cancellation.reason}` : ''}.`;
  }
}

/** Several lines: summary, dataflows, correction, note, and the history of changes. */
export function entryDescription(entry: CalendarEntry): string {
  const lines = [`${entry.title} (${entry.code})`, entrySummary(entry), `Dataflows: ${entry.dataflows.join(', ')}`];
  if (entry.revises) lines.push(`Corrects release ${entry.revises}.`);
  if (entry.note) lines.push(entry.note);
  for (const p of entry.postponements) {
    lines.push(`Postponed on ${readableInstant(p.at)} from ${p.from ? readableInstant(p.from) : 'an earlier instant'} to ${readableInstant(p.to)}${p.reason ? `. Reason: ${p.reason}` : ''}`);
  }
  if (entry.cancellation) lines.push(`Cancelled on ${readableInstant(entry.cancellation.at)}${entry.cancellation.reason ? `. Reason: ${entry.cancellation.reason}` : ''}`);
  if (entry.punctuality) {
    const { delaySeconds } = entry.punctuality;
    lines.push(entry.punctuality.onTime ? 'Published on time.' : `Published ${humanDelay(delaySeconds)} after the instant first announced.`);
  }
  return lines.join('\n');
}

function humanDelay(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} day${seconds === 86_400 ? '' : 's'}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`;
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? '' : 's'}`;
  return `${seconds} seconds`;
}
