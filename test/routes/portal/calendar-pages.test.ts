/**
 * The release calendar page and the release pages as HTML: the calendar lists what
 * `/api/v1/calendar` lists (codes, states, instants, dataflows), upcoming soonest first with a
 * countdown in words, published newest first with their punctuality, cancelled ones with their
 * reason, postponements from → to with the reason; a release's page shows the values it revised
 * exactly as the data API has them before and after it, its disclosure control in words, and
 * nothing of a release before its instant (embargo, to the millisecond). Unknown and draft codes
 * are the portal's 404 page; every page carries the strict CSP, no inline style, and escapes what
 * it shows. Both languages.
 */
import t, { type Test } from 'tap';
import { parseHTML } from 'linkedom';
import type { FastifyInstance } from 'fastify';
import { demoApp, HELD_BACK, HELD_BACK_AT, LOADED_AT, shifted } from '../../helpers/json-api-demo.js';
import { writeFixtureReleases, CTS_DIMENSIONS } from '../../helpers/data-app.js';
import { buildApp } from '../../../src/app.js';
import { fixedClock } from '../../../src/clock.js';
import { loadConfig } from '../../../src/config.js';
import { periodRange } from '../../../src/sdmx/time-period.js';
import { sqliteRepositories } from '../../../src/storage/sqlite/index.js';
import type { Repositories } from '../../../src/storage/repositories.js';
import { PORTAL_CSP } from '../../../src/routes/portal/index.js';
import { countdownWords, durationWords } from '../../../src/routes/portal/calendar.js';
import { MAX_REVISED_ROWS } from '../../../src/routes/portal/calendar-routes.js';

type Entry = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Doc = ReturnType<typeof parseHTML>['document'];
const LANGS = ['en', 'es'] as const;

async function page(app: FastifyInstance, url: string, status = 200) {
  const res = await app.inject({ url });
  if (res.statusCode !== status) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return { res, document: parseHTML(res.body).document };
}

async function apiCalendar(app: FastifyInstance): Promise<Entry[]> {
  return ((await app.inject({ url: '/api/v1/calendar' })).json() as { releases: Entry[] }).releases;
}

/** The entries of one section of the calendar page, in page order. */
function sectionEntries(document: Doc, id: string) {
  return [...document.querySelectorAll(`#${id} li.cal-entry`)].map((li) => ({
    code: li.getAttribute('data-code'),
    state: li.getAttribute('data-state'),
    when: li.querySelector('.cal-when time')?.getAttribute('datetime') ?? null,
    href: li.querySelector('h3 a')?.getAttribute('href') ?? null,
    title: li.querySelector('h3 a')?.textContent ?? null,
    flows: [...li.querySelectorAll('.cal-flows a')].map((a) => a.getAttribute('href')),
    punctuality: li.querySelector('.cal-punctuality')?.textContent ?? null,
  }));
}

/** What every portal page must be: the strict CSP, HTML, no script, no inline style. */
function checkPage(t: Test, res: { headers: Record<string, unknown>; body: string }, what: string) {
  t.equal(res.headers['content-security-policy'], PORTAL_CSP, `${what}: the strict CSP`);
  t.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/, `${what}: HTML`);
  t.notMatch(res.body, /style=/, `${what}: no style attribute`);
  t.notMatch(res.body, /<script/i, `${what}: no script`);
}

const bareId = (ref: string) => /:([^(]+)\(/.exec(ref)![1];

t.test('durations and countdowns in words, rounded down, in both languages', async (t) => {
  t.equal(durationWords(3 * 86_400 + 4 * 3_600 + 59, 'en'), '3 days, 4 hours');
  t.equal(durationWords(3 * 86_400 + 4 * 3_600 + 59, 'es'), '3 días y 4 horas');
  t.equal(durationWords(86_400 + 3_600, 'en'), '1 day, 1 hour');
  t.equal(durationWords(86_400 + 3_600, 'es'), '1 día y 1 hora');
  t.equal(durationWords(2 * 86_400 + 59 * 60, 'en'), '2 days', 'the next unit only when there is a whole one');
  t.equal(durationWords(2 * 3_600 + 5 * 60 + 30, 'es'), '2 horas y 5 minutos', 'no seconds after minutes');
  t.equal(durationWords(61, 'en'), '1 minute');
  t.equal(durationWords(45, 'es'), '45 segundos');
  t.equal(durationWords(0.001, 'en'), 'less than a second');
  t.equal(countdownWords('2026-12-13T10:00:00.000Z', '2026-12-10T06:00:00.000Z', 'en'), 'in 3 days, 4 hours');
  t.equal(countdownWords('2026-12-13T10:00:00.000Z', '2026-12-10T06:00:00.000Z', 'es'), 'dentro de 3 días y 4 horas');
});

// ---- the real demo data ----

const demo = await demoApp();
t.teardown(() => demo.app.close());

t.test('the calendar page lists exactly the JSON calendar: upcoming soonest first, published newest first', async (t) => {
  const { app, clock } = demo;
  clock.set(LOADED_AT);
  const api = await apiCalendar(app);
  const upcoming = api.filter((e) => e.state === 'scheduled').sort((a, b) => Date.parse(a.announcedAt) - Date.parse(b.announcedAt));
  const published = api.filter((e) => e.state === 'published').sort((a, b) => Date.parse(b.announcedAt) - Date.parse(a.announcedAt));
  t.ok(upcoming.length >= 1 && published.length >= 5, 'the demo has upcoming and published releases');
  for (const lang of LANGS) {
    const { res, document } = await page(app, `/${lang}/calendar`);
    checkPage(t, res, `/${lang}/calendar`);
    t.equal(document.documentElement.getAttribute('lang'), lang);
    t.equal(document.querySelectorAll('h1').length, 1, 'one h1');
    const up = sectionEntries(document, 'upcoming-releases');
    const past = sectionEntries(document, 'past-releases');
    t.same(up.map((e) => [e.code, e.state, e.when]), upcoming.map((e) => [e.code, 'scheduled', e.announcedAt]), `${lang}: upcoming, soonest first, at the API's instants`);
    t.same(past.map((e) => [e.code, e.state, e.when]), published.map((e) => [e.code, 'published', e.publishedAt]), `${lang}: published, newest first, at the API's instants`);
    t.equal(document.querySelectorAll('#cancelled-releases').length, 0, 'no cancelled section when nothing was cancelled');
    for (const [shown, entry] of [...up.map((e, i) => [e, upcoming[i]!] as const), ...past.map((e, i) => [e, published[i]!] as const)]) {
      t.equal(shown.title, entry.title, `${entry.code}: its title`);
      t.equal(shown.href, `/${lang}/releases/${entry.code}`, `${entry.code}: links its page`);
      t.same(shown.flows, entry.dataflows.map((ref: string) => `/${lang}/dataflows/${bareId(ref)}`), `${entry.code}: its dataflows, linked`);
    }
    for (const e of past) t.equal(e.punctuality, lang === 'en' ? 'On time' : 'Puntual', `${lang}: ${e.code} on time, from its punctuality`);
    // Loaded at 12:00; the held-back release is 6 days and 22 hours later.
    const countdown = document.querySelector(`#release-${HELD_BACK.code} .cal-countdown`)!.textContent;
    t.equal(countdown, lang === 'en' ? '(in 6 days, 22 hours)' : '(dentro de 6 días y 22 horas)', `${lang}: the countdown in words`);
    t.equal(document.querySelector('.as-of time')!.getAttribute('datetime'), LOADED_AT, 'countdowns say their instant');
  }
});

t.test('the calendar page subscribes to the API’s feeds, and the head announces the Atom feed', async (t) => {
  const { app, clock } = demo;
  clock.set(LOADED_AT);
  const { document } = await page(app, '/en/calendar');
  const alternate = document.querySelector('head link[rel="alternate"][type="application/atom+xml"]');
  t.ok(alternate, 'a link rel=alternate of the Atom type');
  const feeds = [...document.querySelectorAll('.cal-subscribe a')].map((a) => a.getAttribute('href')!);
  t.same(feeds, ['/api/v1/calendar.ics', '/api/v1/calendar.atom', '/api/v1/calendar']);
  t.equal(alternate!.getAttribute('href'), '/api/v1/calendar.atom');
  const types = ['text/calendar', 'application/atom+xml', 'application/json'];
  for (const [i, href] of feeds.entries()) {
    const res = await app.inject({ url: href });
    t.equal(res.statusCode, 200, `${href} answers`);
    t.match(String(res.headers['content-type']), new RegExp(`^${types[i]!.replace('+', '\\+')}`), `${href} is ${types[i]}`);
  }
  const home = await page(app, '/es/');
  t.ok(home.document.querySelector('nav a[href="/es/calendar"]'), 'the navigation leads to the calendar');
  t.equal(home.document.querySelector('nav a[href="/es/calendar"]')!.textContent, 'Calendario de publicaciones');
});

t.test('countdowns follow the request instant', async (t) => {
  const { app, clock } = demo;
  t.teardown(() => clock.set(LOADED_AT));
  const cases: [number, string, string][] = [
    [-(86_400_000 + 3_600_000 + 30_000), '(in 1 day, 1 hour)', '(dentro de 1 día y 1 hora)'],
    [-90_000, '(in 1 minute)', '(dentro de 1 minuto)'],
    [-1, '(in less than a second)', '(dentro de menos de un segundo)'],
  ];
  for (const [offset, en, es] of cases) {
    clock.set(shifted(HELD_BACK_AT, offset));
    for (const [lang, words] of [['en', en], ['es', es]] as const) {
      const { document } = await page(app, `/${lang}/calendar`);
      t.equal(document.querySelector(`#release-${HELD_BACK.code} .cal-countdown`)!.textContent, words, `${offset} ms: ${words}`);
    }
  }
});

interface JsonSeries {
  key: string;
  dimensions: Record<string, { id: string; name: string | null }>;
  observations: { period: string; value: number | null; release: string; deleted?: boolean }[];
}

async function jsonData(app: FastifyInstance, url: string): Promise<JsonSeries[]> {
  const res = await app.inject({ url });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return (res.json() as { series: JsonSeries[] }).series;
}

/** The values a release wrote compared with the data API's state before it, in the API's order. */
async function expectedChanges(app: FastifyInstance, code: string, flow: string, before: string | null, lang = 'en') {
  const written = await jsonData(app, `/api/v1/releases/${code}/data/UNODC/${flow}/1.0?lang=${lang}`);
  const earlier = new Map<string, number | null>();
  if (before) for (const s of await jsonData(app, `/api/v1/data/UNODC/${flow}/1.0?release=${before}`)) for (const o of s.observations) earlier.set(`${s.key}|${o.period}`, o.value);
  let values = 0;
  let added = 0;
  let unchanged = 0;
  const revised: { key: string; period: string; before: number | null; after: number | null; series: JsonSeries }[] = [];
  for (const s of written) {
    for (const o of s.observations) {
      if (o.deleted) continue;
      values += 1;
      const k = `${s.key}|${o.period}`;
      if (!earlier.has(k)) added += 1;
      else if (earlier.get(k) === o.value) unchanged += 1;
      else revised.push({ key: s.key, period: o.period, before: earlier.get(k)!, after: o.value, series: s });
    }
  }
  return { values, added, unchanged, revised };
}

function revisionRows(document: Doc) {
  return [...document.querySelectorAll('table.revisions tbody tr')].map((tr) => {
    const figure = (cls: string) => {
      const data = tr.querySelector(`td.${cls} data`);
      return data ? Number(data.getAttribute('value')) : null;
    };
    return {
      key: tr.querySelector('.series-key')!.textContent,
      period: tr.querySelector('td')!.textContent,
      before: figure('before'),
      after: figure('after'),
      labels: tr.querySelector('.series-labels')?.textContent ?? '',
      change: tr.querySelector('td.change')!.textContent,
    };
  });
}

t.test('a revising release’s page: the values it changed, old → new, as the data API has them', async (t) => {
  const { app, clock } = demo;
  clock.set(LOADED_AT);
  const expected = await expectedChanges(app, 'ESTAT-CRIM-2024', 'DF_ESTAT_CRIM_OFF_CAT', 'ESTAT-CRIM-2022', 'es');
  t.ok(expected.revised.length > MAX_REVISED_ROWS, `the demo revision changes ${expected.revised.length} values`);
  for (const lang of LANGS) {
    const { res, document } = await page(app, `/${lang}/releases/ESTAT-CRIM-2024`);
    checkPage(t, res, `${lang} release page`);
    const section = document.querySelector('.release-flow[data-dataflow="UNODC:DF_ESTAT_CRIM_OFF_CAT(1.0)"]')!;
    t.ok(section, 'a section for the dataflow it published');
    t.same(
      ['values', 'added', 'revised', 'unchanged'].map((k) => Number(section.getAttribute(`data-${k}`))),
      [expected.values, expected.added, expected.revised.length, expected.unchanged],
      `${lang}: values written, new, revised and unchanged, as the permalink against the state before`,
    );
    const rows = revisionRows(document);
    t.equal(rows.length, MAX_REVISED_ROWS, 'a bounded number of rows');
    t.same(
      rows.map((r) => [r.key, r.period, r.before, r.after]),
      expected.revised.slice(0, MAX_REVISED_ROWS).map((r) => [r.key, r.period, r.before, r.after]),
      `${lang}: the first revised values in key and period order, old and new as the API has them`,
    );
    const more = document.querySelector('.release-more')!.textContent!.replace(/\D/g, '');
    t.equal(Number(more), expected.revised.length - MAX_REVISED_ROWS, 'the count of the rest');
    const belgium = rows.find((r) => r.key === 'A.BEL.OFF.0101._T._T._T.NR' && r.period === '2018');
    t.match(belgium, { before: 190, after: 192, change: '+2' }, 'Belgium, intentional homicide 2018: 190 → 192');
    t.equal(document.querySelector('.release-facts a[href^="/' + lang + '/releases/"]')!.getAttribute('href'), `/${lang}/releases/ESTAT-CRIM-2022`, 'what it revises, linked');
    t.equal(section.querySelector('a[type="application/json"]')!.getAttribute('href'), `/api/v1/releases/ESTAT-CRIM-2024/data/UNODC/DF_ESTAT_CRIM_OFF_CAT/1.0?lang=${lang}`, 'the permalink');
  }
  // Spanish labels: each row names the codes that differ between rows, as the API names them.
  const { document } = await page(app, '/es/releases/ESTAT-CRIM-2024');
  for (const row of revisionRows(document).slice(0, 10)) {
    const series = expected.revised.find((r) => r.key === row.key)!.series;
    const names = Object.values(series.dimensions).map((d) => d.name);
    for (const label of row.labels.split(' · ')) t.ok(names.includes(label), `${row.key}: "${label}" is one of its codes' names in Spanish`);
    t.ok(row.labels.includes(series.dimensions.REF_AREA!.name!), `${row.key}: its area named`);
  }
  const shared = document.querySelector('.release-shared')!.textContent!;
  t.match(shared, /Anual/, 'what every row shares is said once');
  const earlier = await page(app, '/en/releases/ESTAT-CRIM-2022');
  t.ok(earlier.document.querySelector('a[href="/en/releases/ESTAT-CRIM-2024"]'), 'the revised release links what corrected it');
});

t.test('a release’s page: facts, punctuality and disclosure control in words as the calendar has them', async (t) => {
  const { app, clock } = demo;
  clock.set(LOADED_AT);
  const entry = (await apiCalendar(app)).find((e) => e.code === 'GSH-2019')!;
  const dc = entry.disclosureControl[0];
  const en = await page(app, '/en/releases/GSH-2019');
  const es = await page(app, '/es/releases/GSH-2019');
  for (const [lang, { document }] of [['en', en], ['es', es]] as const) {
    t.equal(document.querySelector('h1')!.textContent, entry.title, `${lang}: the title`);
    t.equal(document.querySelector('.lead')!.textContent, entry.note, `${lang}: the note`);
    const times = [...document.querySelectorAll('.release-facts time')].map((x) => x.getAttribute('datetime'));
    t.ok(times.includes(entry.announcedAt) && times.includes(entry.publishedAt), `${lang}: announced and published instants`);
    t.equal(document.querySelector('.cal-punctuality')!.textContent, lang === 'en' ? 'On time' : 'Puntual');
    const words = document.querySelector('.release-disclosure')!.textContent!.replace(/\s+/g, ' ');
    const n = (x: number) => new Intl.NumberFormat(lang).format(x);
    t.ok(words.includes(n(dc.summary.primary)) && words.includes(n(dc.summary.cells)), `${lang}: the summary's counts (${dc.summary.primary} primary of ${dc.summary.cells})`);
    t.match(words, lang === 'en' ? `Counts below ${dc.rules.threshold} are withheld` : `Los recuentos inferiores a ${dc.rules.threshold} se reservan`);
    const flow = document.querySelector('.release-flow')!;
    const expected = await expectedChanges(app, 'GSH-2019', 'DF_CTS_HOMICIDE', null);
    t.equal(Number(flow.getAttribute('data-values')), expected.values, `${lang}: the values it wrote, as its permalink`);
    t.equal(Number(flow.getAttribute('data-added')), expected.values, 'all new');
    t.equal(document.querySelectorAll('table.revisions').length, 0, 'no revision table when it revised nothing');
  }
});

t.test('embargo: the held-back release’s page and calendar entry show no data before its instant', async (t) => {
  const { app, clock } = demo;
  t.teardown(() => clock.set(LOADED_AT));
  const url = `/en/releases/${HELD_BACK.code}`;

  clock.set(shifted(HELD_BACK_AT, -1));
  const before = await page(app, url);
  checkPage(t, before.res, 'the release page under embargo');
  t.match(before.document.querySelector('.cal-state')!.textContent, 'Upcoming');
  t.equal(before.document.querySelectorAll('.release-flow').length, 0, 'no data section');
  t.equal(before.document.querySelectorAll('#disclosure, .release-disclosure').length, 0, 'no disclosure control');
  t.equal(before.document.querySelectorAll('.cal-punctuality').length, 0, 'no punctuality');
  t.notMatch(before.res.body, /\/api\/v1\/releases\//, 'no link to its data');
  t.match(before.document.querySelector('.cal-countdown')!.textContent, 'in less than a second');
  const cacheControl = String(before.res.headers['cache-control']);
  t.ok(cacheControl === 'no-cache' || Number(/max-age=(\d+)/.exec(cacheControl)?.[1]) <= 1, `not cacheable past the instant (${cacheControl})`);
  t.equal((await app.inject({ url: `/api/v1/releases/${HELD_BACK.code}/data/UNODC/DF_CTS_OFFENCES/1.0` })).statusCode, 404, 'the API agrees: not public');
  const calendarBefore = await page(app, '/es/calendar');
  t.same(sectionEntries(calendarBefore.document, 'upcoming-releases').map((e) => e.code), [HELD_BACK.code], 'upcoming on the calendar');

  clock.set(HELD_BACK_AT);
  const at = await page(app, url);
  t.match(at.document.querySelector('.cal-state')!.textContent, 'Published');
  const expected = await expectedChanges(app, HELD_BACK.code, 'DF_CTS_OFFENCES', null);
  const flow = at.document.querySelector('.release-flow')!;
  t.ok(expected.values > 0);
  t.equal(Number(flow.getAttribute('data-values')), expected.values, 'its values, as the API has them at the same instant');
  const api = (await apiCalendar(app)).find((e) => e.code === HELD_BACK.code)!;
  t.equal(api.state, 'published');
  t.equal(at.document.querySelectorAll('.release-disclosure').length, api.disclosureControl.length, 'its disclosure control appears with it');
  t.equal(at.document.querySelector('.cal-punctuality')!.textContent, 'On time');
  t.not(at.res.headers.etag, before.res.headers.etag);
  const calendarAt = await page(app, '/es/calendar');
  t.same(sectionEntries(calendarAt.document, 'upcoming-releases'), [], 'nothing upcoming any more');
  t.equal(sectionEntries(calendarAt.document, 'past-releases')[0]!.code, HELD_BACK.code, 'the newest published release');
  t.match(calendarAt.document.querySelector('#upcoming-releases')!.textContent, 'No hay ninguna publicación anunciada');
});

t.test('unknown release codes: a 404 page in the page’s language, nothing written unescaped', async (t) => {
  const { app } = demo;
  const en = await page(app, '/en/releases/NO-SUCH-RELEASE', 404);
  t.equal(en.document.querySelector('h1')!.textContent, 'Page not found');
  t.match(en.document.querySelector('main')!.textContent, 'No release on the public calendar has this code.');
  checkPage(t, en.res, '404');
  const es = await page(app, '/es/releases/NO-SUCH-RELEASE', 404);
  t.equal(es.document.documentElement.getAttribute('lang'), 'es');
  t.match(es.document.querySelector('main')!.textContent, 'Ninguna publicación del calendario público tiene este código.');
  const hostile = await page(app, `/en/releases/${encodeURIComponent('<script>alert(1)</script>')}`, 404);
  t.notMatch(hostile.res.body, /<script>alert/);
});

t.test('validators: a weak ETag and 304 on the release page', async (t) => {
  const { app, clock } = demo;
  clock.set(LOADED_AT);
  const first = await app.inject({ url: '/en/releases/ESTAT-CRIM-2024' });
  t.match(first.headers.etag, /^W\/"/);
  const again = await app.inject({ url: '/en/releases/ESTAT-CRIM-2024', headers: { 'if-none-match': first.headers.etag as string } });
  t.equal(again.statusCode, 304);
});

// ---- a small calendar with postponements, a cancellation, a late release and hostile text ----

const T0 = '2026-11-21T12:00:00.000Z';
const FIRST = '2026-11-25T08:00:00.000Z';
const MOVED = '2026-11-28T08:00:00.000Z';
const AUT = 'A.AUT.VIC_HOM.0101._T._T._T.NR';
const HOMICIDE = 'UNODC:DF_CTS_HOMICIDE(1.0)';
const OFFENCES = 'UNODC:DF_CTS_OFFENCES(1.0)';
const HOSTILE_TITLE = '<script>alert("title")</script> Homicide & "friends" <b>2026</b>';
const HOSTILE_NOTE = 'Note <img src=x onerror=alert(1)> & more';

/** A release written through the real path, with a title, a note and what it revises. */
function writeRelease(
  repositories: Repositories,
  r: { code: string; title: string; note?: string; revises?: string; dataflow: string; announcedAt: string | null; values: [string, number | null, boolean?][] },
) {
  const revisesPk = r.revises ? repositories.releases.byCode(r.revises)!.pk : undefined;
  const release = repositories.releases.createDraft({ code: r.code, title: r.title, note: r.note, dataflows: [r.dataflow], revisesPk }, '2026-01-01T00:00:00.000Z');
  const codes = AUT.split('.');
  if (r.values.length) repositories.releases.addData(release.pk, [
    {
      dataflow: r.dataflow,
      provider: 'UNODC:UNODC',
      dimensions: Object.fromEntries(CTS_DIMENSIONS.map((d, i) => [d, codes[i]!])),
      observations: r.values.map(([period, value, deleted]) => {
        const range = periodRange(period)!;
        return { timePeriod: period, periodStart: range.start, periodEnd: range.end, value, attributes: { OBS_STATUS: 'A' }, deleted };
      }),
    },
  ]);
  if (r.announcedAt) repositories.releases.schedule(release.pk, r.announcedAt, { at: '2026-11-01T00:00:00.000Z' });
  return release;
}

t.test('a small calendar: postponed, late, cancelled, corrected and hostile releases', async (t) => {
  const clock = fixedClock(T0);
  const config = loadConfig({ DATABASE_URL: ':memory:', LOG_LEVEL: 'silent', DEMO_DATA: 'off', RATE_LIMIT_PER_MINUTE: '0' });
  const repositories = sqliteRepositories(config.databasePath, config.migrationsDir);
  writeFixtureReleases(repositories, [
    { code: 'PUB-2020', dataflow: 'DF_CTS_HOMICIDE', announcedAt: '2020-06-01T08:00:00.000Z', series: [{ key: AUT, observations: [{ period: '2016', value: 80 }, { period: '2017', value: 70 }, { period: '2018', value: 73 }] }] },
  ]);
  const fix = writeRelease(repositories, {
    code: 'FIX-2021',
    title: 'Homicide, corrected',
    revises: 'PUB-2020',
    dataflow: HOMICIDE,
    announcedAt: '2021-06-01T08:00:00.000Z',
    values: [['2016', null, true], ['2017', 70], ['2018', 75], ['2019', 64]],
  });
  repositories.releases.markPublished(fix.pk, '2021-06-01T08:00:00.000Z');
  const late = writeRelease(repositories, { code: 'LATE', title: 'Homicide 2020', dataflow: HOMICIDE, announcedAt: FIRST, values: [['2020', 41]] });
  const dropped = writeRelease(repositories, { code: 'DROPPED', title: 'Offences, dropped', dataflow: OFFENCES, announcedAt: '2026-12-15T08:00:00.000Z', values: [] });
  writeRelease(repositories, { code: 'HOSTILE', title: HOSTILE_TITLE, note: HOSTILE_NOTE, dataflow: HOMICIDE, announcedAt: '2026-12-20T08:00:00.000Z', values: [['2021', 50]] });
  writeRelease(repositories, { code: 'SECRET-DRAFT', title: 'Never announced', dataflow: HOMICIDE, announcedAt: null, values: [['2022', 1]] });
  const app = await buildApp({ config, clock, repositories });
  t.teardown(() => app.close());

  clock.set('2026-11-22T09:00:00.000Z');
  repositories.releases.postpone(late.pk, MOVED, 'Late data, from one country', { at: '2026-11-22T09:00:00.000Z' });
  repositories.releases.cancel(dropped.pk, 'Merged into the 2027 release', { at: '2026-11-23T10:00:00.000Z' });

  clock.set('2026-11-24T08:00:00.000Z');
  const api = await apiCalendar(app);
  for (const lang of LANGS) {
    const { res, document } = await page(app, `/${lang}/calendar`);
    checkPage(t, res, `small ${lang} calendar`);
    const up = sectionEntries(document, 'upcoming-releases');
    t.same(up.map((e) => [e.code, e.when]), api.filter((e) => e.state === 'scheduled').map((e) => [e.code, e.announcedAt]), `${lang}: upcoming as the API`);
    t.same(sectionEntries(document, 'past-releases').map((e) => e.code), ['FIX-2021', 'PUB-2020']);
    t.same(sectionEntries(document, 'cancelled-releases').map((e) => [e.code, e.state]), [['DROPPED', 'cancelled']], `${lang}: the cancelled one apart`);
    const lateEntry = document.querySelector('#release-LATE')!;
    const moves = [...lateEntry.querySelectorAll('.cal-postponements time')].map((x) => x.getAttribute('datetime'));
    t.same(moves.slice(0, 2), [FIRST, MOVED], `${lang}: postponed from → to`);
    t.match(lateEntry.textContent, lang === 'en' ? 'Reason: Late data, from one country' : 'Motivo: Late data, from one country');
    t.match(lateEntry.querySelector('.cal-countdown')!.textContent, lang === 'en' ? '(in 4 days)' : '(dentro de 4 días)');
    const droppedEntry = document.querySelector('#release-DROPPED')!;
    t.match(droppedEntry.querySelector('.cal-state')!.textContent, lang === 'en' ? 'Cancelled' : 'Cancelada', 'cancelled, in words');
    t.match(droppedEntry.textContent, lang === 'en' ? 'Reason: Merged into the 2027 release' : 'Motivo: Merged into the 2027 release');
    t.notOk(res.body.includes('SECRET-DRAFT') || res.body.includes('Never announced'), 'no draft');
    // Escaping: the title reads as written, and nothing of it is markup.
    t.equal(document.querySelector('#release-HOSTILE h3 a')!.textContent, HOSTILE_TITLE, 'the hostile title as text');
    t.notMatch(res.body, /<script>alert|<b>2026|<img src=x/, 'nothing written unescaped');
  }

  const hostile = await page(app, '/es/releases/HOSTILE');
  checkPage(t, hostile.res, 'hostile release page');
  t.equal(hostile.document.querySelector('h1')!.textContent, HOSTILE_TITLE);
  t.equal(hostile.document.querySelector('.lead')!.textContent, HOSTILE_NOTE);
  t.match(hostile.document.querySelector('title')!.textContent, HOSTILE_TITLE);
  t.notMatch(hostile.res.body, /<script>alert|<b>2026|<img src=x/, 'nothing written unescaped');
  await page(app, '/en/releases/SECRET-DRAFT', 404);

  const fixPage = await page(app, '/en/releases/FIX-2021');
  const rows = revisionRows(fixPage.document);
  t.same(rows.map((r) => [r.key, r.period, r.before, r.after, r.change]), [[AUT, '2018', 73, 75, '+2']], 'one revised value; the withdrawn and unchanged ones are not revisions');
  const flow = fixPage.document.querySelector('.release-flow')!;
  t.same(['values', 'added', 'revised', 'unchanged'].map((k) => Number(flow.getAttribute(`data-${k}`))), [3, 1, 1, 1], '2017 unchanged, 2018 revised, 2019 new');
  const expected = await expectedChanges(app, 'FIX-2021', 'DF_CTS_HOMICIDE', 'PUB-2020');
  t.same([expected.values, expected.added, expected.revised.length, expected.unchanged], [3, 1, 1, 1], 'as the data API has it');
  t.equal(fixPage.document.querySelector('.release-shared')!.textContent!.includes('Austria'), true, 'a single row names its codes once, above the table');

  // Published three days after the instant first announced.
  clock.set(MOVED);
  for (const lang of LANGS) {
    const { document } = await page(app, `/${lang}/calendar`);
    const entry = document.querySelector('#past-releases #release-LATE')!;
    t.ok(entry, `${lang}: published at the new instant`);
    t.match(entry.querySelector('.cal-punctuality')!.textContent, lang === 'en' ? 'Late by 3 days' : 'Con 3 días de retraso');
    const release = await page(app, `/${lang}/releases/LATE`);
    t.match(release.document.querySelector('.cal-punctuality')!.textContent, lang === 'en' ? 'Late by 3 days' : 'Con 3 días de retraso');
    const times = [...release.document.querySelectorAll('.release-facts time')].map((x) => x.getAttribute('datetime'));
    t.ok(times.includes(FIRST) && times.includes(MOVED), `${lang}: first announced and actual instants`);
  }
  const lateApi = (await apiCalendar(app)).find((e) => e.code === 'LATE')!;
  t.match(lateApi.punctuality, { delaySeconds: 3 * 86_400, onTime: false }, 'the API agrees');
});
