/**
 * `GET /api/v1/dataflows/{id}/observations` on the real demo data, at an injected instant:
 * figures equal to the SDMX-CSV answer of /sdmx/2.1/data for the same selection in JSON, CSV and
 * a parsed-back XLSX; count and rate in one row; ICCS descendants; Spanish labels; suppressed
 * cells flagged in words; cursors that walk the whole result exactly once, also when a release
 * becomes public between two pages; the embargo of the held-back demo release at its instant
 * ± 1 ms; asOf and release; preview tokens; validators and 304; every bad input a 4xx problem.
 * Every JSON answer is checked against the route's declared response schema.
 */
import t, { type Test } from 'tap';
import ExcelJS from 'exceljs';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { OBSERVATIONS_RESPONSE } from '../../../src/routes/api/dataflows.js';
import { parseCsv } from '../../helpers/csv.js';
import { CTS_DIMENSIONS } from '../../helpers/data-app.js';
import { assertProblem, demoApp, HELD_BACK, HELD_BACK_AT, LOADED_AT, schemaErrors, shifted } from '../../helpers/json-api-demo.js';

const { app, clock } = await demoApp();
t.teardown(() => app.close());

const OBS = (flow: string, query = '') => `/api/v1/dataflows/${flow}/observations${query ? `?${query}` : ''}`;

interface Cell {
  value: number | null;
  unit: string;
  seriesKey: string;
  suppressed: boolean;
  flags: { attribute: string; code: string; meaning: string }[];
  attributes: Record<string, string>;
  release: string;
}
interface Row {
  key: string;
  period: string;
  dimensions: Record<string, { id: string; name: string | null; level?: number }>;
  values: Record<string, Cell>;
}
interface Doc {
  query: Record<string, unknown>;
  asOf: string;
  lang: string;
  dimensions: { id: string; name: string | null; levels?: boolean }[];
  units: { field: string; unit: string; name: string | null }[];
  rows: Row[];
  releases: { code: string; title: string | null; announcedAt: string }[];
  source: string | null;
  citation: { text: string; permalink: string };
  licence: { text: string | null; url: string | null } | null;
  hints: string[];
  paging: { limit: number | null; returned: number; cursor: string | null; next: string | null };
}

async function doc(t: Test, url: string, headers: Record<string, string> = {}): Promise<Doc> {
  const res = await app.inject({ url, headers });
  t.equal(res.statusCode, 200, `${url} answers 200 (${res.body.slice(0, 300)})`);
  t.match(res.headers['content-type'], /^application\/json/);
  const body = JSON.parse(res.body) as Doc;
  t.equal(schemaErrors(OBSERVATIONS_RESPONSE, body), null, `${url}: valid against the declared response schema`);
  return body;
}

/** `seriesKey|period` → value, from our rows. */
function figuresOf(rows: readonly Row[]): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const r of rows) for (const c of Object.values(r.values)) out.set(`${c.seriesKey}|${r.period}`, c.value);
  return out;
}

/** `key|period` → value, as the SDMX 2.1 API answers in SDMX-CSV. */
async function sdmxFigures(path: string): Promise<Map<string, number | null>> {
  const res = await app.inject({ url: path, headers: { accept: MEDIA.dataCsv10 } });
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  const out = new Map<string, number | null>();
  for (const r of parseCsv(res.body)) out.set(`${CTS_DIMENSIONS.map((d) => r[d]).join('.')}|${r.TIME_PERIOD}`, r.OBS_VALUE === '' ? null : Number(r.OBS_VALUE));
  return out;
}

const SELECTION = 'REF_AREA=MEX,GTM&OFFENCE=0101&SEX=_T&from=2005&to=2015';

/** Our CSV without its byte order mark, parsed. */
function csvRows(body: string): Record<string, string>[] {
  return parseCsv(body.startsWith('\uFEFF') ? body.slice(1) : body);
}
const SDMX_SELECTION = '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.MEX+GTM.VIC_HOM.0101._T._T._T.?startPeriod=2005&endPeriod=2015';

t.test('JSON: the figures of the SDMX API, count and rate side by side, each naming its release', async (t) => {
  const d = await doc(t, OBS('DF_CTS_HOMICIDE', SELECTION));
  const expected = await sdmxFigures(SDMX_SELECTION);
  t.ok(expected.size > 20, `the selection holds figures (${expected.size})`);
  t.same(figuresOf(d.rows), expected, 'every figure, nothing more');
  t.same(d.units.map((u) => [u.field, u.unit]), [['count', 'NR'], ['rate', 'P_HTHAB']], 'count then rate');
  const mex2010 = d.rows.find((r) => r.dimensions.REF_AREA!.id === 'MEX' && r.period === '2010')!;
  t.ok(mex2010, 'Mexico 2010 is one row');
  t.equal(mex2010.key, 'A.MEX.VIC_HOM.0101._T._T._T', 'the key without unit');
  t.equal(mex2010.values.count!.seriesKey, 'A.MEX.VIC_HOM.0101._T._T._T.NR');
  t.equal(mex2010.values.rate!.seriesKey, 'A.MEX.VIC_HOM.0101._T._T._T.P_HTHAB', 'the rate beside the count');
  t.equal(mex2010.values.count!.release, 'GSH-2019');
  t.same(mex2010.dimensions.REF_AREA, { id: 'MEX', name: 'Mexico' });
  t.notOk('UNIT_MEASURE' in mex2010.dimensions, 'the unit is the value field, not a dimension of the row');
  t.same(d.releases.map((r) => r.code), ['GSH-2019']);
  t.equal(d.asOf, LOADED_AT);
  t.same(new Set(d.rows.map((r) => r.period)).size <= 11, true, 'periods within from and to');
  t.ok(d.rows.every((r) => r.period >= '2005' && r.period <= '2015'));
  // Rows in key order, then period order.
  const order = d.rows.map((r) => `${r.key}|${r.period}`);
  t.same(order, [...order].sort(), 'rows by key, then period');
  // Lower-case dimension names are the same filter.
  const lower = await doc(t, OBS('DF_CTS_HOMICIDE', SELECTION.toLowerCase().replace('mex,gtm', 'MEX,GTM').replace('_t', '_T')));
  t.same(figuresOf(lower.rows), expected, 'ref_area, offence, sex: the same filters');
});

t.test('CSV with labels: the same figures, labels in Spanish', async (t) => {
  const res = await app.inject({ url: OBS('DF_CTS_HOMICIDE', `${SELECTION}&format=csv&lang=es`) });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/csv/);
  t.match(res.headers['content-disposition'], /attachment; filename="DF_CTS_HOMICIDE\.csv"/);
  t.same([...res.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte order mark first, for Excel');
  const rows = csvRows(res.body);
  const got = new Map<string, number | null>();
  for (const r of rows) {
    const key = `A.${r.REF_AREA}.VIC_HOM.0101._T._T._T`;
    if (r.count !== '') got.set(`${key}.NR|${r.TIME_PERIOD}`, Number(r.count));
    if (r.rate !== '') got.set(`${key}.P_HTHAB|${r.TIME_PERIOD}`, Number(r.rate));
  }
  t.same(got, await sdmxFigures(SDMX_SELECTION), 'the figures of the SDMX-CSV answer');
  t.equal(rows.find((r) => r.REF_AREA === 'MEX')?.REF_AREA_label, 'México', 'labels in Spanish');
  t.equal(rows[0]?.OFFENCE_label, 'Homicidio intencional');
  t.equal(rows[0]?.count_release, 'GSH-2019');
  t.match(Object.keys(rows[0]!), ['FREQ', 'FREQ_label', 'REF_AREA', 'REF_AREA_label'], 'code and label per dimension');
  const byAccept = await app.inject({ url: OBS('DF_CTS_HOMICIDE', SELECTION), headers: { accept: 'text/csv' } });
  t.match(byAccept.headers['content-type'], /^text\/csv/, 'Accept: text/csv picks CSV');
});

t.test('XLSX: a real workbook whose figures equal the SDMX-CSV answer, with a notes sheet', async (t) => {
  const res = await app.inject({ url: OBS('DF_CTS_HOMICIDE', `${SELECTION}&format=xlsx`) });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const data = workbook.getWorksheet('Data')!;
  const notes = workbook.getWorksheet('Notes')!;
  t.ok(data && notes, 'a data sheet and a notes sheet');
  const header = (data.getRow(1).values as unknown[]).slice(1).map(String);
  const col = (name: string) => header.indexOf(name) + 1;
  t.ok(col('Reference area (code)') > 0 && col('Number') > 0 && col('Rate per 100 000 population') > 0, `human headers: ${header.join(' | ')}`);
  const got = new Map<string, number | null>();
  data.eachRow((row, n) => {
    if (n === 1) return;
    const area = String(row.getCell(col('Reference area (code)')).value);
    const period = String(row.getCell(col('Period')).value);
    const count = row.getCell(col('Number')).value;
    const rate = row.getCell(col('Rate per 100 000 population')).value;
    if (typeof count === 'number') got.set(`A.${area}.VIC_HOM.0101._T._T._T.NR|${period}`, count);
    if (typeof rate === 'number') got.set(`A.${area}.VIC_HOM.0101._T._T._T.P_HTHAB|${period}`, rate);
  });
  t.same(got, await sdmxFigures(SDMX_SELECTION), 'numbers as numbers, equal to the SDMX-CSV figures');
  const noteText = notes.getSheetValues().flat().map(String).join('\n');
  t.match(noteText, /Victims of intentional homicide/, 'the dataflow');
  t.match(noteText, /Source\nUNODC, Global Study on Homicide 2019/, 'the source, without a second "Source:" label');
  t.match(noteText, /Citation/, 'a citation');
  t.match(noteText, /GSH-2019/, 'the release');
});

t.test('XLSX beyond the cell cap is 413 before the first byte; CSV of the same is served', async (t) => {
  const body = assertProblem(t, await app.inject({ url: OBS('DF_CTS_PRISONS', 'format=xlsx') }), 413, 'format', 'the whole prisons table as XLSX');
  t.match(body.detail, /cells/);
  const csv = await app.inject({ url: OBS('DF_CTS_PRISONS', 'format=csv&REF_AREA=FRA') });
  t.equal(csv.statusCode, 200, 'CSV has no cell cap');
});

t.test('ICCS descendants: a trailing * or descendants=true is the code and everything under it', async (t) => {
  const codelist = (await app.inject({ url: '/api/v1/codelists/CL_OFFENCE?code=02&descendants=true' })).json() as { codes: { id: string }[] };
  const under02 = new Set(codelist.codes.map((c) => c.id));
  t.ok(under02.size > 10, `section 02 and its ${under02.size - 1} descendants`);
  const all = await sdmxFigures('/sdmx/2.1/data/UNODC,DF_CTS_OFFENCES,1.0/A.AUT+FRA+MEX......');
  const expected = new Map([...all].filter(([k]) => under02.has(k.split('.')[3]!)));
  t.ok(new Set([...expected.keys()].map((k) => k.split('.')[3])).size > 1, 'several offence codes under 02 hold data');
  const star = await doc(t, OBS('DF_CTS_OFFENCES', 'REF_AREA=AUT,FRA,MEX&OFFENCE=02*&limit=10000'));
  t.same(figuresOf(star.rows), expected, 'OFFENCE=02*: every figure under section 02');
  const flag = await doc(t, OBS('DF_CTS_OFFENCES', 'REF_AREA=AUT,FRA,MEX&OFFENCE=02&descendants=true&limit=10000'));
  t.same(figuresOf(flag.rows), expected, 'descendants=true: the same');
  const exact = await doc(t, OBS('DF_CTS_OFFENCES', 'REF_AREA=AUT,FRA,MEX&OFFENCE=02&limit=10000'));
  t.ok(exact.rows.every((r) => r.dimensions.OFFENCE!.id === '02'), 'without: the code alone');
  t.ok(exact.rows.length < star.rows.length);
});

t.test('labels in the language of lang or Accept-Language', async (t) => {
  const es = await doc(t, OBS('DF_CTS_HOMICIDE', 'REF_AREA=MEX&SEX=F&lang=es&limit=1'));
  t.equal(es.rows[0]!.dimensions.REF_AREA!.name, 'México');
  t.equal(es.rows[0]!.dimensions.SEX!.name, 'Mujeres');
  t.equal(es.units[0]!.name, 'Número');
  const header = await doc(t, OBS('DF_CTS_HOMICIDE', 'REF_AREA=MEX&SEX=F&limit=1'), { 'accept-language': 'fr, es;q=0.8' });
  t.equal(header.lang, 'es', 'the first of our languages in Accept-Language');
  t.equal(header.rows[0]!.dimensions.REF_AREA!.name, 'México');
});

t.test('suppressed cells: value null, suppressed, flagged in words', async (t) => {
  // A cell disclosure control withheld, as the SDMX API serves it.
  const csv = parseCsv((await app.inject({ url: '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/all', headers: { accept: MEDIA.dataCsv10 } })).body);
  const hidden = csv.find((r) => r.OBS_VALUE === '' && r.CONF_STATUS === 'A');
  t.ok(hidden, 'the demo has a primary suppression');
  const filters = CTS_DIMENSIONS.slice(0, 7).map((d) => `${d}=${hidden![d]}`).join('&');
  const d = await doc(t, OBS('DF_CTS_HOMICIDE', `${filters}&from=${hidden!.TIME_PERIOD}&to=${hidden!.TIME_PERIOD}`));
  const cell = d.rows[0]!.values[hidden!.UNIT_MEASURE === 'NR' ? 'count' : 'rate']!;
  t.equal(cell.value, null);
  t.equal(cell.suppressed, true);
  t.same(
    cell.flags.find((f) => f.attribute === 'CONF_STATUS'),
    { attribute: 'CONF_STATUS', code: 'A', meaning: 'Primary confidentiality due to small counts' },
    'the reason in words',
  );
  t.ok(cell.flags.some((f) => f.attribute === 'OBS_STATUS' && f.code === 'Q' && /suppressed/.test(f.meaning)), 'OBS_STATUS Q in words');
  const free = d.rows.flatMap((r) => Object.values(r.values)).filter((c) => c.value !== null);
  t.ok(free.every((c) => !c.suppressed && !c.flags.some((f) => f.attribute === 'CONF_STATUS')), 'a published value carries no confidentiality flag');
});

/** Follows `paging.next` from a first page; the rows of every page, in order. */
async function walk(t: Test, first: string, between?: (page: number) => void): Promise<{ rows: Row[]; pages: number }> {
  const rows: Row[] = [];
  let url: string | null = first;
  let pages = 0;
  while (url) {
    const d = await doc(t, url);
    rows.push(...d.rows);
    pages += 1;
    t.equal(d.paging.returned, d.rows.length);
    url = d.paging.next;
    if (url) t.equal(url, `${first.split('?')[0]}?${first.split('?')[1]}&cursor=${d.paging.cursor}`, 'next = the same query and the cursor');
    between?.(pages);
    if (pages > 500) throw new Error('runaway walk');
  }
  return { rows, pages };
}

const ids = (rows: readonly Row[]) => rows.map((r) => `${r.key}|${r.period}`);

t.test('cursor pages walk the whole result exactly once', async (t) => {
  const whole = await doc(t, OBS('DF_CTS_HOMICIDE', 'REF_AREA=MEX,GTM,AUT&limit=10000'));
  t.equal(whole.paging.next, null, 'one page holds it all');
  const { rows, pages } = await walk(t, OBS('DF_CTS_HOMICIDE', 'REF_AREA=MEX,GTM,AUT&limit=7'));
  t.ok(pages > 10, `${pages} pages`);
  t.same(ids(rows), ids(whole.rows), 'every row once, in order');
  t.same(figuresOf(rows), figuresOf(whole.rows));
});

t.test('a release becoming public between two pages changes nothing in the walk; the next walk sees it', async (t) => {
  t.teardown(() => clock.set(LOADED_AT));
  const query = 'REF_AREA=AUT,DEU,FRA,ITA,MEX&limit=50';
  clock.set(shifted(HELD_BACK_AT, -60_000));
  const before = await doc(t, OBS('DF_CTS_OFFENCES', 'REF_AREA=AUT,DEU,FRA,ITA,MEX&limit=10000'));
  const { rows } = await walk(t, OBS('DF_CTS_OFFENCES', query), (page) => {
    if (page === 2) clock.set(shifted(HELD_BACK_AT, 60_000));
  });
  t.same(ids(rows), ids(before.rows), 'the walk is the data of its first page, exactly once');
  t.notOk(rows.some((r) => Object.values(r.values).some((c) => c.release === HELD_BACK.code)), 'nothing of the release published meanwhile');
  const after = await doc(t, OBS('DF_CTS_OFFENCES', 'REF_AREA=AUT,DEU,FRA,ITA,MEX&limit=10000'));
  t.ok(after.rows.length > before.rows.length, `a new walk sees the release (${before.rows.length} → ${after.rows.length} rows)`);
  t.ok(after.rows.some((r) => Object.values(r.values).some((c) => c.release === HELD_BACK.code)));
});

t.test('embargo: the held-back release appears at its instant, not a millisecond earlier', async (t) => {
  t.teardown(() => clock.set(LOADED_AT));
  const url = OBS('DF_CTS_OFFENCES', 'limit=10000&REF_AREA=AUT,DEU,FRA,ITA,MEX,ESP');
  clock.set(shifted(HELD_BACK_AT, -1));
  const early = await doc(t, url);
  const earlyEtag = (await app.inject({ url })).headers.etag;
  t.notOk(JSON.stringify(early).includes(HELD_BACK.code), 'T − 1 ms: no value, no release code');
  const cacheControl = (await app.inject({ url })).headers['cache-control'];
  t.equal(cacheControl, 'no-cache', 'T − 1 ms: no cache may keep the answer past the instant');
  clock.set(HELD_BACK_AT);
  const onTime = await doc(t, url);
  t.ok(onTime.releases.some((r) => r.code === HELD_BACK.code), 'T: the release is part of the answer');
  t.ok(onTime.rows.length > early.rows.length);
  t.not((await app.inject({ url })).headers.etag, earlyEtag, 'the ETag moves at the instant');
  clock.set(shifted(HELD_BACK_AT, 1));
  const later = await doc(t, url);
  // The same visible state: the answer made at T is the one kept and sent again (asOf T, the
  // instant it was made, is as true at T + 1 ms).
  t.same(later, onTime, 'T + 1 ms: the same answer');
});

t.test('asOf and release: the data as they were public then', async (t) => {
  const q = 'REF_AREA=BEL&OFFENCE=0101&UNIT_MEASURE=NR&from=2018&to=2018';
  const value = (d: Doc) => d.rows[0]?.values.count;
  const now = await doc(t, OBS('DF_ESTAT_CRIM_OFF_CAT', q));
  t.same([value(now)?.value, value(now)?.release], [192, 'ESTAT-CRIM-2024'], 'now: the revised figure');
  const then = await doc(t, OBS('DF_ESTAT_CRIM_OFF_CAT', `${q}&asOf=2023-01-01T00:00:00Z`));
  t.same([value(then)?.value, value(then)?.release], [190, 'ESTAT-CRIM-2022'], 'asOf 2023: the figure before the revision');
  t.equal(then.asOf, '2023-01-01T00:00:00.000Z');
  const release = await doc(t, OBS('DF_ESTAT_CRIM_OFF_CAT', `${q}&release=ESTAT-CRIM-2022`));
  t.same([value(release)?.value, value(release)?.release], [190, 'ESTAT-CRIM-2022'], 'release=ESTAT-CRIM-2022: right after it');
  t.equal(release.asOf, '2022-06-08T09:00:00.000Z');
  const held = assertProblem(t, await app.inject({ url: OBS('DF_CTS_OFFENCES', `release=${HELD_BACK.code}`) }), 404, 'release', 'an embargoed release');
  const unknown = assertProblem(t, await app.inject({ url: OBS('DF_CTS_OFFENCES', 'release=NO-SUCH') }), 404, 'release', 'an unknown release');
  t.match(unknown.detail, /"NO-SUCH"/, 'the code echoed');
  t.same({ ...held, detail: String(held.detail).replace(HELD_BACK.code, 'X') }, { ...unknown, detail: String(unknown.detail).replace('NO-SUCH', 'X') }, 'an embargoed release cannot be told from an unknown one');
});

t.test('a preview token reads the scheduled release early, privately', async (t) => {
  const decorated = app as unknown as { tokens: { create(r: object): { token: string } } };
  const token = decorated.tokens.create({ name: 'press office', role: 'preview', dataflows: [], createdBy: 'test' }).token;
  const url = OBS('DF_CTS_OFFENCES', 'REF_AREA=AUT,DEU,FRA,ITA,MEX,ESP&limit=10000');
  const res = await app.inject({ url, headers: { authorization: `Bearer ${token}` } });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], 'private, no-store');
  t.ok((JSON.parse(res.body) as Doc).releases.some((r) => r.code === HELD_BACK.code), 'the scheduled release, before its instant');
  const pub = await doc(t, url);
  t.notOk(pub.releases.some((r) => r.code === HELD_BACK.code), 'the public still does not see it');
  assertProblem(t, await app.inject({ url, headers: { authorization: 'Bearer iccs_nonsense' } }), 401, undefined, 'a bad token');
});

t.test('ETag, Last-Modified, 304 and a Cache-Control that stops at the next release instant', async (t) => {
  const url = OBS('DF_CTS_HOMICIDE', SELECTION);
  const first = await app.inject({ url });
  t.match(first.headers.etag, /^W\/"/);
  t.ok(first.headers['last-modified']);
  const maxAge = Number(/max-age=(\d+)/.exec(String(first.headers['cache-control']))?.[1]);
  t.ok(maxAge > 0 && maxAge <= 300, `public, max-age=${maxAge}`);
  const again = await app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } });
  t.equal(again.statusCode, 304);
  t.equal(again.body, '');
  const es = await app.inject({ url: `${url}&lang=es` });
  t.not(es.headers.etag, first.headers.etag, 'another language, another ETag');
  const csv = await app.inject({ url: `${url}&format=csv` });
  t.not(csv.headers.etag, first.headers.etag, 'another format, another ETag');
});

t.test('every bad input is a 4xx problem naming the parameter, never a 500', async (t) => {
  const H = 'DF_CTS_HOMICIDE';
  const cases: [string, number, string | undefined, string][] = [
    [OBS(H, 'COLOUR=red'), 400, 'COLOUR', 'an unknown dimension'],
    [OBS(H, 'time_period=2010'), 400, 'time_period', 'the time dimension as a filter'],
    [OBS(H, 'REF_AREA=ATLANTIS'), 400, 'REF_AREA', 'an unknown code'],
    [OBS(H, 'sex=Q'), 400, 'sex', 'an unknown code, lower-case name'],
    [OBS(H, 'OFFENCE=99*'), 400, 'OFFENCE', 'an unknown code with *'],
    [OBS(H, 'REF_AREA=MEX,'), 400, 'REF_AREA', 'an empty code'],
    [OBS(H, 'REF_AREA=M%20X'), 400, 'REF_AREA', 'a malformed code'],
    [OBS(H, 'from=2010-13'), 400, 'from', 'a bad period'],
    [OBS(H, 'to=last%20year'), 400, 'to', 'a bad period'],
    [OBS(H, 'from=2015&to=2010'), 400, 'from', 'from after to'],
    [OBS(H, 'asOf=yesterday'), 400, 'asOf', 'a bad asOf'],
    [OBS(H, 'asOf=2020-01-01&release=GSH-2019'), 400, 'release', 'asOf and release'],
    [OBS(H, 'limit=0'), 400, 'limit', 'limit 0'],
    [OBS(H, 'limit=10001'), 400, 'limit', 'limit above the maximum'],
    [OBS(H, 'limit=ten'), 400, 'limit', 'limit not a number'],
    [OBS(H, 'format=pdf'), 400, 'format', 'an unknown format'],
    [OBS(H, 'lang=fr'), 400, 'lang', 'a language we do not have'],
    [OBS(H, 'descendants=yes'), 400, 'descendants', 'descendants not a boolean'],
    [OBS(H, 'cursor=garbage'), 400, 'cursor', 'a garbage cursor'],
    [OBS(H, 'cursor='), 400, 'cursor', 'an empty cursor'],
    [OBS(H, 'version=one'), 400, 'version', 'a bad version'],
    [OBS(H, 'agency=ESTAT'), 404, undefined, 'another agency'],
    [OBS('DF_NOPE'), 404, undefined, 'an unknown dataflow'],
    [OBS('UNODC:DF_CTS_HOMICIDE(9.9)'), 404, undefined, 'an unknown version'],
    [OBS(H, 'from=2010&from=2011'), 400, 'from', 'a single parameter given twice'],
    [OBS(H, 'startPeriod=2010'), 400, 'startPeriod', 'an SDMX parameter'],
    [OBS(H, 'asOf=9999-12-31T23:59:59Z'), 400, 'asOf', 'asOf in the future'],
  ];
  for (const [url, status, parameter, what] of cases) assertProblem(t, await app.inject({ url }), status, parameter, what);
  const allowed = assertProblem(t, await app.inject({ url: OBS(H, 'COLOUR=red') }), 400, 'COLOUR').allowed as string[];
  t.ok(allowed.includes('REF_AREA') && allowed.includes('from'), 'allowed: the dimensions and the parameters');
  const sex = assertProblem(t, await app.inject({ url: OBS(H, 'SEX=Q') }), 400, 'SEX').allowed as string[];
  t.ok(sex.includes('F') && sex.includes('M'), `allowed: the codes of a short codelist (${sex.join(', ')})`);

  // A cursor damaged, edited, or of another query.
  const page = await doc(t, OBS(H, 'REF_AREA=MEX&limit=3'));
  const cursor = page.paging.cursor!;
  const [payload, sum] = cursor.split('.') as [string, string];
  const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), g: 'A.ZZZ' })).toString('base64url');
  for (const [bad, what] of [
    [`${payload.slice(0, -2)}xx.${sum}`, 'a damaged cursor'],
    [`${edited}.${sum}`, 'an edited cursor'],
    [`${payload}.`, 'a cursor without checksum'],
  ] as const) {
    assertProblem(t, await app.inject({ url: OBS(H, `REF_AREA=MEX&limit=3&cursor=${encodeURIComponent(bad)}`) }), 400, 'cursor', what);
  }
  const other = assertProblem(t, await app.inject({ url: OBS(H, `REF_AREA=GTM&limit=3&cursor=${cursor}`) }), 400, 'cursor', 'a cursor of another query');
  t.match(other.detail, /another query/);
  const sameQuery = await doc(t, OBS(H, `REF_AREA=MEX&limit=5&lang=es&cursor=${cursor}`));
  t.equal(sameQuery.rows.length, 5, 'limit and lang may change between pages');

  // Too large: past MAX_RESPONSE_OBSERVATIONS a download is refused before the first byte.
  const { testApp } = await import('../../helpers/app.js');
  const small = await testApp({ env: { DEMO_DATA: 'on', MAX_RESPONSE_OBSERVATIONS: '100' } });
  t.teardown(() => small.close());
  assertProblem(t, await small.inject({ url: OBS(H, 'format=csv') }), 413, undefined, 'a CSV of more than the maximum');
  t.equal((await small.inject({ url: OBS(H, 'limit=50') })).statusCode, 200, 'a JSON page is bounded by its limit');
});

t.test('repeated parameters: a dimension given several times adds up; a single parameter twice is refused naming both values', async (t) => {
  const H = 'DF_CTS_HOMICIDE';
  const comma = await doc(t, OBS(H, 'REF_AREA=MEX,GTM&SEX=_T&from=2010&to=2012'));
  t.ok(comma.rows.length > 4);
  for (const [query, what] of [
    ['REF_AREA=MEX&REF_AREA=GTM&SEX=_T&from=2010&to=2012', 'REF_AREA twice'],
    ['REF_AREA%5B%5D=MEX&REF_AREA%5B%5D=GTM&SEX=_T&from=2010&to=2012', 'REF_AREA[] (axios)'],
    ['REF_AREA=MEX&ref_area=GTM&SEX=_T&from=2010&to=2012', 'two spellings of one dimension'],
  ] as const) {
    const d = await doc(t, OBS(H, query));
    t.same(ids(d.rows), ids(comma.rows), `${what}: the rows of REF_AREA=MEX,GTM`);
    t.equal(d.query.REF_AREA, 'MEX,GTM', `${what}: echoed as one list`);
  }
  const twice = assertProblem(t, await app.inject({ url: OBS(H, 'REF_AREA=MEX&from=2010&from=2011') }), 400, 'from', 'from twice');
  t.match(twice.detail, /"2010" and "2011"/, 'both values named');
  const lang = assertProblem(t, await app.inject({ url: OBS(H, 'lang=en&lang=es') }), 400, 'lang', 'lang twice without a cursor');
  t.match(lang.detail, /"en" and "es"/);
});

t.test('a next link with another limit appended: the last limit counts', async (t) => {
  const H = 'DF_CTS_HOMICIDE';
  const whole = await doc(t, OBS(H, 'REF_AREA=MEX&limit=10000'));
  const first = await doc(t, OBS(H, 'REF_AREA=MEX&limit=3'));
  const second = await doc(t, `${first.paging.next!}&limit=2`);
  t.equal(second.rows.length, 2, 'the page holds 2 rows');
  t.equal(second.paging.limit, 2);
  t.same(ids([...first.rows, ...second.rows]), ids(whole.rows.slice(0, 5)), 'the walk goes on where it was');
  t.equal((second.paging.next!.match(/limit=/g) ?? []).length, 1, 'its next link names limit once');
  t.match(second.paging.next!, /limit=2/);
  const third = await doc(t, second.paging.next!);
  t.same(ids(third.rows), ids(whole.rows.slice(5, 7)));
});

t.test('unknown parameters say what to use; wrong codes suggest the right one; no validator jargon', async (t) => {
  const H = 'DF_CTS_HOMICIDE';
  const cases: [string, string, RegExp][] = [
    ['startPeriod=2010', 'startPeriod', /use from/],
    ['endPeriod=2010', 'endPeriod', /use to/],
    ['offset=10', 'offset', /cursor/],
    ['key=A.MEX', 'key', /REF_AREA=MEX/],
    ['ASOF=2020-01-01', 'ASOF', /did you mean asOf\?/],
    ['REF_AERA=MEX', 'REF_AERA', /Did you mean REF_AREA\?/],
    ['ref_area=mex', 'ref_area', /Did you mean MEX \(Mexico\)\?/],
    ['REF_AREA=Guatemala', 'REF_AREA', /Did you mean GTM \(Guatemala\)\?/],
    ['REF_AREA=M%C3%A9xico', 'REF_AREA', /Did you mean MEX/],
    ['OFFENCE=101', 'OFFENCE', /Did you mean 0101/],
  ];
  for (const [query, parameter, detail] of cases) {
    const body = assertProblem(t, await app.inject({ url: OBS(H, query) }), 400, parameter, query);
    t.match(body.detail, detail, `${query}: ${String(body.detail)}`);
    t.notMatch(body.detail, /must (NOT )?(be|have|match)/, `${query}: no validator jargon`);
  }
  const mex = assertProblem(t, await app.inject({ url: OBS(H, 'ref_area=mex') }), 400, 'ref_area');
  t.same(mex.suggestions, ['MEX'], 'suggestions, for programs');
  for (const query of ['limit=ten', 'limit=1&limit=2', 'format=pdf', 'descendants=yes', 'REF_AREA=MEX&REF_AREA=GTM&limit=0']) {
    const res = await app.inject({ url: OBS(H, query) });
    t.equal(res.statusCode, 400, query);
    t.notMatch(JSON.parse(res.body).detail, /must (NOT )?(be|have|match)/, `${query}: no validator jargon`);
  }
});

t.test('never a silent empty answer: releases that do not cover the dataflow, asOf in the future, codes without data', async (t) => {
  const release = assertProblem(t, await app.inject({ url: OBS('DF_ESTAT_CRIM_OFF_CAT', 'release=GSH-2019') }), 400, 'release', 'a release of another dataflow');
  t.same(release.allowed, ['ESTAT-CRIM-2022', 'ESTAT-CRIM-2024'], 'the releases that cover it');
  t.match(release.detail, /GSH-2019.*DF_ESTAT_CRIM_OFF_CAT.*ESTAT-CRIM-2022, ESTAT-CRIM-2024/);
  const future = assertProblem(t, await app.inject({ url: OBS('DF_CTS_HOMICIDE', `asOf=${shifted(LOADED_AT, 1000)}`) }), 400, 'asOf', 'asOf one second ahead');
  t.match(future.detail, /future/);
  t.equal((await app.inject({ url: OBS('DF_CTS_HOMICIDE', `asOf=${LOADED_AT}&limit=1`) })).statusCode, 200, 'asOf = now is fine');

  const region = await doc(t, OBS('DF_CTS_HOMICIDE', 'REF_AREA=419'));
  t.same(region.rows, [], 'a region without data of its own: no rows');
  t.equal(region.hints.length, 1);
  t.match(region.hints[0], /419 \(Latin America and the Caribbean\) holds no data in DF_CTS_HOMICIDE; \d+ codes under 419 do: use REF_AREA=419\*/, region.hints[0]);
  const star = await doc(t, OBS('DF_CTS_HOMICIDE', 'REF_AREA=419*&SEX=_T&from=2016&to=2016'));
  t.ok(star.rows.some((r) => r.dimensions.REF_AREA!.id === 'MEX'), '419*: the countries under it');
  t.same(star.hints, [], 'and no hint');
  const offence = await doc(t, OBS('DF_CTS_HOMICIDE', 'OFFENCE=0201'));
  t.same(offence.rows, []);
  t.same(offence.hints, ['No data for OFFENCE=0201 (Assaults and threats) in DF_CTS_HOMICIDE; the detail /api/v1/dataflows/DF_CTS_HOMICIDE lists the codes that hold data.']);
  const subtree = await doc(t, OBS('DF_CTS_HOMICIDE', 'OFFENCE=0201*'));
  t.match(subtree.hints[0], /^No data for OFFENCE=0201 \(Assaults and threats\) or any code under it in DF_CTS_HOMICIDE/, 'with *: nor under it');
  const es = await doc(t, OBS('DF_CTS_HOMICIDE', 'OFFENCE=0201&lang=es'));
  t.match(es.hints[0], /^No hay datos para OFFENCE=0201 \(Agresiones y amenazas\)/, 'hints in Spanish');
  const mixed = await doc(t, OBS('DF_CTS_HOMICIDE', 'REF_AREA=MEX,419&SEX=_T&from=2016&to=2016'));
  t.ok(mixed.rows.length > 0, 'rows for MEX');
  t.equal(mixed.hints.length, 1, 'and the hint about 419');
  const none = await doc(t, OBS('DF_CTS_HOMICIDE', 'REF_AREA=MEX&from=1990&to=1991'));
  t.same(none.rows, []);
  t.match(none.hints[0], /^No row matches this combination/, 'codes with data, but not in these periods');
  const early = await doc(t, OBS('DF_CTS_HOMICIDE', 'asOf=2000-01-01'));
  t.match(early.hints[0], /No release of DF_CTS_HOMICIDE was public at asOf/);
  const plain = await doc(t, OBS('DF_CTS_HOMICIDE', 'REF_AREA=MEX&limit=5'));
  t.same(plain.hints, [], 'nothing to say, an empty list');
});

t.test('source, citation with an absolute permalink that reproduces the answer, licence; Content-Language; Link cite-as', async (t) => {
  const url = OBS('DF_ESTAT_CRIM_OFF_CAT', 'REF_AREA=BEL&OFFENCE=0101&from=2018&to=2018');
  const res = await app.inject({ url, headers: { host: 'stats.example.org' } });
  const d = JSON.parse(res.body) as Doc;
  t.equal(schemaErrors(OBSERVATIONS_RESPONSE, d), null);
  t.equal(d.source, 'Eurostat (joint UNODC–Eurostat data collection)', 'the source, from the release notes, without its label');
  t.equal(d.licence, null, 'no licence in the structures: null, never invented');
  const permalink = new URL(d.citation.permalink);
  t.equal(permalink.origin, 'http://stats.example.org', 'absolute, on the host asked');
  t.equal(permalink.searchParams.get('asOf'), LOADED_AT, 'pins the instant');
  t.match(d.citation.text, /United Nations Office on Drugs and Crime, .*\(UNODC:DF_ESTAT_CRIM_OFF_CAT\(1\.0\)\), release ESTAT-CRIM-2024, data as public at/);
  t.ok(d.citation.text.includes(d.citation.permalink), 'the citation names the permalink');
  t.equal(res.headers.link, `<${d.citation.permalink}>; rel="cite-as", <${new URL(d.citation.permalink).origin}/api/v1/dataflows/DF_ESTAT_CRIM_OFF_CAT/metadata>; rel="describedby"`, 'the permalink, and the reference metadata');
  t.equal(res.headers['content-language'], 'en');
  t.match(res.headers.vary, /accept-language/);
  // The permalink reproduces the answer after a revision is published (here: asked at the old instant).
  t.teardown(() => clock.set(LOADED_AT));
  clock.set('2023-06-01T00:00:00Z');
  const old = await doc(t, OBS('DF_ESTAT_CRIM_OFF_CAT', 'REF_AREA=BEL&OFFENCE=0101&UNIT_MEASURE=NR&from=2018&to=2018'));
  clock.set(LOADED_AT);
  const again = await doc(t, `${new URL(old.citation.permalink).pathname}${new URL(old.citation.permalink).search}`);
  t.equal(again.rows[0]!.values.count!.value, 190, 'the permalink of 2023 still gives 190 (now 192)');
  t.equal(again.rows[0]!.values.count!.value, old.rows[0]!.values.count!.value);
  const withRelease = await doc(t, OBS('DF_ESTAT_CRIM_OFF_CAT', 'REF_AREA=BEL&release=ESTAT-CRIM-2022&limit=1'));
  t.notMatch(withRelease.citation.permalink, /asOf=/, 'a release pins the state already');
  t.match(withRelease.citation.permalink, /release=ESTAT-CRIM-2022/);
  const paged = await doc(t, OBS('DF_CTS_HOMICIDE', 'REF_AREA=MEX&limit=2'));
  const next = await doc(t, paged.paging.next!);
  t.equal(next.citation.permalink, paged.citation.permalink, 'a later page cites the walk, without its cursor');
  for (const [format, lang] of [['csv', 'es'], ['xlsx', 'es'], ['json', 'es']] as const) {
    const r = await app.inject({ url: OBS('DF_CTS_HOMICIDE', `REF_AREA=MEX&limit=2&format=${format}&lang=${lang}`) });
    t.equal(r.headers['content-language'], lang, `${format}: Content-Language`);
    t.match(r.headers.link, /rel="cite-as"/, `${format}: Link cite-as`);
  }
  const byHeader = await app.inject({ url: OBS('DF_CTS_HOMICIDE', 'REF_AREA=MEX&limit=2&format=csv'), headers: { 'accept-language': 'es' } });
  t.equal(byHeader.headers['content-language'], 'es', 'the language chosen by Accept-Language');
  t.match(byHeader.headers.vary, /accept-language/);
});

t.test('published values unchanged; CSV flags and notes split on " | "; notes by attribute name', async (t) => {
  const d = await doc(t, OBS('DF_CTS_HOMICIDE', 'REF_AREA=MEX&SEX=_T&from=2016&to=2016'));
  const rate = d.rows[0]!.values.rate!.value!;
  const sdmx = await sdmxFigures('/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.MEX.VIC_HOM.0101._T._T._T.P_HTHAB?startPeriod=2016&endPeriod=2016');
  t.equal(rate, [...sdmx.values()][0], 'the rate as published');
  t.not(rate, Math.round(rate * 100) / 100, `not rounded (${rate})`);
  const csv = csvRows((await app.inject({ url: OBS('DF_CTS_HOMICIDE', 'REF_AREA=MEX&SEX=_T&from=2016&to=2016&format=csv') })).body);
  t.equal(Number(csv[0]!.rate), rate, 'CSV: the same number, unrounded');
  t.match(csv[0]!.count_notes, /^Source detail: /, 'notes by the attribute’s name');
  t.notMatch(csv[0]!.count_notes, /SOURCE_DETAIL/);

  const all = parseCsv((await app.inject({ url: '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/all', headers: { accept: MEDIA.dataCsv10 } })).body);
  const hidden = all.find((r) => r.OBS_VALUE === '' && r.CONF_STATUS === 'A')!;
  const filters = CTS_DIMENSIONS.slice(0, 7).map((dim) => `${dim}=${hidden[dim]}`).join('&');
  const rows = csvRows((await app.inject({ url: OBS('DF_CTS_HOMICIDE', `${filters}&from=${hidden.TIME_PERIOD}&to=${hidden.TIME_PERIOD}&format=csv`) })).body);
  const field = hidden.UNIT_MEASURE === 'NR' ? 'count' : 'rate';
  const flags = rows[0]![`${field}_flags`]!.split(' | ');
  t.ok(flags.length >= 2, `several flags: ${flags.join(' / ')}`);
  t.ok(flags.every((f) => /^[A-Z_]+ [A-Z0-9]+: /.test(f)), 'each piece is one whole flag (ATTRIBUTE CODE: meaning)');
  t.ok(flags.some((f) => f.startsWith('OBS_STATUS Q: ') && f.includes(';')), 'a meaning with a ";" stays in one piece');
});

t.test('rows mixing levels of a hierarchy carry each code’s level (JSON, CSV, XLSX)', async (t) => {
  const q = 'REF_AREA=AUT&OFFENCE=03*&from=2015&to=2015';
  const d = await doc(t, OBS('DF_CTS_OFFENCES', q));
  const levels = new Map(d.rows.map((r) => [r.dimensions.OFFENCE!.id, r.dimensions.OFFENCE!.level]));
  t.ok(levels.size > 1, `several codes: ${[...levels.keys()].join(', ')}`);
  t.equal(levels.get('0301'), 2, '0301 is a division');
  t.ok([...levels].filter(([id]) => id.length === 5).every(([, l]) => l === 3), 'groups are level 3');
  t.equal(d.dimensions.find((x) => x.id === 'OFFENCE')!.levels, true, 'the dimension says its rows carry levels');
  t.notOk(d.rows.some((r) => 'level' in r.dimensions.REF_AREA!), 'one area: no level');
  const csv = csvRows((await app.inject({ url: OBS('DF_CTS_OFFENCES', `${q}&format=csv`) })).body);
  t.same(new Map(csv.map((r) => [r.OFFENCE, Number(r.OFFENCE_level)])), levels, 'CSV: OFFENCE_level');
  const single = await doc(t, OBS('DF_CTS_OFFENCES', 'REF_AREA=AUT&OFFENCE=0301&from=2015&to=2015'));
  t.notOk(single.rows.some((r) => 'level' in r.dimensions.OFFENCE!), 'one level: no level field');
  t.notOk('OFFENCE_level' in csvRows((await app.inject({ url: OBS('DF_CTS_OFFENCES', 'REF_AREA=AUT&OFFENCE=0301&format=csv') })).body)[0]!, 'nor column');
  const res = await app.inject({ url: OBS('DF_CTS_OFFENCES', `${q}&format=xlsx`) });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const header = (workbook.getWorksheet('Data')!.getRow(1).values as unknown[]).slice(1).map(String);
  t.ok(header.includes('Offence (ICCS) (level)'), `XLSX: a level column (${header.join(' | ')})`);
  const notes = workbook.getWorksheet('Notes')!.getSheetValues().flat().map(String).join('\n');
  t.match(notes, /do not add up rows of different levels/, 'and a note saying why');
});

t.test('XLSX: number formats (the stored value unchanged), filters, notes without English leftovers in Spanish', async (t) => {
  const res = await app.inject({ url: OBS('DF_CTS_HOMICIDE', 'REF_AREA=MEX,GTM&SEX=_T&from=2015&to=2016&format=xlsx&lang=es'), headers: { host: 'stats.example.org' } });
  t.equal(res.statusCode, 200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const data = workbook.getWorksheet('Datos')!;
  const header = (data.getRow(1).values as unknown[]).slice(1).map(String);
  const countCol = header.indexOf('Número') + 1;
  const rateCol = header.indexOf('Tasa por 100 000 habitantes') + 1;
  t.ok(countCol > 0 && rateCol > 0, header.join(' | '));
  const json = await doc(t, OBS('DF_CTS_HOMICIDE', 'REF_AREA=MEX,GTM&SEX=_T&from=2015&to=2016'));
  const row = data.getRow(2);
  t.equal(row.getCell(countCol).numFmt, '#,##0', 'counts with thousands separators');
  t.equal(row.getCell(rateCol).numFmt, '#,##0.00', 'rates with 2 decimals shown');
  t.equal(row.getCell(rateCol).value, json.rows[0]!.values.rate!.value, 'the stored value is the full-precision figure');
  t.ok(data.autoFilter, 'a filter on the headers');
  const notes = workbook.getWorksheet('Notas')!;
  const pairs = (notes.getSheetValues() as unknown[][]).filter(Boolean).map((r) => [String(r[1] ?? ''), String(r[2] ?? '')]);
  const value = (item: string) => pairs.find(([k]) => k === item)?.[1];
  t.equal(value('Fuente'), 'UNODC, Global Study on Homicide 2019, data tables', 'Fuente: the source without an English label');
  t.match(value('Cita'), /datos públicos a .*http:\/\/stats\.example\.org\/api\/v1\/dataflows\/DF_CTS_HOMICIDE\/observations\?.*asOf=/, 'the citation in Spanish, with an absolute permalink');
  t.match(value('Enlace permanente'), /^http:\/\/stats\.example\.org\//);
  t.notOk(pairs.some(([k, v]) => /^(Source|Citation|Query|Release|Flag)\b/.test(k) || /^(Source|Fuente):/.test(v)), 'no English item, no raw label');
  t.notOk(pairs.some(([, v]) => /CONF_STATUS/.test(v)), 'no confidentiality legend when no value is withheld');
});

t.test('the period forms the guide documents are accepted; a period overlapping the bounds counts', async (t) => {
  for (const form of ['2016', '2016-S2', '2016-T3', '2016-Q3', '2016-07', '2016-M07', '2016-W27', '2016-D190', '2016-07-08', '2016-07-08T12:00:00Z']) {
    const d = await doc(t, OBS('DF_CTS_HOMICIDE', `REF_AREA=MEX&SEX=_T&from=${form}&to=${form}`));
    t.same(d.rows.map((r) => r.period), ['2016'], `${form}: the annual figure of 2016`);
  }
  assertProblem(t, await app.inject({ url: OBS('DF_CTS_HOMICIDE', 'from=2016-Q5') }), 400, 'from', 'a quarter 5');
});
