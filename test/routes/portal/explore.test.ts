/**
 * The explorer (a dataflow's page with its view in the query string), as HTML: the default view,
 * filters, the table against the SDMX-CSV answer for the same selection, the chart's marks against
 * the table, sorting and paging, refused selections, the downloads and every "API for this view"
 * entry (JSON, SDMX, GraphQL) answering the same figures, permalinks, the chart as a file, and
 * the embargo at the held-back release's instant. The browser journey is in
 * test/e2e/portal-chromium.test.ts.
 */
import t from 'tap';
import { parseHTML } from 'linkedom';
import { demoApp, HELD_BACK_AT, LOADED_AT, shifted } from '../../helpers/json-api-demo.js';
import { parseCsv } from '../../helpers/csv.js';
import { UNIT_FIELDS } from '../../../src/services/data/observations.js';
import { ROWS_PER_PAGE } from '../../../src/routes/portal/explore/table.js';

const { app, clock } = await demoApp();
t.teardown(() => app.close());

const VIEW = '/en/dataflows/DF_CTS_HOMICIDE?REF_AREA=MEX,GTM,HND,SLV&SEX=_T,F&from=2005&to=2015';

async function page(url: string, status = 200) {
  const res = await app.inject({ url });
  if (res.statusCode !== status) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return { res, document: parseHTML(res.body).document };
}

type Doc = Awaited<ReturnType<typeof page>>['document'];

/** The table's values: key without unit | period | field → value (null: shown without a number). */
function tableValues(document: Doc): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const periodColumn = [...document.querySelectorAll('.view-table thead th')].findIndex((th) => /^(Period|Período)/.test(th.textContent!.trim()));
  for (const tr of document.querySelectorAll('.view-table tbody tr')) {
    const cells = [...tr.children];
    const period = cells[periodColumn]!.textContent!;
    for (const td of tr.querySelectorAll('td[data-field]')) {
      const v = td.getAttribute('data-value');
      out.set(`${tr.getAttribute('data-key')}|${period}|${td.getAttribute('data-field')}`, v === null ? null : Number(v));
    }
  }
  return out;
}

/** Every page of the table, following the pager's next links. */
async function allTableValues(url: string): Promise<Map<string, number | null>> {
  const all = new Map<string, number | null>();
  let next: string | null = url;
  while (next) {
    const { document } = await page(next);
    for (const [k, v] of tableValues(document)) all.set(k, v);
    const link = [...document.querySelectorAll('.pager a')].find((a) => /Next|Siguiente/.test(a.textContent!));
    next = link ? link.getAttribute('href')!.replace(/#.*$/, '') : null;
  }
  return all;
}

/** SDMX-CSV rows as table keys: key without the unit | period | field. */
function sdmxValues(csv: string): Map<string, number | null> {
  const rows = parseCsv(csv);
  const header = Object.keys(rows[0] ?? {});
  const dims = header.slice(header.indexOf('DATAFLOW') + 1, header.indexOf('TIME_PERIOD')).filter((d) => d !== 'UNIT_MEASURE');
  const out = new Map<string, number | null>();
  for (const r of rows) {
    const value = r.OBS_VALUE === '' || r.OBS_VALUE === 'NaN' ? null : Number(r.OBS_VALUE);
    out.set(`${dims.map((d) => r[d]).join('.')}|${r.TIME_PERIOD}|${UNIT_FIELDS[r.UNIT_MEASURE!] ?? r.UNIT_MEASURE}`, value);
  }
  return out;
}

t.test('the default view: the totals of dimensions that have one, every area, a chart and a table', async (t) => {
  const { res, document } = await page('/en/dataflows/DF_CTS_HOMICIDE');
  t.notMatch(res.body, /style=/, 'no inline style');
  t.same(res.body.match(/<script[^>]*>/g), ['<script src="/assets/explore.js" defer>'], 'one script, of this host, deferred: an enhancement');
  const script = await app.inject({ url: '/assets/explore.js' });
  t.match(script.headers['content-type'], /^text\/javascript/);
  t.ok(script.rawPayload.length < 4096, 'small');
  const checked = [...document.querySelectorAll('input[name="SEX"]')].filter((i) => i.hasAttribute('checked')).map((i) => i.getAttribute('value'));
  t.same(checked, ['_T'], 'sex: the total is chosen');
  t.equal(document.querySelectorAll('#f-REF_AREA option[selected]').length, 0, 'no area chosen: all of them');
  t.ok(document.querySelector('.chart-panel svg[role="img"]'), 'a chart');
  t.match(document.querySelector('.view-table caption')!.textContent!, new RegExp(`^Rows 1–${ROWS_PER_PAGE} of [\\d,]+`), `a first page of ${ROWS_PER_PAGE} rows`);
  const api = (await app.inject({ url: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?SEX=_T&format=csv' })).body;
  const apiRows = parseCsv(api).length;
  t.match(document.querySelector('.view-table caption')!.textContent!, new RegExp(`of ${apiRows.toLocaleString('en')}$`), `as many rows as the JSON API's CSV for SEX=_T (${apiRows})`);
});

t.test('a filtered view: the table equals the SDMX-CSV answer for the same selection, on every page', async (t) => {
  const { document } = await page(VIEW);
  const sdmxLink = [...document.querySelectorAll('.downloads a')].find((a) => a.textContent === 'SDMX-CSV')!.getAttribute('href')!;
  t.match(sdmxLink, /^\/sdmx\/2\.1\/data\/UNODC,DF_CTS_HOMICIDE,[^/]+\/\.MEX\+GTM\+HND\+SLV\.\.\._T\+F\.\.\.\?startPeriod=2005&endPeriod=2015&format=csv$/, 'the SDMX key names the areas and sexes, the period its range');
  const sdmx = sdmxValues((await app.inject({ url: sdmxLink })).body);
  const table = await allTableValues(VIEW);
  t.ok(table.size > 2 * ROWS_PER_PAGE, `more than one page (${table.size} values)`);
  t.same([...table.keys()].sort(), [...sdmx.keys()].sort(), 'the same series, periods and measures');
  let differ = 0;
  for (const [k, v] of table) if (sdmx.get(k) !== v) differ++;
  t.equal(differ, 0, 'the same values');
  const periods = new Set([...table.keys()].map((k) => k.split('|')[1]));
  t.same([...periods].sort(), ['2005', '2006', '2007', '2008', '2009', '2010', '2011', '2012', '2013', '2014', '2015'], 'the period range');
});

t.test('the line chart’s marks are the table’s values of the chosen measure', async (t) => {
  // From 2005: 4 areas × 12 years fit on the table's first page.
  const url = '/en/dataflows/DF_CTS_HOMICIDE?REF_AREA=MEX,GTM,HND,SLV&SEX=_T&from=2005&measure=count';
  const { document } = await page(url);
  t.equal(document.querySelector('.switch span[aria-current]')!.textContent, 'Line chart', 'few series over years: a line chart');
  const table = tableValues(document);
  const series = [...document.querySelectorAll('svg g.series')];
  t.equal(series.length, 4, 'a line per area');
  let marks = 0;
  for (const g of series) {
    const name = g.getAttribute('data-series')!;
    const row = [...document.querySelectorAll('.view-table tbody tr')].find((tr) => tr.querySelector('th')!.textContent === name)!;
    const key = row.getAttribute('data-key');
    for (const point of g.querySelectorAll('g.point')) {
      marks++;
      t.equal(Number(point.getAttribute('data-value')), table.get(`${key}|${point.getAttribute('data-period')}|count`), `${name} ${point.getAttribute('data-period')}`);
    }
  }
  t.ok(marks > 20, `${marks} marks`);
  t.match(document.querySelector('figcaption')!.textContent!, /Number, 2005–2016, 4 series/, 'the caption says what is drawn');
});

t.test('the bar chart: one period across areas, highest first, the same values', async (t) => {
  const url = '/en/dataflows/DF_CTS_HOMICIDE?SEX=_T&chart=bar&year=2015';
  const { document } = await page(url);
  const bars = [...document.querySelectorAll('svg g.bar')].map((g) => ({ name: g.getAttribute('data-series')!, value: Number(g.getAttribute('data-value')) }));
  t.ok(bars.length > 10 && bars.length <= 40, `${bars.length} bars`);
  t.ok(bars.every((b, i) => i === 0 || bars[i - 1]!.value >= b.value), 'highest first');
  const json = (await app.inject({ url: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?SEX=_T&from=2015&to=2015&limit=10000&lang=en' })).json() as {
    rows: { dimensions: { REF_AREA: { name: string } }; values: { rate?: { value: number | null } } }[];
  };
  const rates = new Map(json.rows.filter((r) => r.values.rate?.value != null).map((r) => [r.dimensions.REF_AREA.name, r.values.rate!.value!]));
  t.same(bars.slice(0, 5), [...rates].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([name, value]) => ({ name, value })), 'the five highest rates of the JSON API');
});

t.test('sorting and paging are links; the sorted column says so', async (t) => {
  const { document } = await page('/en/dataflows/DF_CTS_HOMICIDE?SEX=_T&sort=rate&dir=desc');
  const th = document.querySelector('th[aria-sort]')!;
  t.equal(th.getAttribute('aria-sort'), 'descending');
  const rates = [...document.querySelectorAll('td[data-field="rate"]')].map((td) => td.getAttribute('data-value')).filter((v) => v !== null).map(Number);
  t.ok(rates.length > ROWS_PER_PAGE / 2 && rates.every((v, i) => i === 0 || rates[i - 1]! >= v), 'rates from the highest');
  const next = [...document.querySelectorAll('.pager a')].find((a) => a.textContent === 'Next')!.getAttribute('href')!;
  t.match(next, /sort=rate&dir=desc&page=2/, 'the next page keeps the order');
  const second = await page(next.replace(/#.*/, ''));
  t.match(second.document.querySelector('caption')!.textContent!, new RegExp(`^Rows ${ROWS_PER_PAGE + 1}–${2 * ROWS_PER_PAGE} `));
  const secondRates = [...second.document.querySelectorAll('td[data-field="rate"]')].map((td) => Number(td.getAttribute('data-value')));
  t.ok(secondRates[0]! <= rates[rates.length - 1]!, 'continues where the first page ended');
});

t.test('a refused selection: 400, the API’s reason announced, the form kept, no figures', async (t) => {
  const { document } = await page('/en/dataflows/DF_CTS_HOMICIDE?REF_AREA=MEXX', 400);
  const alert = document.querySelector('[role="alert"]')!;
  t.match(alert.textContent!, /"MEXX" is not a code of REF_AREA/, 'says which code and which dimension');
  t.match(alert.textContent!, /MEX/, 'suggests the code meant');
  t.ok(document.querySelector('form.filters'), 'the form is there to correct it');
  t.notOk(document.querySelector('.view-table'), 'no table');
  const es = await page('/es/dataflows/DF_CTS_HOMICIDE?from=2016&to=2001', 400);
  t.match(es.document.querySelector('[role="alert"] h2')!.textContent!, /No se puede mostrar/);
});

t.test('downloads and the API panel answer exactly the view', async (t) => {
  const { document } = await page(VIEW);
  const table = await allTableValues(VIEW);
  const links = [...document.querySelectorAll('.downloads a')].map((a) => a.getAttribute('href')!);
  const csvLink = links.find((l) => l.includes('format=csv') && l.startsWith('/api/'))!;
  const csv = parseCsv((await app.inject({ url: csvLink })).body.replace(/^\uFEFF/, '').split(/\r\n\r\n/)[0]!);
  t.equal(csv.length, new Set([...table.keys()].map((k) => k.split('|').slice(0, 2).join('|'))).size, 'the CSV has a row per table row');
  const xlsx = await app.inject({ url: links.find((l) => l.includes('format=xlsx'))! });
  t.equal(xlsx.statusCode, 200);
  t.match(xlsx.headers['content-type'], /spreadsheetml/);
  for (const l of links) t.equal((await app.inject({ url: l })).statusCode, 200, `${l} answers`);

  const code = (id: string) => document.querySelector(`[aria-labelledby="${id}"] code`)!.textContent!;
  const jsonUrl = new URL(code('api-json'));
  const json = (await app.inject({ url: `${jsonUrl.pathname}${jsonUrl.search}&limit=10000` })).json() as { rows: { key: string; period: string; values: Record<string, { value: number | null }> }[] };
  const fromJson = new Map<string, number | null>();
  for (const r of json.rows) for (const [field, v] of Object.entries(r.values)) fromJson.set(`${r.key}|${r.period}|${field}`, v.value);
  t.same(fromJson, table, 'the JSON API URL gives the table’s figures');

  const sdmxUrl = new URL(code('api-sdmx'));
  t.same(sdmxValues((await app.inject({ url: `${sdmxUrl.pathname}${sdmxUrl.search}${sdmxUrl.search ? '&' : '?'}format=csv` })).body), table, 'the SDMX URL too');
  t.equal(/readSDMX\("([^"]+)"\)/.exec(code('api-r'))?.[1], code('api-sdmx'), 'R reads the SDMX URL');
  t.equal(/sdmx\.read_url\("([^"]+)"\)/.exec(code('api-python'))?.[1], code('api-sdmx'), 'Python too');

  const gq = await app.inject({ method: 'POST', url: '/graphql', payload: { query: code('api-graphql').replace('first: 100', 'first: 500') } });
  const body = gq.json() as { data: { series: { nodes: { key: string; observations: { period: string; value: number | null }[] }[] } } };
  t.notOk((gq.json() as { errors?: unknown }).errors, 'the GraphQL query runs');
  const fromGraphql = new Map<string, number | null>();
  for (const s of body.data.series.nodes) {
    const parts = s.key.split('.');
    const unit = parts.splice(7, 1)[0]!;
    for (const o of s.observations) fromGraphql.set(`${parts.join('.')}|${o.period}|${UNIT_FIELDS[unit] ?? unit}`, o.value);
  }
  t.same(fromGraphql, table, 'the GraphQL query gives the table’s figures');
});

t.test('the permalink reopens the same view; the chart downloads as an SVG file', async (t) => {
  const { document } = await page(VIEW);
  const permalink = new URL(document.querySelector('.citation a')!.getAttribute('href')!);
  t.match(permalink.search, /release=GSH-2019/, 'the data state is pinned: the latest release it reads');
  const first = (await page(VIEW)).res.headers.etag;
  clock.set(shifted(LOADED_AT, 60_000));
  const minuteLater = (await page(VIEW)).res.headers.etag;
  clock.set(LOADED_AT);
  t.equal(minuteLater, first, 'so the page stays the same a minute later: its ETag too');
  t.same(tableValues((await page(`${permalink.pathname}${permalink.search}`)).document), tableValues(document), 'the same table');
  t.match(document.querySelector('.citation')!.textContent!, /United Nations Office on Drugs and Crime\. Victims of intentional homicide/);

  const svgLink = document.querySelector('a[href*="/chart.svg?"]')!.getAttribute('href')!;
  const svg = await app.inject({ url: svgLink });
  t.match(svg.headers['content-type'], /^image\/svg\+xml/);
  t.match(svg.body, /^<\?xml[^>]*>\n<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const file = parseHTML(`<div>${svg.body.replace(/^<\?xml[^>]*>/, '')}</div>`).document;
  const points = [...file.querySelectorAll('g.point')];
  t.equal(points.length, document.querySelectorAll('.chart-panel g.point').length, 'the same chart as on the page');
  const texts = [...file.querySelectorAll('text')].map((x) => x.textContent);
  t.ok(texts.includes('Victims of intentional homicide: Rate per 100 000 population, 2005–2015'), 'the file says what it shows');
  t.ok(texts.some((x) => x!.startsWith('http://localhost') && x!.includes('release=')), 'and where it comes from: the permalink');

  const png = await app.inject({ url: svgLink.replace('/chart.svg?', '/chart.png?') });
  t.equal(png.headers['content-type'], 'image/png');
  t.match(png.headers['content-disposition'], /attachment; filename="DF_CTS_HOMICIDE-line\.png"/);
  const bytes = png.rawPayload;
  t.same([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  const svgWidth = Number(/width="(\d+)"/.exec(svg.body)![1]);
  t.equal(bytes.readUInt32BE(16), svgWidth * 2, 'twice the SVG’s width');
  t.ok(bytes.length > 10_000, `with something drawn (${bytes.length} bytes)`);
  t.equal((await app.inject({ url: svgLink.replace('/chart.svg?', '/chart.gif?') })).statusCode, 404, 'no other type');
});

t.test('Spanish: labels from the structures, numbers written the Spanish way', async (t) => {
  const { document } = await page('/es/dataflows/DF_CTS_HOMICIDE?REF_AREA=MEX&SEX=_T,F,M');
  t.equal(document.documentElement.getAttribute('lang'), 'es');
  const areas = [...document.querySelectorAll('.selection-list dd')].map((d) => d.textContent);
  t.ok(areas.includes('México'), 'México');
  t.ok([...document.querySelectorAll('.view-table tbody th')].some((th) => th.textContent === 'Mujeres'), 'Mujeres');
  const count = document.querySelector('td[data-field="count"][data-value]')!;
  t.equal(count.textContent, new Intl.NumberFormat('es').format(Number(count.getAttribute('data-value'))));
});

t.test('embargo: the held-back release’s figures appear in a view at its instant, not before', async (t) => {
  t.teardown(() => clock.set(LOADED_AT));
  // Section 07 (fraud, deception, corruption): what the held-back release adds.
  const url = '/en/dataflows/DF_CTS_OFFENCES?OFFENCE=07*&sort=period&dir=desc';
  clock.set(shifted(HELD_BACK_AT, -1));
  const before = await page(url);
  const beforeReleases = new Set([...before.document.querySelectorAll('.view-table tbody tr td:last-child')].map((td) => td.textContent));
  clock.set(HELD_BACK_AT);
  const at = await page(url);
  const atReleases = new Set([...at.document.querySelectorAll('.view-table tbody tr td:last-child')].map((td) => td.textContent));
  const fresh = [...atReleases].filter((r) => !beforeReleases.has(r));
  t.ok(fresh.length > 0, `values of a new release at the instant (${fresh.join(', ')})`);
  t.not(at.res.headers.etag, before.res.headers.etag, 'a new ETag');
  const cacheControl = String(before.res.headers['cache-control']);
  const maxAge = /max-age=(\d+)/.exec(cacheControl)?.[1];
  t.ok(cacheControl === 'no-cache' || Number(maxAge) <= 1, `before: cacheable at most until the instant (${cacheControl})`);
});

t.test('the map: each country’s value is the JSON API’s rate for the year; the disclaimer under it', async (t) => {
  const { res, document } = await page('/en/dataflows/DF_CTS_HOMICIDE?SEX=_T&chart=map&year=2015');
  t.notMatch(res.body, /style=|<style/, 'no inline style');
  t.equal(document.querySelector('.switch span[aria-current]')!.textContent, 'Map');
  const rows = (
    (await app.inject({ url: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?SEX=_T&from=2015&to=2015&limit=10000&lang=en' })).json() as {
      rows: { dimensions: { REF_AREA: { name: string } }; values: { rate?: { value: number | null } } }[];
    }
  ).rows;
  const rates = new Map(rows.filter((r) => r.values.rate?.value != null).map((r) => [r.dimensions.REF_AREA.name, r.values.rate!.value!]));
  let checked = 0;
  for (const title of document.querySelectorAll('svg.map-svg path title')) {
    const m = /^(.*): ([\d,.]+)$/.exec(title.textContent!);
    if (!m) continue;
    checked++;
    const rate = rates.get(m[1]!);
    t.equal(m[2], rate === undefined ? 'not in the API' : new Intl.NumberFormat('en').format(rate), m[1]!);
  }
  t.ok(checked > 100, `${checked} countries with a value`);
  t.match(document.querySelector('.world-map')!.textContent!, /do not imply official endorsement or acceptance by the United Nations/);
  const twoDims = await page('/en/dataflows/DF_CTS_HOMICIDE?SEX=_T,F&chart=map');
  t.notOk(twoDims.document.querySelector('.world-map'), 'no map when more than the area varies (one value per country is needed)');
});

t.test('small pages: a typical view, the default view and a map view are under 100 KB of HTML', async (t) => {
  for (const url of [VIEW, '/en/dataflows/DF_CTS_HOMICIDE', '/es/dataflows/DF_CTS_HOMICIDE?SEX=_T&chart=map', '/en/dataflows/DF_CTS_PRISONS']) {
    const { res } = await page(url);
    t.ok(res.rawPayload.length < 100 * 1024, `${url}: ${res.rawPayload.length} bytes`);
  }
});

t.test('links to the other pages: the selection’s area and ICCS category, the methodology; a code with everything under it stays chosen', async (t) => {
  const { document } = await page('/en/dataflows/DF_CTS_HOMICIDE?REF_AREA=MEX&SEX=_T');
  const selection = [...document.querySelectorAll('.selection-list a')].map((a) => a.getAttribute('href'));
  t.ok(selection.includes('/en/countries/MEX'), 'the area’s page');
  t.ok(selection.includes('/en/iccs/0101'), 'the ICCS category’s page');
  const methodology = [...document.querySelectorAll('section[aria-labelledby="methodology"] a')].map((a) => a.getAttribute('href')!);
  t.ok(methodology.includes('/en/dataflows/DF_CTS_HOMICIDE/metadata'), 'the methodology page');
  for (const href of [...selection, ...methodology]) t.equal((await app.inject({ url: href! })).statusCode, 200, `${href} answers`);

  const star = await page('/en/dataflows/DF_CTS_OFFENCES?OFFENCE=02*&REF_AREA=AUT');
  const option = star.document.querySelector('#f-OFFENCE option[value="02*"]');
  t.ok(option?.hasAttribute('selected'), 'OFFENCE=02* is a chosen option of the form');
  t.match(option!.textContent!, /everything under it/);
});
