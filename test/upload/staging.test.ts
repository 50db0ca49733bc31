/**
 * The staging area: duplicates are found with the location of the first occurrence, national
 * parts add up while the same national row twice is a duplicate, parts that cannot be summed
 * are reported, series come out whole in key order, and closing leaves no file behind.
 */
import t from 'tap';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StagingArea } from '../../src/upload/staging.js';
import type { CheckedObservation } from '../../src/upload/validation/dsd-checker.js';
import { ProblemLog } from '../../src/upload/validation/problems.js';

function obs(key: string, period: string, value: number | null, at: string, attributes: Record<string, string> = { OBS_STATUS: 'A' }): CheckedObservation {
  const codes = key.split('.');
  return {
    seriesKey: key,
    dimensions: Object.fromEntries(['FREQ', 'REF_AREA', 'INDICATOR', 'OFFENCE', 'SEX', 'AGE', 'DISAGGREGATION', 'UNIT_MEASURE'].map((d, i) => [d, codes[i]!])),
    timePeriod: period,
    periodStart: `${period}-01-01T00:00:00.000Z`,
    periodEnd: `${period}-12-31T23:59:59.999Z`,
    value,
    attributes,
    deleted: false,
    at,
  };
}

const K1 = 'A.AUT.OFF.0501._T._T._T.NR';
const K2 = 'A.AUT.OFF.0401._T._T._T.NR';

t.test('duplicates name the first occurrence', async (t) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'staging-test-'));
  const staging = new StagingArea(tmp);
  const log = new ProblemLog();
  staging.add([{ observation: obs(K1, '2019', 10, 'line 2'), source: '' }], log);
  staging.add([{ observation: obs(K1, '2019', 11, 'line 9'), source: '' }, { observation: obs(K1, '2020', 12, 'line 10'), source: '' }], log);
  t.equal(log.total, 1);
  t.match(log.problems[0], { rule: 'duplicate-observation', at: 'line 9', message: /first is at line 2/ });
  t.equal(staging.observations, 2);
  t.ok(readdirSync(tmp).length === 1, 'one scratch folder while open');
  staging.close();
  t.same(readdirSync(tmp), [], 'closing removes the scratch file');
});

t.test('national parts add up; series come out whole in key order', async (t) => {
  const staging = new StagingArea();
  t.teardown(() => staging.close());
  const log = new ProblemLog();
  staging.add(
    [
      { observation: obs(K1, '2019', 10, 'line 2'), source: '1.1' },
      { observation: obs(K1, '2019', 5, 'line 3'), source: '1.2' },
      { observation: obs(K2, '2019', 7, 'line 4'), source: '2.1' },
      { observation: obs(K1, '2020', 3, 'line 5'), source: '1.1' },
      { observation: obs(K1, '2019', 4, 'line 6'), source: '1.1' },
    ],
    log,
  );
  t.same(log.byRule(), { 'duplicate-observation': 1 }, 'the same national row twice is a duplicate');
  staging.checkAggregates(log);
  t.equal(log.total, 1, 'parts that agree are no conflict');
  const series = [...staging.seriesToWrite('UNODC:DF_CTS_OFFENCES(1.0)', 'UNODC:UNODC')];
  t.same(
    series.map((s) => [Object.values(s.dimensions).join('.'), s.observations.map((o) => [o.timePeriod, o.value])]),
    [
      [K2, [['2019', 7]]],
      [K1, [['2019', 15], ['2020', 3]]],
    ],
  );
  t.equal(staging.seriesCount(), 2);
});

t.test('parts that cannot be added up are reported', async (t) => {
  const staging = new StagingArea();
  t.teardown(() => staging.close());
  const log = new ProblemLog();
  staging.add(
    [
      { observation: obs(K1, '2019', 10, 'line 2'), source: '1.1' },
      { observation: obs(K1, '2019', 5, 'line 3', { OBS_STATUS: 'E' }), source: '1.2' },
      { observation: obs(K2, '2019', 1, 'line 4'), source: '2.1' },
      { observation: obs(K2, '2019', null, 'line 5', { OBS_STATUS: 'M' }), source: '2.2' },
    ],
    log,
  );
  staging.checkAggregates(log);
  t.same(log.byRule(), { 'aggregation-conflict': 2 });
  t.match(log.problems.map((p) => p.message).join('\n'), /1\.1, 1\.2|1\.2, 1\.1/);
});

t.test('memory stays flat: 300,000 rows staged and read back', async (t) => {
  const staging = new StagingArea();
  t.teardown(() => staging.close());
  const log = new ProblemLog();
  const before = process.memoryUsage().heapUsed;
  for (let b = 0; b < 300; b += 1) {
    const batch = [];
    for (let i = 0; i < 1000; i += 1) batch.push({ observation: obs(`A.A${String(b).padStart(3, '0')}.OFF.0501._T._T._T.NR`, String(1000 + i), i, `line ${b * 1000 + i}`), source: '' });
    staging.add(batch, log);
  }
  let rows = 0;
  for (const s of staging.seriesToWrite('F', 'P')) rows += s.observations.length;
  t.equal(rows, 300_000);
  t.equal(log.total, 0);
  t.ok(process.memoryUsage().heapUsed - before < 80 * 1024 * 1024, `heap grew ${Math.round((process.memoryUsage().heapUsed - before) / 1e6)} MB`);
  t.notOk(existsSync('staging.sqlite'));
});
