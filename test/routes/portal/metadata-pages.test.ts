/**
 * The metadata pages (/{lang}/dataflows/{id}/metadata) as HTML, against the JSON API
 * (/api/v1/dataflows/{id}/metadata) at the same instant: every concept section of a report and of
 * Kazakhstan's country note in the structure's nesting, with its name, SIMS code, text, coded
 * value and label, computed and headline marks, in English and Spanish; every figure of the
 * quality indicators equal to the API's; the versions, the release and the JSON and SDMX links;
 * an area without a note; the embargo of DF_CTS_OFFENCES 1.1.0 at its instant ± 1 ms, and asOf;
 * 404 for an unknown dataflow, 400 pages naming an unknown area or a bad asOf; accessible
 * structure (one h1, headings in order, captions, th scope), no inline style or script, every
 * link answering; and stored texts with markup (uploaded through the publisher's API on a small
 * app) escaped, save the allow-listed XHTML elements.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { parseHTML } from 'linkedom';
import { parse } from 'yaml';
import type { LightMyRequestResponse } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import { fixedClock } from '../../../src/clock.js';
import { PROJECT_ROOT } from '../../../src/project-root.js';
import { PORTAL_CSP } from '../../../src/routes/portal/index.js';
import { MetadataPage, richText, type MetadataPageData } from '../../../src/routes/portal/metadata-page.js';
import type { QualityIndicators } from '../../../src/services/quality/index.js';
import { dataApp } from '../../helpers/data-app.js';
import { demoApp, HELD_BACK, HELD_BACK_AT, LOADED_AT, shifted } from '../../helpers/json-api-demo.js';

const { app, clock } = await demoApp();
t.teardown(() => app.close());

interface Section {
  id: string;
  sims: string | null;
  name: string;
  text?: string;
  value?: string;
  valueLabel?: string;
  computed: boolean;
  headline: boolean;
  sections: Section[];
}
interface SetJson {
  set: string;
  version: string;
  release: string | null;
  validFrom: string | null;
  name: string;
  sources: { title: string; url?: string }[];
  sections: Section[];
  links: { sdmx30: string; sdmx21: string };
}
interface Answer {
  area: { id: string; name: string | null } | null;
  asOf: string;
  report: SetJson | null;
  countryNote: SetJson | null;
  indicators: QualityIndicators;
  versions: { report: { version: string; release: string | null; validFrom: string }[]; countryNote: { version: string; release: string | null; validFrom: string }[] };
  links: { self: string; sdmx30: string | null; sdmx21: string };
}

type Doc = ReturnType<typeof parseHTML>['document'];
type El = NonNullable<ReturnType<Doc['querySelector']>>;

async function page(url: string, status = 200): Promise<{ res: LightMyRequestResponse; document: Doc }> {
  const res = await app.inject({ url });
  if (res.statusCode !== status) throw new Error(`${url}: ${res.statusCode}, expected ${status}: ${res.body.slice(0, 300)}`);
  return { res, document: parseHTML(res.body).document };
}

async function api(url: string): Promise<Answer> {
  const res = await app.inject({ url });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res.json() as Answer;
}

function* walk(sections: readonly Section[], parent: string | null = null, depth = 0): Generator<{ s: Section; parent: string | null; depth: number }> {
  for (const s of sections) {
    yield { s, parent, depth };
    yield* walk(s.sections, s.id, depth + 1);
  }
}

const childrenWith = (el: El, cls: string) => [...el.children].filter((c) => c.classList.contains(cls));
/** A stored text as the page's paragraphs give it back: its line breaks separate paragraphs. */
const paragraphsOf = (text: string) => text.split(/\n+/).filter((p) => p.trim() !== '').join('\n');

/** Every section of the API's set is on the page, in the same order and nesting, as the API says it. */
function sameSections(t: Test, document: Doc, set: SetJson, what: string): void {
  const all = [...walk(set.sections)];
  const onPage = [...document.querySelectorAll('.md-report section[data-concept]')];
  t.same(
    onPage.map((s) => s.getAttribute('data-concept')),
    all.map((x) => x.s.id),
    `${what}: the concepts in the structure's order`,
  );
  for (const { s, parent, depth } of all) {
    const el = document.querySelector(`.md-report section[data-concept="${s.id}"]`)!;
    const heading = el.firstElementChild!;
    t.equal(heading.tagName, `H${depth + 2}`, `${what} ${s.id}: an h${depth + 2}`);
    t.equal(heading.querySelector('.md-name')!.textContent, s.name, `${what} ${s.id}: named as the API names it`);
    t.equal(heading.querySelector('.md-sims')?.textContent?.trim() ?? null, s.sims, `${what} ${s.id}: its SIMS code`);
    t.equal(el.parentElement!.closest('section[data-concept]')?.getAttribute('data-concept') ?? null, parent, `${what} ${s.id}: nested as the structure nests it`);
    const texts = childrenWith(el, 'md-text');
    if (s.text !== undefined) {
      t.equal(texts.length, 1, `${what} ${s.id}: its text`);
      t.equal([...texts[0]!.children].map((p) => p.textContent).join('\n'), paragraphsOf(s.text), `${what} ${s.id}: the text, paragraph by paragraph`);
    } else t.equal(texts.length, 0, `${what} ${s.id}: no text`);
    const values = childrenWith(el, 'md-value');
    if (s.value !== undefined) {
      t.equal(values.length, 1, `${what} ${s.id}: its value`);
      const v = values[0]!;
      if (s.valueLabel !== undefined) t.equal(v.textContent, `${s.valueLabel} (${s.value})`, `${what} ${s.id}: the code's label and the code`);
      else if (/^\d{4}-\d\d-\d\dT/.test(s.value)) t.equal(v.querySelector('time')?.getAttribute('datetime'), s.value, `${what} ${s.id}: the instant`);
      else t.equal(v.querySelector('data')?.getAttribute('value'), s.value, `${what} ${s.id}: the number`);
    } else t.equal(values.length, 0, `${what} ${s.id}: no value`);
    const badges = childrenWith(el, 'md-badges')[0];
    t.equal(Boolean(badges?.querySelector('.md-badge-computed')), s.computed, `${what} ${s.id}: marked measured by the server iff computed`);
    t.equal(Boolean(badges?.querySelector('.md-badge-headline')), s.headline, `${what} ${s.id}: marked headline iff headline`);
    if (s.computed && parent === null) t.equal(childrenWith(el, 'md-measured').length, 1, `${what} ${s.id}: says what it measures`);
    t.ok(document.querySelector(`nav.md-toc a[href="#c-${s.id}"]`), `${what} ${s.id}: in the table of contents`);
  }
}

/** Every figure of the indicator tables is the API's (`data-q` names where it is in `indicators`). */
function sameIndicators(t: Test, document: Doc, indicators: QualityIndicators, what: string): void {
  const figures = [...document.querySelectorAll('[data-q]')];
  t.ok(figures.length >= 25, `${what}: ${figures.length} figures`);
  for (const el of figures) {
    const q = el.getAttribute('data-q')!;
    const v = q.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | null | undefined)?.[k], indicators);
    const expected = v === null || v === undefined ? null : typeof v === 'object' ? (v as { value: number }).value : v;
    if (el.tagName === 'DATA') t.equal(Number(el.getAttribute('value')), expected, `${what} ${q}: ${String(expected)}`);
    else t.equal(expected, null, `${what} ${q}: not applicable where the API says null`);
  }
  for (const q of ['punctuality.onTimeShare', 'punctuality.due', 'timeliness.firstResults.meanLag', 'revisions.revised', 'revisions.compared', 'completeness.share', 'completeness.seriesFill', 'suppression.share', 'suppression.withheld']) {
    t.ok(document.querySelector(`[data-q="${q}"]`), `${what}: shows ${q}`);
  }
  t.equal(document.querySelectorAll('[data-q^="suppression.releases."][data-q$=".cells"]').length, indicators.suppression.releases.length, `${what}: a row per release`);
  t.equal(document.querySelectorAll('[data-q^="completeness.dimensions."][data-q$=".share"]').length, indicators.completeness.dimensions.length, `${what}: a row per dimension`);
  t.equal(document.querySelectorAll('[data-q^="revisions.byUnit."][data-q$=".compared"]').length, indicators.revisions.byUnit.length, `${what}: a row per unit of measure revised`);
}

/** One h1, headings never skip a level, every table captioned with th scope, nothing inline, the strict CSP. */
function accessible(t: Test, res: LightMyRequestResponse, document: Doc, what: string): void {
  t.equal(res.headers['content-security-policy'], PORTAL_CSP, `${what}: the strict CSP`);
  t.notMatch(res.body, /\sstyle=|<script/i, `${what}: no inline style, no script`);
  t.equal(document.querySelectorAll('h1').length, 1, `${what}: one h1`);
  const levels = [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')].map((h) => Number(h.tagName[1]));
  t.equal(levels[0], 1, `${what}: the h1 first`);
  t.ok(
    levels.every((l, i) => i === 0 || l <= levels[i - 1]! + 1),
    `${what}: headings in order (${levels.join('')})`,
  );
  for (const table of document.querySelectorAll('table')) {
    t.ok(table.querySelector('caption')?.textContent, `${what}: a table with a caption`);
    t.ok([...table.querySelectorAll('th')].every((th) => ['col', 'row'].includes(th.getAttribute('scope') ?? '')), `${what}: every th has a scope`);
  }
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.getAttribute('id'));
  t.equal(new Set(ids).size, ids.length, `${what}: ids are unique`);
}

const answered = new Map<string, number>();
/** Every link of the page answers 200 (same-site links followed with inject; fragments name an element here). */
async function linksAnswer(t: Test, document: Doc, what: string): Promise<void> {
  const hrefs = new Set([...document.querySelectorAll('a[href], link[href]')].map((a) => a.getAttribute('href')!).filter((h) => !h.startsWith('data:')));
  for (const href of hrefs) {
    if (href.startsWith('#')) {
      t.ok(document.getElementById(href.slice(1)), `${what}: ${href} names an element of the page`);
      continue;
    }
    // The sources' own addresses are other sites'.
    if (/^https?:\/\//.test(href)) continue;
    t.match(href, /^\//, `${what}: ${href} is on this site`);
    const url = href.split('#')[0]!;
    let status = answered.get(url);
    if (status === undefined) {
      let res = await app.inject({ url });
      // Swagger UI's /docs answers with a redirect to its page.
      if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) res = await app.inject({ url: new URL(String(res.headers.location), `http://localhost${url}`).pathname });
      status = res.statusCode;
      answered.set(url, status);
    }
    t.equal(status, 200, `${what}: ${href} answers 200`);
  }
}

t.test('the report: every concept section of the API, in its nesting, in English and Spanish, for two dataflows', async (t) => {
  for (const id of ['DF_CTS_HOMICIDE', 'DF_ESTAT_CRIM_OFF_CAT']) {
    for (const lang of ['en', 'es'] as const) {
      const what = `${lang} ${id}`;
      const body = await api(`/api/v1/dataflows/${id}/metadata?lang=${lang}`);
      const { res, document } = await page(`/${lang}/dataflows/${id}/metadata`);
      const report = body.report!;
      t.equal(document.documentElement.getAttribute('lang'), lang);
      t.equal(document.querySelector('h1')!.textContent, report.name, `${what}: titled with the report's name`);
      sameSections(t, document, report, what);
      sameIndicators(t, document, body.indicators, what);
      accessible(t, res, document, what);
      const facts = document.querySelector('.md-facts')!.textContent!;
      t.match(facts, report.version, `${what}: the version`);
      t.ok(document.querySelector(`.md-facts a[href="/${lang}/releases/${report.release}"]`), `${what}: the release that published it, linked`);
      t.ok(document.querySelector(`.md-facts time[datetime="${report.validFrom}"]`), `${what}: public since its release's instant`);
      // Versions: the API's, each with its release and instant.
      const rows = [...document.querySelectorAll('tr[data-version]')];
      t.same(
        rows.map((r) => r.getAttribute('data-version')),
        body.versions.report.map((v) => v.version),
        `${what}: the versions public so far`,
      );
      for (const [i, v] of body.versions.report.entries()) {
        t.ok(rows[i]!.querySelector(`time[datetime="${v.validFrom}"]`), `${what} ${v.version}: public since ${v.validFrom}`);
        t.ok(rows[i]!.querySelector(`a[href="/sdmx/3.0/metadata/metadataset/UNODC/${report.set}/${v.version}"]`), `${what} ${v.version}: its SDMX version`);
      }
      // The same report for programs: the JSON API's links.
      const formats = [...document.querySelectorAll('section[aria-labelledby="formats"] a')].map((a) => a.getAttribute('href'));
      t.ok(formats.includes(`${body.links.self}${lang === 'en' ? '' : `?lang=${lang}`}`), `${what}: the JSON answer (${formats.join(' ')})`);
      t.ok(formats.includes(body.links.sdmx30) && formats.includes(body.links.sdmx21), `${what}: the SDMX links the API gives`);
      t.equal(document.querySelector('link[rel="alternate"][type="application/json"]')?.getAttribute('href'), `${body.links.self}${lang === 'en' ? '' : `?lang=${lang}`}`, `${what}: announced in the head`);
      // Sources.
      t.equal(document.querySelectorAll('section[aria-labelledby="sources"] li').length, report.sources.length, `${what}: every source`);
    }
  }
  const { document } = await page('/es/dataflows/DF_CTS_HOMICIDE/metadata');
  t.equal(document.querySelector('[data-concept="COMPAR_TIME"] .md-name')!.textContent, 'Comparabilidad temporal', 'Spanish names from the structure');
  t.equal(document.querySelector('[data-concept="CNT_UNIT"] .md-value')!.textContent, 'Víctima (VICTIM)', 'Spanish code labels');
  const countryNotes = [...document.querySelectorAll('section[aria-labelledby="country-notes"] a')].map((a) => a.getAttribute('href'));
  t.ok(countryNotes.includes('/es/dataflows/DF_CTS_HOMICIDE/metadata?area=KAZ'), 'the report lists the country notes');
  t.equal(countryNotes.length, 12, 'all twelve of them');
});

t.test('area=KAZ: the country note and the area’s indicators equal the API’s; an area without a note says so', async (t) => {
  for (const lang of ['en', 'es'] as const) {
    const what = `${lang} KAZ`;
    const body = await api(`/api/v1/dataflows/DF_CTS_HOMICIDE/metadata?area=KAZ&lang=${lang}`);
    const { res, document } = await page(`/${lang}/dataflows/DF_CTS_HOMICIDE/metadata?area=KAZ`);
    const note = body.countryNote!;
    t.equal(document.querySelector('h1')!.textContent, note.name, `${what}: titled with the note's name`);
    sameSections(t, document, note, what);
    t.equal(body.indicators.area, 'KAZ');
    sameIndicators(t, document, body.indicators, what);
    accessible(t, res, document, what);
    t.match(document.querySelector('.md-facts')!.textContent!, `${body.area!.name} (KAZ)`, `${what}: the area named`);
    const formats = [...document.querySelectorAll('section[aria-labelledby="formats"] a')].map((a) => a.getAttribute('href'));
    t.same(formats, [`/api/v1/dataflows/DF_CTS_HOMICIDE/metadata?area=KAZ${lang === 'en' ? '' : `&lang=${lang}`}`, note.links.sdmx30, note.links.sdmx21], `${what}: the note in JSON and SDMX`);
    t.ok(document.querySelector(`a[href="/${lang}/dataflows/DF_CTS_HOMICIDE/metadata"]`), `${what}: the dataflow's report linked`);
    t.same(
      [...document.querySelectorAll('tr[data-version]')].map((r) => r.getAttribute('data-version')),
      body.versions.countryNote.map((v) => v.version),
      `${what}: the note's versions`,
    );
  }

  const body = await api('/api/v1/dataflows/DF_CTS_HOMICIDE/metadata?area=MEX');
  t.equal(body.countryNote, null);
  const { document } = await page('/en/dataflows/DF_CTS_HOMICIDE/metadata?area=MEX');
  t.match(document.querySelector('.md-empty')!.textContent!, /There is no country note on Mexico for Victims of intentional homicide/, 'no note: said so');
  t.equal(document.querySelectorAll('.md-report section').length, 0, 'no sections');
  sameIndicators(t, document, body.indicators, 'MEX');
  t.equal(document.querySelector('[data-q="completeness.cellsWithData"]')!.getAttribute('value'), String(body.indicators.completeness.cellsWithData), 'Mexico’s own figures');
});

t.test('every link on the pages answers', async (t) => {
  for (const url of ['/en/dataflows/DF_CTS_HOMICIDE/metadata', '/es/dataflows/DF_CTS_HOMICIDE/metadata?area=KAZ', '/en/dataflows/DF_ESTAT_CRIM_OFF_CAT/metadata']) {
    const { document } = await page(url);
    await linksAnswer(t, document, url);
  }
});

t.test('embargo: DF_CTS_OFFENCES 1.1.0 appears at its release’s instant, not a millisecond earlier; asOf reproduces both', async (t) => {
  t.teardown(() => clock.set(LOADED_AT));
  clock.set(shifted(HELD_BACK_AT, -1));
  const before = await page('/en/dataflows/DF_CTS_OFFENCES/metadata');
  const apiBefore = await api('/api/v1/dataflows/DF_CTS_OFFENCES/metadata');
  t.equal(apiBefore.report!.version, '1.0.0');
  t.match(before.document.querySelector('.md-facts')!.textContent!, /Version1\.0\.0/, 'at the instant − 1 ms: 1.0.0');
  t.same([...before.document.querySelectorAll('tr[data-version]')].map((r) => r.getAttribute('data-version')), ['1.0.0'], '1.1.0 not even listed');
  t.notMatch(before.res.body, /1\.1\.0/, 'nothing of 1.1.0');
  t.notMatch(before.res.body, new RegExp(HELD_BACK.code), 'nor of its release');
  sameSections(t, before.document, apiBefore.report!, 'before');
  const cacheControl = String(before.res.headers['cache-control']);
  const maxAge = /max-age=(\d+)/.exec(cacheControl)?.[1];
  t.ok(cacheControl === 'no-cache' || Number(maxAge) <= 1, `not cacheable past the instant (${cacheControl})`);

  clock.set(HELD_BACK_AT);
  const at = await page('/en/dataflows/DF_CTS_OFFENCES/metadata');
  const apiAt = await api('/api/v1/dataflows/DF_CTS_OFFENCES/metadata');
  t.equal(apiAt.report!.version, '1.1.0');
  t.match(at.document.querySelector('.md-facts')!.textContent!, /Version1\.1\.0/, 'at the instant: 1.1.0');
  t.ok(at.document.querySelector(`.md-facts a[href="/en/releases/${HELD_BACK.code}"]`), 'published by the held-back release');
  t.ok(at.document.querySelector(`.md-facts time[datetime="${HELD_BACK_AT}"]`), 'public since its instant');
  sameSections(t, at.document, apiAt.report!, 'at');
  sameIndicators(t, at.document, apiAt.indicators, 'at');
  t.not(at.res.headers.etag, before.res.headers.etag, 'a new ETag');
  const rows = [...at.document.querySelectorAll('tr[data-version]')];
  t.same(rows.map((r) => r.getAttribute('data-version')), ['1.0.0', '1.1.0'], 'both versions listed');
  const earlier = rows[0]!.querySelector('a[href*="asOf="]')?.getAttribute('href');
  t.equal(earlier, `/en/dataflows/DF_CTS_OFFENCES/metadata?asOf=${encodeURIComponent(apiAt.versions.report[0]!.validFrom)}`, 'the earlier version linked at its instant');
  const old = await page(earlier!);
  t.match(old.document.querySelector('.md-facts')!.textContent!, /Version1\.0\.0/, 'which shows 1.0.0');
  t.ok(old.document.querySelector('.md-pinned a[href="/en/dataflows/DF_CTS_OFFENCES/metadata"]'), 'saying it is an earlier state, with the way to the current one');

  // asOf as on the API, 1 ms either side of the instant.
  for (const [instant, version] of [
    [shifted(HELD_BACK_AT, -1), '1.0.0'],
    [HELD_BACK_AT, '1.1.0'],
  ] as const) {
    const pinned = await page(`/es/dataflows/DF_CTS_OFFENCES/metadata?asOf=${encodeURIComponent(instant)}`);
    const apiPinned = await api(`/api/v1/dataflows/DF_CTS_OFFENCES/metadata?lang=es&asOf=${encodeURIComponent(instant)}`);
    t.equal(apiPinned.report!.version, version);
    t.match(pinned.document.querySelector('.md-facts')!.textContent!, `Versión${version}`, `asOf=${instant}: ${version}`);
    t.ok(pinned.document.querySelector(`.md-facts time[datetime="${instant}"]`), `asOf=${instant}: as public then`);
    sameSections(t, pinned.document, apiPinned.report!, `asOf ${instant}`);
    sameIndicators(t, pinned.document, apiPinned.indicators, `asOf ${instant}`);
    t.ok(pinned.document.querySelector(`section[aria-labelledby="formats"] a[href="/api/v1/dataflows/DF_CTS_OFFENCES/metadata?lang=es&asOf=${encodeURIComponent(instant)}"]`), 'the JSON link keeps the instant');
  }
  const none = await page('/en/dataflows/DF_CTS_OFFENCES/metadata?asOf=2024-07-01');
  t.match(none.document.querySelector('.md-empty')!.textContent!, /No methodology and quality report/, 'before its first release: no report, said so');
});

t.test('validators: the page names the day it is public on, so its ETag holds until something is published', async (t) => {
  t.teardown(() => clock.set(LOADED_AT));
  const url = '/en/dataflows/DF_CTS_HOMICIDE/metadata?area=KAZ';
  const first = await page(url);
  t.ok(first.document.querySelector(`.md-facts time[datetime="${LOADED_AT.slice(0, 10)}"]`), 'as public on the day');
  t.match(first.res.headers.etag, /^W\/"/);
  clock.set(shifted(LOADED_AT, 60_000));
  const later = await app.inject({ url, headers: { 'if-none-match': String(first.res.headers.etag) } });
  t.equal(later.statusCode, 304, 'a minute later, nothing published: 304');
  const pinned = await page(`${url}&asOf=${encodeURIComponent(LOADED_AT)}`);
  t.ok(pinned.document.querySelector(`.md-facts time[datetime="${LOADED_AT}"]`), 'a pinned page names its instant');
});

t.test('refusals: 404 for an unknown dataflow, 400 pages naming an unknown area or a bad asOf', async (t) => {
  const nope = await page('/es/dataflows/DF_NOPE/metadata', 404);
  t.equal(nope.document.querySelector('h1')!.textContent, 'Página no encontrada');
  const hostile = await page(`/en/dataflows/${encodeURIComponent('<script>alert(1)</script>')}/metadata`, 404);
  t.notMatch(hostile.res.body, /<script>alert/);

  const unknown = await page('/en/dataflows/DF_CTS_HOMICIDE/metadata?area=ATLANTIS', 400);
  t.equal(unknown.document.querySelector('h1')!.textContent, 'Unknown area');
  t.equal(unknown.document.querySelector('[role="alert"]')!.textContent, 'No area has the code ATLANTIS in the list of areas of this dataflow (CL_AREA).', 'which code, which list');
  t.ok(unknown.document.querySelector('a[href="/en/dataflows/DF_CTS_HOMICIDE/metadata?area=KAZ"]'), 'and the areas that have a note');
  accessible(t, unknown.res, unknown.document, 'unknown area');
  const es = await page('/es/dataflows/DF_CTS_HOMICIDE/metadata?area=ATLANTIS', 400);
  t.match(es.document.querySelector('[role="alert"]')!.textContent!, /^Ninguna zona tiene el código ATLANTIS/);
  const script = await page(`/en/dataflows/DF_CTS_HOMICIDE/metadata?area=${encodeURIComponent('<script>x</script>')}`, 400);
  t.notMatch(script.res.body, /<script>x/, 'the code is escaped');
  t.match(script.document.querySelector('[role="alert"] code')!.textContent!, '<script>x</script>');

  for (const [query, said] of [
    ['area=', /area parameter is empty/],
    ['asOf=yesterday', /“yesterday” is not an instant/],
    [`asOf=${encodeURIComponent(shifted(LOADED_AT, 1000))}`, /is in the future/],
    ['area=KAZ&area=MEX', /area is given twice/],
  ] as const) {
    const refused = await page(`/en/dataflows/DF_CTS_HOMICIDE/metadata?${query}`, 400);
    t.match(refused.document.querySelector('[role="alert"]')!.textContent!, said, `${query}: says what is wrong`);
    t.ok(refused.document.querySelector('a[href="/en/dataflows/DF_CTS_HOMICIDE/metadata"]'), `${query}: the way back`);
  }
  const ignored = await page('/en/dataflows/DF_CTS_HOMICIDE/metadata?utm_source=newsletter');
  t.equal(ignored.document.querySelectorAll('.md-report section').length > 0, true, 'another parameter is ignored');
});

t.test('stored texts: escaped, only the allow-listed XHTML elements kept; an uploaded version at its instant ± 1 ms', async (t) => {
  const T0 = '2026-11-21T12:00:00.000Z';
  const NEXT_AT = '2026-12-01T08:00:00.000Z';
  const fixtureClock = fixedClock(T0);
  const AUT = 'A.AUT.VIC_HOM.0101._T._T._T.NR';
  const fixture = await dataApp(
    [
      { code: 'PUB-2020', dataflow: 'DF_CTS_HOMICIDE', announcedAt: '2020-06-01T08:00:00.000Z', series: [{ key: AUT, observations: [{ period: '2019', value: 65 }] }] },
      { code: 'NEXT', dataflow: 'DF_CTS_HOMICIDE', announcedAt: NEXT_AT, state: 'scheduled', series: [{ key: AUT, observations: [{ period: '2020', value: 70 }] }] },
    ],
    { clock: fixtureClock },
  );
  t.teardown(() => fixture.app.close());
  const { token } = fixture.app.tokens.create({ name: 'publisher of the metadata page tests', role: 'publisher', dataflows: [], createdBy: 'cli' });
  const authored = parse(readFileSync(path.join(PROJECT_ROOT, 'metadata', 'DF_CTS_HOMICIDE', 'report-1.0.0.yaml'), 'utf8')) as Record<string, unknown> & { attributes: Record<string, unknown> };
  const body = {
    dataflow: 'DF_CTS_HOMICIDE',
    ...authored,
    version: '2.0.0',
    release: 'NEXT',
    name: { en: 'Report <script>alert("name")</script>', es: 'Informe <script>alert("nombre")</script>' },
    attributes: {
      ...authored.attributes,
      DATA_DESCR: {
        en: 'First <script>alert(1)</script> & more.\nSecond <em>paragraph</em> with <img src=x onerror=alert(2)> and <b onclick="steal()">bold</b> and &lt;i&gt;.',
        es: 'Primero <script>alert(1)</script>.\nSegundo <em>párrafo</em>.',
      },
      CONF_POLICY: { en: '<p>Rules:</p><ul><li>one</li><li>two <strong>strong</strong></li></ul><p>Closed</p></p>', es: '<p>Reglas:</p><ul><li>una</li></ul>' },
    },
  };
  const created = await fixture.app.inject({ method: 'POST', url: '/api/v1/metadata-sets', headers: { authorization: `Bearer ${token}` }, payload: body });
  t.equal(created.statusCode, 201, `uploaded (${created.body.slice(0, 300)})`);

  const at = async (instant: string) => {
    fixtureClock.set(instant);
    const res = await fixture.app.inject({ url: '/en/dataflows/DF_CTS_HOMICIDE/metadata' });
    t.equal(res.statusCode, 200);
    return { res, document: parseHTML(res.body).document };
  };
  const before = await at(shifted(NEXT_AT, -1));
  t.match(before.document.querySelector('.md-empty')!.textContent!, /No methodology and quality report/, 'at the instant − 1 ms: not public');
  t.notMatch(before.res.body, /2\.0\.0|steal|alert/, 'nothing of it in the page');

  const { res, document } = await at(NEXT_AT);
  t.match(document.querySelector('.md-facts')!.textContent!, /Version2\.0\.0/, 'at the instant: public');
  t.notMatch(res.body, /<script|<img|<b onclick/i, 'no stored tag outside the allow-list reaches the page as a tag');
  t.equal(document.querySelector('h1')!.textContent, 'Report <script>alert("name")</script>', 'the name shown as written');
  const descr = document.querySelector('[data-concept="DATA_DESCR"] .md-text')!;
  const paras = [...descr.querySelectorAll('p')].map((p) => p.textContent);
  t.same(paras, ['First <script>alert(1)</script> & more.', 'Second paragraph with <img src=x onerror=alert(2)> and <b onclick="steal()">bold</b> and <i>.'], 'the text as its characters, in two paragraphs');
  t.equal(descr.querySelector('em')?.textContent, 'paragraph', 'an allowed element kept');
  t.equal(descr.querySelectorAll('*').length, 3, 'and nothing else made an element (two p, one em)');
  const policy = document.querySelector('[data-concept="CONF_POLICY"] .md-text')!;
  t.same(
    [...policy.children].map((c) => c.tagName),
    ['P', 'UL', 'P', 'P'],
    'paragraphs and a list (the stray closing tag a paragraph of its own)',
  );
  t.same([...policy.querySelectorAll('li')].map((li) => li.textContent), ['one', 'two strong']);
  t.equal(policy.querySelector('li strong')?.textContent, 'strong');
  t.match(policy.textContent!, /<\/p>$/, 'a closing tag without its opening one stays text');
  accessible(t, res, document, 'uploaded');
});

t.test('components: the allow-list, and a text in another language than the page', async (t) => {
  const html = (nodes: ReturnType<typeof richText>) => nodes.map((n) => renderToString(n)).join('');
  t.equal(html(richText('a < b & c')), '<p>a &lt; b &amp; c</p>', 'plain text escaped');
  t.equal(html(richText('one\n\ntwo')), '<p>one</p><p>two</p>', 'line breaks separate paragraphs');
  t.equal(html(richText('<p>x<br/>y</p>')), '<p>x<br/>y</p>', 'p and br');
  t.equal(html(richText('<em onmouseover="x">a</em>')), '<p>&lt;em onmouseover=&quot;x&quot;>a&lt;/em></p>', 'a tag with attributes is text');
  t.equal(html(richText('<i>a &amp; &lt;b&gt;</i>')), '<p><em>a &amp; &lt;b></em></p>', 'entities of an XHTML text decoded, then escaped again');
  t.equal(html(richText('See /api/v1/calendar.ics.')), '<p>See <a href="/api/v1/calendar.ics">/api/v1/calendar.ics</a>.</p>', 'the server’s own paths linked, without the final stop');
  t.equal(html(richText('javascript:alert(1) //evil.example/api/v1/x')), '<p>javascript:alert(1) //evil.example/api/v1/x</p>', 'nothing else becomes a link');

  const indicators = (await api('/api/v1/dataflows/DF_CTS_HOMICIDE/metadata')).indicators;
  const data: MetadataPageData = {
    lang: 'es',
    at: LOADED_AT,
    pinned: false,
    flow: { id: 'DF_X', path: 'DF_X', name: { text: 'X' } },
    area: null,
    set: {
      set: 'MS_DF_X',
      agency: 'UNODC',
      version: '1.0.0',
      name: { text: 'Report', lang: 'en' },
      release: null,
      validFrom: null,
      sources: [{ title: 'A source' }],
      sections: [{ id: 'DATA_DESCR', sims: 'S.3.1', name: { text: 'Descripción de los datos' }, text: { text: 'Only in English', lang: 'en' }, computed: false, headline: false, sections: [] }],
    },
    reportName: null,
    indicators,
    versions: [],
    releaseTitles: new Map(),
    notes: [],
    links: { json: '/api/v1/dataflows/DF_X/metadata?lang=es', sdmx30: null, sdmx21: '/sdmx/2.1/metadata/UNODC,MDF_CRIME_REPORT,1.0/DF_X' },
    dimensionNames: new Map(),
    unitNames: new Map(),
  };
  const { document } = parseHTML(`<!doctype html>${renderToString(MetadataPage(data))}`);
  t.equal(document.querySelector('[data-concept="DATA_DESCR"] .md-text')!.getAttribute('lang'), 'en', 'an English text on a Spanish page says so');
  t.equal(document.querySelector('h1')!.getAttribute('lang'), 'en', 'so does an English name');
  t.equal(document.querySelector('[data-concept="DATA_DESCR"] .md-name')!.getAttribute('lang'), null, 'a Spanish name needs no lang');
});
