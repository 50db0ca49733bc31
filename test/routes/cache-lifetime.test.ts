/**
 * Caches never outlive a release: every public answer's Cache-Control lets a shared cache keep
 * it at most until the next announced release instant (five minutes when none is near), on
 * every surface, for answers served from the response cache too, and on 304s; at the instant,
 * `no-cache`. A permalink to a published release stays immutable. Tested with an injected clock.
 */
import t from 'tap';
import { fixedClock } from '../../src/clock.js';
import { cappedCacheControl } from '../../src/http/cache-lifetime.js';
import { MEDIA } from '../../src/sdmx/media-types.js';
import { EMBARGO_UNTIL, HOMICIDE_RELEASES } from '../fixtures/data-releases.js';
import { dataApp } from '../helpers/data-app.js';

const T = Date.parse(EMBARGO_UNTIL);
const at = (msBefore: number) => new Date(T - msBefore).toISOString();
const clock = fixedClock(at(3_600_000));
const { app } = await dataApp(HOMICIDE_RELEASES, { clock });
t.teardown(() => app.close());

const FLOW = 'UNODC,DF_CTS_HOMICIDE,1.0';
const PUBLIC_ANSWERS: readonly (readonly [string, string])[] = [
  [`/sdmx/2.1/data/${FLOW}/all`, MEDIA.dataCsv10],
  [`/sdmx/2.1/data/${FLOW}/all`, MEDIA.genericDataMl21],
  ['/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE/1.0', MEDIA.dataJson20],
  [`/sdmx/2.1/availableconstraint/${FLOW}/all/all/REF_AREA`, MEDIA.structureMl21],
  ['/sdmx/2.1/dataflow/UNODC/DF_CTS_HOMICIDE/1.0?references=all', MEDIA.structureMl21],
  ['/sdmx/3.0/structure/codelist/UNODC/CL_SEX/1.0', MEDIA.structureJson20],
  ['/sdmx/2.1/schema/dataflow/UNODC/DF_CTS_HOMICIDE/1.0', MEDIA.xml],
  ['/api/v1/data/UNODC/DF_CTS_HOMICIDE/1.0', 'application/json'],
];

async function cacheControls(): Promise<string[]> {
  const out: string[] = [];
  for (const [url, accept] of PUBLIC_ANSWERS) {
    const res = await app.inject({ url, headers: { accept } });
    t.equal(res.statusCode, 200, `${url} (${accept})`);
    out.push(String(res.headers['cache-control']));
  }
  return out;
}

t.test('cappedCacheControl', async (t) => {
  t.equal(cappedCacheControl(null), 'public, max-age=300');
  t.equal(cappedCacheControl(1000), 'public, max-age=300');
  t.equal(cappedCacheControl(42), 'public, max-age=42');
  t.equal(cappedCacheControl(0), 'no-cache');
  t.equal(cappedCacheControl(30, 60), 'public, max-age=30');
});

t.test('an hour before the instant: five minutes', async (t) => {
  clock.set(at(3_600_000));
  t.same(await cacheControls(), PUBLIC_ANSWERS.map(() => 'public, max-age=300'));
});

t.test('100 s before: 100 s, also for answers served from the response cache', async (t) => {
  clock.set(at(100_000));
  t.same(await cacheControls(), PUBLIC_ANSWERS.map(() => 'public, max-age=100'));
  // The same request again: the SDMX data answers now come from the response cache.
  clock.set(at(42_500));
  t.same(await cacheControls(), PUBLIC_ANSWERS.map(() => 'public, max-age=42'));
});

t.test('a 304 carries the same lifetime', async (t) => {
  clock.set(at(10_000));
  for (const [url, accept] of PUBLIC_ANSWERS.slice(0, 6)) {
    const first = await app.inject({ url, headers: { accept } });
    const again = await app.inject({ url, headers: { accept, 'if-none-match': String(first.headers.etag) } });
    t.equal(again.statusCode, 304, `${url}: 304`);
    t.equal(again.headers['cache-control'], 'public, max-age=10', `${url}: the 304's lifetime`);
  }
});

t.test('less than a second before: no-cache; after the instant, five minutes again', async (t) => {
  clock.set(at(500));
  t.same(await cacheControls(), PUBLIC_ANSWERS.map(() => 'no-cache'));
  clock.set(at(-1));
  const after = await cacheControls();
  t.same(after, PUBLIC_ANSWERS.map(() => after[0]));
  t.match(after[0], /^public, max-age=\d+$/, 'capped by the next instant, if any, else 300');
});

t.test('a permalink to a published release stays immutable', async (t) => {
  const res = await app.inject({ url: '/api/v1/releases/TEST-2020/data/UNODC/DF_CTS_HOMICIDE/1.0' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
});
