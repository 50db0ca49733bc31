/**
 * Embargo on the release calendar (JSON, iCalendar, Atom), through one app whose clock moves
 * from T − 1 ms to T: the release is announced (listed as scheduled) before T, but how
 * disclosure control protected it (`disclosureControl`) is public only from T, like its data.
 * A release scheduled and then cancelled never shows its disclosure control. The calendar
 * ignores tokens: a `preview` token sees nothing early here.
 */
import t from 'tap';
import { fixedClock } from '../../src/clock.js';
import type { ProtectionRun } from '../../src/storage/repositories.js';
import { dataApp } from '../helpers/data-app.js';
import { AUT, HOMICIDE_RELEASES } from '../fixtures/data-releases.js';

const T = '2026-12-01T08:00:00.000Z';
const BEFORE_T = '2026-12-01T07:59:59.999Z';
const HOMICIDE = 'UNODC:DF_CTS_HOMICIDE(1.0)';
/** Appears in the disclosure-control summary only: where it shows, the metadata is public. */
const MARK = 'dc-summary-mark-7f3a';

const clock = fixedClock('2026-11-20T09:00:00.000Z');
const { app, repositories } = await dataApp(
  [
    ...HOMICIDE_RELEASES.filter((r) => r.state === undefined || r.state === 'published'),
    { code: 'EMBARGOED', dataflow: 'DF_CTS_HOMICIDE', announcedAt: T, state: 'draft', series: [{ key: AUT, observations: [{ period: '2019', value: 67 }] }] },
    { code: 'CANCELLED', dataflow: 'DF_CTS_HOMICIDE', announcedAt: T, state: 'draft', series: [{ key: AUT, observations: [{ period: '2019', value: 5555 }] }] },
  ],
  { clock },
);
t.teardown(() => app.close());

const releases = repositories.releases;
const pkOf = (code: string) => releases.byCode(code)!.pk;
const run = (code: string): ProtectionRun => ({
  releasePk: pkOf(code),
  dataflow: HOMICIDE,
  ranAt: '2026-11-20T10:00:00.000Z',
  ranBy: 'tok_0123456789ab:publisher',
  method: 'threshold',
  rules: { threshold: 3 },
  summary: { cells: 1, primary: 0, secondary: 0, note: `${MARK}-${code}` },
  audit: [],
  passed: true,
});
const change = { at: '2026-11-20T11:00:00.000Z', actor: 'cli' };
for (const code of ['EMBARGOED', 'CANCELLED']) {
  repositories.protection.store(run(code), []);
  releases.schedule(pkOf(code), T, change);
}
releases.cancel(pkOf('CANCELLED'), 'withdrawn', change);

const preview = app.tokens.create({ name: 'press office', role: 'preview', dataflows: [], createdBy: 'cli' }).token;
const URLS = ['/api/v1/calendar', '/api/v1/calendar.ics', '/api/v1/calendar.atom', `/api/v1/calendar?dataflow=${encodeURIComponent(HOMICIDE)}`];
type Entry = { code: string; state: string; disclosureControl?: { dataflow: string; method: string; summary: { note: string } }[] };
const entries = (body: string) => Object.fromEntries((JSON.parse(body) as { releases: Entry[] }).releases.map((e) => [e.code, e]));

t.test('disclosure-control metadata is public exactly from T', async (t) => {
  clock.set(BEFORE_T);
  const before = new Map<string, { etag: string; body: string }>();
  for (const url of URLS) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 200, `${url} at T − 1 ms`);
    t.notMatch(res.body, MARK, `${url} at T − 1 ms: no disclosure-control metadata`);
    t.notMatch(res.body, /5555|\b67\b/, `${url} at T − 1 ms: no data`);
    t.equal(res.headers['cache-control'], 'no-cache', `${url} at T − 1 ms: not cached past T (1 ms away)`);
    const withPreview = await app.inject({ url, headers: { authorization: `Bearer ${preview}` } });
    t.equal(withPreview.body, res.body, `${url} at T − 1 ms: a preview token sees the public calendar`);
    before.set(url, { etag: String(res.headers.etag), body: res.body });
  }
  const early = entries(before.get('/api/v1/calendar')!.body);
  t.equal(early.EMBARGOED?.state, 'scheduled', 'the embargoed release is announced');
  t.notOk('disclosureControl' in early.EMBARGOED!, 'without its disclosure control');
  t.equal(early.CANCELLED?.state, 'cancelled', 'the cancelled release is listed as cancelled');
  t.notOk('disclosureControl' in early.CANCELLED!, 'without disclosure control');

  clock.set(T);
  for (const url of URLS) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 200, `${url} at T`);
    t.not(res.headers.etag, before.get(url)!.etag, `${url} at T: the ETag changed`);
    const stale = await app.inject({ url, headers: { 'if-none-match': before.get(url)!.etag } });
    t.equal(stale.statusCode, 200, `${url} at T: the ETag of T − 1 ms no longer validates`);
    t.notMatch(res.body, `${MARK}-CANCELLED`, `${url} at T: never the cancelled release's metadata`);
  }
  const now = entries((await app.inject({ url: '/api/v1/calendar' })).body);
  t.equal(now.EMBARGOED?.state, 'published', 'published at T');
  t.match(now.EMBARGOED?.disclosureControl, [{ dataflow: HOMICIDE, method: 'threshold', summary: { note: `${MARK}-EMBARGOED` } }], 'with its disclosure control');
  t.notOk('disclosureControl' in now.CANCELLED!, 'the cancelled release never has it');

  clock.set('2030-01-01T00:00:00.000Z');
  const later = entries((await app.inject({ url: '/api/v1/calendar' })).body);
  t.notOk('disclosureControl' in later.CANCELLED!, 'not later either');
});
