/**
 * The JSON data API over the small release history of test/fixtures/data-releases.ts, with an
 * injected clock: figures equal to what was loaded, `asOf` and `release` select the state of the
 * data, permalinks return exactly a release's own rows, embargoed and draft releases stay
 * invisible (their 404 cannot be told from an unknown code's), HTTP validators and 304, and
 * every bad input answers the right status and problem type.
 */
import t, { type Test } from 'tap';
import { gunzipSync } from 'node:zlib';
import { fixedClock } from '../../../src/clock.js';
import type { Repositories } from '../../../src/storage/repositories.js';
import { periodRange } from '../../../src/sdmx/time-period.js';
import { CTS_DIMENSIONS, dataApp, type FixtureRelease } from '../../helpers/data-app.js';
import { AUT, AUT_RATE, CURRENT, EMBARGO_UNTIL, FRA, FRA_F, HOMICIDE_RELEASES, ISL, TEST_NOW } from '../../fixtures/data-releases.js';

const clock = fixedClock(TEST_NOW);
const { app } = await dataApp(HOMICIDE_RELEASES, { clock });
t.teardown(() => app.close());
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });

const DATA = '/api/v1/data/UNODC/DF_CTS_HOMICIDE/1.0';
const permalink = (code: string, query = '') => `/api/v1/releases/${code}/data/UNODC/DF_CTS_HOMICIDE/1.0${query}`;
const PROBLEM = 'https://iccs-sdmx.org/problems/';

interface Observation {
  period: string;
  value: number | null;
  attributes: Record<string, string>;
  release: string;
  deleted?: boolean;
}
interface Document {
  dataflow: { agency: string; id: string; version: string; name: string | null };
  release?: { code: string; announcedAt: string };
  query: Record<string, unknown>;
  asOf: string;
  paging: { offset: number; limit: number | null; matchedSeries: number; next: number | null };
  series: { key: string; dimensions: Record<string, { id: string; name: string | null }>; observations: Observation[] }[];
  releases: string[];
}

async function fetchDocument(t: Test, url: string, headers: Record<string, string> = {}): Promise<Document> {
  const res = await get(url, headers);
  t.equal(res.statusCode, 200, `${url} answers 200 (${res.body.slice(0, 200)})`);
  t.match(res.headers['content-type'], /^application\/json/);
  return JSON.parse(res.body) as Document;
}

/** key → period → value, as the fixtures state CURRENT. */
function valuesOf(doc: Document): Record<string, Record<string, number | null>> {
  return Object.fromEntries(doc.series.map((s) => [s.key, Object.fromEntries(s.observations.map((o) => [o.period, o.value]))]));
}

function observation(doc: Document, key: string, period: string): Observation | undefined {
  return doc.series.find((s) => s.key === key)?.observations.find((o) => o.period === period);
}

t.test('the current data equal what was loaded, each value naming its release', async (t) => {
  const doc = await fetchDocument(t, DATA);
  t.same(valuesOf(doc), CURRENT);
  t.same(doc.series.map((s) => s.key), Object.keys(CURRENT).sort(), 'series in key order');
  t.same(doc.dataflow, { agency: 'UNODC', id: 'DF_CTS_HOMICIDE', version: '1.0', name: 'Victims of intentional homicide' });
  t.equal(doc.asOf, TEST_NOW, 'the instant the answer reflects: now');
  t.same(doc.releases, ['TEST-2020', 'TEST-2021'], 'the releases that contributed, oldest first');
  t.same(observation(doc, AUT, '2019'), { period: '2019', value: 66, attributes: { OBS_STATUS: 'A' }, release: 'TEST-2021' }, 'the revised value');
  t.same(observation(doc, AUT, '2018'), { period: '2018', value: 73, attributes: { OBS_STATUS: 'A' }, release: 'TEST-2020' });
  t.same(observation(doc, FRA_F, '2018')?.attributes, { OBS_STATUS: 'A', COMMENT_OBS: 'Police data, "provisional" & <partial>' }, 'attributes as stored');
  t.same(observation(doc, ISL, '2019'), { period: '2019', value: null, attributes: { OBS_STATUS: 'M' }, release: 'TEST-2020' }, 'a missing value stays null');
  const aut = doc.series.find((s) => s.key === AUT)!;
  t.same(Object.keys(aut.dimensions), [...CTS_DIMENSIONS], 'every dimension, in DSD order');
  t.same(aut.dimensions.REF_AREA, { id: 'AUT', name: 'Austria' });
  t.same(aut.dimensions.UNIT_MEASURE, { id: 'NR', name: 'Number' });
  t.equal(doc.series.some((s) => s.observations.some((o) => o.release === 'TEST-EMBARGOED' || o.release === 'TEST-DRAFT')), false);

  const es = await fetchDocument(t, `${DATA}?key=${FRA}&lang=es`);
  t.equal(es.series[0]!.dimensions.REF_AREA!.name, 'Francia', 'labels in Spanish');
  t.equal(es.dataflow.name, 'Víctimas de homicidio intencional');
  const byHeader = await fetchDocument(t, `${DATA}?key=${FRA}`, { 'accept-language': 'fr, es;q=0.8' });
  t.equal(byHeader.query.lang, 'es', 'Accept-Language picks the first language we have');
});

t.test('key syntax, periods and paging select what they say', async (t) => {
  const two = await fetchDocument(t, `${DATA}?key=A.AUT+FRA.VIC_HOM.0101._T._T._T.NR`);
  t.same(two.series.map((s) => s.key), [AUT, FRA], '+ between codes (not a space)');
  const wildcard = await fetchDocument(t, `${DATA}?key=.AUT......`);
  t.same(wildcard.series.map((s) => s.key), [AUT, AUT_RATE], 'empty positions are wildcards');
  const encodedPlus = await fetchDocument(t, `${DATA}?key=A.AUT%2BISL.VIC_HOM.0101._T._T._T.NR`);
  t.same(encodedPlus.series.map((s) => s.key), [AUT, ISL], '%2B is a + too');
  const periods = await fetchDocument(t, `${DATA}?key=${AUT}&startPeriod=2017&endPeriod=2019`);
  t.same(valuesOf(periods), { [AUT]: { '2017': 53, '2018': 73, '2019': 66 } });
  const none = await fetchDocument(t, `${DATA}?startPeriod=2030`);
  t.same(none.series, [], 'an empty selection is an empty list, not an error');
  t.same(none.releases, []);

  const pages: string[] = [];
  for (let offset: number | null = 0; offset !== null; ) {
    const page = await fetchDocument(t, `${DATA}?limit=2&offset=${offset}`);
    t.ok(page.series.length <= 2);
    t.equal(page.paging.matchedSeries, 5);
    pages.push(...page.series.map((s) => s.key));
    offset = page.paging.next;
  }
  t.same(pages, Object.keys(CURRENT).sort(), 'the pages together are the whole answer, in order');
  // A series whose observations all fall outside the period leaves its page shorter.
  const filtered = await fetchDocument(t, `${DATA}?limit=2&startPeriod=2020`);
  t.same(filtered.series.map((s) => s.key), [AUT]);
  t.equal(filtered.paging.next, 2);
});

t.test('asOf: the data as they were public at an instant', async (t) => {
  const before = await fetchDocument(t, `${DATA}?key=${AUT}&asOf=2020-12-31T00:00:00Z`);
  t.same(valuesOf(before), { [AUT]: { '2016': 46, '2017': 53, '2018': 73, '2019': 65 } }, 'before the revision: the old value, no 2020');
  t.same(observation(before, AUT, '2019'), { period: '2019', value: 65, attributes: { OBS_STATUS: 'P' }, release: 'TEST-2020' });
  t.equal(before.asOf, '2020-12-31T00:00:00.000Z');
  t.equal(before.query.asOf, '2020-12-31T00:00:00.000Z', 'echoed normalised');
  t.same(before.releases, ['TEST-2020']);

  const atRevision = await fetchDocument(t, `${DATA}?key=${AUT}&asOf=2021-06-01T08:00:00Z`);
  t.equal(observation(atRevision, AUT, '2019')?.value, 66, 'from the revision instant on: the new value');
  const justBefore = await fetchDocument(t, `${DATA}?key=${AUT}&asOf=2021-06-01T07:59:59.999Z`);
  t.equal(observation(justBefore, AUT, '2019')?.value, 65, 'a millisecond before: still the old one');

  const beforeAny = await fetchDocument(t, `${DATA}?asOf=2019-01-01`);
  t.same(beforeAny.series, [], 'nothing was public before the first release');
  const future = await fetchDocument(t, `${DATA}?asOf=2030-01-01T00:00:00Z`);
  t.same(valuesOf(future), CURRENT, 'a later asOf is now: the embargoed release is not shown early');
  t.equal(future.asOf, TEST_NOW);
});

t.test('release: the data right after a release was published', async (t) => {
  const first = await fetchDocument(t, `${DATA}?release=TEST-2020`);
  t.equal(observation(first, AUT, '2019')?.value, 65);
  t.equal(observation(first, AUT, '2020'), undefined);
  t.same(first.releases, ['TEST-2020']);
  t.equal(first.asOf, '2020-06-01T08:00:00.000Z', 'the release instant');

  const second = await fetchDocument(t, `${DATA}?release=TEST-2021`);
  t.same(valuesOf(second), CURRENT, 'after TEST-2021 the data were what they are now');
  t.equal(observation(second, FRA, '2018')?.release, 'TEST-2020', 'the earlier release still stands where not revised');
  t.same(second.releases, ['TEST-2020', 'TEST-2021']);
  t.equal(second.query.release, 'TEST-2021');
  t.not((await get(`${DATA}?release=TEST-2020`)).headers.etag, (await get(`${DATA}?release=TEST-2021`)).headers.etag);
});

t.test('permalink: exactly the rows a release wrote', async (t) => {
  const res = await get(permalink('TEST-2020'));
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
  t.match(res.headers.etag, /^"[A-Za-z0-9_-]+"$/, 'a strong ETag');
  const doc = JSON.parse(res.body) as Document;
  const published = HOMICIDE_RELEASES.find((r) => r.code === 'TEST-2020')!;
  const expected = Object.fromEntries(published.series.map((s) => [s.key, Object.fromEntries(s.observations.map((o) => [o.period, o.value]))]));
  t.same(valuesOf(doc), expected, 'the figures as TEST-2020 published them');
  t.same(observation(doc, AUT, '2019'), { period: '2019', value: 65, attributes: { OBS_STATUS: 'P' }, release: 'TEST-2020' }, 'the old value of the revised cell');
  t.ok(doc.series.every((s) => s.observations.every((o) => o.release === 'TEST-2020')), 'nothing from other releases');
  t.same(doc.releases, ['TEST-2020']);
  t.same(doc.release, { code: 'TEST-2020', announcedAt: '2020-06-01T08:00:00.000Z' });
  t.equal(doc.asOf, '2020-06-01T08:00:00.000Z');

  const revision = await fetchDocument(t, permalink('TEST-2021'));
  t.same(valuesOf(revision), { [AUT]: { '2019': 66, '2020': 41 } }, 'a revision holds its own rows only');

  const narrowed = await fetchDocument(t, permalink('TEST-2020', `?key=.AUT......&endPeriod=2018`));
  t.same(valuesOf(narrowed), { [AUT]: { '2016': 46, '2017': 53, '2018': 73 }, [AUT_RATE]: { '2018': 0.83 } }, 'key and period narrow a permalink too');
  const again = await get(permalink('TEST-2020'));
  t.equal(again.body, res.body, 'byte for byte the same answer');
  t.equal(again.headers.etag, res.headers.etag);
});

t.test('an embargoed release is invisible until its instant, then served', async (t) => {
  t.teardown(() => clock.set(TEST_NOW));
  const unknown = await get(permalink('NO-SUCH-RELEASE'));
  t.equal(unknown.statusCode, 404);
  t.same(JSON.parse(unknown.body), { type: `${PROBLEM}unknown-release`, title: 'Not Found', status: 404, detail: 'No public release has this code' });
  const unknownByParam = await get(`${DATA}?release=NO-SUCH-RELEASE`);

  clock.set(new Date(Date.parse(EMBARGO_UNTIL) - 1).toISOString());
  const early = await get(permalink('TEST-EMBARGOED'));
  t.equal(early.statusCode, 404);
  t.equal(early.body, unknown.body, 'the 404 body is byte-identical to an unknown code’s');
  for (const h of ['content-type', 'content-length', 'cache-control', 'etag', 'last-modified']) t.equal(early.headers[h], unknown.headers[h], `same ${h}`);
  const earlyByParam = await get(`${DATA}?release=TEST-EMBARGOED`);
  t.equal(earlyByParam.statusCode, 404);
  t.equal(earlyByParam.body, unknownByParam.body, 'release= says the same');
  t.equal(observation(await fetchDocument(t, DATA), FRA, '2020'), undefined, 'not in the current data either');

  clock.set(EMBARGO_UNTIL);
  const res = await get(permalink('TEST-EMBARGOED'));
  t.equal(res.statusCode, 200, 'served from its instant on');
  const doc = JSON.parse(res.body) as Document;
  t.same(valuesOf(doc), { [FRA]: { '2020': 990 } });
  t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', 'published at its instant: it never changes again');
  t.equal(observation(await fetchDocument(t, DATA), FRA, '2020')?.release, 'TEST-EMBARGOED', 'and part of the current data');
  t.equal(observation(await fetchDocument(t, `${DATA}?release=TEST-EMBARGOED`), FRA, '2020')?.value, 990);
});

t.test('a draft is never visible, through either route', async (t) => {
  t.teardown(() => clock.set(TEST_NOW));
  for (const instant of [TEST_NOW, '2100-01-01T00:00:00.000Z']) {
    clock.set(instant);
    const unknown = await get(permalink('NO-SUCH-RELEASE'));
    const draft = await get(permalink('TEST-DRAFT'));
    t.equal(draft.statusCode, 404);
    t.equal(draft.body, unknown.body);
    const byParam = await get(`${DATA}?release=TEST-DRAFT`);
    t.equal(byParam.statusCode, 404);
    t.equal(byParam.body, (await get(`${DATA}?release=NO-SUCH-RELEASE`)).body);
    const all = await fetchDocument(t, `${DATA}?key=${ISL}&asOf=2099-01-01`);
    t.equal(observation(all, ISL, '2020'), undefined, `the draft's value is nowhere at ${instant}`);
  }
});

t.test('validators: ETag, Last-Modified, 304, and a new ETag when the data change', async (t) => {
  t.teardown(() => clock.set(TEST_NOW));
  const url = `${DATA}?key=${FRA}`;
  const first = await get(url);
  const etag = first.headers.etag as string;
  t.match(etag, /^W\/"/, 'weak for the current data');
  t.equal(first.headers['cache-control'], 'public, max-age=300');
  t.ok(first.headers['last-modified']);
  const byTag = await get(url, { 'if-none-match': etag });
  t.equal(byTag.statusCode, 304);
  t.equal(byTag.body, '');
  t.equal(byTag.headers.etag, etag, 'a 304 carries the validators');
  const byDate = await get(url, { 'if-modified-since': first.headers['last-modified'] as string });
  t.equal(byDate.statusCode, 304);
  t.equal((await get(`${url}&lang=es`, { 'if-none-match': etag })).statusCode, 200, 'another language is another representation');

  clock.set(EMBARGO_UNTIL);
  const later = await get(url, { 'if-none-match': etag });
  t.equal(later.statusCode, 200, 'the embargoed release became visible: the old copy is stale');
  t.not(later.headers.etag, etag);

  const link = permalink('TEST-2020');
  const plain = await get(link);
  const strong = plain.headers.etag as string;
  t.equal((await get(link, { 'if-none-match': strong })).statusCode, 304);
  const gzipped = await get(link, { 'accept-encoding': 'gzip' });
  t.equal(gzipped.headers['content-encoding'], 'gzip', 'gzip from the compression plugin');
  t.equal(gzipped.headers.etag, `${strong.slice(0, -1)}-gzip"`, 'a strong ETag names the coded bytes');
  t.equal(gunzipSync(gzipped.rawPayload).toString(), plain.body, 'the same document');
  t.equal((await get(link, { 'accept-encoding': 'gzip', 'if-none-match': strong })).statusCode, 200, 'the identity tag does not validate the gzip bytes');
  t.equal((await get(link, { 'accept-encoding': 'gzip', 'if-none-match': gzipped.headers.etag as string })).statusCode, 304);
});

t.test('bad inputs: the right status and problem type', async (t) => {
  const cases: [url: string, status: number, type: string, parameter?: string][] = [
    ['/api/v1/data/UNODC/DF_NO_SUCH_FLOW/1.0', 404, 'unknown-dataflow'],
    ['/api/v1/data/UNODC/DF_CTS_HOMICIDE/9.9', 404, 'unknown-dataflow'],
    [permalink('TEST-2020').replace('DF_CTS_HOMICIDE', 'DF_NO_SUCH_FLOW'), 404, 'unknown-dataflow'],
    ['/api/v1/data/UNODC/DF_CTS_HOMICIDE/1.x', 400, 'invalid-request', 'version'],
    [`${DATA}?key=A.AUT`, 400, 'invalid-request', 'key'],
    [`${DATA}?key=A.AUT.VIC_HOM.0101._T._T._T.NR.X`, 400, 'invalid-request', 'key'],
    [`${DATA}?key=A.A%3CT.VIC_HOM.0101._T._T._T.NR`, 400, 'invalid-request', 'key'],
    [`${DATA}?key=A.XXX.VIC_HOM.0101._T._T._T.NR`, 400, 'invalid-request', 'key'],
    [`${DATA}?key=A.AUT+.VIC_HOM.0101._T._T._T.NR`, 400, 'invalid-request', 'key'],
    [`${DATA}?asOf=yesterday`, 400, 'invalid-request', 'asOf'],
    [`${DATA}?asOf=2021-02-30T00:00:00Z`, 400, 'invalid-request', 'asOf'],
    [`${DATA}?startPeriod=2019-13`, 400, 'invalid-request', 'startPeriod'],
    [`${DATA}?endPeriod=soon`, 400, 'invalid-request', 'endPeriod'],
    [`${DATA}?startPeriod=2020&endPeriod=2019`, 400, 'invalid-request', 'startPeriod'],
    [`${DATA}?asOf=2021-01-01&release=TEST-2020`, 400, 'invalid-request', 'release'],
    [`${DATA}?release=`, 400, 'invalid-request', 'release'],
    [`${DATA}?includeHistory=true`, 400, 'invalid-request', 'includeHistory'],
    [`${DATA}?key=${AUT}&key=${FRA}`, 400, 'invalid-request'],
    [`${DATA}?lang=fr`, 400, 'invalid-request'],
    [`${DATA}?limit=0`, 400, 'invalid-request'],
    [`${DATA}?offset=-1`, 400, 'invalid-request'],
    [permalink('TEST-2020', '?asOf=2021-01-01'), 400, 'invalid-request', 'asOf'],
    [permalink('TEST-2020', '?release=TEST-2021'), 400, 'invalid-request', 'release'],
    [permalink('TEST-2020').replace('DF_CTS_HOMICIDE', 'DF_CTS_COURTS'), 404, 'not-found'],
    [`${DATA}?release=NOPE`, 404, 'unknown-release'],
    [permalink('NOPE'), 404, 'unknown-release'],
  ];
  for (const [url, status, type, parameter] of cases) {
    const res = await get(url);
    t.equal(res.statusCode, status, `${url} → ${status}`);
    t.equal(res.headers['content-type'], 'application/problem+json', url);
    const body = JSON.parse(res.body) as { type: string; status: number; detail?: string; parameter?: string };
    t.equal(body.type, `${PROBLEM}${type}`, `${url} → ${type}`);
    t.equal(body.status, status);
    t.ok(body.detail, 'a detail a person can act on');
    if (parameter) t.equal(body.parameter, parameter, `${url} names ${parameter}`);
  }
});

t.test('too large: 413 from the data service size check, before any byte', async (t) => {
  const small = await dataApp(HOMICIDE_RELEASES, { clock, env: { MAX_RESPONSE_OBSERVATIONS: '5' } });
  t.teardown(() => small.app.close());
  const all = await small.app.inject({ url: DATA });
  t.equal(all.statusCode, 413);
  t.equal(all.headers['content-type'], 'application/problem+json');
  t.equal(all.headers.etag, undefined, 'no validators on a refusal');
  t.equal(JSON.parse(all.body).type, `${PROBLEM}too-large`);
  t.match(JSON.parse(all.body).detail, /matches 1[0-9] observations, more than the 5/);
  t.equal((await small.app.inject({ url: permalink('TEST-2020') })).statusCode, 413, 'permalinks too');
  t.equal((await small.app.inject({ url: `${DATA}?key=${FRA}` })).statusCode, 200, 'a narrower key fits');
  t.equal((await small.app.inject({ url: `${DATA}?limit=2&offset=1` })).statusCode, 200, 'so does a page of series');
});

/** Writes a release through the real path, with disclosure control on some cells before it is scheduled. */
function publishProtected(repositories: Repositories, release: FixtureRelease, suppress: { key: string; period: string }[]): void {
  const flow = `UNODC:${release.dataflow}(1.0)`;
  const draft = repositories.releases.createDraft({ code: release.code, title: release.code, dataflows: [flow] }, TEST_NOW);
  repositories.releases.addData(
    draft.pk,
    release.series.map((s) => ({
      dataflow: flow,
      provider: 'UNODC:UNODC',
      dimensions: Object.fromEntries(CTS_DIMENSIONS.map((d, i) => [d, s.key.split('.')[i]!])),
      observations: s.observations.map((o) => ({
        timePeriod: o.period,
        periodStart: periodRange(o.period)!.start,
        periodEnd: periodRange(o.period)!.end,
        value: o.value,
        attributes: o.attributes ?? { OBS_STATUS: 'A' },
        deleted: o.deleted,
      })),
    })),
  );
  const seriesPk = new Map(repositories.data.seriesOf(flow).map((s) => [s.key, s.pk]));
  repositories.protection.store(
    { releasePk: draft.pk, dataflow: flow, ranAt: TEST_NOW, ranBy: null, method: 'test', rules: {}, summary: {}, audit: [], passed: true },
    suppress.map((c) => ({ seriesPk: seriesPk.get(c.key)!, timePeriod: c.period, kind: 'primary', set: { CONF_STATUS: 'C', OBS_STATUS: 'Q' } })),
  );
  repositories.releases.schedule(draft.pk, release.announcedAt);
  repositories.releases.markPublished(draft.pk, release.announcedAt);
}

t.test('withdrawals and suppressed cells', async (t) => {
  const { app: other, repositories } = await dataApp(HOMICIDE_RELEASES, { clock });
  t.teardown(() => other.close());
  publishProtected(
    repositories,
    {
      code: 'TEST-2022',
      dataflow: 'DF_CTS_HOMICIDE',
      announcedAt: '2022-06-01T08:00:00.000Z',
      series: [
        { key: AUT_RATE, observations: [{ period: '2018', value: null, deleted: true }] },
        { key: FRA, observations: [{ period: '2020', value: 3, attributes: { OBS_STATUS: 'A' } }, { period: '2021', value: 812 }] },
      ],
    },
    [{ key: FRA, period: '2020' }],
  );
  // Announced for the same instant, created later: ranked after TEST-2022.
  publishProtected(
    repositories,
    { code: 'TEST-2022-B', dataflow: 'DF_CTS_HOMICIDE', announcedAt: '2022-06-01T08:00:00.000Z', series: [{ key: FRA, observations: [{ period: '2021', value: 815 }] }] },
    [],
  );
  const read = async (url: string) => {
    const res = await other.inject({ url });
    t.equal(res.statusCode, 200, url);
    return JSON.parse(res.body) as Document;
  };

  const now = await read(DATA);
  t.equal(observation(now, AUT_RATE, '2018'), undefined, 'a withdrawn value is gone from the current data');
  t.equal(observation(now, AUT_RATE, '2019')?.value, 0.73);
  t.same(observation(now, FRA, '2020'), { period: '2020', value: null, attributes: { OBS_STATUS: 'Q', CONF_STATUS: 'C' }, release: 'TEST-2022' }, 'a suppressed cell as stored');
  t.equal(JSON.stringify(now).includes('"value":3,'), false, 'the true value of a suppressed cell is never served');
  t.equal(observation(await read(`${DATA}?release=TEST-2021`), AUT_RATE, '2018')?.value, 0.83, 'before the withdrawal it stood');

  t.equal(observation(now, FRA, '2021')?.value, 815, 'of two releases announced for one instant, the later ranked wins');
  const afterFirst = await read(`${DATA}?release=TEST-2022`);
  t.equal(observation(afterFirst, FRA, '2021')?.value, 812, 'release= stops at that release, not at its instant');
  t.same(afterFirst.releases, ['TEST-2020', 'TEST-2021', 'TEST-2022']);
  t.equal(observation(await read(`${DATA}?release=TEST-2022-B`), FRA, '2021')?.value, 815);

  const link = await read(permalink('TEST-2022'));
  t.same(observation(link, AUT_RATE, '2018'), { period: '2018', value: null, attributes: { OBS_STATUS: 'A' }, release: 'TEST-2022', deleted: true }, 'the permalink marks the withdrawal');
  t.same(observation(link, FRA, '2020'), { period: '2020', value: null, attributes: { OBS_STATUS: 'Q', CONF_STATUS: 'C' }, release: 'TEST-2022' });
  t.same(link.series.map((s) => s.key), [AUT_RATE, FRA]);
  t.same(link.releases, ['TEST-2022']);
  t.same(valuesOf(await read(permalink('TEST-2020'))), valuesOf(await fetchDocument(t, permalink('TEST-2020'))), 'a later release changes nothing in an earlier permalink');
});
