/**
 * The release calendar's pieces on their own: announced instants (strict UTC to the second),
 * query filters, and the iCalendar writer's folding and escaping read back by a real RFC 5545
 * parser (ical.js), including multi-byte text that must not be split inside a character.
 */
import t from 'tap';
import ICAL from 'ical.js';
import { parseAnnouncedInstant, parseBound, readableInstant } from '../../src/services/calendar/instants.js';
import { parseCalendarQuery } from '../../src/services/calendar/filters.js';
import { calendarIcs, escapeText, foldLine, icsInstant, uidOf } from '../../src/services/calendar/ics.js';
import type { CalendarEntry, CalendarItem } from '../../src/services/calendar/calendar.js';

t.test('announced instants: UTC to the second, real dates only', async (t) => {
  t.equal(parseAnnouncedInstant('2026-12-01T08:00:00Z'), '2026-12-01T08:00:00.000Z');
  t.equal(parseAnnouncedInstant('2026-12-01T08:00:00.000Z'), '2026-12-01T08:00:00.000Z');
  for (const bad of [
    '2026-12-01T08:00:00.500Z',
    '2026-12-01T08:00:00.0Z',
    '2026-12-01T08:00Z',
    '2026-12-01T08:00:00+01:00',
    '2026-12-01T08:00:00',
    '2026-12-01',
    '2026-02-30T08:00:00Z',
    '2026-12-01T24:00:00Z',
    '2026-12-01T08:60:00Z',
    ' 2026-12-01T08:00:00Z',
    'tomorrow',
  ]) {
    t.equal(parseAnnouncedInstant(bad), undefined, `${JSON.stringify(bad)} is refused`);
  }
});

t.test('query bounds: a whole UTC day or an instant with a zone', async (t) => {
  t.same(parseBound('2026-12-01'), { kind: 'date', startMs: Date.parse('2026-12-01T00:00:00Z'), endMs: Date.parse('2026-12-01T23:59:59.999Z') });
  t.same(parseBound('2026-12-01T09:00:00+01:00'), { kind: 'instant', ms: Date.parse('2026-12-01T08:00:00Z') });
  t.same(parseBound('2026-12-01T08:00Z'), { kind: 'instant', ms: Date.parse('2026-12-01T08:00:00Z') });
  for (const bad of ['2026-02-29', '2026-12-01T08:00:00', '01/12/2026', '2026-12-01T08:00:00+25:00', '']) t.equal(parseBound(bad), undefined, `${JSON.stringify(bad)}`);
  t.equal(readableInstant('2026-12-01T08:00:00.000Z'), '2026-12-01 08:00 UTC');
  t.equal(readableInstant('2026-12-01T08:00:30.000Z'), '2026-12-01 08:00:30 UTC');
});

t.test('calendar query parameters', async (t) => {
  t.same(parseCalendarQuery({}), { filter: { dataflows: undefined, states: undefined, fromMs: undefined, toMs: undefined } });
  const ok = parseCalendarQuery({ dataflow: 'UNODC:DF_CTS_HOMICIDE(1.0), DF_CTS_OFFENCES', state: 'scheduled,cancelled', from: '2026-12-01', to: '2026-12-01' });
  t.same(ok, {
    filter: {
      dataflows: ['UNODC:DF_CTS_HOMICIDE(1.0)', 'DF_CTS_OFFENCES'],
      states: ['scheduled', 'cancelled'],
      fromMs: Date.parse('2026-12-01T00:00:00Z'),
      toMs: Date.parse('2026-12-01T23:59:59.999Z'),
    },
  });
  const bad = parseCalendarQuery({ dataflow: 'UNODC:DF X', state: 'draft,published', from: '2026-12-02', to: '2026-12-01' });
  t.ok('faults' in bad);
  if ('faults' in bad) {
    t.same(
      bad.faults.map((f) => f.pointer),
      ['#/dataflow', '#/state', '#/to'],
      'every fault is named: a malformed dataflow, a state the public never sees, to before from',
    );
    t.match(bad.faults[1]!.message, /"draft"/);
  }
  const empty = parseCalendarQuery({ state: 'published,' });
  t.ok('faults' in empty, 'an empty element of a list is refused');
});

t.test('iCalendar text: escaping and folding at 75 octets', async (t) => {
  t.equal(escapeText('a\\b;c,d\ne\r\nf'), 'a\\\\b\\;c\\,d\\ne\\nf');
  t.equal(escapeText('bell\u0007tab\t'), 'belltab\t', 'control characters other than HTAB are dropped');
  t.equal(icsInstant('2026-12-01T08:00:00.000Z'), '20261201T080000Z');
  t.equal(uidOf('2026-CTS-01'), '2026-CTS-01@releases.iccs-sdmx');
  const long = `DESCRIPTION:${'é'.repeat(100)}`;
  const folded = foldLine(long);
  const lines = folded.split('\r\n');
  t.ok(lines.length > 1, 'a long line is folded');
  for (const line of lines) t.ok(Buffer.byteLength(line) <= 75, `${Buffer.byteLength(line)} octets`);
  for (const line of lines.slice(1)) t.equal(line[0], ' ', 'continuation lines start with a space');
  t.equal(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join(''), long, 'unfolding gives the line back, no character split');
  t.equal(foldLine('X'.repeat(75)), 'X'.repeat(75), 'exactly 75 octets stay on one line');
});

function entry(over: Partial<CalendarEntry>): CalendarEntry {
  return {
    code: 'R-1',
    title: 'A release',
    note: null,
    dataflows: ['UNODC:DF_CTS_HOMICIDE(1.0)'],
    state: 'scheduled',
    announcedAt: '2026-12-01T08:00:00.000Z',
    firstAnnouncedAt: '2026-12-01T08:00:00.000Z',
    publishedAt: null,
    revises: null,
    postponements: [],
    cancellation: null,
    punctuality: null,
    updatedAt: '2026-11-01T10:00:00.000Z',
    ...over,
  };
}

t.test('the iCalendar document reads back through ical.js', async (t) => {
  const tricky = 'Homicide; victims, by sex — “provisional” data\\with a backslash and ünïcödé text long enough to be folded several times over';
  const items: CalendarItem[] = [
    { entry: entry({ code: 'R-1', title: tricky, note: 'Line one\nLine two; with, punctuation' }), listedAt: '2026-11-01T10:00:00.000Z' },
    {
      entry: entry({
        code: 'R-2',
        state: 'cancelled',
        postponements: [{ at: '2026-11-02T10:00:00.000Z', from: '2026-12-01T08:00:00.000Z', to: '2026-12-03T08:00:00.000Z', reason: 'late data' }],
        announcedAt: '2026-12-03T08:00:00.000Z',
        cancellation: { at: '2026-11-03T10:00:00.000Z', reason: 'merged into R-1' },
        updatedAt: '2026-11-03T10:00:00.000Z',
      }),
      listedAt: '2026-11-01T10:00:00.000Z',
    },
  ];
  const text = calendarIcs(items);
  t.notOk(/[^\r]\n/.test(text), 'every line ends in CRLF');
  t.ok(text.endsWith('\r\n'));
  for (const line of text.split('\r\n')) t.ok(Buffer.byteLength(line) <= 75, `line within 75 octets: ${line.slice(0, 20)}`);
  const calendar = new ICAL.Component(ICAL.parse(text));
  t.equal(calendar.getFirstPropertyValue('version'), '2.0');
  t.ok(calendar.getFirstPropertyValue('prodid'));
  const events = calendar.getAllSubcomponents('vevent').map((v) => ({ v, e: new ICAL.Event(v) }));
  t.equal(events.length, 2);
  const [first, second] = events;
  t.equal(first!.e.uid, 'R-1@releases.iccs-sdmx');
  t.equal(first!.e.summary, `${tricky} (R-1)`, 'the summary comes back exactly: escaping and folding undone');
  t.match(first!.e.description, /Line one\nLine two; with, punctuation/);
  t.equal(first!.e.startDate.toJSDate().toISOString(), '2026-12-01T08:00:00.000Z');
  t.equal(first!.e.startDate.zone?.tzid, 'UTC', 'DTSTART is in UTC form');
  t.equal(first!.v.getFirstPropertyValue('status'), 'CONFIRMED');
  t.equal(first!.e.sequence, 0);
  t.equal(second!.v.getFirstPropertyValue('status'), 'CANCELLED');
  t.equal(second!.e.sequence, 2, 'one postponement and the cancellation');
  t.match(second!.e.description, /Postponed on 2026-11-02 10:00 UTC from 2026-12-01 08:00 UTC to 2026-12-03 08:00 UTC\. Reason: late data/);
  t.match(second!.e.description, /Cancelled on 2026-11-03 10:00 UTC\. Reason: merged into R-1/);
  t.equal(String(second!.v.getFirstPropertyValue('last-modified')), '2026-11-03T10:00:00Z');
  t.equal(String(second!.v.getFirstPropertyValue('dtstamp')), '2026-11-03T10:00:00Z');
});
