/**
 * The release calendar as an Atom 1.0 feed (RFC 4287), for feed readers: one entry per
 * announced release with a stable tag URI as its id, `updated` at its last public change (a
 * schedule, postponement, cancellation or the publication itself) and its state, instant and
 * postponement reasons in the summary and content.
 */
import type { CalendarItem } from './calendar.js';
import { entryDescription, entrySummary } from './entry-text.js';

export const ATOM_MEDIA_TYPE = 'application/atom+xml; charset=utf-8';
const TAG_AUTHORITY = 'tag:iccs-sdmx.org,2026';
export const FEED_ID = `${TAG_AUTHORITY}:release-calendar`;

export function entryIdOf(code: string): string {
  return `${TAG_AUTHORITY}:release:${encodeURIComponent(code)}`;
}

/** XML 1.0 character data: the five specials escaped, characters XML cannot carry dropped. */
function xml(text: string): string {
  return text
    .replaceAll(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

export interface FeedLinks {
  /** Absolute URL of this feed. */
  readonly self: string;
  /** Absolute URLs of the same calendar as JSON and iCalendar. */
  readonly json: string;
  readonly ics: string;
}

/** `now` dates a feed with no entry (Atom requires `updated`); otherwise the latest entry does. */
export function calendarAtom(items: readonly CalendarItem[], links: FeedLinks, now: string): string {
  const updated = items.length ? items.map((i) => i.entry.updatedAt).reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b)) : now;
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
    `  <id>${xml(FEED_ID)}</id>`,
    '  <title>ICCS crime statistics: release calendar</title>',
    '  <subtitle>Announced, postponed, cancelled and published releases of crime and criminal-justice statistics</subtitle>',
    `  <updated>${xml(updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(links.self)}"/>`,
    `  <link rel="alternate" type="application/json" href="${xml(links.json)}"/>`,
    `  <link rel="alternate" type="text/calendar" href="${xml(links.ics)}"/>`,
    '  <author><name>ICCS SDMX server</name></author>',
    '  <generator>iccs-sdmx-server</generator>',
  ];
  for (const { entry, listedAt } of items) {
    out.push(
      '  <entry>',
      `    <id>${xml(entryIdOf(entry.code))}</id>`,
      `    <title>${xml(`${entry.title} (${entry.code})`)}</title>`,
      `    <updated>${xml(entry.updatedAt)}</updated>`,
      `    <published>${xml(listedAt)}</published>`,
      `    <category term="${xml(entry.state)}" label="${xml(entry.state)}"/>`,
      ...entry.dataflows.map((df) => `    <category term="${xml(df)}" scheme="urn:sdmx:dataflow"/>`),
      `    <summary type="text">${xml(entrySummary(entry))}</summary>`,
      `    <content type="text">${xml(entryDescription(entry))}</content>`,
      '  </entry>',
    );
  }
  out.push('</feed>');
  return out.join('\n') + '\n';
}
