/**
 * The portal's pages as HTML (the browser tests are in test/e2e/portal-chromium.test.ts): the home
 * page and a dataflow's page in English and Spanish say what the JSON API says (the same counts,
 * periods and releases), carry the strict Content-Security-Policy and validators, escape what they
 * show, answer unknown pages with a 404 page in their language, and follow the release calendar
 * to the millisecond: the held-back release's next-release notice and data counts change at its
 * instant, not before, and no page is cacheable past that instant.
 */
import t from 'tap';
import { parseHTML } from 'linkedom';
import { demoApp, HELD_BACK, HELD_BACK_AT, LOADED_AT, shifted } from '../../helpers/json-api-demo.js';
import { PORTAL_CSP } from '../../../src/routes/portal/index.js';

const { app, clock } = await demoApp();
t.teardown(() => app.close());

async function page(url: string, status = 200) {
  const res = await app.inject({ url });
  if (res.statusCode !== status) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  return { res, document: parseHTML(res.body).document };
}

interface FlowSummary {
  id: string;
  name: string;
  series: number;
  observations: number;
  period: { first: string; last: string } | null;
  nextRelease: { code: string } | null;
}

t.test('the home page lists every dataflow with the JSON API’s counts and periods, by theme', async (t) => {
  for (const lang of ['en', 'es'] as const) {
    const { res, document } = await page(`/${lang}/`);
    t.equal(document.documentElement.getAttribute('lang'), lang);
    t.match(res.headers['content-type'], /^text\/html; charset=utf-8/);
    t.equal(res.headers['content-security-policy'], PORTAL_CSP, 'the strict CSP');
    t.notMatch(PORTAL_CSP, /unsafe-inline|unsafe-eval/);
    t.notMatch(res.body, /<script|style=/, 'no script, no inline style');
    const api = (await app.inject({ url: `/api/v1/dataflows?lang=${lang}` })).json() as { dataflows: FlowSummary[] };
    const cards = [...document.querySelectorAll('.theme .card')];
    t.equal(cards.length, api.dataflows.length, `${lang}: a card per dataflow`);
    for (const flow of api.dataflows) {
      const card = cards.find((c) => c.querySelector('a')?.getAttribute('href') === `/${lang}/dataflows/${flow.id}`);
      t.ok(card, `${lang}: ${flow.id} has a card`);
      t.equal(card!.querySelector('a')!.textContent, flow.name, `${lang}: ${flow.id} named as the API names it`);
      const facts = card!.querySelector('.facts')!.textContent!.replace(/[\s\u202f\u00a0.,]/g, '');
      t.ok(facts.includes(String(flow.series)) && facts.includes(String(flow.observations)), `${lang}: ${flow.id} counts ${flow.series} series, ${flow.observations} values (${facts})`);
      if (flow.period) t.ok(facts.includes(`${flow.period.first}–${flow.period.last}`), `${lang}: ${flow.id} period`);
    }
    t.equal(document.querySelectorAll('h1').length, 1, 'one h1');
    t.ok(document.querySelector('a.skip-link[href="#main"]') && document.querySelector('main#main'), 'a skip link to the content');
    t.equal(document.querySelector(`a[hreflang="${lang === 'en' ? 'es' : 'en'}"]`)?.getAttribute('href'), `/${lang === 'en' ? 'es' : 'en'}/`, 'the other language, same page');
  }
});

t.test('a dataflow’s page: counts, a filter per dimension with the codes that hold data, downloads and APIs that answer', async (t) => {
  const { document } = await page('/es/dataflows/DF_CTS_HOMICIDE');
  const api = (await app.inject({ url: '/api/v1/dataflows/DF_CTS_HOMICIDE?lang=es' })).json() as { dataflow: FlowSummary & { dimensions: { id: string; name: string; codes: unknown[] }[] } };
  t.equal(document.querySelector('h1')!.textContent, api.dataflow.name);
  const filters = [...document.querySelectorAll('form.filters legend, form.filters .filter > label')].map((l) => l.textContent);
  for (const d of api.dataflow.dimensions.filter((d) => d.codes.length > 1)) t.ok(filters.includes(d.name), `a filter for ${d.name}`);
  const areas = document.querySelectorAll('#f-REF_AREA option:not([disabled])').length;
  t.equal(areas, api.dataflow.dimensions.find((d) => d.id === 'REF_AREA')!.codes.length, 'the areas that hold data are the choices');
  const links = [...document.querySelectorAll('main a')].map((a) => a.getAttribute('href')!).filter((href) => href.startsWith('/api/') || href.startsWith('/sdmx/'));
  t.ok(links.length >= 5, `downloads and APIs linked (${links.length})`);
  for (const href of links) {
    const res = await app.inject({ url: href });
    t.equal(res.statusCode, 200, `${href} answers`);
  }
  const csv = await app.inject({ url: links.find((l) => l.includes('format=csv'))! });
  t.match(csv.headers['content-type'], /^text\/csv/, 'the CSV download is CSV');
  t.match(csv.body, /Víctimas de homicidio intencional|Homicidio intencional/, 'with Spanish labels');
});

t.test('unknown pages: a 404 page in the page’s language; other paths keep their own 404', async (t) => {
  const { document: es } = await page('/es/dataflows/DF_NOPE', 404);
  t.equal(es.querySelector('h1')!.textContent, 'Página no encontrada');
  const { document: en } = await page('/en/nothing/here', 404);
  t.equal(en.documentElement.getAttribute('lang'), 'en');
  const other = await app.inject({ url: '/fr/' });
  t.equal(other.statusCode, 404);
  t.match(other.headers['content-type'], /problem\+json/, 'outside the portal: the root scope’s problem document');
  const hostile = await page(`/en/dataflows/${encodeURIComponent('<script>alert(1)</script>')}`, 404);
  t.notMatch(hostile.res.body, /<script>alert/, 'nothing of the path is written unescaped');
});

t.test('validators: ETag and 304; the style sheet', async (t) => {
  const { res } = await page('/en/');
  t.match(res.headers.etag, /^W\/"/);
  const again = await app.inject({ url: '/en/', headers: { 'if-none-match': res.headers.etag as string } });
  t.equal(again.statusCode, 304);
  const since = await app.inject({ url: '/en/', headers: { 'if-modified-since': new Date().toUTCString() } });
  t.equal(since.statusCode, 200, 'no Last-Modified is sent, so If-Modified-Since alone validates nothing');
  const css = await app.inject({ url: '/assets/portal.css' });
  t.equal(css.statusCode, 200);
  t.match(css.headers['content-type'], /^text\/css/);
  t.match(css.body, /prefers-reduced-motion/);
  t.equal((await app.inject({ url: '/assets/portal.css', headers: { 'if-none-match': css.headers.etag as string } })).statusCode, 304);
});

t.test('embargo: the held-back release changes the pages at its instant, not a millisecond earlier', async (t) => {
  t.teardown(() => clock.set(LOADED_AT));
  clock.set(shifted(HELD_BACK_AT, -1));
  const before = await page('/en/dataflows/DF_CTS_OFFENCES');
  const beforeValues = before.document.querySelector('.facts-list')!.textContent;
  t.match(before.res.body, /Next release/, 'announced');
  const cacheControl = String(before.res.headers['cache-control']);
  const maxAge = /max-age=(\d+)/.exec(cacheControl)?.[1];
  t.ok(cacheControl === 'no-cache' || Number(maxAge) <= 1, `cacheable at most until the instant (${cacheControl})`);
  const home = await page('/en/');
  t.match(home.document.querySelector('aside')!.textContent!, new RegExp(HELD_BACK.title.slice(0, 20).replace(/[()]/g, '.')), 'the home page lists it as upcoming');

  clock.set(HELD_BACK_AT);
  const at = await page('/en/dataflows/DF_CTS_OFFENCES');
  t.notMatch(at.res.body, /Next release/, 'no longer announced: published');
  t.not(at.document.querySelector('.facts-list')!.textContent, beforeValues, 'its values count in');
  const api = (await app.inject({ url: '/api/v1/dataflows/DF_CTS_OFFENCES' })).json() as { dataflow: FlowSummary };
  t.ok(at.document.querySelector('.facts-list')!.textContent!.replace(/\D/g, '').includes(String(api.dataflow.observations)), 'the counts of the API at the same instant');
  t.not(at.res.headers.etag, before.res.headers.etag, 'a new ETag');
});

t.test('headline figures: one per dataflow filed under an SDG target, equal to the JSON API, linked to the map of their year', async (t) => {
  const { document } = await page('/en/');
  const cards = [...document.querySelectorAll('.headline')];
  const sdg = ((await app.inject({ url: '/api/v1/dataflows?lang=en' })).json() as { dataflows: { id: string; categories: { scheme: string }[] }[] }).dataflows.filter((f) =>
    f.categories.some((c) => c.scheme.includes(':CAT_SDG(')),
  );
  t.same(cards.map((c) => /\/dataflows\/([^?]+)/.exec(c.querySelector('a')!.getAttribute('href')!)![1]).sort(), sdg.map((f) => f.id).sort(), 'one per SDG dataflow');
  for (const card of cards) {
    const href = card.querySelector('a')!.getAttribute('href')!;
    const url = new URL(href, 'http://localhost');
    const year = url.searchParams.get('year')!;
    t.equal(url.searchParams.get('chart'), 'map', 'the link opens the map');
    const filters = [...url.searchParams].filter(([k]) => /^[A-Z_]+$/.test(k)).map(([k, v]) => `${k}=${v}`).join('&');
    const rows = (
      (await app.inject({ url: `/api/v1/dataflows/${url.pathname.split('/').pop()}/observations?${filters}&from=${year}&to=${year}&limit=10000&lang=en` })).json() as {
        rows: { dimensions: { REF_AREA: { name: string } }; values: { rate?: { value: number | null; suppressed: boolean } } }[];
      }
    ).rows.filter((r) => r.values.rate && !r.values.rate.suppressed && r.values.rate.value !== null);
    const text = card.textContent!.replace(/\s+/g, ' ');
    t.match(text, new RegExp(`${rows.length} countries and areas reported the rate per 100 000 population for ${year}`), `${href}: how many reported`);
    const highest = rows.reduce((a, b) => (b.values.rate!.value! > a.values.rate!.value! ? b : a));
    t.match(text, `Highest: ${highest.dimensions.REF_AREA.name} ${new Intl.NumberFormat('en').format(highest.values.rate!.value!)}`, 'the highest');
    const view = await page(href);
    t.ok(view.document.querySelector('.world-map'), 'the link shows the map');
  }
});
