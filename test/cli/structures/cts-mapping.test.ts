/**
 * The loader mapping (src/cli/structures/cts-mapping.ts) against every row of the real demo
 * data: each UN-CTS, GSH 2019 and Eurostat row must land on codes that exist and that the
 * Allowed constraint of its dataflow admits, and no two different source series may collapse
 * onto one key.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { Codelist, ContentConstraint, DataStructure } from '../../../src/sdmx/model.js';
import { buildStructures, readUnodcAreaNames } from '../../../src/cli/structures/index.js';
import { DIMENSION_IDS, type SeriesKey } from '../../../src/cli/structures/common.js';
import {
  CTS_RULES,
  ctsRule,
  gshAreaName,
  mapCtsRow,
  mapEstatRow,
  mapGshCell,
  type CtsRow,
  type MappedSeries,
} from '../../../src/cli/structures/cts-mapping.js';
import { parseCsvRecords } from '../../../src/cli/structures/csv.js';
import { DATA } from '../../helpers/shared.js';

const UNODC = DATA.unodc;
const all = buildStructures();
const dsd = all.find((a) => a.id === 'DSD_CTS') as DataStructure;
const codes = new Map(
  dsd.dimensions.map((d) => {
    const cl = all.find((a) => a.class === 'Codelist' && a.id === d.localRepresentation!.enumeration!.id) as Codelist;
    return [d.id, new Set(cl.items.map((c) => c.id))];
  }),
);
const allowed = new Map(
  all
    .filter((a): a is ContentConstraint => a.class === 'ContentConstraint')
    .map((c) => [c.constraintAttachment[0].id, new Map(c.cubeRegions[0].keyValues.map((kv) => [kv.id, new Set(kv.values)]))]),
);

/** Problems with one mapped key (empty = fine). */
function keyProblems(m: MappedSeries): string[] {
  const out: string[] = [];
  for (const dim of DIMENSION_IDS) {
    const v = m.key[dim];
    if (!codes.get(dim)!.has(v)) out.push(`${dim}=${v} is not a code`);
    const allow = allowed.get(m.dataflow)!.get(dim);
    if (allow && !allow.has(v)) out.push(`${dim}=${v} not allowed in ${m.dataflow}`);
  }
  return out;
}

const keyString = (m: MappedSeries, year: string) => `${m.dataflow}:${DIMENSION_IDS.map((d) => m.key[d]).join('.')}:${year}`;

const CTS_FILES = readdirSync(UNODC, { recursive: true, encoding: 'utf8' })
  .filter((f) => /data_cts_[^/]*\.csv$/.test(f))
  .sort();

t.test('every UN-CTS row maps to existing, allowed codes; no distinct series collide', async (t) => {
  t.equal(CTS_FILES.length, 4);
  const usedRules = new Set<string>();
  const targets = new Map<string, { source: string; value: string }>();
  const benign = new Map<string, number>();
  let rows = 0;
  for (const f of CTS_FILES) {
    const records = parseCsvRecords(readFileSync(path.join(UNODC, f), 'utf8'), [
      'Iso3_code', 'Indicator', 'Dimension', 'Category', 'Sex', 'Age', 'Year', 'Unit of measurement', 'VALUE',
    ] as const);
    const problems = new Set<string>();
    for (const r of records) {
      rows++;
      let m: MappedSeries;
      try {
        m = mapCtsRow(r as CtsRow);
      } catch (e) {
        problems.add((e as Error).message);
        continue;
      }
      usedRules.add(`${r.Indicator}|${r.Dimension}|${r.Category}`);
      for (const p of keyProblems(m)) problems.add(`${r.Indicator} / ${r.Category}: ${p}`);
      const source = [r.Iso3_code, r.Indicator, r.Dimension, r.Category, r.Sex, r.Age, r['Unit of measurement']].join('|');
      const k = keyString(m, r.Year);
      const had = targets.get(k);
      if (!had) targets.set(k, { source, value: r.VALUE });
      else if (had.source !== source) {
        // Two different source series on one key: only acceptable when they hold the same value.
        if (had.value !== r.VALUE) problems.add(`${k}: "${had.source}" = ${had.value} and "${source}" = ${r.VALUE}`);
        else benign.set(m.key.INDICATOR, (benign.get(m.key.INDICATOR) ?? 0) + 1);
      }
    }
    t.same([...problems], [], `${f}: ${records.length} rows`);
  }
  t.ok(rows > 170000, `${rows} rows mapped`);
  // "Persons held / by status / Unsentenced" = "Persons held unsentenced / Unsentenced: Total".
  t.same([...benign.keys()], ['PRIS_UNSENT'], 'the only same-key pairs are the two spellings of unsentenced totals');
  // Rules no row uses are the alternative spellings of other files; their targets are still used.
  const unused = CTS_RULES.filter((r) => !usedRules.has(`${r.ctsIndicator}|${r.ctsDimension}|${r.ctsCategory}`));
  for (const r of unused) {
    const twin = CTS_RULES.find(
      (o) => o !== r && o.dataflow === r.dataflow && o.indicator === r.indicator && o.offence === r.offence &&
        o.disaggregation === r.disaggregation && usedRules.has(`${o.ctsIndicator}|${o.ctsDimension}|${o.ctsCategory}`),
    );
    t.ok(twin, `unused rule ${r.ctsIndicator} / ${r.ctsCategory} has a used twin (constraints are not widened)`);
  }
});

t.test('UN-CTS offence categories agree with the shared cts-category-to-iccs.csv', async (t) => {
  const mapping = parseCsvRecords(readFileSync(path.join(DATA.iccs, 'cts-category-to-iccs.csv'), 'utf8'), [
    'cts_category', 'cts_dimension', 'iccs_code', 'match',
  ] as const);
  for (const m of mapping) {
    const rules = CTS_RULES.filter((r) => r.ctsDimension === m.cts_dimension && r.ctsCategory === m.cts_category);
    t.ok(rules.length > 0, `${m.cts_category} has rules`);
    const expected = m.match === 'residual' ? '0703_OTH' : m.iccs_code;
    for (const r of rules) t.equal(r.offence, expected, `${r.ctsIndicator} / ${m.cts_category} → ${expected}`);
  }
  t.equal(ctsRule('Offences', 'by type of offence', 'Fraud: Cyber-related (Cy)')?.disaggregation, 'CY');
  t.equal(ctsRule('Persons held', 'by status', 'Sentenced')?.indicator, 'PRIS_SENT');
});

t.test('mapCtsRow: a full example and clear errors', async (t) => {
  const row: CtsRow = {
    Iso3_code: 'GBR_EW',
    Indicator: 'Persons convicted',
    Dimension: 'by selected crime',
    Category: 'Rape',
    Sex: 'Male',
    Age: 'Adult',
    'Unit of measurement': 'Rate per 100,000 population',
  };
  t.same(mapCtsRow(row), {
    dataflow: 'DF_CTS_CONVICTED',
    key: {
      FREQ: 'A', REF_AREA: 'GBR_E_W', INDICATOR: 'PER_CONVICT', OFFENCE: '03011', SEX: 'M', AGE: 'Y_GE18',
      DISAGGREGATION: '_T', UNIT_MEASURE: 'P_HTHAB',
    } satisfies SeriesKey,
  });
  t.throws(() => mapCtsRow({ ...row, Category: 'Arson' }), { name: 'CtsMappingError', message: /no rule/ });
  t.throws(() => mapCtsRow({ ...row, Sex: 'Other' }), { name: 'CtsMappingError', message: /Sex "Other"/ });
  t.throws(() => mapCtsRow({ ...row, Age: 'toString' }), { name: 'CtsMappingError' }, 'no prototype keys');
});

t.test('every GSH 2019 homicide cell maps, area names included', async (t) => {
  const names = readUnodcAreaNames();
  const area = codes.get('REF_AREA')!;
  for (const v of names.values()) t.ok(area.has(v), `area name table → ${v} is in CL_AREA`);
  const dir = path.join(UNODC, 'gsh2019_homicide_victims');
  let cells = 0;
  for (const [file, bySex] of [
    ['homicide_victims_total_2000_2016.csv', false],
    ['homicide_victims_by_sex_2000_2016.csv', true],
  ] as const) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const header = text.slice(0, text.indexOf('\n')).split(',');
    const records = parseCsvRecords(text, header);
    const problems = new Set<string>();
    const seen = new Set<string>();
    for (const r of records) {
      const code = names.get(gshAreaName(r['UNODC Name']));
      if (!code) {
        problems.add(`no area code for "${r['UNODC Name']}"`);
        continue;
      }
      for (const column of header) {
        const m = mapGshCell({ areaCode: code, sex: bySex ? r.Sex : undefined, column });
        if (!m || r[column] === '') continue;
        cells++;
        for (const p of keyProblems(m)) problems.add(p);
        const k = keyString(m, m.year);
        if (seen.has(k)) problems.add(`two cells on ${k}`);
        seen.add(k);
      }
    }
    t.same([...problems], [], file);
  }
  t.ok(cells > 5000, `${cells} cells`);
});

t.test('every Eurostat SDMX-CSV row maps', async (t) => {
  const dir = DATA.eurostat;
  for (const [file, flow] of [
    ['estat_crim_off_cat_sdmx-csv.csv', 'CRIM_OFF_CAT'],
    ['estat_crim_pris_age_sdmx-csv.csv', 'CRIM_PRIS_AGE'],
  ] as const) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const header = text.slice(0, text.indexOf('\n')).trim().split(',');
    const problems = new Set<string>();
    const records = parseCsvRecords(text.replace(/\r\n/g, '\n'), header);
    const flows = new Set<string>();
    for (const r of records) {
      try {
        const m = mapEstatRow(flow, r as never);
        flows.add(m.dataflow);
        for (const p of keyProblems(m)) problems.add(p);
      } catch (e) {
        problems.add((e as Error).message);
      }
    }
    t.same([...flows], [`DF_ESTAT_${flow}`], `${file}: Eurostat figures get a dataflow of their own`);
    t.same([...problems], [], `${file}: ${records.length} rows`);
  }
  // The 2024 TSV uses codes the 2022 extract does not (020111, 05021, 0703…).
  const tsv = readFileSync(path.join(dir, 'estat_crim_off_cat.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  for (const line of tsv) {
    const [freq, iccs, unit, geo] = line.split('\t')[0].split(',');
    const p = keyProblems(mapEstatRow('CRIM_OFF_CAT', { freq, iccs, unit, geo }));
    if (p.length) t.fail(`${line.split('\t')[0]}: ${p.join('; ')}`);
  }
});
