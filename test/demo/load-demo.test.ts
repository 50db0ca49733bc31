/**
 * The demo load against the real files of data/demo, in an in-memory database: every source
 * value is accounted for, stored figures equal the source text read back independently here,
 * the Eurostat revision keeps both vintages, the known bad prison rows are reported, and a
 * second load is refused.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { parseCsvRecords } from '../../src/cli/structures/csv.js';
import { mapCtsRow, mapEstatRow, type CtsRow } from '../../src/cli/structures/cts-mapping.js';
import { DemoDatabaseNotEmptyError, loadDemoData } from '../../src/demo/load-demo.js';
import { PROJECT_ROOT } from '../../src/project-root.js';
import { sqliteRepositories } from '../../src/storage/sqlite/index.js';
import { standaloneProtector } from '../../src/services/protection/protection-service.js';
import type { Repositories } from '../../src/storage/repositories.js';

const DEMO = path.join(PROJECT_ROOT, 'data', 'demo');
const NOW = '2026-01-15T12:00:00.000Z';
const repos = sqliteRepositories(':memory:', path.join(PROJECT_ROOT, 'migrations'));
t.teardown(() => repos.close());

// How long this takes is a benchmark figure (bench/demo-load.ts, npm run bench), not asserted here.
const protect = standaloneProtector(repos, path.join(PROJECT_ROOT, 'sdmx'), NOW);
const report = await loadDemoData({ repositories: repos, demoDir: DEMO, now: NOW, protect });

const text = (file: string) => readFileSync(path.join(DEMO, file), 'utf8');
const csv = (file: string) => {
  const body = text(file);
  // No header of the demo files is quoted.
  const header = body.slice(0, body.indexOf('\n')).replace(/^\uFEFF/, '').replace(/\r$/, '').split(',');
  return { header, rows: parseCsvRecords(body, header) };
};
const release = (code: string) => repos.releases.byCode(code)!;

interface StoredValue {
  readonly release: number;
  readonly value: number | null;
  readonly attributes: Record<string, string>;
}

/** Every stored observation of a dataflow: series key → period → vintages. */
/**
 * What the load stored, with the true values of cells disclosure control suppressed put back
 * (from the confidential store): the source figures must all be there, protected or not.
 */
function stored(r: Repositories, dataflow: string): Map<string, Map<string, StoredValue[]>> {
  const flow = `UNODC:${dataflow}(1.0)`;
  const truth = new Map<string, { value: number | null; attributes: Readonly<Record<string, string>> }>();
  for (const release of r.releases.list()) {
    for (const c of r.protection.cellsOf(release.pk, flow)) truth.set(`${release.pk} ${c.seriesPk} ${c.timePeriod}`, c);
  }
  const series = r.data.seriesOf(flow);
  const keyOf = new Map(series.map((s) => [s.pk, s.key]));
  const releasePks = r.releases.list().map((x) => x.pk);
  const pages: number[][] = [];
  for (let i = 0; i < series.length; i += 500) pages.push(series.slice(i, i + 500).map((s) => s.pk));
  const out = new Map<string, Map<string, StoredValue[]>>();
  for (const page of r.data.scan({ pages, releasePks })) {
    for (const o of page) {
      const key = keyOf.get(o.seriesPk)!;
      const byPeriod = out.get(key) ?? new Map<string, StoredValue[]>();
      out.set(key, byPeriod);
      const vintages = byPeriod.get(o.timePeriod) ?? [];
      byPeriod.set(o.timePeriod, vintages);
      const real = truth.get(`${o.releasePk} ${o.seriesPk} ${o.timePeriod}`);
      vintages.push({ release: o.releasePk, value: real ? real.value : o.value, attributes: real ? { ...real.attributes } : (JSON.parse(o.attributes) as Record<string, string>) });
    }
  }
  return out;
}

t.test('six published releases with real announced instants, in announcement order, and one held back', async (t) => {
  const releases = repos.releases.list();
  t.same(
    releases.map((r) => [r.code, r.state, r.announcedAt, r.publishedAt]),
    [
      ['GSH-2019', 'published', '2018-10-14T00:00:00.000Z', '2018-10-14T00:00:00.000Z'],
      ['UNCTS-2022', 'published', '2022-06-06T00:00:00.000Z', '2022-06-06T00:00:00.000Z'],
      ['ESTAT-CRIM-2022', 'published', '2022-06-08T09:00:00.000Z', '2022-06-08T09:00:00.000Z'],
      ['UNCTS-2023', 'published', '2023-05-11T00:00:00.000Z', '2023-05-11T00:00:00.000Z'],
      ['ESTAT-CRIM-2024', 'published', '2024-04-19T00:00:00.000Z', '2024-04-19T00:00:00.000Z'],
      ['UNCTS-2024', 'published', '2024-07-02T00:00:00.000Z', '2024-07-02T00:00:00.000Z'],
      // Seven days after the load instant (2026-01-15T12:00Z), at 10:00 UTC.
      ['UNCTS-2024-CORRUPTION', 'scheduled', '2026-01-22T10:00:00.000Z', null],
    ],
  );
  t.match(release('UNCTS-2024-CORRUPTION').note, /holds them back and schedules them seven days after it was loaded/, 'the note says why it is upcoming');
  t.same(
    report.releases.map((r) => r.state),
    [...Array(6).fill('published'), 'scheduled'],
  );
  for (const r of releases) t.equal(r.createdAt, NOW, `${r.code} created by this load`);
  t.equal(release('ESTAT-CRIM-2024').revisesPk, release('ESTAT-CRIM-2022').pk, 'the 2024 Eurostat release revises the 2022 one');
  t.same(release('ESTAT-CRIM-2022').dataflows, ['UNODC:DF_ESTAT_CRIM_OFF_CAT(1.0)', 'UNODC:DF_ESTAT_CRIM_PRIS_AGE(1.0)']);
  t.same(report.releases.map((r) => r.code), releases.map((r) => r.code));
  // The LAST UPDATE stamp the ESTAT-CRIM-2022 instant is taken from.
  for (const f of ['eurostat/estat_crim_off_cat_sdmx-csv.csv', 'eurostat/estat_crim_pris_age_sdmx-csv.csv']) {
    t.same([...new Set(csv(f).rows.map((r) => r['LAST UPDATE']))], ['08/06/22 11:00:00'], f);
  }
  // Providers: a series keeps the provider of its release.
  t.same([...new Set(repos.data.seriesOf('UNODC:DF_ESTAT_CRIM_OFF_CAT(1.0)').map((s) => s.provider))], ['UNODC:ESTAT']);
  t.same([...new Set(repos.data.seriesOf('UNODC:DF_CTS_OFFENCES(1.0)').map((s) => s.provider))], ['UNODC:UNODC']);
});

t.test('every source value is loaded, skipped for a reason, or reported', async (t) => {
  const sources = readdirSync(DEMO, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(csv|tsv)$/.test(f) && !f.endsWith('source_codes.csv'))
    .sort();
  t.same(report.files.map((f) => f.file).sort(), sources, 'every data file of data/demo is read');
  for (const f of report.files) {
    t.equal(f.loaded + f.skipped + f.unmapped, f.read, `${f.file}: loaded + skipped + unmapped = read`);
    t.equal(report.unmapped.filter((u) => u.file === f.file).length, f.unmapped, `${f.file}: each unmapped value is listed`);
    const skipped = Object.entries(report.skipped).filter(([k]) => k.startsWith(`${f.file}: `));
    t.equal(skipped.reduce((n, [, c]) => n + c, 0), f.skipped, `${f.file}: skipped counts add up`);
    // How many values the file holds, counted independently of the loader.
    let expected: number;
    if (f.file.endsWith('.tsv')) {
      const lines = text(f.file).split('\n').filter(Boolean);
      expected = (lines.length - 1) * (lines[0]!.split('\t').length - 1);
    } else {
      const { header, rows } = csv(f.file);
      const wide = header.filter((h) => /^(count|rate)_\d{4}$/.test(h)).length;
      expected = wide ? rows.length * wide : rows.length;
    }
    t.equal(f.read, expected, `${f.file}: ${expected} values read`);
  }
  const loadedOf = (files: string[]) => report.files.filter((f) => files.some((x) => f.file.includes(x))).reduce((n, f) => n + f.loaded, 0);
  const observations = (code: string) => report.releases.find((r) => r.code === code)!.observations;
  t.equal(observations('GSH-2019'), loadedOf(['gsh2019']));
  t.equal(observations('UNCTS-2024'), loadedOf(['violent']));
  t.equal(observations('UNCTS-2024-CORRUPTION'), loadedOf(['corruption']));
  t.equal(observations('ESTAT-CRIM-2022'), loadedOf(['sdmx-csv']));
  t.equal(observations('ESTAT-CRIM-2024'), loadedOf(['.tsv']));
  // The only skips are the documented ones.
  t.same(Object.keys(report.skipped).sort(), [
    'eurostat/estat_crim_off_cat.tsv: not available (:)',
    'unodc/cts_prisons_prisoners/data_cts_prisons_and_prisoners.csv: same value as another row for the same key and period',
    'unodc/gsh2019_homicide_victims/homicide_victims_by_sex_2000_2016.csv: no data (empty cell)',
    'unodc/gsh2019_homicide_victims/homicide_victims_total_2000_2016.csv: no data (empty cell)',
  ]);
});

t.test('the known bad prison rows are reported, nothing else', async (t) => {
  const file = 'unodc/cts_prisons_prisoners/data_cts_prisons_and_prisoners.csv';
  const rows = csv(file).rows;
  // Line = record index + 2: the file has no line breaks inside fields.
  t.equal(text(file).split('\n').filter(Boolean).length, rows.length + 1);
  const expected = new Map<number, RegExp>();
  rows.forEach((r, i) => {
    if (r.Year === '1013') expected.set(i + 2, /implausible year 1013/);
  });
  // The same source series listed twice for one year with different values.
  const first = new Map<string, string>();
  rows.forEach((r, i) => {
    const k = [r.Iso3_code, r.Indicator, r.Dimension, r.Category, r.Sex, r.Age, r['Unit of measurement'], r.Year].join('|');
    const had = first.get(k);
    if (had === undefined) first.set(k, r.VALUE);
    else if (had !== r.VALUE) expected.set(i + 2, new RegExp(`value ${r.VALUE} conflicts with ${had} `));
  });
  t.equal(expected.size, 13, 'Morocco 1013 and twelve conflicting duplicates (Mongolia 2019, Panama 2017–2018)');
  t.same(
    report.unmapped.map((u) => u.file),
    [...expected.keys()].map(() => file),
    'the prison file is the only one with unmapped values',
  );
  for (const u of report.unmapped) {
    const reason = expected.get(u.line);
    t.ok(reason?.test(u.reason), `line ${u.line}: ${u.reason}`);
  }
});

t.test('GSH 2019: all of Brazil’s and Comoros’ figures, exactly as published', async (t) => {
  const homicide = stored(repos, 'DF_CTS_HOMICIDE');
  const gsh = release('GSH-2019').pk;
  for (const [name, code] of [['Brazil', 'BRA'], ['Comoros', 'COM']] as const) {
    const row = csv('unodc/gsh2019_homicide_victims/homicide_victims_total_2000_2016.csv').rows.find((r) => r['UNODC Name'] === name)!;
    for (const [prefix, unit] of [['count', 'NR'], ['rate', 'P_HTHAB']] as const) {
      const key = `A.${code}.VIC_HOM.0101._T._T._T.${unit}`;
      const expected = Object.entries(row)
        .filter(([c, v]) => c.startsWith(`${prefix}_`) && v !== '')
        .map(([c, v]) => [c.slice(prefix.length + 1), Number(v)]);
      const got = [...(homicide.get(key) ?? new Map<string, StoredValue[]>())].map(([p, v]) => [p, v.length === 1 && v[0]!.release === gsh ? v[0]!.value : v]);
      t.same(got, expected, `${key}: every year, one vintage`);
    }
  }
  const comoros = homicide.get('A.COM.VIC_HOM.0101._T._T._T.NR')!.get('2000')![0]!;
  t.equal(comoros.value, 56.203223936, 'a model estimate keeps its decimals');
  t.same(comoros.attributes, { OBS_STATUS: 'E', SOURCE_DETAIL: 'World Health Organization (WHO) (estimate)' });
  t.same(homicide.get('A.BRA.VIC_HOM.0101._T._T._T.NR')!.get('2016')![0]!.attributes.OBS_STATUS, 'A');
  // The by-sex table: Burundi's female victims.
  t.same(homicide.get('A.BDI.VIC_HOM.0101.F._T._T.NR')!.get('2013')![0]!, {
    release: gsh,
    value: 97,
    attributes: { OBS_STATUS: 'A', SOURCE_DETAIL: 'Sustainable Development Goals' },
  });
});

t.test('UN-CTS violent and sexual crime: every row stored with its value and source', async (t) => {
  const file = 'unodc/cts_violent_sexual_crime/data_cts_violent_and_sexual_crime.csv';
  const byFlow = new Map<string, ReturnType<typeof stored>>();
  const pk = release('UNCTS-2024').pk;
  let checked = 0;
  const wrong: string[] = [];
  for (const r of csv(file).rows) {
    const m = mapCtsRow(r as unknown as CtsRow);
    if (!byFlow.has(m.dataflow)) byFlow.set(m.dataflow, stored(repos, m.dataflow));
    const key = Object.values(m.key).join('.');
    const got = byFlow.get(m.dataflow)!.get(key)?.get(r.Year);
    const want = [{ release: pk, value: Number(r.VALUE), attributes: { OBS_STATUS: 'A', SOURCE_DETAIL: r.Source } }];
    if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${key} ${r.Year}: ${JSON.stringify(got)}`);
    checked++;
  }
  t.same(wrong.slice(0, 5), [], `${checked} rows compared`);
  t.equal(checked, 26114);
  // The example that motivated separate Eurostat flows: same key, different figures.
  t.equal(byFlow.get('DF_CTS_OFFENCES')!.get('A.CHE.OFF.020221._T._T._T.NR')!.get('2008')![0]!.value, 309);
  t.equal(stored(repos, 'DF_ESTAT_CRIM_OFF_CAT').get('A.CHE.OFF.020221._T._T._T.NR')!.get('2008')![0]!.value, 2);
});

t.test('Eurostat: the 2024 TSV revises the 2022 extract; both vintages stay', async (t) => {
  const offences = stored(repos, 'DF_ESTAT_CRIM_OFF_CAT');
  const v2022 = release('ESTAT-CRIM-2022').pk;
  const v2024 = release('ESTAT-CRIM-2024').pk;
  // Source lines: `ESTAT:CRIM_OFF_CAT(1.0),08/06/22 11:00:00,A,ICCS0101,NR,BE,2018,190,` and the
  // TSV row `A,ICCS0101,NR,BE` whose 2018 column reads `192 `.
  const old = csv('eurostat/estat_crim_off_cat_sdmx-csv.csv').rows.find(
    (r) => r.iccs === 'ICCS0101' && r.unit === 'NR' && r.geo === 'BE' && r.TIME_PERIOD === '2018',
  )!;
  const tsv = text('eurostat/estat_crim_off_cat.tsv').split('\n');
  const years = tsv[0]!.split('\t').map((y) => y.trim());
  const cells = tsv.find((l) => l.startsWith('A,ICCS0101,NR,BE\t'))!.split('\t');
  const revised = cells[years.indexOf('2018')]!;
  t.equal(revised, '192 ', 'the TSV value carries a trailing space');
  t.same(offences.get('A.BEL.OFF.0101._T._T._T.NR')!.get('2018'), [
    { release: v2022, value: Number(old.OBS_VALUE), attributes: { OBS_STATUS: 'A' } },
    { release: v2024, value: 192, attributes: { OBS_STATUS: 'A' } },
  ]);
  // 2021 only exists in the 2024 release; `:` cells are not stored at all.
  t.same(offences.get('A.BEL.OFF.0101._T._T._T.NR')!.get('2021')!.map((v) => v.release), [v2024]);
  const missing = tsv.slice(1).find((l) => l.split('\t').slice(1).some((c) => c.trim() === ':'))!;
  const [head = '', ...values] = missing.split('\t');
  const [freq = '', iccs, unit = '', geo = ''] = head.split(',');
  const missingYear = years[1 + values.findIndex((c) => c.trim() === ':')]!;
  const missingKey = Object.values(mapEstatRow('CRIM_OFF_CAT', { freq, iccs, unit, geo }).key).join('.');
  t.ok(offences.has(missingKey), `${head}: the series exists`);
  t.notOk(offences.get(missingKey)!.get(missingYear)?.some((v) => v.release === v2024), `${head} ${missingYear} is ":" and not stored`);
  // Prisoners by age and sex come only from the 2022 extract.
  const prisoners = stored(repos, 'DF_ESTAT_CRIM_PRIS_AGE');
  const row = csv('eurostat/estat_crim_pris_age_sdmx-csv.csv').rows[0]!;
  t.same(`${row.age},${row.sex},${row.unit},${row.geo},${row.TIME_PERIOD},${row.OBS_VALUE}`, 'ADULT,F,NR,AL,2008,101');
  t.same(prisoners.get('A.ALB.PRIS_HELD._T.F.Y_GE18._T.NR')!.get('2008'), [{ release: v2022, value: 101, attributes: { OBS_STATUS: 'A' } }]);
});

t.test('a database that already holds releases is refused', async (t) => {
  const before = repos.releases.list().length;
  await t.rejects(loadDemoData({ repositories: repos, demoDir: DEMO, now: NOW, protect }), DemoDatabaseNotEmptyError);
  t.equal(repos.releases.list().length, before, 'nothing was added');
});

t.test('an unreadable source leaves the database empty', async (t) => {
  const empty = sqliteRepositories(':memory:', path.join(PROJECT_ROOT, 'migrations'));
  t.teardown(() => empty.close());
  await t.rejects(loadDemoData({ repositories: empty, demoDir: path.join(DEMO, 'no-such-folder'), now: NOW, protect }), { code: 'ENOENT' });
  t.same(empty.releases.list(), [], 'no release was written');
});

t.test('every demo release was protected before publication, and the public rows carry no protected value', async (t) => {
  for (const release of repos.releases.list()) {
    const runs = repos.protection.runsOf(release.pk);
    t.same(runs.map((r) => r.dataflow).sort(), [...repos.protection.dataflowsWithData(release.pk)].sort(), `${release.code}: a run per dataflow`);
    t.ok(runs.every((r) => r.passed), `${release.code}: every LP audit passed`);
    for (const run of runs) {
      const suppressed = repos.protection.suppressionsOf(release.pk, run.dataflow);
      const primary = suppressed.filter((s) => s.kind === 'primary');
      t.ok(primary.every((s) => s.value !== null && s.value > 0 && s.value <= 3), `${release.code} ${run.dataflow}: ${primary.length} primaries are counts in (0, 3]`);
      const publicRows = new Map<string, { value: number | null; attributes: string }>();
      const series = repos.data.seriesOf(run.dataflow);
      for (const page of repos.data.scan({ pages: [series.map((s) => s.pk)], releasePks: [release.pk] })) {
        for (const o of page) publicRows.set(`${o.seriesPk} ${o.timePeriod}`, o);
      }
      const leaked = suppressed.filter((s) => {
        const row = publicRows.get(`${s.seriesPk} ${s.timePeriod}`)!;
        const attributes = JSON.parse(row.attributes) as Record<string, string>;
        return row.value !== null || attributes.OBS_STATUS !== 'Q' || !['A', 'D', 'C'].includes(attributes.CONF_STATUS!);
      });
      t.same(leaked, [], `${release.code} ${run.dataflow}: ${suppressed.length} suppressed cells have no public value`);
    }
  }
  const prisons = repos.protection.runsOf(repos.releases.byCode('UNCTS-2023')!.pk)[0]!;
  t.match(prisons.summary, { audit: { passed: true, failed: 0 } }, 'the largest demo table (prisons) passes its audit');
});
