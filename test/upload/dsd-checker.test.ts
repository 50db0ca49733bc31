/**
 * The DSD checks, rule by rule, on records as any reader yields them, against the real DSD_CTS,
 * its codelists and the Allowed constraint of DF_CTS_HOMICIDE. Each case breaks one thing in an
 * otherwise valid record and expects exactly that rule.
 */
import t from 'tap';
import path from 'node:path';
import { fixedClock } from '../../src/clock.js';
import { PROJECT_ROOT } from '../../src/project-root.js';
import { allowedConstraintsOn } from '../../src/sdmx/allowed-content.js';
import type { DataStructure, Dataflow } from '../../src/sdmx/model.js';
import { codelistOf } from '../../src/services/data/data-service.js';
import { StructureService } from '../../src/services/structure-service.js';
import { sqliteRepositories } from '../../src/storage/sqlite/index.js';
import { DsdChecker } from '../../src/upload/validation/dsd-checker.js';
import { ProblemLog } from '../../src/upload/validation/problems.js';
import type { UploadRecord } from '../../src/upload/records.js';

const repositories = sqliteRepositories(':memory:', path.join(PROJECT_ROOT, 'migrations'));
t.teardown(() => repositories.close());
const structures = StructureService.load(repositories, path.join(PROJECT_ROOT, 'sdmx'), fixedClock('2026-01-01T00:00:00Z')).service;
const flow = structures.registry.get({ class: 'Dataflow', agencyID: 'UNODC', id: 'DF_CTS_HOMICIDE', version: '1.0' }) as Dataflow;
const dsd = structures.registry.get(flow.structure) as DataStructure;

function checker() {
  return new DsdChecker({
    flowKey: 'UNODC:DF_CTS_HOMICIDE(1.0)',
    dsdKey: 'UNODC:DSD_CTS(1.0)',
    dsd,
    codelistOf: (id) => codelistOf(structures, dsd, id),
    constraints: allowedConstraintsOn(structures.registry, [flow, dsd]),
  });
}

// Switzerland's homicide victims 2019 (UN-CTS): a valid record of DF_CTS_HOMICIDE.
const VALID: Record<string, string> = {
  FREQ: 'A',
  REF_AREA: 'CHE',
  INDICATOR: 'VIC_HOM',
  OFFENCE: '0101',
  SEX: '_T',
  AGE: '_T',
  DISAGGREGATION: '_T',
  UNIT_MEASURE: 'NR',
  TIME_PERIOD: '2019',
  OBS_VALUE: '46',
  OBS_STATUS: 'A',
};

const record = (values: Record<string, string>, extra: Partial<UploadRecord> = {}): UploadRecord => ({ values, at: 'line 2', ...extra });
const without = (id: string) => Object.fromEntries(Object.entries(VALID).filter(([k]) => k !== id));

t.test('a valid record becomes the observation storage writes', async (t) => {
  const log = new ProblemLog();
  const obs = checker().check(record(VALID), log);
  t.equal(log.total, 0);
  t.same(obs, {
    seriesKey: 'A.CHE.VIC_HOM.0101._T._T._T.NR',
    dimensions: { FREQ: 'A', REF_AREA: 'CHE', INDICATOR: 'VIC_HOM', OFFENCE: '0101', SEX: '_T', AGE: '_T', DISAGGREGATION: '_T', UNIT_MEASURE: 'NR' },
    timePeriod: '2019',
    periodStart: '2019-01-01T00:00:00.000Z',
    periodEnd: '2019-12-31T23:59:59.999Z',
    value: 46,
    attributes: { OBS_STATUS: 'A' },
    deleted: false,
    at: 'line 2',
  });
  t.same(Object.keys(obs!.dimensions), dsd.dimensions.map((d) => d.id), 'dimensions in DSD order');
});

const CASES: { name: string; values: Record<string, string>; extra?: Partial<UploadRecord>; rule: string; component?: string }[] = [
  { name: 'unknown column', values: { ...VALID, REGION_NAME: 'Zürich' }, rule: 'unknown-component', component: 'REGION_NAME' },
  { name: 'record-level column', values: { ...VALID, VICTIM_ID: '7731' }, rule: 'microdata', component: 'VICTIM_ID' },
  { name: 'a single event date', values: { ...VALID, TIME_PERIOD: '2019-03-14' }, rule: 'microdata', component: 'TIME_PERIOD' },
  { name: 'missing dimension', values: without('SEX'), rule: 'missing-dimension', component: 'SEX' },
  { name: 'key of wrong arity', values: { KEY: 'A.CHE.VIC_HOM.0101._T._T.NR', TIME_PERIOD: '2019', OBS_VALUE: '46', OBS_STATUS: 'A' }, rule: 'series-key-arity', component: 'KEY' },
  { name: 'unknown code', values: { ...VALID, REF_AREA: 'XXX' }, rule: 'unknown-code', component: 'REF_AREA' },
  { name: 'unknown attribute code', values: { ...VALID, OBS_STATUS: 'Z' }, rule: 'unknown-code', component: 'OBS_STATUS' },
  { name: 'code outside the allowed constraint', values: { ...VALID, OFFENCE: '0201' }, rule: 'not-allowed', component: 'OFFENCE' },
  { name: 'malformed period', values: { ...VALID, TIME_PERIOD: '2019-13' }, rule: 'malformed-period', component: 'TIME_PERIOD' },
  { name: 'period of another frequency', values: { ...VALID, TIME_PERIOD: '2019-Q2' }, rule: 'period-frequency', component: 'TIME_PERIOD' },
  { name: 'non-numeric value', values: { ...VALID, OBS_VALUE: '1,234' }, rule: 'not-numeric', component: 'OBS_VALUE' },
  { name: 'negative count', values: { ...VALID, OBS_VALUE: '-3' }, rule: 'not-a-count', component: 'OBS_VALUE' },
  { name: 'missing value without a missing status', values: without('OBS_VALUE'), rule: 'missing-value', component: 'OBS_VALUE' },
  { name: 'missing mandatory attribute', values: without('OBS_STATUS'), rule: 'missing-mandatory-attribute', component: 'OBS_STATUS' },
  { name: 'file declares another dataflow', values: VALID, extra: { structure: 'ESTAT:CRIM_OFF_CAT(1.0)' }, rule: 'wrong-structure' },
];

for (const c of CASES) {
  t.test(c.name, async (t) => {
    const log = new ProblemLog();
    const obs = checker().check(record(c.values, c.extra), log);
    t.equal(obs, undefined, 'nothing to store');
    t.same(log.problems.map((p) => p.rule), [c.rule], 'exactly one problem, of the expected rule');
    if (c.component) t.equal(log.problems[0]!.component, c.component);
    t.equal(log.problems[0]!.at, 'line 2');
    t.ok(log.problems[0]!.message.length > 20, 'a message a person can act on');
  });
}

t.test('what is accepted', async (t) => {
  const accepted: [string, Record<string, string>, Partial<UploadRecord>?][] = [
    ['an estimated count with decimals, as Eurostat publishes some', { ...VALID, OBS_VALUE: '231909.06', OBS_STATUS: 'E' }],
    ['a rate with decimals', { ...VALID, UNIT_MEASURE: 'P_HTHAB', OBS_VALUE: '0.53' }],
    ['a missing value explained by OBS_STATUS M', { ...without('OBS_VALUE'), OBS_STATUS: 'M' }],
    ['NaN with OBS_STATUS M', { ...VALID, OBS_VALUE: 'NaN', OBS_STATUS: 'M' }],
    ['the series key in one KEY column', { KEY: 'A.CHE.VIC_HOM.0101._T._T._T.NR', TIME_PERIOD: '2019', OBS_VALUE: '46', OBS_STATUS: 'A' }],
    ['SDMX-CSV message columns', { ...VALID, DATAFLOW: 'UNODC:DF_CTS_HOMICIDE(1.0)' }, { structure: 'UNODC:DF_CTS_HOMICIDE(1.0)' }],
    ['the DSD named by URN', VALID, { structure: 'urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=UNODC:DSD_CTS(1.0)' }],
    ['a withdrawal needs no value', without('OBS_VALUE'), { action: 'D' }],
    ['the annual reporting period form', { ...VALID, TIME_PERIOD: '2019-A1' }],
  ];
  for (const [name, values, extra] of accepted) {
    const log = new ProblemLog();
    const obs = checker().check(record(values, extra), log);
    t.same(log.problems, [], name);
    t.ok(obs, name);
  }
});

t.test('an unknown column is reported once per file, not once per row', async (t) => {
  const c = checker();
  const log = new ProblemLog();
  for (let i = 0; i < 5; i += 1) c.check(record({ ...VALID, NOTE: 'x' }, { at: `line ${i + 2}` }), log);
  t.equal(log.total, 1);
});

t.test('the log keeps the first problems and counts them all', async (t) => {
  const c = checker();
  const log = new ProblemLog(10);
  for (let i = 0; i < 50; i += 1) c.check(record({ ...VALID, OBS_VALUE: 'n/a' }, { at: `line ${i + 2}` }), log);
  t.equal(log.total, 50);
  t.equal(log.problems.length, 10);
  t.same(log.byRule(), { 'not-numeric': 50 });
  t.equal(log.problems[9]!.at, 'line 11');
});
