/**
 * The browse pages as HTML: a country's page (its dataflows, the latest values of each headline
 * series and its country notes), an ICCS category's page (notes, ancestors, children, the
 * dataflows and areas that report it) and the search, each checked against the JSON API for the
 * same facts at the same instant; every link they carry answers 200; unknown codes are 404 pages
 * in the page's language; Spanish; no inline style, one h1 and headings in order; escaping; the
 * held-back release's figures appear on them at its instant and not before. Render times are
 * reported as comments, not asserted.
 */
import t, { type Test } from 'tap';
import { parseHTML } from 'linkedom';
import { renderToString } from 'preact-render-to-string';
import { demoApp, HELD_BACK_AT, LOADED_AT, shifted } from '../../helpers/json-api-demo.js';
import { parseCsv } from '../../helpers/csv.js';
import { PORTAL_CSP } from '../../../src/routes/portal/index.js';
import { SearchForm } from '../../../src/routes/portal/search.js';

const { app, clock } = await demoApp();
t.teardown(() => app.close());

async function page(url: string, status = 200) {
  const res = await app.inject({ url });
  if (res.statusCode !== status) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return { res, document: parseHTML(res.body).document };
}

type Doc = Awaited<ReturnType<typeof page>>['document'];

async function api<T = any>(url: string): Promise<T> {
  const res = await app.inject({ url });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res.json() as T;
}

const text = (el: { textContent: string | null } | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** What every page of the portal must be: its language, the strict CSP, no script or inline style, one h1, headings in order. */
function checkPage(t: Test, res: Awaited<ReturnType<typeof page>>['res'], document: Doc, lang: 'en' | 'es', what: string) {
  t.equal(document.documentElement.getAttribute('lang'), lang, `${what}: lang=${lang}`);
  t.equal(res.headers['content-security-policy'], PORTAL_CSP, `${what}: the strict CSP`);
  t.notMatch(res.body, /<script|style=|<style/i, `${what}: no script, no inline style`);
  t.equal(document.querySelectorAll('h1').length, 1, `${what}: one h1`);
  const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1]));
  const skips = levels.filter((l, i) => i > 0 && l > levels[i - 1]! + 1);
  t.same(skips, [], `${what}: headings in order (${levels.join('')})`);
  t.equal(levels[0], 1, `${what}: the h1 comes first`);
  for (const th of document.querySelectorAll('th')) if (th.closest('thead')) t.equal(th.getAttribute('scope'), 'col', `${what}: column headers have scope`);
}

/** Every link of a page, followed once per test file: each answers 200. */
const statusOf = new Map<string, number>();
async function linksAnswer(t: Test, document: Doc, what: string, only?: (href: string) => boolean) {
  const hrefs = new Set(
    [...document.querySelectorAll('a[href]')]
      .map((a) => a.getAttribute('href')!)
      .map((h) => h.replace(/#.*$/, ''))
      .filter((h) => h !== '' && (!only || only(h))),
  );
  const failures: string[] = [];
  for (const href of hrefs) {
    if (!href.startsWith('/')) {
      if (!/^https?:\/\//.test(href)) failures.push(`${href}: not a link we can follow`);
      continue;
    }
    if (!statusOf.has(href)) statusOf.set(href, (await app.inject({ url: href })).statusCode);
    if (statusOf.get(href) !== 200) failures.push(`${href}: ${statusOf.get(href)}`);
  }
  t.same(failures, [], `${what}: each of its ${hrefs.size} links answers 200`);
}

interface CodeWithData {
  id: string;
  name: string;
  parent: string | null;
  series: number;
  observations: number;
}
interface FlowDetail {
  id: string;
  name: string;
  dimensions: { id: string; codelist: string | null; codes: CodeWithData[] }[];
}

const flowIds = (await api<{ dataflows: { id: string }[] }>('/api/v1/dataflows')).dataflows.map((f) => f.id);
async function details(lang = 'en'): Promise<FlowDetail[]> {
  return Promise.all(flowIds.map(async (id) => (await api<{ dataflow: FlowDetail }>(`/api/v1/dataflows/${id}?lang=${lang}`)).dataflow));
}
const codesOf = (flow: FlowDetail, dimension: string) => flow.dimensions.find((d) => d.id === dimension)?.codes ?? [];
const areaCodelist = (await details())[0]!.dimensions.find((d) => d.id === 'REF_AREA')!.codelist!;

/** Render time of a page, cold and warm (reported, not asserted). */
async function timed(url: string): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const res = await app.inject({ url });
    times.push(performance.now() - start);
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
  }
  return `${url}: ${times.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`;
}

t.test('render times (first request, then two more)', async (t) => {
  for (const url of ['/en/countries/MEX', '/es/countries/KAZ', '/en/countries/001', '/en/iccs/0101', '/en/iccs/02', '/es/iccs/02011', '/en/search?q=homicide', '/es/search?q=m%C3%A9xico']) t.comment(await timed(url));
  t.pass('measured');
});

t.test('a country’s page: exactly the dataflows whose REF_AREA codes with data include it', async (t) => {
  for (const lang of ['en', 'es'] as const) {
    const { res, document } = await page(`/${lang}/countries/MEX`);
    checkPage(t, res, document, lang, `${lang} MEX`);
    const flows = await details(lang);
    const holding = flows.filter((f) => codesOf(f, 'REF_AREA').some((c) => c.id === 'MEX'));
    t.same(
      [...document.querySelectorAll('.area-flow')].map((s) => s.getAttribute('data-flow')),
      holding.map((f) => f.id),
      `${lang}: the dataflows holding data for MEX, in id order`,
    );
    t.same(
      [...document.querySelectorAll('.area-flow h3')].map(text),
      holding.map((f) => f.name),
      `${lang}: named as the API names them`,
    );
    const area = (await api(`/api/v1/codelists/${encodeURIComponent(areaCodelist)}?code=MEX&lang=${lang}`)).codes[0];
    t.equal(text(document.querySelector('h1')), area.name, `${lang}: the area's name (${area.name})`);
  }
});

t.test('a country’s latest values are the JSON API’s rows for the same series, and the explorer link carries the same filters', async (t) => {
  for (const [lang, code] of [['en', 'MEX'], ['es', 'GTM'], ['en', 'DEU']] as const) {
    const { document } = await page(`/${lang}/countries/${code}`);
    const sections = [...document.querySelectorAll('.area-flow')];
    t.ok(sections.length > 0, `${code}: some dataflows`);
    for (const section of sections) {
      const id = section.getAttribute('data-flow')!;
      const link = section.querySelector('a.explore-link')!.getAttribute('href')!;
      t.match(link, new RegExp(`^/${lang}/dataflows/${id}\\?`), `${code} ${id}: the explorer link`);
      const query = link.slice(link.indexOf('?') + 1);
      const params = new URLSearchParams(query);
      t.equal(params.get('REF_AREA'), code, `${code} ${id}: the link is for the area`);
      for (const [name, value] of params) if (name !== 'REF_AREA') t.equal(value, '_T', `${code} ${id}: ${name} at its total`);
      const table = section.querySelector('table.latest-values');
      const rows = (await api<{ rows: { key: string; period: string; values: Record<string, { value: number | null }> }[] }>(`/api/v1/dataflows/${id}/observations?${query}&format=json&limit=10000&lang=${lang}`)).rows;
      const latest = new Map<string, (typeof rows)[number]>();
      for (const r of rows) if (!latest.has(r.key) || latest.get(r.key)!.period < r.period) latest.set(r.key, r);
      if (!table) {
        t.match(text(section), String(latest.size), `${code} ${id}: too many series to list, counted (${latest.size})`);
        continue;
      }
      t.equal(table.getAttribute('data-query'), query, `${code} ${id}: the table is the link's series`);
      const shown = [...table.querySelectorAll('tbody tr')];
      t.same(shown.map((tr) => tr.getAttribute('data-key')).sort(), [...latest.keys()].sort(), `${code} ${id}: a row per series of the API's answer`);
      for (const tr of shown) {
        const r = latest.get(tr.getAttribute('data-key')!)!;
        t.equal(tr.getAttribute('data-period'), r.period, `${code} ${id} ${r.key}: the latest period`);
        for (const td of tr.querySelectorAll('td[data-field]')) {
          const field = td.getAttribute('data-field')!;
          const v = td.getAttribute('data-value');
          t.equal(v === null ? null : Number(v), r.values[field]?.value ?? null, `${code} ${id} ${r.key} ${r.period} ${field}`);
          if (v !== null) t.equal(text(td), new Intl.NumberFormat(lang).format(Number(v)), `${code} ${id}: written the ${lang} way`);
        }
      }
    }
  }
});

t.test('a country’s region: the area codelist’s ancestors, linked when they have a page', async (t) => {
  const { document } = await page('/en/countries/MEX');
  const chain: { id: string; name: string }[] = [];
  for (let id: string | null = 'MEX'; id !== null; ) {
    const code: { id: string; name: string; parent: string | null } = (await api(`/api/v1/codelists/${encodeURIComponent(areaCodelist)}?code=${id}`)).codes[0];
    if (id !== 'MEX') chain.unshift(code);
    id = code.parent;
  }
  const crumbs = [...document.querySelectorAll('.crumbs li')].slice(1);
  t.same(crumbs.map(text), chain.map((c) => c.name), `the breadcrumb: ${chain.map((c) => c.name).join(' › ')}`);
  const withData = new Set((await details()).flatMap((f) => codesOf(f, 'REF_AREA').map((c) => c.id)));
  crumbs.forEach((li, i) => t.equal(li.querySelector('a')?.getAttribute('href') ?? null, withData.has(chain[i]!.id) ? `/en/countries/${chain[i]!.id}` : null, `${chain[i]!.id} linked only with a page`));
  const region = [...document.querySelectorAll('.facts-list div')].find((d) => text(d.querySelector('dt')) === 'Part of');
  t.equal(text(region?.querySelector('dd')), chain.at(-1)!.name, 'its region');
  // A region with data has its page, with its parts that hold data.
  const world = await page('/en/countries/001');
  const parts = [...world.document.querySelectorAll('#parts ~ ul a, section[aria-labelledby="parts"] a')].map((a) => a.getAttribute('href'));
  t.ok(parts.includes('/en/countries/MEX'), 'the World page lists Mexico among its parts with data');
});

t.test('country notes: the texts of /api/v1/dataflows/{id}/metadata?area=…, by section', async (t) => {
  for (const lang of ['en', 'es'] as const) {
    const { res, document } = await page(`/${lang}/countries/KAZ`);
    checkPage(t, res, document, lang, `${lang} KAZ`);
    const holding = [...document.querySelectorAll('.area-flow')].map((s) => s.getAttribute('data-flow')!);
    let notes = 0;
    for (const id of holding) {
      const meta = await api(`/api/v1/dataflows/${id}/metadata?area=KAZ&lang=${lang}`);
      const article = document.querySelector(`article.country-note[data-dataflow="${id}"]`);
      t.equal(article !== null, meta.countryNote !== null, `${lang} ${id}: a note on the page exactly when the API has one`);
      if (!meta.countryNote) continue;
      notes += 1;
      t.equal(text(article!.querySelector('h3')), meta.countryNote.name, `${lang} ${id}: the note's name`);
      type Section = { id: string; name: string; text?: string; value?: string; sections: Section[] };
      const flat = (sections: Section[]): Section[] => sections.flatMap((s) => [s, ...flat(s.sections)]);
      const expected = flat(meta.countryNote.sections);
      const shown = [...article!.querySelectorAll('section.note-section')];
      t.same(
        shown.map((s) => s.getAttribute('data-concept')),
        expected.map((s) => s.id),
        `${lang} ${id}: every section, in order`,
      );
      shown.forEach((s, i) => {
        const e = expected[i]!;
        t.equal(text(s.querySelector(':scope > h4, :scope > h5, :scope > h6')), e.name, `${lang} ${e.id}: its heading is the concept's name`);
        t.equal(s.querySelector(':scope > .note-text')?.textContent ?? null, e.text ?? null, `${lang} ${e.id}: the text`);
        t.equal(s.querySelector(':scope > .note-value')?.getAttribute('data-value') ?? null, e.value ?? null, `${lang} ${e.id}: the value`);
      });
      const json = article!.querySelector('a[href^="/api/v1/"]')!.getAttribute('href')!;
      t.equal(json, `/api/v1/dataflows/${id}/metadata?area=KAZ&lang=${lang}`, `${lang} ${id}: links the same note as JSON`);
      t.ok(article!.querySelector(`a[href="/${lang}/dataflows/${id}/metadata?area=KAZ"]`), `${lang} ${id}: and to its page on the portal`);
    }
    t.ok(notes > 0, `${lang}: KAZ has a country note`);
  }
  const mex = await page('/en/countries/MEX');
  t.equal(mex.document.querySelectorAll('article.country-note').length, 0, 'MEX has none, and shows none');
});

t.test('every link of a country’s page answers 200', async (t) => {
  for (const url of ['/en/countries/MEX', '/es/countries/KAZ', '/en/countries/IRQ']) await linksAnswer(t, (await page(url)).document, url);
});

t.test('unknown areas, and areas without data: a 404 page in the page’s language', async (t) => {
  const withData = new Set((await details()).flatMap((f) => codesOf(f, 'REF_AREA').map((c) => c.id)));
  const all = (await api(`/api/v1/codelists/${encodeURIComponent(areaCodelist)}`)).codes as { id: string }[];
  const without = all.find((c) => !withData.has(c.id))!;
  t.ok(without, `an area without data: ${without.id}`);
  const { document: es } = await page(`/es/countries/${without.id}`, 404);
  t.equal(text(es.querySelector('h1')), 'Página no encontrada');
  t.equal(es.documentElement.getAttribute('lang'), 'es');
  await page('/en/countries/ZZZ', 404);
  const hostile = await page(`/en/countries/${encodeURIComponent('<script>alert(1)</script>')}`, 404);
  t.notMatch(hostile.res.body, /<script/, 'nothing of the path written unescaped');
  const lower = await app.inject({ url: '/en/countries/mex' });
  t.equal(lower.statusCode, 301, 'a code in lower case is sent to its page');
  t.equal(lower.headers.location, '/en/countries/MEX');
});

interface IccsCode {
  id: string;
  name: string;
  parent: string | null;
  description: string | null;
  inclusions: string[];
  exclusions: string[];
  notesLang: string | null;
  levelName: string | null;
}

t.test('an ICCS category’s page: code, label, level and notes as /api/v1/codelists/CL_ICCS gives them', async (t) => {
  for (const lang of ['en', 'es'] as const) {
    const { res, document } = await page(`/${lang}/iccs/0101`);
    checkPage(t, res, document, lang, `${lang} 0101`);
    const code = (await api<{ codes: IccsCode[] }>(`/api/v1/codelists/CL_ICCS?code=0101&lang=${lang}`)).codes[0]!;
    t.equal(text(document.querySelector('h1')), `0101 ${code.name}`, `${lang}: code and label`);
    t.match(text(document.querySelector('.lead')), code.levelName!, `${lang}: its level (${code.levelName})`);
    t.equal(text(document.querySelector('.iccs-description')), code.description, `${lang}: the description`);
    t.same([...document.querySelectorAll('.iccs-inclusions li')].map(text), code.inclusions, `${lang}: the inclusions`);
    t.same([...document.querySelectorAll('.iccs-exclusions li')].map(text), code.exclusions, `${lang}: the exclusions`);
    const marked = document.querySelector('.iccs-description')!.getAttribute('lang');
    t.equal(marked, code.notesLang === lang ? null : code.notesLang, `${lang}: the notes' language marked when it is not the page's`);
    t.equal(document.querySelector('.iccs-exclusions a[href="/' + lang + '/iccs/0102"]')?.textContent, '0102', `${lang}: a code quoted in the notes links to its page`);
  }
});

t.test('an ICCS category’s ancestors and children are the codelist’s', async (t) => {
  for (const c of ['02011', '0201', '02', '020111']) {
    const { document } = await page(`/en/iccs/${c}`);
    const all = (await api<{ codes: IccsCode[] }>('/api/v1/codelists/CL_ICCS')).codes;
    const byId = new Map(all.map((x) => [x.id, x]));
    const ancestors: string[] = [];
    for (let p = byId.get(c)!.parent; p !== null; p = byId.get(p)!.parent) ancestors.unshift(p);
    t.same(
      [...document.querySelectorAll('.crumbs a[href^="/en/iccs/"]')].map((a) => a.getAttribute('href')),
      ancestors.map((a) => `/en/iccs/${a}`),
      `${c}: the breadcrumb is its ancestors (${ancestors.join(' › ') || 'none'})`,
    );
    t.same(
      [...document.querySelectorAll('.iccs-children a')].map((a) => a.getAttribute('href')),
      all.filter((x) => x.parent === c).map((x) => `/en/iccs/${x.id}`),
      `${c}: its children, in codelist order`,
    );
  }
});

t.test('an ICCS category’s dataflows and areas are the API’s codes with data, its own and those under it', async (t) => {
  const flows = await details();
  for (const c of ['0101', '02', '0201', '03011', '1001']) {
    const { document } = await page(`/en/iccs/${c}`);
    const rows = [...document.querySelectorAll('table.iccs-flows tbody tr')];
    const expected: { id: string; filter: string; series: number; observations: number }[] = [];
    for (const flow of flows) {
      const dim = flow.dimensions.find((d) => d.id === 'OFFENCE');
      if (!dim) continue;
      const subtree = new Set(((await api(`/api/v1/codelists/${encodeURIComponent(dim.codelist!)}?code=${c}*`)).codes as { id: string }[]).map((x) => x.id));
      const held = dim.codes.filter((x) => subtree.has(x.id));
      if (!held.length) continue;
      expected.push({
        id: flow.id,
        filter: held.some((x) => x.id !== c) ? `${c}*` : c,
        series: held.reduce((s, x) => s + x.series, 0),
        observations: held.reduce((s, x) => s + x.observations, 0),
      });
    }
    t.same(
      rows.map((r) => ({ id: r.getAttribute('data-flow'), filter: r.getAttribute('data-filter'), series: Number(r.querySelectorAll('td')[1]!.getAttribute('data-value')), observations: Number(r.querySelectorAll('td')[2]!.getAttribute('data-value')) })),
      expected,
      `${c}: the dataflows holding it or a category under it, with their counts`,
    );
    if (!expected.length) t.match(text(document.querySelector('section[aria-labelledby="figures"]')), /No public figures/, `${c}: says there are none yet`);
    for (const e of expected) {
      const csv = parseCsv((await app.inject({ url: `/api/v1/dataflows/${e.id}/observations?OFFENCE=${encodeURIComponent(e.filter)}&format=csv` })).body);
      const areas = [...new Set(csv.map((r) => r.REF_AREA!))].sort();
      const listed = [...document.querySelectorAll(`details.iccs-areas[data-flow="${e.id}"] a[data-area]`)];
      t.same(listed.map((a) => a.getAttribute('data-area')).sort(), areas, `${c} ${e.id}: the areas of the API's rows for OFFENCE=${e.filter} (${areas.length})`);
      const row = rows.find((r) => r.getAttribute('data-flow') === e.id)!;
      t.equal(Number(row.querySelectorAll('td')[3]!.getAttribute('data-value')), areas.length, `${c} ${e.id}: counted`);
      t.equal(row.querySelector('a')!.getAttribute('href'), `/en/dataflows/${e.id}?OFFENCE=${e.filter}`, `${c} ${e.id}: the explorer view of the category`);
      for (const a of listed.slice(0, 3)) t.equal(a.getAttribute('href'), `/en/dataflows/${e.id}?OFFENCE=${e.filter}&REF_AREA=${a.getAttribute('data-area')}`, `${c} ${e.id}: an area's explorer view`);
    }
  }
});

t.test('every link of an ICCS category’s page answers 200', async (t) => {
  for (const url of ['/en/iccs/02011', '/en/iccs/0107']) await linksAnswer(t, (await page(url)).document, url);
  // The long lists (hundreds of explorer views): every link but the areas', then the areas' of one dataflow.
  for (const [url, flow] of [['/es/iccs/03', 'DF_CTS_VICTIMS'], ['/en/iccs/0101', 'DF_CTS_PRISONS']] as const) {
    const { document } = await page(url);
    await linksAnswer(t, document, `${url} (without the area lists)`, (h) => !h.includes('&REF_AREA='));
    await linksAnswer(t, document, `${url} (the areas of ${flow})`, (h) => h.includes(`/dataflows/${flow}?`) && h.includes('&REF_AREA='));
  }
});

t.test('ICCS: unknown codes and codes outside the ICCS are 404 pages', async (t) => {
  for (const c of ['zz', '_T', '0703_OTH', '9999']) {
    const { document } = await page(`/es/iccs/${encodeURIComponent(c)}`, 404);
    t.equal(text(document.querySelector('h1')), 'Página no encontrada', `${c}: not found, in Spanish`);
  }
});

async function searchHits(url: string) {
  const { res, document } = await page(url);
  const group = (kind: string) => [...document.querySelectorAll(`.search-group[data-kind="${kind}"] li`)].map((li) => ({ id: li.getAttribute('data-id')!, href: li.querySelector('a')?.getAttribute('href') ?? null, text: text(li) }));
  return { res, document, dataflows: group('dataflow'), iccs: group('iccs'), areas: group('area'), status: text(document.querySelector('.search-summary')) };
}

t.test('search: countries by name or code, accents and case aside', async (t) => {
  for (const [lang, q, name] of [['en', 'mexico', 'Mexico'], ['en', 'México', 'Mexico'], ['es', 'mexico', 'México'], ['es', 'MÉXICO', 'México'], ['en', 'mex', 'Mexico']] as const) {
    const { res, document, areas } = await searchHits(`/${lang}/search?q=${encodeURIComponent(q)}`);
    checkPage(t, res, document, lang, `${lang} search ${q}`);
    t.equal(areas[0]?.id, 'MEX', `${lang} "${q}": Mexico first among areas`);
    t.equal(areas[0]?.href, `/${lang}/countries/MEX`, `${lang} "${q}": linked to its page`);
    t.match(areas[0]?.text, name, `${lang} "${q}": named ${name}`);
  }
});

t.test('search: offences and dataflows in the page’s language, and ICCS codes', async (t) => {
  const homicide = await searchHits('/en/search?q=homicide');
  t.ok(homicide.dataflows.some((d) => d.id === 'DF_CTS_HOMICIDE' && d.href === '/en/dataflows/DF_CTS_HOMICIDE'), 'homicide: the homicide dataflow, linked to its explorer');
  t.ok(homicide.iccs.some((c) => c.id === '0101' && c.href === '/en/iccs/0101'), 'homicide: ICCS 0101');
  const homicidio = await searchHits('/es/search?q=homicidio');
  t.equal(homicidio.iccs[0]?.id, '0101', 'homicidio (es): 0101 first, it holds data');
  t.ok(homicidio.dataflows.some((d) => d.id === 'DF_CTS_HOMICIDE' && d.href === '/es/dataflows/DF_CTS_HOMICIDE'), 'homicidio (es): the homicide dataflow');
  t.match(homicidio.status, /resultados para «homicidio»/);
  const code = await searchHits('/en/search?q=0101');
  t.equal(code.iccs[0]?.id, '0101', '0101: the category first');
  const section = await searchHits('/en/search?q=02');
  t.equal(section.iccs[0]?.id, '02', '02: the section first, then the categories whose code begins with it');
  t.ok(section.iccs.length > 1 && section.iccs.every((c) => c.id.startsWith('02')), '02: every category of the section');
  const names = await api<{ codes: IccsCode[] }>('/api/v1/codelists/CL_ICCS?lang=es');
  const robo = names.codes.find((c) => c.id === '0401')!;
  t.ok((await searchHits(`/es/search?q=${encodeURIComponent(robo.name.toLowerCase())}`)).iccs.some((c) => c.id === '0401'), `es: ${robo.name} by its Spanish label`);
});

t.test('search: nothing found, an empty query, and what holds no data yet', async (t) => {
  const none = await searchHits('/en/search?q=zzzz');
  t.same([none.dataflows, none.iccs, none.areas], [[], [], []], 'zzzz: nothing');
  t.match(none.status, /Nothing matches “zzzz”/);
  t.ok(none.document.querySelector('a[href="/en/"]') && none.document.querySelector('a[href="/en/iccs/01"]'), 'suggests browsing: the dataflows and the ICCS sections');
  await linksAnswer(t, none.document, 'the no-result page');
  for (const url of ['/es/search', '/es/search?q=', '/es/search?q=%20%20']) {
    const { document } = await page(url);
    t.equal(document.querySelectorAll('.search-group').length, 0, `${url}: no results`);
    t.match(text(document.querySelector('.search-hint')), /Escriba/, `${url}: a hint`);
    const form = document.querySelector('form[role="search"]')!;
    t.equal(form.getAttribute('method'), 'get');
    t.equal(form.getAttribute('action'), '/es/search');
    const input = form.querySelector('input[name="q"]')!;
    t.ok(form.querySelector(`label[for="${input.getAttribute('id')}"]`), `${url}: the input is labelled`);
  }
  const withData = new Set((await details()).flatMap((f) => codesOf(f, 'OFFENCE').map((c) => c.id)));
  const iccs = await searchHits('/en/search?q=armed+conflict');
  const empty = iccs.iccs.filter((c) => !c.text.includes('no data yet'));
  t.ok(iccs.iccs.length > 0, 'armed conflict: ICCS categories found');
  for (const c of empty) t.ok([...withData].some((w) => w.startsWith(c.id)), `${c.id}: said to hold data, and it does (itself or under it)`);
  t.ok(iccs.iccs.some((c) => c.text.includes('no data yet') && c.href === `/en/iccs/${c.id}`), 'a category without data is marked, and still linked to its page');
  const areas = new Set((await details()).flatMap((f) => codesOf(f, 'REF_AREA').map((c) => c.id)));
  const all = (await api(`/api/v1/codelists/${encodeURIComponent(areaCodelist)}`)).codes as { id: string; name: string }[];
  const without = all.find((c) => !areas.has(c.id) && /^[A-Z]{3}$/.test(c.id))!;
  const found = await searchHits(`/en/search?q=${encodeURIComponent(without.id)}`);
  const hit = found.areas.find((a) => a.id === without.id)!;
  t.ok(hit, `${without.id} (${without.name}), without data, is found`);
  t.equal(hit.href, null, `${without.id}: not linked (it has no page)`);
  t.match(hit.text, /no data yet/, `${without.id}: marked`);
});

t.test('search: the query is escaped everywhere, and every link answers', async (t) => {
  const q = '<script>alert("x")</script> & "mexico"';
  const { res, document, areas } = await searchHits(`/en/search?q=${encodeURIComponent(q)}`);
  t.notMatch(res.body, /<script/, 'no script element from the query');
  t.equal(document.querySelector('input[name="q"]')!.getAttribute('value'), q, 'the query kept in the form, as typed');
  t.match(text(document.querySelector('title')), q, 'and in the title');
  t.same(areas, [], 'every word must match');
  for (const url of ['/en/search?q=mexico', '/es/search?q=homicidio', '/en/search?q=0101']) await linksAnswer(t, (await page(url)).document, url);
  const repeated = await page('/en/search?q=mexico&q=zzzz');
  t.equal(repeated.document.querySelector('input[name="q"]')!.getAttribute('value'), 'mexico', 'a repeated q: the first one');
});

t.test('SearchForm: the form other pages carry', async (t) => {
  const html = renderToString(SearchForm({ lang: 'es', value: 'robo "a" <b>' }));
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const form = document.querySelector('form')!;
  t.equal(form.getAttribute('role'), 'search');
  t.equal(form.getAttribute('method'), 'get');
  t.equal(form.getAttribute('action'), '/es/search');
  t.equal(form.querySelector('input[name="q"]')!.getAttribute('value'), 'robo "a" <b>');
  t.ok(form.querySelector(`label[for="${form.querySelector('input')!.getAttribute('id')}"]`), 'labelled');
  t.notMatch(html, /style=|<b>/, 'no inline style; the value escaped');
  t.equal(document.querySelector('input')!.getAttribute('value'), 'robo "a" <b>');
  const bare = renderToString(SearchForm({ lang: 'en' }));
  t.match(bare, /action="\/en\/search"/);
});

t.test('validators and cache lifetime: a weak ETag, 304, never cached past the next release', async (t) => {
  for (const url of ['/en/countries/MEX', '/en/iccs/0101', '/en/search?q=mexico']) {
    const { res } = await page(url);
    t.match(res.headers.etag, /^W\/"/, `${url}: a weak ETag`);
    t.equal((await app.inject({ url, headers: { 'if-none-match': res.headers.etag as string } })).statusCode, 304, `${url}: 304 for a current copy`);
    const maxAge = Number(/max-age=(\d+)/.exec(String(res.headers['cache-control']))?.[1] ?? 0);
    t.ok(maxAge <= (Date.parse(HELD_BACK_AT) - Date.parse(LOADED_AT)) / 1000, `${url}: cached at most until the held-back release (${res.headers['cache-control']})`);
  }
});

t.test('embargo: the held-back release’s figures reach these pages at its instant, not a millisecond earlier', async (t) => {
  t.teardown(() => clock.set(LOADED_AT));
  clock.set(shifted(HELD_BACK_AT, -1));
  const flowsBefore = await details();
  const areasBefore = new Set(flowsBefore.flatMap((f) => codesOf(f, 'REF_AREA').map((c) => c.id)));
  const offencesBefore = new Set(flowsBefore.flatMap((f) => codesOf(f, 'OFFENCE').map((c) => c.id)));
  clock.set(HELD_BACK_AT);
  const flowsAt = await details();
  const offences = (flows: FlowDetail[]) => new Set(codesOf(flows.find((f) => f.id === 'DF_CTS_OFFENCES')!, 'REF_AREA').map((c) => c.id));
  const newArea = [...offences(flowsAt)].find((c) => !offences(flowsBefore).has(c) && areasBefore.has(c));
  const newOffence = flowsAt.flatMap((f) => codesOf(f, 'OFFENCE').map((c) => c.id)).find((c) => !offencesBefore.has(c) && /^\d+$/.test(c));
  t.ok(newArea && newOffence, `the release brings offences of an area (${newArea}) and an ICCS category (${newOffence}) with no data before`);

  clock.set(shifted(HELD_BACK_AT, -1));
  t.notOk((await page(`/en/countries/${newArea}`)).document.querySelector('.area-flow[data-flow="DF_CTS_OFFENCES"]'), `${newArea}: no offences 1 ms before`);
  const before = await page(`/en/iccs/${newOffence}`);
  t.equal(before.document.querySelectorAll('table.iccs-flows').length, 0, `${newOffence}: no figures 1 ms before`);
  t.match(text((await searchHits(`/en/search?q=${newOffence}`)).document.querySelector(`li[data-id="${newOffence}"]`)), /no data yet/, `${newOffence}: "no data yet" in the search`);

  clock.set(HELD_BACK_AT);
  const area = await page(`/en/countries/${newArea}`);
  t.ok(area.document.querySelector('.area-flow[data-flow="DF_CTS_OFFENCES"]'), `${newArea}: its page, with the offences the release brings`);
  const at = await page(`/en/iccs/${newOffence}`);
  t.ok(at.document.querySelector('table.iccs-flows tr[data-flow="DF_CTS_OFFENCES"]'), `${newOffence}: reported in DF_CTS_OFFENCES at the instant`);
  t.notMatch(text((await searchHits(`/en/search?q=${newOffence}`)).document.querySelector(`li[data-id="${newOffence}"]`)), /no data yet/, `${newOffence}: holds data in the search`);
});
