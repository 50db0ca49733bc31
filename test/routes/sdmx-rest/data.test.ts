/**
 * Data queries over a small release history (test/fixtures/data-releases.ts): every format
 * validates and carries the same observations, equal to the current public values; every
 * parameter selects what the specification says; statuses, embargo, revisions and HTTP caching
 * behave per API version.
 */
import t from 'tap';
import { gunzipSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { fixedClock } from '../../../src/clock.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { dataApp, CTS_DIMENSIONS } from '../../helpers/data-app.js';
import { canonical, decodeCsv, decodeGeneric21, decodeJson, decodeStructureSpecific, type DecodedObservation } from '../../helpers/data-decoders.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';
import { validateJson, validateStructureSpecific21, validateXml21 } from '../../helpers/validate.js';
import { AUT, AUT_RATE, CURRENT, EMBARGO_UNTIL, FRA, FRA_F, HOMICIDE_RELEASES, ISL, TEST_NOW } from '../../fixtures/data-releases.js';

const clock = fixedClock(TEST_NOW);
const { app } = await dataApp(HOMICIDE_RELEASES, { clock });
t.teardown(() => app.close());
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });

const FLOW21 = '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0';
const FLOW30 = '/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE/1.0';
const DIMS = [...CTS_DIMENSIONS, 'TIME_PERIOD'];

/** `key|period` of every current observation of the given keys (all when omitted). */
function expectedPoints(keys: readonly string[] = Object.keys(CURRENT), periods?: (p: string) => boolean): string[] {
  return keys.flatMap((k) => Object.keys(CURRENT[k]!).filter((p) => !periods || periods(p)).map((p) => `${k}|${p}`)).sort();
}

function points(obs: readonly DecodedObservation[]): string[] {
  return obs.map((o) => `${CTS_DIMENSIONS.map((d) => o.key[d]).join('.')}|${o.key.TIME_PERIOD}`).sort();
}

const schemaCache = new Map<string, string>();
async function dsdSchema(atObs: string): Promise<string> {
  if (!schemaCache.has(atObs)) {
    const res = await get(`/sdmx/2.1/schema/dataflow/UNODC/DF_CTS_HOMICIDE/1.0?dimensionAtObservation=${atObs}`);
    if (res.statusCode !== 200) throw new Error(`schema query failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
    schemaCache.set(atObs, res.body);
  }
  return schemaCache.get(atObs)!;
}

interface FormatCase {
  readonly accept: string;
  readonly timeSeriesOnly?: boolean;
  decode(body: string): DecodedObservation[];
  validate(body: string, atObs: string): Promise<string[]>;
}

const FORMATS: readonly FormatCase[] = [
  { accept: MEDIA.genericDataMl21, decode: decodeGeneric21, validate: async (b) => validateXml21(b) },
  { accept: MEDIA.genericTimeSeriesDataMl21, timeSeriesOnly: true, decode: decodeGeneric21, validate: async (b) => validateXml21(b) },
  {
    accept: MEDIA.structureSpecificDataMl21,
    decode: (b) => decodeStructureSpecific(b, DIMS),
    validate: async (b, atObs) => validateStructureSpecific21(b, await dsdSchema(atObs)),
  },
  {
    accept: MEDIA.structureSpecificTimeSeriesDataMl21,
    timeSeriesOnly: true,
    decode: (b) => decodeStructureSpecific(b, DIMS),
    validate: async (b, atObs) => validateStructureSpecific21(b, await dsdSchema(atObs)),
  },
  // SDMX-ML 3.0 needs a DSD-specific 3.0 schema to validate (the writer tests do that); here
  // its content is compared with the others.
  { accept: MEDIA.dataMl30, decode: (b) => decodeStructureSpecific(b, DIMS), validate: async () => [] },
  { accept: MEDIA.dataJson10, decode: decodeJson, validate: async (b) => validateJson(JSON.parse(b), JSON_SCHEMA.data10) },
  { accept: MEDIA.dataJson20, decode: decodeJson, validate: async (b) => validateJson(JSON.parse(b), JSON_SCHEMA.data20) },
  { accept: MEDIA.dataCsv10, decode: (b) => decodeCsv(b, DIMS), validate: async () => [] },
  { accept: MEDIA.dataCsv20, decode: (b) => decodeCsv(b, DIMS), validate: async () => [] },
];

t.test('every format and view: valid, and the same observations, equal to the current values', async (t) => {
  const reference = canonical(
    Object.entries(CURRENT).flatMap(([key, byPeriod]) =>
      Object.entries(byPeriod).map(([period, value]) => ({
        key: { ...Object.fromEntries(CTS_DIMENSIONS.map((d, i) => [d, key.split('.')[i]!])), TIME_PERIOD: period },
        value,
        attributes: {},
      })),
    ),
    false,
  );
  for (const api of ['2.1', '3.0'] as const) {
    for (const atObs of ['TIME_PERIOD', 'REF_AREA', 'AllDimensions']) {
      let withAttributes: string[] | undefined;
      for (const f of FORMATS) {
        if (f.timeSeriesOnly && atObs !== 'TIME_PERIOD') continue;
        const url = api === '2.1' ? `${FLOW21}/all?dimensionAtObservation=${atObs}` : `${FLOW30}/*?dimensionAtObservation=${atObs}`;
        const res = await get(url, { accept: f.accept });
        const label = `${api} ${f.accept} at ${atObs}`;
        t.equal(res.statusCode, 200, label);
        t.equal(res.headers['content-type'], f.accept, `${label}: exact media type`);
        t.same(await f.validate(res.body, atObs), [], `${label}: valid`);
        const obs = f.decode(res.body);
        t.same(canonical(obs, false), reference, `${label}: the current values`);
        const full = canonical(obs);
        withAttributes ??= full;
        t.same(full, withAttributes, `${label}: the same attributes as the first format`);
      }
    }
  }
  // Attribute values survive, including text that needs escaping in every format.
  const csv = decodeCsv((await get(`${FLOW21}/${FRA_F}`, { accept: MEDIA.dataCsv10 })).body, DIMS);
  t.same(csv[0]?.attributes, { OBS_STATUS: 'A', COMMENT_OBS: 'Police data, "provisional" & <partial>' });
});

t.test('defaults and negotiation', async (t) => {
  const cases: [api: string, accept: string | undefined, expected: string | number][] = [
    ['2.1', undefined, MEDIA.genericDataMl21],
    ['2.1', '*/*', MEDIA.genericDataMl21],
    ['2.1', 'application/xml', MEDIA.genericDataMl21],
    ['2.1', 'application/json', MEDIA.dataJson10],
    ['2.1', 'text/csv', MEDIA.dataCsv10],
    ['2.1', 'application/vnd.sdmx.data+csv; version=1.0.0; labels=both', MEDIA.dataCsv10],
    ['2.1', 'application/vnd.sdmx.structurespecificdata+xml;version=2.1;q=0.5, application/vnd.sdmx.data+json;version=1.0.0', MEDIA.dataJson10],
    ['3.0', undefined, MEDIA.dataJson20],
    ['3.0', 'application/xml', MEDIA.dataMl30],
    ['3.0', 'text/csv', MEDIA.dataCsv20],
    ['2.1', 'application/vnd.sdmx.data+json;version=9.9.9', 406],
    ['2.1', 'text/html', 406],
    ['3.0', 'image/png', 406],
  ];
  for (const [api, accept, expected] of cases) {
    const url = api === '2.1' ? `${FLOW21}/${AUT}` : `${FLOW30}/${AUT}`;
    const res = await get(url, accept === undefined ? {} : { accept });
    if (typeof expected === 'number') {
      t.equal(res.statusCode, expected, `${api} ${accept}`);
      t.match(res.body, /not offered|None of the requested/, `${api} ${accept}: says why`);
    } else {
      t.equal(res.statusCode, 200, `${api} ${accept}`);
      t.equal(res.headers['content-type'], expected, `${api} ${accept}`);
    }
  }
  const labelled = await get(`${FLOW21}/${AUT}`, { accept: 'application/vnd.sdmx.data+csv;version=1.0.0;labels=both' });
  t.match(labelled.body.split('\n')[0], /^DATAFLOW,FREQ: Frequency,REF_AREA: Reference area/, 'labels=both names the columns');
  t.match(labelled.body, /AUT: Austria/, 'and the codes');
});

t.test('format= shortcuts for browsers and spreadsheets', async (t) => {
  const cases: [query: string, api: '2.1' | '3.0', type: string | number][] = [
    ['format=csv', '2.1', MEDIA.dataCsv10],
    ['format=csv', '3.0', MEDIA.dataCsv20],
    ['format=json', '2.1', MEDIA.dataJson10],
    ['format=json', '3.0', MEDIA.dataJson20],
    ['format=xml', '2.1', MEDIA.genericDataMl21],
    ['format=xml', '3.0', MEDIA.dataMl30],
    ['format=structurespecificdata&formatVersion=2.1', '3.0', MEDIA.structureSpecificDataMl21],
    ['format=jsondata&formatVersion=2.0.0', '2.1', MEDIA.dataJson20],
    ['format=csvdata&formatVersion=2.0', '2.1', MEDIA.dataCsv20],
    ['format=csvfilewithlabels', '2.1', MEDIA.dataCsv10],
    ['format=excel', '2.1', 406],
    ['format=jsondata&formatVersion=7', '2.1', 406],
  ];
  for (const [query, api, type] of cases) {
    const url = `${api === '2.1' ? FLOW21 : FLOW30}/${AUT}?${query}`;
    const res = await get(url, { accept: MEDIA.dataJson20 });
    if (typeof type === 'number') t.equal(res.statusCode, type, query);
    else t.equal(res.headers['content-type'], type, `${api} ${query} wins over Accept`);
  }
  const file = await get(`${FLOW21}/${AUT}?format=csvfilewithlabels`);
  t.equal(file.headers['content-disposition'], 'attachment; filename="DF_CTS_HOMICIDE.csv"');
  t.match(file.body, /AUT: Austria/);
});

// ---------------------------------------------------------------------------------------------
// Parameters: each row is a query and the observations it must select (`key|period`), or a status.

type Expect = string[] | number;
const all = expectedPoints();
const only = (keys: string[], periods?: (p: string) => boolean) => expectedPoints(keys, periods);

const PARAMETER_CASES: [url: string, expected: Expect][] = [
  [`${FLOW21}`, all],
  [`${FLOW21}/all`, all],
  [`${FLOW21}/all/all`, all],
  ['/sdmx/2.1/data/DF_CTS_HOMICIDE', all],
  ['/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE', all],
  ['/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,latest', all],
  [`${FLOW21}/A.AUT......`, only([AUT, AUT_RATE])],
  [`${FLOW21}/A.AUT+FRA.VIC_HOM.0101._T._T._T.NR`, only([AUT, FRA])],
  [`${FLOW21}/..VIC_HOM..F...`, only([FRA_F])],
  [`${FLOW21}/A.AUT......?startPeriod=2019`, only([AUT, AUT_RATE], (p) => p >= '2019')],
  [`${FLOW21}/all?endPeriod=2017`, only([AUT], (p) => p <= '2017')],
  // Period-aware: a year overlaps 2018-Q3 and 2019-01.
  [`${FLOW21}/all?startPeriod=2018-Q3&endPeriod=2019-01`, only(Object.keys(CURRENT), (p) => p === '2018' || p === '2019')],
  [`${FLOW21}/all?startPeriod=2018-07-01&endPeriod=2018-S2`, only(Object.keys(CURRENT), (p) => p === '2018')],
  [`${FLOW21}/all?startPeriod=2020-M12`, only([AUT], (p) => p === '2020')],
  [`${FLOW21}/all?startPeriod=2021`, 404],
  [`${FLOW21}/${AUT}?lastNObservations=2`, [`${AUT}|2019`, `${AUT}|2020`]],
  [`${FLOW21}/${AUT}?firstNObservations=2`, [`${AUT}|2016`, `${AUT}|2017`]],
  // lastN inside the range, whatever the parameter order (the TCK sends them reversed).
  [`${FLOW21}/${AUT}?lastNObservations=2&endPeriod=2019&startPeriod=2016`, [`${AUT}|2018`, `${AUT}|2019`]],
  [`${FLOW21}/all?lastNObservations=1`, [`${AUT}|2020`, `${AUT_RATE}|2019`, `${FRA}|2019`, `${FRA_F}|2018`, `${ISL}|2019`].sort()],
  // Only what the 2021 release added or revised.
  [`${FLOW21}/all?updatedAfter=2021-01-01T00:00:00Z`, [`${AUT}|2019`, `${AUT}|2020`]],
  [`${FLOW21}/all?updatedAfter=2021`, [`${AUT}|2019`, `${AUT}|2020`]],
  [`${FLOW21}/all?updatedAfter=2015`, all],
  // 09:00+02:00 is 07:00Z, an hour before the 2021 release; 10:00+02:00 is its very instant.
  [`${FLOW21}/all?updatedAfter=2021-06-01T09%3A00%3A00%2B02%3A00`, [`${AUT}|2019`, `${AUT}|2020`]],
  [`${FLOW21}/all?updatedAfter=2021-06-01T10%3A00%3A00%2B02%3A00`, 404],
  [`${FLOW21}/all?updatedAfter=2022-01-01`, 404],
  [`${FLOW21}/all/UNODC`, all],
  [`${FLOW21}/all/UNODC,UNODC`, all],
  [`${FLOW21}/all/ESTAT`, 404],
  [`${FLOW21}/A.XXX......`, 404],
  ['/sdmx/2.1/data/UNODC,DF_NOPE,1.0', 404],
  ['/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,9.9', 404],
  [`${FLOW21}/A.AUT`, 400],
  [`${FLOW21}/A.AUT.......`, 400],
  [`${FLOW21}/all?startPeriod=2019-13`, 400],
  [`${FLOW21}/all?startPeriod=2020&endPeriod=2019`, 400],
  [`${FLOW21}/all?firstNObservations=0`, 400],
  [`${FLOW21}/all?lastNObservations=-1`, 400],
  [`${FLOW21}/all?detail=everything`, 400],
  [`${FLOW21}/all?dimensionAtObservation=NOPE`, 400],
  [`${FLOW21}/all?updatedAfter=yesterday`, 400],
  [`${FLOW21}/all?includeHistory=maybe`, 400],
  [`${FLOW21}/all?startperiod=2019`, 400],
  [`${FLOW21}/A.AUT......?startPeriod=2019&startPeriod=2020`, 400],
  [`${FLOW21}/A.A%20T......`, 400],
  // REST 2.x
  [`${FLOW30}`, all],
  [`${FLOW30}/*`, all],
  [`${FLOW30}/A.AUT`, only([AUT, AUT_RATE])],
  [`${FLOW30}/A.AUT.*.*.*.*.*.NR`, only([AUT])],
  [`${FLOW30}/A.AUT.*.*.*.*.*.NR,A.FRA.*.*.*.*.*.NR`, only([AUT, FRA, FRA_F])],
  [`${FLOW30}/A.AUT.*.*._T.*.*.NR,A.FRA.*.*._T.*.*.NR`, only([AUT, FRA])],
  ['/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE', all],
  ['/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE/~', all],
  ['/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE/1.0', all],
  ['/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE/%2B', all],
  ['/sdmx/3.0/data/*/UNODC/DF_CTS_HOMICIDE/1.0', all],
  ['/sdmx/3.0/data/provisionagreement/UNODC/PA_DF_CTS_HOMICIDE_UNODC/1.0', all],
  [`${FLOW30}/*?c[REF_AREA]=AUT,FRA&c[UNIT_MEASURE]=NR`, only([AUT, FRA, FRA_F])],
  [`${FLOW30}/*?c[REF_AREA]=AUT,FRA&c[UNIT_MEASURE]=NR&c[SEX]=F`, only([FRA_F])],
  [`${FLOW30}/*?c%5BREF_AREA%5D=ISL`, only([ISL])],
  [`${FLOW30}/*?c[REF_AREA]=ne:AUT&c[SEX]=_T`, only([FRA, ISL])],
  [`${FLOW30}/*?c[TIME_PERIOD]=ge:2019+le:2019`, only(Object.keys(CURRENT), (p) => p === '2019')],
  [`${FLOW30}/*?c[TIME_PERIOD]=2016,2020`, only([AUT], (p) => p === '2016' || p === '2020')],
  [`${FLOW30}/*?c[TIME_PERIOD]=gt:2019`, only([AUT], (p) => p === '2020')],
  [`${FLOW30}/*?c[OBS_VALUE]=gt:100`, only([FRA, FRA_F])],
  [`${FLOW30}/*?c[OBS_STATUS]=M`, [`${ISL}|2019`]],
  // The provisional 2019 value was revised to a normal one: the old vintage does not come back.
  [`${FLOW30}/*?c[OBS_STATUS]=P`, 204],
  // asOf: the data as published before the 2021 revision.
  [`${FLOW30}/${AUT}?asOf=2020-12-31T00:00:00Z`, only([AUT], (p) => p !== '2020')],
  [`${FLOW30}/*?updatedAfter=2021-01-01T00:00:00Z`, [`${AUT}|2019`, `${AUT}|2020`]],
  [`${FLOW30}/${AUT}?lastNObservations=1`, [`${AUT}|2020`]],
  [`${FLOW30}/A.XXX`, 204],
  ['/sdmx/3.0/data/dataflow/UNODC/DF_NOPE/1.0', 404],
  ['/sdmx/3.0/data/dataflow/UNODC/*/1.0', 501],
  [`${FLOW30}/A.AUT+FRA`, 400],
  [`${FLOW30}/A.AUT.*.*.*.*.*.NR.X`, 400],
  [`${FLOW30}/*?c[NOPE]=1`, 400],
  [`${FLOW30}/*?startPeriod=2019`, 400],
  [`${FLOW30}/*?detail=dataonly`, 400],
  ['/sdmx/3.0/data/register/UNODC/DF_CTS_HOMICIDE/1.0', 400],
];

t.test('parameters select exactly what the specification says', async (t) => {
  for (const [url, expected] of PARAMETER_CASES) {
    const res = await get(url, { accept: MEDIA.dataCsv10 });
    if (typeof expected === 'number') {
      t.equal(res.statusCode, expected, `${url} → ${expected}`);
      if (expected >= 400) {
        // An SDMX error message in the API's default family (CSV has none of its own).
        t.match(res.headers['content-type'], url.startsWith('/sdmx/2.1') ? /application\/xml/ : /application\/json/, `${url}: error body`);
        t.match(res.body, /ErrorMessage|"errors"/, `${url}: error body`);
      } else t.equal(res.body, '', `${url}: no body`);
      continue;
    }
    t.equal(res.statusCode, 200, url);
    t.same(points(decodeCsv(res.body, DIMS)), expected, url);
  }
});

t.test('detail and attributes/measures', async (t) => {
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true, isArray: (n) => ['Series', 'Obs'].includes(n) });
  const ss = async (url: string) => {
    const res = await get(url, { accept: MEDIA.structureSpecificDataMl21 });
    t.equal(res.statusCode, 200, url);
    t.same(validateStructureSpecific21(res.body, await dsdSchema('TIME_PERIOD')), [], `${url}: valid`);
    return xml.parse(res.body).StructureSpecificData.DataSet.Series as Record<string, unknown>[];
  };
  const full = await ss(`${FLOW21}/all`);
  t.equal(full.length, 5);
  t.ok(full.every((s) => (s.Obs as unknown[]).length > 0 && (s.Obs as Record<string, string>[]).every((o) => o.OBS_STATUS)), 'full: obs with attributes');
  const dataonly = await ss(`${FLOW21}/all?detail=dataonly`);
  t.ok(dataonly.every((s) => (s.Obs as Record<string, string>[]).every((o) => o.OBS_VALUE !== undefined && o.OBS_STATUS === undefined)), 'dataonly: no attributes');
  for (const url of [`${FLOW21}/all?detail=serieskeysonly`, `${FLOW21}/all?detail=nodata`]) {
    const series = await ss(url);
    t.equal(series.length, 5, url);
    t.ok(series.every((s) => s.Obs === undefined), `${url}: no observations`);
    t.same(Object.keys(series[0]!).filter((k) => !k.startsWith('xmlns')).slice(0, 8), CTS_DIMENSIONS, `${url}: dimensions first, in DSD order`);
  }
  const json = (url: string) => get(url, { accept: MEDIA.dataJson20 }).then((r) => decodeJson(r.body));
  const noAttrs = await json(`${FLOW30}/*?attributes=none`);
  t.ok(noAttrs.length > 0 && noAttrs.every((o) => Object.keys(o.attributes).length === 0), '3.0 attributes=none');
  const onlyStatus = await json(`${FLOW30}/${FRA_F}?attributes=OBS_STATUS`);
  t.same(onlyStatus[0]?.attributes, { OBS_STATUS: 'A' }, '3.0 attributes=OBS_STATUS drops COMMENT_OBS');
  const keysOnly = await get(`${FLOW30}/*?attributes=none&measures=none`, { accept: MEDIA.dataJson20 });
  const doc = JSON.parse(keysOnly.body);
  t.equal(Object.keys(doc.data.dataSets[0].series).length, 5, '3.0 serieskeysonly equivalent: every series');
  t.same(decodeJson(keysOnly.body), [], 'and no observation');
});

t.test('includeHistory: one data set per release, oldest first', async (t) => {
  const res = await get(`${FLOW21}/${AUT}?includeHistory=true`, { accept: MEDIA.genericDataMl21 });
  t.equal(res.statusCode, 200);
  t.same(validateXml21(res.body), []);
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true, isArray: (n) => ['DataSet', 'Series', 'Obs'].includes(n) });
  const sets = xml.parse(res.body).GenericData.DataSet as Record<string, string>[];
  t.same(sets.map((s) => [s.action, s.validFromDate]), [
    ['Replace', '2020-06-01T08:00:00.000Z'],
    ['Replace', '2021-06-01T08:00:00.000Z'],
  ]);
  const values = decodeGeneric21(res.body).map((o) => `${o.key.TIME_PERIOD}=${o.value}`);
  t.same(values, ['2016=46', '2017=53', '2018=73', '2019=65', '2019=66', '2020=41'], 'both vintages of 2019');
  const json = await get(`${FLOW30}/${AUT}?includeHistory=true`);
  t.same(validateJson(JSON.parse(json.body), JSON_SCHEMA.data20), []);
  t.equal(JSON.parse(json.body).data.dataSets.length, 2);
});

t.test('embargo: a scheduled release is invisible until its instant, then changes the validators', async (t) => {
  const url = `${FLOW21}/${FRA}`;
  const before = await get(url, { accept: MEDIA.dataCsv10 });
  t.same(points(decodeCsv(before.body, DIMS)), [`${FRA}|2018`, `${FRA}|2019`]);
  t.notMatch(before.body, /990/, 'the embargoed value is nowhere');
  const draftOnly = await get(`${FLOW21}/${ISL}?startPeriod=2020`);
  t.equal(draftOnly.statusCode, 404, 'a draft is never visible');

  clock.set(new Date(Date.parse(EMBARGO_UNTIL) - 1).toISOString());
  const justBefore = await get(url, { accept: MEDIA.dataCsv10 });
  t.equal(justBefore.headers.etag, before.headers.etag, 'one millisecond before: unchanged');
  clock.set(EMBARGO_UNTIL);
  const after = await get(url, { accept: MEDIA.dataCsv10 });
  t.same(points(decodeCsv(after.body, DIMS)), [`${FRA}|2018`, `${FRA}|2019`, `${FRA}|2020`]);
  t.not(after.headers.etag, before.headers.etag, 'the ETag changes with the visible data');
  t.equal(after.headers['last-modified'], new Date(EMBARGO_UNTIL).toUTCString());
  const other = await get(`${FLOW21}/${AUT}`, { accept: MEDIA.dataCsv10 });
  t.ok(other.headers.etag, 'every answer has an ETag');
  clock.set(TEST_NOW);
});

t.test('HTTP caching, compression, CORS and the response cache', async (t) => {
  const url = `${FLOW21}/A.AUT......`;
  const first = await get(url, { accept: MEDIA.dataJson10 });
  t.equal(first.statusCode, 200);
  t.match(first.headers.etag, /^W\/"/);
  // The newest of the visible data (2021) and of the structures behind the message (loaded now).
  t.equal(first.headers['last-modified'], new Date(TEST_NOW).toUTCString());
  t.match(first.headers.vary, /accept/i);
  t.equal(first.headers['access-control-allow-origin'], '*');
  const same = await get(url, { accept: MEDIA.dataJson10 });
  t.equal(same.headers.etag, first.headers.etag, 'stable for the same query');
  const reordered = await get(`${FLOW21}/A.AUT......?startPeriod=2016&endPeriod=2020`, { accept: MEDIA.dataJson10 });
  t.not(reordered.headers.etag, first.headers.etag, 'different query, different ETag');
  t.equal((await get(url, { accept: MEDIA.dataJson10, 'if-none-match': first.headers.etag as string })).statusCode, 304);
  t.equal((await get(url, { accept: MEDIA.dataJson10, 'if-modified-since': '2026-11-21T13:30:01.953Z' })).statusCode, 304, 'ISO If-Modified-Since');
  t.equal((await get(url, { accept: MEDIA.dataJson10, 'if-modified-since': 'Sat, 21 Nov 2026 11:00:00 GMT' })).statusCode, 200);
  const csv = await get(url, { accept: MEDIA.dataCsv10 });
  t.not(csv.headers.etag, first.headers.etag, 'the ETag depends on the format');
  const gz = await get(url, { accept: MEDIA.structureSpecificDataMl21, 'accept-encoding': 'gzip,deflate' });
  t.equal(gz.headers['content-encoding'], 'gzip');
  t.match(gunzipSync(gz.rawPayload).toString(), /<message:StructureSpecificData/);
  // A cached answer is byte-identical apart from nothing: same body as the first.
  t.equal(same.body, first.body, 'the repeated query is served from the response cache');
});

t.test('413 above the configured size, estimated from the stored rows', async (t) => {
  const { app: small } = await dataApp(HOMICIDE_RELEASES, { clock, env: { MAX_RESPONSE_OBSERVATIONS: '5' } });
  t.teardown(() => small.close());
  const big = await small.inject({ url: `${FLOW21}/all` });
  t.equal(big.statusCode, 413);
  t.match(big.body, /matches \d+ observations, more than the 5/);
  t.equal((await small.inject({ url: `${FLOW21}/${FRA}` })).statusCode, 200, 'a small query still answers');
});

t.test('response cache: repeated requests are answered as stored, per negotiation headers and visible state', async (t) => {
  const ownClock = fixedClock(TEST_NOW);
  const { app: own } = await dataApp(HOMICIDE_RELEASES, { clock: ownClock });
  t.teardown(() => own.close());
  const ask = (url: string, headers: Record<string, string> = {}) => own.inject({ url, headers });
  const url = `${FLOW21}/${FRA}`;
  const messageId = (body: string) => (JSON.parse(body) as { meta: { id: string } }).meta.id;

  const first = await ask(url, { accept: MEDIA.dataJson10 });
  const again = await ask(url, { accept: MEDIA.dataJson10 });
  t.equal(messageId(again.body), messageId(first.body), 'the stored message, header included');
  t.same(
    ['etag', 'last-modified', 'vary', 'cache-control', 'content-type'].map((h) => again.headers[h]),
    ['etag', 'last-modified', 'vary', 'cache-control', 'content-type'].map((h) => first.headers[h]),
    'with the headers of the first answer',
  );
  t.equal((await ask(url, { accept: MEDIA.dataJson10, 'if-none-match': first.headers.etag as string })).statusCode, 304, '304 from the cache');
  const spanish = await ask(url, { accept: MEDIA.dataJson10, 'accept-language': 'es' });
  t.not(messageId(spanish.body), messageId(first.body), 'another Accept-Language is another answer');
  t.match(spanish.body, /Víctimas de homicidio intencional/);
  const csv = await ask(url, { accept: MEDIA.dataCsv10 });
  t.match(csv.headers['content-type'], /csv/, 'another Accept is another answer');
  const download = await ask(`${url}?format=csv`);
  const downloadAgain = await ask(`${url}?format=csv`);
  t.equal(downloadAgain.headers['content-disposition'], 'attachment; filename="DF_CTS_HOMICIDE.csv"', 'a stored download is still a download');
  t.equal(downloadAgain.body, download.body);

  // gzip: the stored body is compressed once, then sent as it is (a Buffer, so with a length).
  let gz = await ask(url, { accept: MEDIA.dataJson10, 'accept-encoding': 'gzip, deflate' });
  for (let i = 0; i < 50 && gz.headers['content-length'] === undefined; i++) {
    await new Promise((r) => setTimeout(r, 10));
    gz = await ask(url, { accept: MEDIA.dataJson10, 'accept-encoding': 'gzip, deflate' });
  }
  t.equal(gz.headers['content-encoding'], 'gzip');
  t.equal(Number(gz.headers['content-length']), gz.rawPayload.length, 'the stored gzip body');
  t.equal(gunzipSync(gz.rawPayload).toString(), first.body, 'which is the stored body');
  t.match(gz.headers.vary, /accept-encoding/);
  const br = await ask(url, { accept: MEDIA.dataJson10, 'accept-encoding': 'br' });
  t.equal(br.headers['content-encoding'], 'br', 'a client that takes no gzip gets what the compression plugin gives');
  const refusesGzip = await ask(url, { accept: MEDIA.dataJson10, 'accept-encoding': 'gzip;q=0, deflate' });
  t.equal(refusesGzip.headers['content-encoding'], 'deflate');
  const plain = await ask(url, { accept: MEDIA.dataJson10, 'accept-encoding': 'identity' });
  t.equal(plain.headers['content-encoding'], undefined);
  t.equal(plain.body, first.body);
  const csvGz = await ask(url, { accept: MEDIA.dataCsv10, 'accept-encoding': 'gzip' });
  t.equal(csvGz.headers['content-encoding'], 'gzip', 'SDMX-CSV is compressed too');
  t.equal(gunzipSync(csvGz.rawPayload).toString(), (await ask(url, { accept: MEDIA.dataCsv10 })).body, 'the same CSV inside');

  // The visible state is checked before a stored answer is used: at the embargo instant the
  // same request gets the new data at once.
  const beforeEmbargo = await ask(url, { accept: MEDIA.dataCsv10 });
  t.notMatch(beforeEmbargo.body, /990/);
  ownClock.set(EMBARGO_UNTIL);
  const atEmbargo = await ask(url, { accept: MEDIA.dataCsv10 });
  t.match(atEmbargo.body, /,2020,990,/, 'not the stored answer of before');
  t.not(atEmbargo.headers.etag, beforeEmbargo.headers.etag);
  t.equal((await ask(url, { accept: MEDIA.dataCsv10, 'if-none-match': beforeEmbargo.headers.etag as string })).statusCode, 200, 'the old ETag is no longer current');
  ownClock.set(new Date(Date.parse(EMBARGO_UNTIL) - 1).toISOString());
  t.notMatch((await ask(url, { accept: MEDIA.dataCsv10 })).body, /990/, 'and before it again, the data of before');
});

t.test('negotiation results are kept per Accept header, never across APIs', async (t) => {
  const accept = 'application/json';
  const v21 = await get(`${FLOW21}/${AUT}`, { accept });
  const v30 = await get(`${FLOW30}/${AUT}`, { accept });
  t.equal(v21.headers['content-type'], MEDIA.dataJson10);
  t.equal(v30.headers['content-type'], MEDIA.dataJson20);
  t.equal((await get(`${FLOW21}/${AUT}`, { accept: 'text/html' })).statusCode, 406);
  t.equal((await get(`${FLOW21}/${AUT}`, { accept: 'text/html' })).statusCode, 406, 'and again (errors are not kept)');
  t.equal((await get(`${FLOW21}/${AUT}?labels=both`, { accept: MEDIA.dataCsv10 })).statusCode, 200);
  t.equal((await get(`${FLOW21}/${AUT}?labels=name`, { accept: MEDIA.dataCsv10 })).statusCode, 406, 'a label choice still checked per request');
});
