/**
 * The public release calendar end to end, against a real database and an injected clock: the
 * JSON, iCalendar (read back with ical.js) and Atom (read back with fast-xml-parser)
 * representations of the same releases; drafts never listed; stable UIDs and ids; SEQUENCE
 * moving with postponements; cancellations; punctuality of a postponed release; the embargo on
 * disclosure-control metadata to the millisecond; filters; caching that never outlives the next
 * announced instant; and no actor ever shown.
 */
import t from 'tap';
import ICAL from 'ical.js';
import { XMLParser } from 'fast-xml-parser';
import { dataApp } from '../../helpers/data-app.js';
import { fixedClock } from '../../../src/clock.js';
import type { ProtectionRun } from '../../../src/storage/repositories.js';

const T0 = '2026-11-21T12:00:00.000Z';
const HOMICIDE = 'UNODC:DF_CTS_HOMICIDE(1.0)';
const OFFENCES = 'UNODC:DF_CTS_OFFENCES(1.0)';
const SECRET_ACTOR = 'tok_0123456789ab:Jane Q. Publisher';
const AUT = 'A.AUT.VIC_HOM.0101._T._T._T.NR';

const EMBARGO = '2026-12-01T08:00:00.000Z';
const FIRST = '2026-11-25T08:00:00.000Z';
const MOVED = '2026-11-28T08:00:00.000Z';

const clock = fixedClock(T0);
const { app, repositories } = await dataApp(
  [
    { code: 'PUB-2020', dataflow: 'DF_CTS_HOMICIDE', announcedAt: '2020-06-01T08:00:00.000Z', series: [{ key: AUT, observations: [{ period: '2018', value: 73 }] }] },
    { code: 'EMBARGOED', dataflow: 'DF_CTS_HOMICIDE', announcedAt: EMBARGO, state: 'draft', series: [{ key: AUT, observations: [{ period: '2019', value: 65 }] }] },
    { code: 'LATE', dataflow: 'DF_CTS_HOMICIDE', announcedAt: FIRST, state: 'draft', series: [{ key: AUT, observations: [{ period: '2020', value: 41 }] }] },
    { code: 'SECRET-DRAFT', dataflow: 'DF_CTS_HOMICIDE', announcedAt: FIRST, state: 'draft', series: [{ key: AUT, observations: [{ period: '2021', value: 50 }] }] },
  ],
  { clock },
);
t.teardown(() => app.close());

const releases = repositories.releases;
const pkOf = (code: string) => releases.byCode(code)!.pk;
const run = (code: string, dataflow: string, passed = true): ProtectionRun => ({
  releasePk: pkOf(code),
  dataflow,
  ranAt: '2026-11-20T10:00:00.000Z',
  ranBy: SECRET_ACTOR,
  method: 'threshold+secondary-lp',
  rules: { threshold: 3, dominance: { n: 1, k: 0.85 } },
  summary: { cells: 1, primary: 0, secondary: 0, audit: { failed: 0 } },
  audit: [{ secret: 'true values never public' }],
  passed,
});

// A release under embargo with its disclosure-control run.
repositories.protection.store(run('EMBARGOED', HOMICIDE), []);
releases.schedule(pkOf('EMBARGOED'), EMBARGO, { at: '2026-11-20T11:00:00.000Z', actor: SECRET_ACTOR });
// Scheduled, then postponed (published later, once the clock passes MOVED).
releases.schedule(pkOf('LATE'), FIRST, { at: '2026-11-20T11:00:00.000Z', actor: SECRET_ACTOR });
// A scheduled release that gets cancelled, and a draft that gets cancelled (never announced).
const cancelled = releases.createDraft({ code: 'DROPPED', title: 'Offences 2026, dropped', dataflows: [OFFENCES] }, '2026-11-19T09:00:00.000Z');
releases.schedule(cancelled.pk, '2026-12-15T08:00:00.000Z', { at: '2026-11-19T10:00:00.000Z', actor: SECRET_ACTOR });
const cancelledDraft = releases.createDraft({ code: 'NEVER-ANNOUNCED', title: 'Never announced', dataflows: [OFFENCES] }, '2026-11-19T09:00:00.000Z');
releases.cancel(cancelledDraft.pk, 'not needed', { at: '2026-11-19T09:30:00.000Z', actor: SECRET_ACTOR });

type Entry = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function calendar(query = ''): Promise<Entry[]> {
  const res = await app.inject({ url: `/api/v1/calendar${query}` });
  if (res.statusCode !== 200) throw new Error(`calendar ${query}: ${res.statusCode} ${res.body}`);
  return (res.json() as { releases: Entry[] }).releases;
}
const byCode = (entries: Entry[]) => Object.fromEntries(entries.map((e) => [e.code, e]));

async function icsEvents(query = '') {
  const res = await app.inject({ url: `/api/v1/calendar.ics${query}` });
  const calendar = new ICAL.Component(ICAL.parse(res.body));
  return calendar.getAllSubcomponents('vevent').map((v) => ({ v, e: new ICAL.Event(v), status: String(v.getFirstPropertyValue('status')) }));
}

const atomParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'link', 'category'].includes(name) });

t.test('the JSON calendar lists every announced release, never a draft', async (t) => {
  clock.set(T0);
  const res = await app.inject({ url: '/api/v1/calendar' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/json');
  const entries = (res.json() as { releases: Entry[] }).releases;
  t.same(entries.map((e) => e.code), ['PUB-2020', 'LATE', 'EMBARGOED', 'DROPPED'], 'ordered by announced instant; drafts and the cancelled draft absent');
  const e = byCode(entries);
  t.match(e['PUB-2020'], { state: 'published', publishedAt: '2020-06-01T08:00:00.000Z', punctuality: { delaySeconds: 0, onTime: true } });
  t.match(e.LATE, { state: 'scheduled', announcedAt: FIRST, firstAnnouncedAt: FIRST, publishedAt: null, punctuality: null, postponements: [] });
  t.match(e.DROPPED, { state: 'scheduled', dataflows: [OFFENCES], cancellation: null });
  t.notOk(res.body.includes('SECRET-DRAFT'));
  t.notOk(res.body.includes('Jane'), 'no actor appears');
  t.notOk(res.body.includes('true values never public'), 'the cell audit is never public');
});

t.test('postponement: SEQUENCE moves, the UID does not, punctuality measures from the first instant', async (t) => {
  clock.set(T0);
  const before = await icsEvents();
  const lateBefore = before.find((x) => x.e.uid === 'LATE@releases.iccs-sdmx');
  t.ok(lateBefore, 'the UID is the release code at the fixed domain');
  t.equal(lateBefore!.e.sequence, 0);
  t.equal(lateBefore!.e.startDate.toJSDate().toISOString(), FIRST);
  const atomBefore = atomParser.parse((await app.inject({ url: '/api/v1/calendar.atom' })).body).feed;
  const atomIdBefore = atomBefore.entry.find((x: Entry) => x.title.includes('(LATE)')).id;

  clock.set('2026-11-22T09:00:00.000Z');
  releases.postpone(pkOf('LATE'), MOVED, 'Late data, from one country; sorry', { at: '2026-11-22T09:00:00.000Z', actor: SECRET_ACTOR });

  const after = await icsEvents();
  const lateAfter = after.find((x) => x.e.uid === 'LATE@releases.iccs-sdmx')!;
  t.equal(after.length, before.length, 'the same events, no duplicate');
  t.equal(lateAfter.e.sequence, 1, 'SEQUENCE counts the postponement');
  t.equal(lateAfter.e.startDate.toJSDate().toISOString(), MOVED);
  t.match(lateAfter.e.description, /Reason: Late data, from one country; sorry/);
  t.equal(String(lateAfter.v.getFirstPropertyValue('last-modified')), '2026-11-22T09:00:00Z');

  const json = byCode(await calendar());
  t.same(json.LATE.postponements, [{ at: '2026-11-22T09:00:00.000Z', from: FIRST, to: MOVED, reason: 'Late data, from one country; sorry' }]);
  t.equal(json.LATE.firstAnnouncedAt, FIRST);
  t.equal(json.LATE.announcedAt, MOVED);

  const atomAfter = atomParser.parse((await app.inject({ url: '/api/v1/calendar.atom' })).body).feed;
  const lateEntry = atomAfter.entry.find((x: Entry) => x.title.includes('(LATE)'));
  t.equal(lateEntry.id, atomIdBefore, 'the Atom id is stable across the postponement');
  t.equal(lateEntry.updated, '2026-11-22T09:00:00.000Z', 'updated = the postponement');
  t.match(lateEntry.summary['#text'], /Scheduled for 2026-11-28 08:00 UTC \(moved from 2026-11-25 08:00 UTC: Late data, from one country; sorry\)/);

  clock.set(MOVED);
  const published = byCode(await calendar()).LATE;
  t.equal(published.state, 'published', 'shown published at its instant, with no job having run');
  t.equal(published.publishedAt, MOVED);
  t.same(published.punctuality, { announced: FIRST, actual: MOVED, delaySeconds: 3 * 86_400, onTime: false });
  t.equal(published.updatedAt, MOVED, 'the publication is the last change');
  const lateEvent = (await icsEvents()).find((x) => x.e.uid === 'LATE@releases.iccs-sdmx')!;
  t.equal(lateEvent.e.sequence, 1, 'publication is not a revision of the event');
  t.equal(lateEvent.status, 'CONFIRMED');
});

t.test('cancelled: STATUS:CANCELLED with the reason; a cancelled draft never appears', async (t) => {
  clock.set('2026-11-23T10:00:00.000Z');
  releases.cancel(cancelled.pk, 'Merged into the 2027 release', { at: '2026-11-23T10:00:00.000Z', actor: SECRET_ACTOR });
  const events = await icsEvents();
  const dropped = events.find((x) => x.e.uid === 'DROPPED@releases.iccs-sdmx')!;
  t.equal(dropped.status, 'CANCELLED');
  t.equal(dropped.e.sequence, 1, 'a cancellation is a revision clients must apply');
  t.match(dropped.e.description, /Reason: Merged into the 2027 release/);
  t.notOk(events.some((x) => x.e.uid.startsWith('NEVER-ANNOUNCED')), 'a draft cancelled before any announcement is not on the calendar');
  t.notOk(events.some((x) => x.e.uid.startsWith('SECRET-DRAFT')));
  const json = byCode(await calendar());
  t.same(json.DROPPED.cancellation, { at: '2026-11-23T10:00:00.000Z', reason: 'Merged into the 2027 release' });
  t.equal(json.DROPPED.announcedAt, '2026-12-15T08:00:00.000Z', 'the instant it had been announced for stays visible');
  t.notOk('disclosureControl' in json.DROPPED);
});

t.test('embargo: disclosure-control metadata appears at the instant, not a millisecond before', async (t) => {
  clock.set(new Date(Date.parse(EMBARGO) - 1).toISOString());
  const before = byCode(await calendar()).EMBARGOED;
  t.equal(before.state, 'scheduled');
  t.notOk('disclosureControl' in before, 'absent at instant − 1 ms');
  const beforeBody = (await app.inject({ url: '/api/v1/calendar' })).body;
  t.notOk(beforeBody.includes('threshold+secondary-lp'), 'nothing of the method is anywhere in the answer');

  clock.set(EMBARGO);
  const at = byCode(await calendar()).EMBARGOED;
  t.equal(at.state, 'published');
  t.same(at.disclosureControl, [
    { dataflow: HOMICIDE, method: 'threshold+secondary-lp', rules: { threshold: 3, dominance: { n: 1, k: 0.85 } }, summary: { cells: 1, primary: 0, secondary: 0, audit: { failed: 0 } } },
  ]);
  const body = (await app.inject({ url: '/api/v1/calendar' })).body;
  t.notOk(body.includes('Jane') || body.includes('tok_0123456789ab'), 'who ran it is never public');
  t.notOk(body.includes('true values never public'));
});

t.test('filters: dataflow, state, from and to; bad filters are 400 problem documents', async (t) => {
  clock.set(T0);
  t.same((await calendar(`?dataflow=${encodeURIComponent(OFFENCES)}`)).map((e) => e.code), ['DROPPED']);
  t.same((await calendar('?dataflow=DF_CTS_OFFENCES')).map((e) => e.code), ['DROPPED'], 'a bare dataflow ID');
  t.same((await calendar('?dataflow=DF_CTS_PRISONS')).map((e) => e.code), []);
  t.same((await calendar('?state=cancelled')).map((e) => e.code), ['DROPPED']);
  t.same((await calendar('?state=published,cancelled')).map((e) => e.code), ['PUB-2020', 'DROPPED']);
  t.same((await calendar('?from=2026-11-28&to=2026-12-01')).map((e) => e.code), ['LATE', 'EMBARGOED'], 'date bounds take whole days');
  t.same((await calendar('?from=2026-11-28T08:00:01Z')).map((e) => e.code), ['EMBARGOED', 'DROPPED'], 'an instant bound is exact');
  t.same((await calendar('?to=2026-12-01T09:00:00%2B01:00')).map((e) => e.code), ['PUB-2020', 'LATE', 'EMBARGOED'], 'an instant with an offset');
  const ics = await icsEvents('?state=cancelled');
  t.same(ics.map((x) => x.e.uid), ['DROPPED@releases.iccs-sdmx'], 'the same filters on the iCalendar feed');
  const atom = atomParser.parse((await app.inject({ url: '/api/v1/calendar.atom?dataflow=DF_CTS_OFFENCES' })).body).feed;
  t.equal(atom.entry.length, 1, 'and on the Atom feed');

  for (const [query, pointer] of [
    ['?state=draft', '#/state'],
    ['?state=', '#/state'],
    ['?from=2026-02-30', '#/from'],
    ['?to=yesterday', '#/to'],
    ['?from=2026-12-02&to=2026-12-01', '#/to'],
    ['?dataflow=UNODC:DF_CTS_HOMICIDE', '#/dataflow'],
    ['?colour=blue', '#/colour'],
  ] as const) {
    for (const path of ['/api/v1/calendar', '/api/v1/calendar.ics', '/api/v1/calendar.atom']) {
      const res = await app.inject({ url: `${path}${query}` });
      t.equal(res.statusCode, 400, `${path}${query}`);
      t.equal(res.headers['content-type'], 'application/problem+json');
      t.match(res.json(), { type: 'https://iccs-sdmx.org/problems/invalid-request', status: 400, errors: [{ pointer }] });
    }
  }
});

t.test('the iCalendar feed is RFC 5545 text', async (t) => {
  clock.set(T0);
  const res = await app.inject({ url: '/api/v1/calendar.ics' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/calendar; charset=utf-8');
  t.notOk(/[^\r]\n/.test(res.body), 'CRLF line ends only');
  for (const line of res.body.split('\r\n')) t.ok(Buffer.byteLength(line) <= 75, 'folded at 75 octets');
  const events = await icsEvents();
  t.same(events.map((x) => x.e.uid), ['PUB-2020', 'LATE', 'EMBARGOED', 'DROPPED'].map((c) => `${c}@releases.iccs-sdmx`));
  for (const { v } of events) {
    for (const prop of ['dtstamp', 'dtstart', 'sequence', 'status', 'summary', 'description', 'last-modified']) t.ok(v.hasProperty(prop), `${prop}`);
  }
  const embargoed = events.find((x) => x.e.uid === 'EMBARGOED@releases.iccs-sdmx')!;
  t.equal(embargoed.e.startDate.toJSDate().toISOString(), EMBARGO);
  t.match(embargoed.e.summary, /\(EMBARGOED\)$/);
  t.match(embargoed.e.description, /Dataflows: UNODC:DF_CTS_HOMICIDE\(1\.0\)/);
  t.notOk(res.body.includes('Jane'));
});

t.test('the Atom feed has what Atom 1.0 requires', async (t) => {
  clock.set(T0);
  const res = await app.inject({ url: '/api/v1/calendar.atom', headers: { host: 'stats.example.org' } });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8');
  const doc = atomParser.parse(res.body);
  const feed = doc.feed;
  t.equal(feed['@xmlns'], 'http://www.w3.org/2005/Atom');
  t.equal(feed.id, 'tag:iccs-sdmx.org,2026:release-calendar');
  t.ok(feed.title);
  t.ok(feed.author?.name, 'a feed author (entries need none of their own)');
  const self = feed.link.find((l: Entry) => l['@rel'] === 'self');
  t.equal(self['@href'], 'http://stats.example.org/api/v1/calendar.atom', 'an absolute self link');
  t.same(feed.entry.map((e: Entry) => e.id), ['PUB-2020', 'LATE', 'EMBARGOED', 'DROPPED'].map((c) => `tag:iccs-sdmx.org,2026:release:${c}`));
  const instants = feed.entry.map((e: Entry) => e.updated);
  t.equal(feed.updated, instants.reduce((a: string, b: string) => (a > b ? a : b)), 'the feed is updated at its latest entry');
  for (const e of feed.entry) {
    for (const field of ['id', 'title', 'updated', 'published', 'summary', 'content']) t.ok(e[field], `entry ${field}`);
    t.ok(!Number.isNaN(Date.parse(e.updated)) && !Number.isNaN(Date.parse(e.published)));
  }
  const dropped = feed.entry.find((e: Entry) => e.id.endsWith(':DROPPED'));
  t.equal(dropped.category.find((c: Entry) => !c['@scheme'])['@term'], 'cancelled');
  t.match(dropped.content['#text'], /Cancelled .*Merged into the 2027 release/s);
});

t.test('caching: weak ETag, 304, and a max-age that ends before the next instant', async (t) => {
  clock.set(T0);
  const first = await app.inject({ url: '/api/v1/calendar' });
  const etag = first.headers.etag as string;
  t.match(etag, /^W\/"[A-Za-z0-9_-]+"$/);
  t.equal(first.headers['cache-control'], 'public, max-age=60', 'next instant far off: the short default');
  const again = await app.inject({ url: '/api/v1/calendar' });
  t.equal(again.headers.etag, etag, 'the same calendar, the same ETag');
  const conditional = await app.inject({ url: '/api/v1/calendar', headers: { 'if-none-match': etag } });
  t.equal(conditional.statusCode, 304);
  t.equal(conditional.body, '');
  for (const path of ['/api/v1/calendar.ics', '/api/v1/calendar.atom']) {
    const a = await app.inject({ url: path });
    const b = await app.inject({ url: path, headers: { 'if-none-match': a.headers.etag as string } });
    t.equal(b.statusCode, 304, `${path} answers 304 to its own ETag`);
    t.not(a.headers.etag, etag, 'each representation has its own ETag');
  }

  // EMBARGO is the next instant once LATE is out (postponed then published above).
  clock.set(new Date(Date.parse(EMBARGO) - 30_500).toISOString());
  const near = await app.inject({ url: '/api/v1/calendar' });
  t.equal(near.headers['cache-control'], 'public, max-age=30', 'rounded down: never past the instant');
  clock.set(new Date(Date.parse(EMBARGO) - 500).toISOString());
  const instant = await app.inject({ url: '/api/v1/calendar.ics' });
  t.equal(instant.headers['cache-control'], 'no-cache', 'under a second to go: revalidate every time');
  clock.set(EMBARGO);
  const changed = await app.inject({ url: '/api/v1/calendar', headers: { 'if-none-match': near.headers.etag as string } });
  t.equal(changed.statusCode, 200, 'at the instant the calendar changes, and so does its ETag');
  t.not(changed.headers.etag, near.headers.etag);
  t.equal(changed.headers['cache-control'], 'public, max-age=60', 'no scheduled instant left ahead');
});

t.test('no token needed, and HEAD works', async (t) => {
  clock.set(T0);
  const head = await app.inject({ method: 'HEAD', url: '/api/v1/calendar.ics' });
  t.equal(head.statusCode, 200);
  t.equal(head.headers['content-type'], 'text/calendar; charset=utf-8');
  const bogus = await app.inject({ url: '/api/v1/calendar', headers: { authorization: 'Bearer nonsense' } });
  t.equal(bogus.statusCode, 200, 'a public route ignores credentials');
});
