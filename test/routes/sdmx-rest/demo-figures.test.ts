/**
 * The real demo data as the API serves it. An app started with DEMO_DATA on loads data/demo
 * through the release path; the figures it then answers in SDMX-CSV are compared with the rows
 * read here directly from the UNODC and Eurostat source files (keys from the structures' own
 * mapping tables, values and sources from the files): every figure of whole countries across
 * the four UN-CTS exports, Global Study on Homicide series (total and by sex, counts and
 * rates), and the Eurostat series that the 2024 release revises, whose current values are the
 * revised ones while the history and `asOf` still give the 2022 figures. The release the demo
 * holds back (the corruption and economic crime export) is checked invisible until its instant;
 * the clock then moves to that instant and everything is compared.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mapCtsRow, type CtsRow } from '../../../src/cli/structures/cts-mapping.js';
import { PROJECT_ROOT } from '../../../src/project-root.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import ICAL from 'ical.js';
import { XMLParser } from 'fast-xml-parser';
import { fixedClock } from '../../../src/clock.js';
import { testApp } from '../../helpers/app.js';
import { parseCsv } from '../../helpers/csv.js';
import { CTS_DIMENSIONS } from '../../helpers/data-app.js';

const DEMO = path.join(PROJECT_ROOT, 'data', 'demo');
const clock = fixedClock(new Date().toISOString());
const app = await testApp({ clock, env: { DEMO_DATA: 'on' } });
t.teardown(() => app.close());

const source = (file: string) => parseCsv(readFileSync(path.join(DEMO, file), 'utf8'));

interface Figure {
  readonly value: number;
  readonly source?: string;
  /** CONF_STATUS when disclosure control suppressed the figure (then it is served without a value). */
  readonly confidential?: string;
}

/** `key|period` → figure, as the API serves a dataflow's key in SDMX-CSV 1.0. */
async function served(url: string, accept: string = MEDIA.dataCsv10): Promise<Map<string, Figure>> {
  const res = await app.inject({ url, headers: { accept } });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  const out = new Map<string, Figure>();
  for (const row of parseCsv(res.body)) {
    const id = `${CTS_DIMENSIONS.map((d) => row[d]).join('.')}|${row.TIME_PERIOD}`;
    if (out.has(id)) throw new Error(`${url}: ${id} served twice`);
    const confidential = row.OBS_VALUE === '' && row.OBS_STATUS === 'Q' ? row.CONF_STATUS : undefined;
    out.set(id, { value: Number(row.OBS_VALUE), source: row.SOURCE_DETAIL || undefined, ...(confidential ? { confidential } : {}) });
  }
  return out;
}

/** Differences between what the sources say and what is served, as readable lines. */
function differences(expected: ReadonlyMap<string, Figure>, got: ReadonlyMap<string, Figure>): string[] {
  const out: string[] = [];
  for (const [id, want] of expected) {
    const have = got.get(id);
    if (!have) out.push(`${id}: missing`);
    else if (have.confidential !== undefined) {
      // Suppressed by disclosure control: primaries (A) must be the small counts the rule names;
      // complementary (D) and derived (C) cells may hold any value.
      const small = want.value > 0 && want.value <= 3;
      if (!['A', 'D', 'C'].includes(have.confidential) || (have.confidential === 'A' && !small)) out.push(`${id}: suppressed as ${have.confidential}, ${want.value} in the source`);
    } else if (have.value !== want.value || (want.source !== undefined && have.source !== want.source)) out.push(`${id}: ${JSON.stringify(have)} served, ${JSON.stringify(want)} in the source`);
  }
  for (const id of got.keys()) if (!expected.has(id)) out.push(`${id}: served, in no source row`);
  return out;
}

const CTS_FILES = [
  'unodc/cts_access_functioning_justice/data_cts_access_and_functioning_of_justice.csv',
  'unodc/cts_prisons_prisoners/data_cts_prisons_and_prisoners.csv',
  'unodc/cts_violent_sexual_crime/data_cts_violent_and_sexual_crime.csv',
  'unodc/cts_corruption_economic_crime/data_cts_corruption_and_economic_crime.csv',
];
const CTS_ROWS = CTS_FILES.map((file) => ({ file, rows: source(file) as unknown as (CtsRow & Record<string, string>)[] }));

await t.test('the release the demo holds back: announced in the calendar, invisible until its instant, then served', async (t) => {
  const calendar = async () => (await app.inject({ url: '/api/v1/calendar' })).json() as { releases: { code: string; state: string; announcedAt: string }[] };
  const upcoming = (await calendar()).releases.filter((r) => r.state === 'scheduled');
  t.same(
    upcoming.map((r) => r.code),
    ['UNCTS-2024-CORRUPTION'],
    'one upcoming release',
  );
  const instant = upcoming[0]!.announcedAt;
  t.ok(Date.parse(instant) > clock.now().getTime(), `announced for ${instant}, after the load`);
  // The same calendar as iCalendar and Atom, read back by independent parsers.
  const ics = new ICAL.Component(ICAL.parse((await app.inject({ url: '/api/v1/calendar.ics' })).body));
  const events = ics.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  t.equal(events.length, 7, 'seven events: six past releases and the upcoming one');
  const held = events.find((e) => e.summary.includes('corruption'))!;
  t.equal(held.startDate.toJSDate().toISOString(), instant, 'the upcoming event starts at the instant');
  const atom = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' }).parse((await app.inject({ url: '/api/v1/calendar.atom' })).body);
  t.equal(atom.feed.entry.length, 7, 'and seven feed entries');
  const corruption = CTS_ROWS.find((f) => f.file.includes('corruption'))!.rows.filter((r) => r.Iso3_code === 'SWE');
  const ids = corruption.map((r) => `${Object.values(mapCtsRow(r).key).join('.')}|${r.Year}`);
  t.ok(ids.length > 50, `${ids.length} corruption and economic crime figures of Sweden`);
  const flow = '/sdmx/2.1/data/UNODC,DF_CTS_OFFENCES,1.0/A.SWE......';
  clock.set(new Date(Date.parse(instant) - 1).toISOString());
  const before = await served(flow);
  t.same(ids.filter((id) => before.has(id)), [], 'one millisecond before the instant: none of them is served');
  clock.set(instant);
  const at = await served(flow);
  t.same(ids.filter((id) => !at.has(id)), [], 'at the instant: every one of them');
  t.same(
    (await calendar()).releases.filter((r) => r.state === 'scheduled').map((r) => r.code),
    [],
    'and the calendar shows it published',
  );
});

for (const area of ['ISL', 'SWE', 'JPN']) {
  t.test(`UN-CTS: every figure of ${area} in the four exports is served as published`, async (t) => {
    // dataflow → `key|year` → figure, from the source rows of the area in every file
    const expected = new Map<string, Map<string, Figure>>();
    let rows = 0;
    for (const { file, rows: all } of CTS_ROWS) {
      for (const r of all.filter((x) => x.Iso3_code === area)) {
        const m = mapCtsRow(r);
        const id = `${Object.values(m.key).join('.')}|${r.Year}`;
        const figure = { value: Number(r.VALUE), source: r.Source };
        const flow = expected.get(m.dataflow) ?? new Map<string, Figure>();
        expected.set(m.dataflow, flow);
        const known = flow.get(id);
        // UN-CTS lists some totals twice (same value); the loader keeps one.
        if (known && known.value !== figure.value) throw new Error(`${file}: ${id} conflicts in the source`);
        flow.set(id, figure);
        rows += 1;
      }
    }
    t.ok(rows > 100, `${rows} source rows for ${area}`);
    t.ok(expected.size >= 4, `in ${expected.size} dataflows`);
    for (const [flow, figures] of expected) {
      const got = await served(`/sdmx/2.1/data/UNODC,${flow},1.0/A.${area}......`);
      t.same(differences(figures, got), [], `${flow}: ${figures.size} figures`);
    }
  });
}

t.test('Global Study on Homicide 2019: counts and rates, total and by sex, exactly as published', async (t) => {
  const total = source('unodc/gsh2019_homicide_victims/homicide_victims_total_2000_2016.csv');
  const bySex = source('unodc/gsh2019_homicide_victims/homicide_victims_by_sex_2000_2016.csv');
  const figures = (row: Record<string, string>, sex: string, area: string) => {
    const out = new Map<string, Figure>();
    for (const [column, cell] of Object.entries(row)) {
      const m = /^(count|rate)_(\d{4})$/.exec(column);
      if (!m || cell === '') continue;
      out.set(`A.${area}.VIC_HOM.0101.${sex}._T._T.${m[1] === 'count' ? 'NR' : 'P_HTHAB'}|${m[2]}`, { value: Number(cell) });
    }
    return out;
  };
  const mexico = figures(total.find((r) => r['UNODC Name'] === 'Mexico')!, '_T', 'MEX');
  t.equal(mexico.get('A.MEX.VIC_HOM.0101._T._T._T.NR|2000')?.value, 10737, 'the figure the benchmark also reads');
  t.same(differences(mexico, await served('/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.MEX.VIC_HOM.0101._T._T._T.NR+P_HTHAB')), [], `Mexico: ${mexico.size} figures`);
  const burundi = new Map([
    ...figures(bySex.find((r) => r['UNODC Name'] === 'Burundi' && r.Sex === 'Females')!, 'F', 'BDI'),
    ...figures(bySex.find((r) => r['UNODC Name'] === 'Burundi' && r.Sex === 'Males')!, 'M', 'BDI'),
  ]);
  t.equal(burundi.get('A.BDI.VIC_HOM.0101.F._T._T.P_HTHAB|2013')?.value, 1.9864019523259435, 'a rate keeps all its digits');
  t.same(differences(burundi, await served('/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.BDI.VIC_HOM.0101.F+M._T._T.NR+P_HTHAB')), [], `Burundi by sex: ${burundi.size} figures`);
});

t.test('Eurostat: the revised figures are current, the 2022 figures stay in the history', async (t) => {
  const key = 'A.BEL.OFF.0101._T._T._T.NR';
  // The 2022 extract (SDMX-CSV) and the 2024 bulk file (TSV: `value flag` cells, `:` = none).
  const extract = new Map<string, Figure>();
  for (const r of source('eurostat/estat_crim_off_cat_sdmx-csv.csv')) {
    if (r.iccs === 'ICCS0101' && r.unit === 'NR' && r.geo === 'BE' && r.freq === 'A') extract.set(`${key}|${r.TIME_PERIOD}`, { value: Number(r.OBS_VALUE) });
  }
  const tsv = readFileSync(path.join(DEMO, 'eurostat/estat_crim_off_cat.tsv'), 'utf8').split('\n');
  const years = tsv[0]!.split('\t').map((y) => y.trim());
  const cells = tsv.find((l) => l.startsWith('A,ICCS0101,NR,BE\t'))!.split('\t');
  const revision = new Map<string, Figure>();
  cells.forEach((cell, i) => {
    const value = cell.trim().split(' ')[0]!;
    if (i > 0 && value !== ':' && value !== '') revision.set(`${key}|${years[i]}`, { value: Number(value) });
  });
  t.equal(extract.get(`${key}|2018`)?.value, 190);
  t.equal(revision.get(`${key}|2018`)?.value, 192, 'Belgium, intentional homicide 2018: 190 → 192');

  const current = new Map([...extract, ...revision]);
  const flowPath = '/sdmx/2.1/data/UNODC,DF_ESTAT_CRIM_OFF_CAT,1.0';
  t.same(differences(current, await served(`${flowPath}/${key}`)), [], 'the current values: the revision where it has a figure');

  // includeHistory: one data set per release, in release order (SDMX-CSV 1.0 rows follow each other).
  const history = await app.inject({ url: `${flowPath}/${key}?includeHistory=true`, headers: { accept: MEDIA.dataCsv10 } });
  const vintages2018 = parseCsv(history.body).filter((r) => r.TIME_PERIOD === '2018').map((r) => Number(r.OBS_VALUE));
  t.same(vintages2018, [190, 192], 'both vintages of 2018, the older first');

  // asOf (REST 2.x): as the data stood before the revision was announced.
  const before = await served(`/sdmx/3.0/data/dataflow/UNODC/DF_ESTAT_CRIM_OFF_CAT/1.0/${key}?asOf=2023-01-01T00:00:00Z`, MEDIA.dataCsv20);
  t.same(differences(extract, before), [], 'asOf 2023: the 2022 extract');
});

t.test('the calendar tells the public how each demo release was protected, with the declared relations it used', async (t) => {
  const calendar = (await app.inject({ url: '/api/v1/calendar' })).json() as {
    releases: { code: string; disclosureControl?: { dataflow: string; summary: Record<string, unknown> }[] }[];
  };
  const justice = calendar.releases.find((r) => r.code === 'UNCTS-2022')!;
  const convicted = justice.disclosureControl!.find((d) => d.dataflow === 'UNODC:DF_CTS_CONVICTED(1.0)')!;
  const byHierarchy = convicted.summary.relationsByHierarchy as Record<string, { relations: number; broken: number }>;
  for (const hierarchy of ['HCL_DISAGGREGATION.DISAGG_CITIZENSHIP', 'HCL_SEX.SEX_TOTAL', 'HCL_AGE.AGE_TOTAL', 'HCL_OFFENCE.OFFENCE_ICCS_SUMS']) {
    t.ok(byHierarchy[hierarchy]!.relations > 0, `persons convicted: ${byHierarchy[hierarchy]!.relations} relations of ${hierarchy}, ${byHierarchy[hierarchy]!.broken} broken by the figures`);
  }
  t.match(convicted.summary, { audit: { passed: true, failed: 0 }, dataQuality: { unprotectable: 0 } });
  t.ok((convicted.summary.dataQuality as { brokenRelations: number }).brokenRelations > 0, 'real figures that do not add up are counted, never listed (their cells are publisher-only)');
  t.notOk(JSON.stringify(calendar).includes('brokenRelations":['), 'no finding with its cells and values is public');
});
