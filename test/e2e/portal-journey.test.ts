/**
 * A journalist's journey through the portal in a real browser (Debian's Chromium driven by
 * playwright-core), in English with JavaScript on and in Spanish with JavaScript off (the pages
 * need none): home → search → a dataflow → choose areas, sex and years in the filter form → the table, the
 * chart's marks and the map's countries equal the SDMX-CSV answer for the same selection →
 * download the CSV and the XLSX (parsed back: the same figures) → the permalink reopens the same
 * view. Then the explorer by keyboard alone: choose an area in the list, submit, sort the table.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { testApp } from '../helpers/app.js';
import { launchChromium } from '../helpers/chromium.js';
import { parseCsv } from '../helpers/csv.js';
import { UNIT_FIELDS } from '../../src/services/data/observations.js';


const app = await testApp({ env: { DEMO_DATA: 'on' } });
const origin = await app.listen({ port: 0, host: '127.0.0.1' });
t.teardown(() => app.close());
const browser: Browser = await launchChromium();
t.teardown(() => browser.close());

/** Figures keyed `area|period|field` (field: count, rate). */
type Figures = Map<string, number | null>;

/** The table of the page as figures (the row's key gives the area; data-value the exact value). */
async function tableFigures(page: Page): Promise<Figures> {
  const cells = await page.$$eval('.view-table tbody tr', (trs) =>
    trs.flatMap((tr) => {
      const area = tr.getAttribute('data-key')!.split('.')[1]!;
      const period = [...tr.children].find((c) => /^\d{4}$/.test(c.textContent ?? ''))!.textContent!;
      return [...tr.querySelectorAll('td[data-field]')].map((td) => [`${area}|${period}|${td.getAttribute('data-field')}`, td.getAttribute('data-value')] as const);
    }),
  );
  return new Map(cells.map(([k, v]) => [k, v === null ? null : Number(v)]));
}

function sdmxFigures(csv: string): Figures {
  return new Map(
    parseCsv(csv).map((r) => [`${r.REF_AREA}|${r.TIME_PERIOD}|${UNIT_FIELDS[r.UNIT_MEASURE!] ?? r.UNIT_MEASURE}`, r.OBS_VALUE === '' || r.OBS_VALUE === 'NaN' ? null : Number(r.OBS_VALUE)]),
  );
}

/** Downloads what a link gives, as the browser saves it. */
async function download(page: Page, selector: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(selector).first().click()]);
  return readFileSync((await file.path())!);
}

const JOURNEYS = [
  { lang: 'en', javaScriptEnabled: true, search: 'homicide', flow: 'Victims of intentional homicide', show: 'Show figures', map: 'Map', period: 'Period', area: 'Reference area (code)' },
  { lang: 'es', javaScriptEnabled: false, search: 'homicidio', flow: 'Víctimas de homicidio intencional', show: 'Mostrar las cifras', map: 'Mapa', period: 'Período', area: 'Zona de referencia (código)' },
] as const;

for (const j of JOURNEYS) {
  t.test(`${j.lang}, JavaScript ${j.javaScriptEnabled ? 'on' : 'off'}: home → search → dataflow → filters → chart, map and table = SDMX-CSV → downloads → permalink`, async (t) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: j.javaScriptEnabled, acceptDownloads: true });
    t.teardown(() => context.close());
    const page = await context.newPage();
    await page.goto(`${origin}/${j.lang}/`);
    await page.locator('#search-q').fill(j.search);
    await page.locator('form[role="search"] button').click();
    await page.waitForURL(/\/search\?q=/);
    await page.locator('main a[href$="/dataflows/DF_CTS_HOMICIDE"]', { hasText: j.flow }).first().click();
    await page.waitForURL(/\/dataflows\/DF_CTS_HOMICIDE$/);

    await page.selectOption('#f-REF_AREA', ['MEX', 'GTM', 'HND']);
    await page.selectOption('select[name="from"]', '2005');
    await page.selectOption('select[name="to"]', '2015');
    await page.getByRole('button', { name: j.show }).click();
    await page.waitForURL(/REF_AREA=/);
    const url = new URL(page.url());
    t.same(url.searchParams.getAll('REF_AREA').sort(), ['GTM', 'HND', 'MEX'], 'the form submitted the areas');
    t.same(url.searchParams.getAll('SEX'), ['_T'], 'and the default total');

    const table = await tableFigures(page);
    const sdmxHref = await page.locator('.downloads a', { hasText: 'SDMX-CSV' }).getAttribute('href');
    const sdmx = sdmxFigures(await (await page.request.get(`${origin}${sdmxHref}`)).text());
    t.equal(table.size, 3 * 11 * 2, 'three areas, eleven years, count and rate');
    t.same(table, sdmx, 'the table equals the SDMX-CSV answer for the same selection');

    const marks = await page.$$eval('.chart-panel g.series', (gs) =>
      gs.flatMap((g) => [...g.querySelectorAll('g.point')].map((p) => [g.getAttribute('data-series'), p.getAttribute('data-period'), Number(p.getAttribute('data-value'))] as const)),
    );
    t.equal(marks.length, 33, 'a mark per area and year');
    const areaOf = new Map(await page.$$eval('.view-table tbody tr', (trs) => trs.map((tr) => [tr.querySelector('th')!.textContent!, tr.getAttribute('data-key')!.split('.')[1]!] as const)));
    t.ok(
      marks.every(([name, period, value]) => sdmx.get(`${areaOf.get(name!)}|${period}|rate`) === value),
      'every mark of the line chart is the SDMX rate',
    );

    await page.getByRole('link', { name: j.map, exact: true }).click();
    await page.waitForURL(/chart=map/);
    const year = await page.locator('#chart-year').inputValue();
    const countries = await page.$$eval('svg.map-svg path title', (ts) => ts.map((x) => x.textContent!));
    const numbers = new Intl.NumberFormat(j.lang);
    for (const [name, area] of areaOf) {
      const rate = sdmx.get(`${area}|${year}|rate`);
      t.ok(countries.includes(`${name}: ${numbers.format(rate!)}`), `the map shows ${name} ${year} as the SDMX rate`);
    }

    const csvText = (await download(page, '.downloads a[href*="format=csv"][href^="/api/"]')).toString('utf8').replace(/^\uFEFF/, '');
    const csv = parseCsv(csvText.split(/\r\n\r\n/)[0]!);
    const fromCsv: Figures = new Map();
    for (const r of csv) for (const field of ['count', 'rate']) fromCsv.set(`${r.REF_AREA}|${r.TIME_PERIOD}|${field}`, r[field] === '' ? null : Number(r[field]));
    t.same(fromCsv, sdmx, 'the CSV download, parsed back: the same figures');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await download(page, '.downloads a[href*="format=xlsx"]')) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const units = await page.$$eval('.view-table thead th', (ths) => ths.map((th) => th.textContent!.replace(/ [▲▼]$/, '')));
    const column = (name: string) => header.indexOf(name) + 1;
    const fromXlsx: Figures = new Map();
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const key = `${row.getCell(column(j.area)).value}|${row.getCell(column(j.period)).value}`;
      fromXlsx.set(`${key}|count`, row.getCell(column(units.find((u) => /^(Number|Número)$/.test(u))!)).value as number | null);
      fromXlsx.set(`${key}|rate`, row.getCell(column(units.find((u) => /^(Rate|Tasa)/.test(u))!)).value as number | null);
    });
    t.same(fromXlsx, sdmx, 'the XLSX download, parsed back: the same figures');

    const permalink = await page.locator('.citation a').getAttribute('href');
    const mapTable = await tableFigures(page);
    await page.goto(permalink!);
    t.match(page.url(), /release=/, 'the permalink pins the data state');
    t.same(await tableFigures(page), mapTable, 'the permalink reopens the same view');
    t.equal(await page.locator('.switch span[aria-current]').first().innerText(), j.map, 'with the same chart');
  });
}

t.test('the explorer by keyboard alone: choose an area, submit, sort the table', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await page.goto(`${origin}/en/dataflows/DF_CTS_HOMICIDE`);
  const focused = () => page.evaluate(() => {
    const el = (globalThis as unknown as { document: { activeElement: { id: string; tagName: string; textContent: string | null; getAttribute(n: string): string | null } } }).document.activeElement;
    return { id: el.id, tag: el.tagName, text: el.textContent?.trim() ?? '', type: el.getAttribute('type') };
  });
  const tabTo = async (match: (f: Awaited<ReturnType<typeof focused>>) => boolean, what: string) => {
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      if (match(await focused())) return;
    }
    throw new Error(`Tab never reached ${what}`);
  };
  await tabTo((f) => f.id === 'f-REF_AREA', 'the list of areas');
  await page.keyboard.type('Mexico');
  await tabTo((f) => f.tag === 'BUTTON' && f.type === 'submit', 'the submit button');
  await page.keyboard.press('Enter');
  await page.waitForURL(/REF_AREA=MEX/);
  t.same(new URL(page.url()).searchParams.getAll('REF_AREA'), ['MEX'], 'the area chosen by typing its name');
  await tabTo((f) => f.tag === 'A' && /^Rate per 100 000 population/.test(f.text) && f.text.length < 40, 'the rate column’s sort link');
  await page.keyboard.press('Enter');
  await page.waitForURL(/sort=rate/);
  t.equal(await page.locator('th[aria-sort]').getAttribute('aria-sort'), 'ascending', 'sorted, and the column says so');
  const outline = await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { querySelector(s: string): { focus(): void } | null; activeElement: unknown } }).document;
    d.querySelector('th[aria-sort] a')!.focus();
    return (globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string } }).getComputedStyle(d.activeElement).outlineStyle;
  });
  t.not(outline, 'none', 'the focused link is visibly outlined');
});

t.test('with JavaScript, a long list can be narrowed by typing (accents and case ignored); chosen codes stay listed', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${origin}/es/dataflows/DF_CTS_HOMICIDE?REF_AREA=GTM&SEX=_T`);
  const visible = () => page.$$eval('#f-REF_AREA option', (os) => os.filter((o) => !(o as unknown as { hidden: boolean }).hidden).map((o) => o.getAttribute('value')));
  const all = (await visible()).length;
  await page.getByLabel('Buscar en zona de referencia').fill('mexico');
  t.same((await visible()).sort(), ['GTM', 'MEX'], '"mexico" finds México; Guatemala, chosen, stays');
  t.match(await page.locator('.narrow-status').innerText(), /^\d+ opciones mostradas$/, 'the count is announced');
  await page.getByLabel('Buscar en zona de referencia').fill('');
  t.equal((await visible()).length, all, 'emptied: every choice again');
  t.same(errors, [], 'no console error (the script runs under the CSP)');
});
