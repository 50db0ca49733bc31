/**
 * Staged data is confidential: draft releases (where uploads go) must not change one byte of
 * any public answer. Two apps hold the same published and embargoed releases; one of them also
 * holds drafts (new values for public series, new series, and a dataflow with nothing public).
 * Every public route, in every format, must answer both apps identically: status, body (message
 * ids aside), ETag and Last-Modified; the validators of one app must give 304 on the other.
 */
import t from 'tap';
import { fixedClock } from '../../src/clock.js';
import { dataApp, type FixtureRelease } from '../helpers/data-app.js';
import { AUT, HOMICIDE_RELEASES, ISL, TEST_NOW } from '../fixtures/data-releases.js';
import { MEDIA } from '../../src/sdmx/media-types.js';
import { withoutMessageIds as normalise } from '../helpers/public-answers.js';

const PUBLIC_RELEASES = HOMICIDE_RELEASES.filter((r) => r.state !== 'draft');
const DRAFT_ONLY_KEY = 'A.DEU.VIC_HOM.0101._T._T._T.NR';
const DRAFTS: FixtureRelease[] = [
  ...HOMICIDE_RELEASES.filter((r) => r.state === 'draft'),
  {
    code: 'STAGED-HOMICIDE',
    dataflow: 'DF_CTS_HOMICIDE',
    announcedAt: '2020-01-01T00:00:00.000Z',
    state: 'draft',
    series: [
      { key: AUT, observations: [{ period: '2019', value: 9999 }, { period: '2021', value: 77 }] },
      { key: ISL, observations: [{ period: '1990', value: 3 }] },
      { key: DRAFT_ONLY_KEY, observations: [{ period: '2019', value: 245 }, { period: '2020', value: 246 }] },
    ],
  },
  {
    code: 'STAGED-OFFENCES',
    dataflow: 'DF_CTS_OFFENCES',
    announcedAt: '2020-01-01T00:00:00.000Z',
    state: 'draft',
    series: [{ key: 'A.DEU.OFF.0501._T._T._T.NR', observations: [{ period: '2019', value: 1 }] }],
  },
];

const H21 = '/sdmx/2.1/data/DF_CTS_HOMICIDE';
const H30 = '/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE/1.0';
const REQUESTS: { url: string; accept?: string }[] = [
  ...[MEDIA.genericDataMl21, MEDIA.structureSpecificDataMl21, MEDIA.genericTimeSeriesDataMl21, MEDIA.dataJson10, MEDIA.dataCsv10].map((accept) => ({ url: H21, accept })),
  { url: `${H21}?format=csv` },
  { url: `${H21}?format=jsondata` },
  { url: `${H21}?detail=serieskeysonly` },
  { url: `${H21}?detail=nodata` },
  { url: `${H21}?includeHistory=true` },
  { url: `${H21}?updatedAfter=2000-01-01` },
  { url: `${H21}?lastNObservations=1` },
  { url: `${H21}?dimensionAtObservation=AllDimensions` },
  { url: `${H21}?startPeriod=2019&endPeriod=2021` },
  { url: `${H21}/${DRAFT_ONLY_KEY}` },
  { url: `${H21}/A.DEU+AUT.VIC_HOM.0101._T._T._T.NR` },
  { url: `${H21}/${ISL}?startPeriod=1990&endPeriod=1990` },
  { url: '/sdmx/2.1/data/DF_CTS_OFFENCES' },
  { url: '/sdmx/2.1/data/UNODC,DF_CTS_OFFENCES,1.0/all/UNODC' },
  ...[MEDIA.dataMl30, MEDIA.dataJson20, MEDIA.dataCsv20].map((accept) => ({ url: H30, accept })),
  { url: `${H30}?c[TIME_PERIOD]=ge:2019` },
  { url: `${H30}?asOf=2030-01-01T00:00:00Z` },
  { url: `${H30}/*.DEU.*.*.*.*.*.*` },
  { url: '/sdmx/3.0/data/dataflow/UNODC/DF_CTS_OFFENCES/1.0' },
  { url: '/sdmx/2.1/availableconstraint/DF_CTS_HOMICIDE' },
  { url: '/sdmx/2.1/availableconstraint/DF_CTS_HOMICIDE/all/all/REF_AREA?mode=available&references=codelist' },
  { url: '/sdmx/2.1/availableconstraint/DF_CTS_OFFENCES' },
  { url: '/sdmx/3.0/availability/dataflow/UNODC/DF_CTS_HOMICIDE/1.0' },
  { url: '/sdmx/3.0/availability/dataflow/UNODC/DF_CTS_HOMICIDE/1.0/*?mode=available&references=all' },
  { url: '/sdmx/3.0/availability/dataflow/UNODC/DF_CTS_OFFENCES/1.0' },
  { url: '/sdmx/2.1/schema/dataflow/UNODC/DF_CTS_HOMICIDE/1.0' },
  { url: '/sdmx/2.1/dataflow/UNODC/all/latest?references=all' },
  { url: '/sdmx/3.0/structure/dataflow/*/*/*' },
  { url: '/health' },
];

t.test('draft releases change no public answer', async (t) => {
  const clock = fixedClock(TEST_NOW);
  const plain = await dataApp(PUBLIC_RELEASES, { clock });
  const staged = await dataApp([...PUBLIC_RELEASES, ...DRAFTS], { clock });
  t.teardown(() => Promise.all([plain.app.close(), staged.app.close()]));

  // The drafts are really there: storage holds their rows.
  t.ok(staged.repositories.releases.list().filter((r) => r.state === 'draft').length >= 3, 'drafts stored');

  for (const { url, accept } of REQUESTS) {
    // Twice: the second answer may come from the response cache.
    for (const round of [1, 2]) {
      const headers = accept ? { accept } : {};
      const [a, b] = await Promise.all([plain.app.inject({ url, headers }), staged.app.inject({ url, headers })]);
      const what = `${url}${accept ? ` (${accept})` : ''} round ${round}`;
      t.equal(b.statusCode, a.statusCode, `${what}: status`);
      t.equal(b.headers.etag, a.headers.etag, `${what}: ETag`);
      t.equal(b.headers['last-modified'], a.headers['last-modified'], `${what}: Last-Modified`);
      t.equal(normalise(b.body), normalise(a.body), `${what}: body`);
      t.notMatch(b.body, /9999|\b1234\b|DEU\.VIC_HOM|\b245\b/, `${what}: no staged value or key`);
      if (a.headers.etag) {
        const revalidated = await staged.app.inject({ url, headers: { ...headers, 'if-none-match': String(a.headers.etag) } });
        t.equal(revalidated.statusCode, 304, `${what}: the public ETag still validates`);
      }
    }
  }
});

t.test('the upload API is not public', async (t) => {
  const { app } = await dataApp(PUBLIC_RELEASES, { clock: fixedClock(TEST_NOW) });
  t.teardown(() => app.close());
  for (const [method, url] of [
    ['GET', '/api/v1/uploads/upl_000000000000'],
    ['POST', '/api/v1/uploads?dataflow=UNODC:DF_CTS_HOMICIDE(1.0)'],
  ] as const) {
    const res = await app.inject({ method, url, headers: { 'content-type': 'text/csv' }, payload: method === 'POST' ? 'a,b\n1,2\n' : undefined });
    t.equal(res.statusCode, 401, `${method} ${url} needs a token`);
    t.equal(res.headers['content-type'], 'application/problem+json');
  }
});
