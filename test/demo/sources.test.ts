/**
 * The demo source readers on small inputs the real files do not contain (Eurostat flags,
 * quoted line breaks, bad numbers), and the CSV reader's line numbers and records on the real
 * files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { parseCsv, parseCsvWithLines } from '../../src/cli/structures/csv.js';
import { ReleaseCollector, annualPeriod, parseValue } from '../../src/demo/collector.js';
import { readEstatSdmxCsv, readEstatTsv } from '../../src/demo/eurostat.js';
import { decodeGshSource } from '../../src/demo/gsh.js';
import { LoadLog } from '../../src/demo/report.js';
import { PROJECT_ROOT } from '../../src/project-root.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iccs-demo-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

t.test('Eurostat bulk TSV: composite key, flags, `:` and bad cells', async (t) => {
  writeFileSync(
    path.join(dir, 'off.tsv'),
    'freq,iccs,unit,geo\\TIME_PERIOD\t2019 \t2020 \t2021 \t2022 \n' +
      'A,ICCS0101,NR,BE\t12 p\t5 e\t: c\t4\n' +
      'A,ICCS0101,NR,AT\t7 r\t3 bp\t\t1.5 \n' +
      'A,ICCS0101,NR,ZZ\t1 \t: \t2 \t3 \n',
  );
  const log = new LoadLog();
  const collector = new ReleaseCollector('UNODC:ESTAT', ['DF_ESTAT_CRIM_OFF_CAT'], log, 2026);
  readEstatTsv(dir, 'off.tsv', 'CRIM_OFF_CAT', collector, log);
  const series = collector.toSeries();
  t.same(
    series.map((s) => [Object.values(s.dimensions).join('.'), s.observations.map((o) => [o.timePeriod, o.value, o.attributes.OBS_STATUS])]),
    [
      ['A.BEL.OFF.0101._T._T._T.NR', [['2019', 12, 'P'], ['2020', 5, 'E'], ['2022', 4, 'A']]],
      ['A.AUT.OFF.0101._T._T._T.NR', [['2022', 1.5, 'A']]],
    ],
  );
  t.same(series[0]!.observations[0]!.periodStart, '2019-01-01T00:00:00.000Z');
  t.same(series[0]!.observations[0]!.periodEnd, '2019-12-31T23:59:59.999Z');
  t.same(series[0]!.dataflow, 'UNODC:DF_ESTAT_CRIM_OFF_CAT(1.0)');
  t.same(log.report.files, [{ file: 'off.tsv', read: 12, loaded: 4, skipped: 2, unmapped: 6 }]);
  t.same(log.report.skipped, { 'off.tsv: not available (:)': 2 });
  t.same(
    log.report.unmapped.map((u) => [u.line, u.reason]),
    [
      [3, '2019: Eurostat flag "r" has no OBS_STATUS code'],
      [3, '2020: Eurostat flag "bp" has no OBS_STATUS code'],
      [3, '2021: value "" is not a number'],
      [4, '2019: unknown Eurostat geo "ZZ"'],
      [4, '2021: unknown Eurostat geo "ZZ"'],
      [4, '2022: unknown Eurostat geo "ZZ"'],
    ],
  );
});

t.test('Eurostat SDMX-CSV: the flag column, a foreign dataflow, a value outside the release', async (t) => {
  writeFileSync(
    path.join(dir, 'pris.csv'),
    'DATAFLOW,LAST UPDATE,freq,age,sex,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n' +
      'ESTAT:CRIM_PRIS_AGE(1.0),08/06/22 11:00:00,A,ADULT,F,NR,AL,2008,101,\n' +
      'ESTAT:CRIM_PRIS_AGE(1.0),08/06/22 11:00:00,A,JUVENILE,M,NR,AL,2009,3,u\n' +
      'ESTAT:CRIM_OFF_CAT(1.0),08/06/22 11:00:00,A,ADULT,F,NR,AL,2010,5,\n',
  );
  const log = new LoadLog();
  const collector = new ReleaseCollector('UNODC:ESTAT', ['DF_ESTAT_CRIM_PRIS_AGE'], log, 2026);
  readEstatSdmxCsv(dir, 'pris.csv', 'CRIM_PRIS_AGE', collector, log);
  t.same(
    collector.toSeries().map((s) => [Object.values(s.dimensions).join('.'), s.observations.map((o) => [o.value, o.attributes])]),
    [
      ['A.ALB.PRIS_HELD._T.F.Y_GE18._T.NR', [[101, { OBS_STATUS: 'A' }]]],
      ['A.ALB.PRIS_HELD._T.M.Y_LT18._T.NR', [[3, { OBS_STATUS: 'U' }]]],
    ],
  );
  t.same(log.report.unmapped, [{ file: 'pris.csv', line: 4, reason: 'DATAFLOW "ESTAT:CRIM_OFF_CAT(1.0)" is not ESTAT:CRIM_PRIS_AGE(1.0)' }]);

  const other = new LoadLog();
  const wrongRelease = new ReleaseCollector('UNODC:ESTAT', ['DF_ESTAT_CRIM_OFF_CAT'], other, 2026);
  readEstatSdmxCsv(dir, 'pris.csv', 'CRIM_PRIS_AGE', wrongRelease, other);
  t.same(other.report.files[0], { file: 'pris.csv', read: 3, loaded: 0, skipped: 0, unmapped: 3 });
  t.match(other.report.unmapped[0]!.reason, /maps to DF_ESTAT_CRIM_PRIS_AGE, which this release does not cover/);
});

t.test('values and years: exact numbers only, plausible years only', async (t) => {
  t.equal(parseValue('56.203223936'), 56.203223936);
  t.equal(parseValue('305.959580834129'), 305.959580834129);
  t.equal(parseValue('0'), 0);
  t.equal(parseValue('-3'), -3);
  t.equal(parseValue('1e3'), 1000);
  for (const bad of ['', ' 5', '5 ', '0x10', 'Infinity', 'NaN', '1,5', '.5']) t.equal(parseValue(bad), undefined, JSON.stringify(bad));
  t.same(annualPeriod('2019', 2026), { period: '2019', start: '2019-01-01T00:00:00.000Z', end: '2019-12-31T23:59:59.999Z' });
  t.same(annualPeriod('1013', 2026), { error: 'implausible year 1013 (outside 1900–2026)' });
  t.same(annualPeriod('2027', 2026), { error: 'implausible year 2027 (outside 1900–2026)' });
  t.same(annualPeriod('2019-Q1', 2026), { error: '"2019-Q1" is not a year' });
});

t.test('GSH source codes become text', async (t) => {
  const labels = new Map([
    ['UNSDC', 'UNODC Special Data Collection'],
    ['NP', 'National Police'],
    ['MD', 'World Health Organization Mortality Database'],
    ['GHD Estimate', 'Global Health Data Exchange (GHDx, IHME)'],
  ]);
  t.equal(decodeGshSource('UNSDC/NP', labels), 'UNODC Special Data Collection; National Police');
  t.equal(decodeGshSource('GHD Estimate', labels), 'Global Health Data Exchange (GHDx, IHME)');
  t.equal(decodeGshSource('MD Adjusted/XYZ', labels), 'World Health Organization Mortality Database (adjusted); XYZ');
});

t.test('the fast CSV reader: line numbers across quoted line breaks, same records as parseCsv', async (t) => {
  const sample = 'a,b\r\n1,"x\r\ny"\r\n"q""uote",2\n3,"4,5"';
  t.same(parseCsvWithLines(sample), [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: ['1', 'x\r\ny'] },
    { line: 4, fields: ['q"uote', '2'] },
    { line: 5, fields: ['3', '4,5'] },
  ]);
  t.throws(() => parseCsvWithLines('a,"b\n'), /unterminated/);
  t.throws(() => parseCsvWithLines('a,"b"c\n'), /after a closing quote/);
  for (const file of [
    'unodc/gsh2019_homicide_victims/homicide_victims_by_sex_2000_2016.csv',
    'unodc/cts_corruption_economic_crime/data_cts_corruption_and_economic_crime.csv',
  ]) {
    const text = readFileSync(path.join(PROJECT_ROOT, 'data', 'demo', file), 'utf8');
    const fast = parseCsvWithLines(text);
    t.same(fast.map((r) => r.fields), parseCsv(text), `${file}: ${fast.length} records agree`);
    t.same(fast.map((r) => r.line), fast.map((_, i) => i + 1), `${file}: one record per line`);
  }
});
