/**
 * SDMX-JSON upload readers (1.0 and 2.0) and the streaming JSON tokenizer: hand-written
 * messages (structure first, data sets first, flat, dimension groups, defaults), our own exports
 * read back (they write dataSets before the structure), the TWG/ECB/OECD samples, malformed
 * documents.
 */
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSetAction } from '../../../src/sdmx/data/model.js';
import { jsonData10Writer } from '../../../src/sdmx/json10/data-writer.js';
import { jsonData20Writer } from '../../../src/sdmx/json20/data-writer.js';
import { JsonNumber, JsonTokenizer, formatPath, type JsonPath, type JsonValue } from '../../../src/upload/readers/json-tokenizer.js';
import { UploadFormatError, type UploadFormat } from '../../../src/upload/records.js';
import { crossSection, flattenSeries, sampleDataContext, sampleFlat, sampleReleases, sampleSeries, writeReleases } from '../../fixtures/sample-data.js';
import { fixture, readAll, readError } from '../../fixtures/uploads/read.js';
import { SDMX_SAMPLES } from '../../helpers/shared.js';

const SAMPLES = path.join(SDMX_SAMPLES, 'khaeru-sdmx-test-data');
const LETTER: Record<DataSetAction, string> = { Information: 'I', Append: 'A', Replace: 'R', Delete: 'D' };

function canonical(values: readonly Readonly<Record<string, string>>[]): string[] {
  return values.map((v) => JSON.stringify(Object.fromEntries(Object.entries(v).sort()))).sort();
}

// A temporary folder of this file's own: other test files running at the same time spool SDMX-JSON
// uploads too, and their spool folders must not count as ours.
const privateTmp = mkdtempSync(path.join(tmpdir(), 'json-readers-test-'));
process.env.TMPDIR = privateTmp;
t.teardown(() => rmSync(privateTmp, { recursive: true, force: true }));

async function spoolDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('sdmx-json-upload-'));
}

t.test('SDMX-JSON 1.0 by hand: data set, series and observation levels, defaults, nulls, numbers as written', async (t) => {
  const records = await readAll(fixture('sdmx-json-10.json'), 'sdmx-json-1.0');
  const flow = 'UNODC:DF_ICCS_CTS(1.0)';
  const at = (s: string, o: string) => `dataSets[0].series["${s}"].observations["${o}"]`;
  const isl = { FREQ: 'A', UNIT_MULT: '0', REF_AREA: 'ISL', OFFENCE: '0101', COMMENT: 'Police "recorded" é' };
  t.strictSame(records, [
    { values: { ...isl, TIME_PERIOD: '2014', OBS_VALUE: '3', OBS_STATUS: 'A' }, at: at('0:0', '0'), action: 'R', structure: flow },
    { values: { ...isl, TIME_PERIOD: '2015', OBS_VALUE: 'NaN', OBS_STATUS: 'M', OBS_CONF: 'F' }, at: at('0:0', '1'), action: 'R', structure: flow },
    { values: { ...isl, TIME_PERIOD: '2016', OBS_VALUE: '1.50', OBS_STATUS: 'A' }, at: at('0:0', '2'), action: 'R', structure: flow },
    {
      values: { FREQ: 'A', UNIT_MULT: '0', REF_AREA: 'FRA', OFFENCE: '0101', COMMENT: 'Courts', TIME_PERIOD: '2015', OBS_VALUE: '872.0' },
      at: at('1:0', '1'),
      action: 'R',
      structure: flow,
    },
    { values: { FREQ: 'A', UNIT_MULT: '0', REF_AREA: 'FRA', OFFENCE: '0102', TIME_PERIOD: '2016', OBS_STATUS: 'E' }, at: at('1:1', '2'), action: 'R', structure: flow },
  ]);
  t.comment('OBS_STATUS takes its default when left out, not when null; series 1:0 gives its attributes after its observations');
});

t.test('SDMX-JSON 1.0, early root layout, data sets before the structure, flat, OECD empty-values quirk', async (t) => {
  const before = await spoolDirs();
  const records = await readAll(fixture('sdmx-json-10-root-flat.json'), 'sdmx-json-1.0');
  t.strictSame(records, [
    { values: { REF_AREA: 'FRA', TIME_PERIOD: '2015' }, at: 'dataSets[0].observations["0:1"]', action: 'D', structure: 'UNODC:DF_ICCS_CTS(1.0)' },
    {
      values: { REF_AREA: 'ISL', TIME_PERIOD: '2014', OBS_VALUE: '5', OBS_STATUS: 'A' },
      at: 'dataSets[0].observations["1:0"]',
      action: 'D',
      structure: 'UNODC:DF_ICCS_CTS(1.0)',
    },
  ]);
  t.strictSame(await spoolDirs(), before, 'the spool file of data sets read before their structure is removed');
});

t.test('SDMX-JSON 2.0 by hand: two structures, two measures, literal values, dimension groups, data first', async (t) => {
  const records = await readAll(fixture('sdmx-json-20.json'), 'sdmx-json-2.0');
  const dsd = 'UNODC:DSD_ICCS(2.0.0)';
  t.strictSame(records, [
    {
      values: {
        FREQ: 'A',
        SOURCE_NOTE: 'as written',
        REF_AREA: 'ISL',
        OFFENCE: '0101',
        UNIT: 'NR',
        OFFENCE_NOTE: 'homicide',
        TIME_PERIOD: '2014',
        OBS_VALUE: '3',
        OBS_LABEL: 'three',
        COMMENT: 'first obs',
        OBS_STATUS: 'A',
      },
      at: 'dataSets[0].series["0:0"].observations["0"]',
      action: 'A',
      structure: dsd,
    },
    {
      values: { FREQ: 'A', SOURCE_NOTE: 'as written', REF_AREA: 'FRA', OFFENCE: '0102', OFFENCE_NOTE: 'theft', TIME_PERIOD: '2015', OBS_VALUE: '872', OBS_STATUS: 'E' },
      at: 'dataSets[0].series["1:1"].observations["1"]',
      action: 'A',
      structure: dsd,
    },
    { values: { A1: 'X', A2: 'Y', A3: '2020', OBS_VALUE: '1' }, at: 'dataSets[1].observations["0:0:0"]', structure: 'UNODC:FLOW_A(2.0.0)' },
  ]);
});

t.test('our SDMX-JSON exports read back (data sets are written before the structure)', async (t) => {
  const expected = sampleReleases.flatMap((r) =>
    flattenSeries(r.series).map((o) => ({
      ...(o.dimensions as Record<string, string>),
      ...(o.value !== null && { OBS_VALUE: String(o.value) }),
      ...o.attributes,
    })),
  );
  const actions = sampleReleases.flatMap((r) => flattenSeries(r.series).map(() => LETTER[r.info.action ?? 'Information']));
  const writers: [UploadFormat, typeof jsonData10Writer][] = [
    ['sdmx-json-1.0', jsonData10Writer],
    ['sdmx-json-2.0', jsonData20Writer],
  ];
  for (const [format, writer] of writers) {
    const text = writeReleases(writer(sampleDataContext()), sampleReleases);
    t.ok(text.indexOf('"dataSets"') < text.indexOf('"structure'), `${format}: dataSets come first`);
    const records = await readAll(text, format);
    t.strictSame(canonical(records.map((r) => r.values)), canonical(expected), `${format}: values`);
    t.strictSame(records.map((r) => r.values), expected, `${format}: in the order written`);
    t.strictSame(records.map((r) => r.action), actions, `${format}: actions`);
    t.ok(records.every((r) => r.structure === 'TEST:DF_TEST(1.0)'), `${format}: structure`);

    const flat = writer(sampleDataContext({ dimensionAtObservation: 'AllDimensions' }));
    const flatRecords = await readAll(flat.start() + flat.series(sampleFlat) + flat.end(), format);
    const flatExpected = flattenSeries(sampleSeries).map((o) => ({
      ...(o.dimensions as Record<string, string>),
      ...(o.value !== null && { OBS_VALUE: String(o.value) }),
      ...o.attributes,
    }));
    t.strictSame(canonical(flatRecords.map((r) => r.values)), canonical(flatExpected), `${format}: flat`);

    const xs = writer(sampleDataContext({ dimensionAtObservation: 'REF_AREA' }));
    let xsText = xs.start();
    for (const s of crossSection(sampleSeries, 'REF_AREA')) xsText += xs.series(s);
    const xsRecords = await readAll(xsText + xs.end(), format);
    t.strictSame(canonical(xsRecords.map((r) => r.values)), canonical(flatExpected), `${format}: cross-section`);
  }
});

t.test('the ECB, TWG and OECD samples', async (t) => {
  const read = async (file: string, format: UploadFormat) => readAll(readFileSync(path.join(SAMPLES, file)), format);
  const ts = await read('ECB_EXR/ts.json', 'sdmx-json-1.0');
  t.strictSame(ts[0], {
    values: {
      FREQ: 'D',
      CURRENCY_DENOM: 'EUR',
      EXR_TYPE: 'SP00',
      EXR_SUFFIX: 'A',
      CURRENCY: 'NZD',
      TITLE: 'New Zealand dollar (NZD)',
      TIME_PERIOD: '2013-01-18',
      OBS_VALUE: '1.5931',
      OBS_STATUS: 'A',
    },
    at: 'dataSets[0].series["0"].observations["0"]',
    action: 'I',
    structure: 'ECB:EXR(1.0)',
  });
  const want = canonical(ts.map((r) => r.values));
  t.strictSame(canonical((await read('ECB_EXR/xs.json', 'sdmx-json-1.0')).map((r) => r.values)), want, 'cross-section says the same');
  t.strictSame(canonical((await read('ECB_EXR/flat.json', 'sdmx-json-1.0')).map((r) => r.values)), want, 'flat says the same');
  const v2 = await read('v3/json/data/exr-time-series.json', 'sdmx-json-2.0');
  // the 2.0 sample writes 40.3 where the 1.0 one writes 40.3000: compare numbers as numbers here
  const numeric = (v: Readonly<Record<string, string>>) => ({ ...v, OBS_VALUE: String(Number(v.OBS_VALUE)) });
  t.strictSame(
    canonical(v2.map((r) => numeric(r.values))),
    canonical(ts.map((r) => numeric({ ...r.values, TIME_FORMAT: 'P1D' }))),
    '2.0 time series: the same plus a data set attribute default',
  );
  t.strictSame(canonical((await read('v3/json/data/exr-cross-section.json', 'sdmx-json-2.0')).map((r) => r.values)), canonical(v2.map((r) => r.values)));
  const deleted = await read('ECB_EXR/action-delete.json', 'sdmx-json-1.0');
  t.strictSame(
    deleted.map((r) => [r.action, r.values.CURRENCY, r.values.TIME_PERIOD, r.values.OBS_VALUE]),
    [
      ['R', 'RUB', '2013-01-18', '40.3426'],
      ['R', 'RUB', '2013-01-21', '40.3000'],
      ['D', 'NZD', '2013-01-18', undefined],
    ],
  );
  const oecd = await read('OECD/data-PART2-all-all.json', 'sdmx-json-1.0');
  t.equal(oecd.length, 7, 'OECD: data sets before the structure, attributes with no values skipped in the arrays');
  t.strictSame(oecd[1]?.values, { LOCATION: 'HUN', IND: '5CLAT', PER: 'CHG', GRD: 'FOG', FLD: 'MAT', MSR: 'MN', OBS_VALUE: '-2.13889095389401', OBS_STATUS: 'x' });
  t.equal(oecd[1]?.structure, undefined, 'a link that is not AGENCY/ID/VERSION names no structure');
  const generated = await readError(readFileSync(path.join(SAMPLES, 'v3/json/data/generated-sample.json')), 'sdmx-json-2.0');
  t.ok(generated instanceof UploadFormatError, 'the random schema sample points outside its values: a format error, not a crash');
});

t.test('JSON tokenizer: descend, capture and skip; numbers as written; pieces of any size', async (t) => {
  const text = '{"a": [1, -2.50e+3, "x\\u00e9\\"y", true, null], "b": {"c": {"d": [false]}}, "skip": {"e": [1, {"f": 2}]}, "s": "é😀"}';
  const run = (size: number) => {
    const events: string[] = [];
    const tokenizer = new JsonTokenizer({
      enter: (p: JsonPath) => (p.length === 0 || p[0] === 'a' ? 'descend' : p[0] === 'skip' ? 'skip' : 'capture'),
      value: (p: JsonPath, v: JsonValue) => events.push(`${formatPath(p)}=${JSON.stringify(v, (_, x) => (x instanceof JsonNumber ? `#${x.text}` : x))}`),
      leave: (p: JsonPath) => events.push(`leave ${formatPath(p)}`),
    });
    for (let i = 0; i < text.length; i += size) tokenizer.write(text.slice(i, i + size));
    tokenizer.end();
    return events;
  };
  const expected = [
    'a[0]="#1"',
    'a[1]="#-2.50e+3"',
    'a[2]="xé\\"y"',
    'a[3]=true',
    'a[4]=null',
    'leave a',
    'b={"c":{"d":[false]}}',
    's="é😀"',
    'leave ',
  ];
  for (const size of [1, 2, 3, 7, 1000]) t.strictSame(run(size), expected, `pieces of ${size}`);
});

t.test('malformed SDMX-JSON: UploadFormatError with a location', async (t) => {
  const structure = '"structure":{"dimensions":{"observation":[{"id":"T","values":[{"id":"2014"}]}]}}';
  const cases: [string, string, RegExp, RegExp][] = [
    ['truncated', `{"data":{${structure},"dataSets":[{"observations":{"0":[1`, /ends too early/, /^byte \d+/],
    ['trailing garbage', `{"data":{${structure}}} x`, /after the end/, /^byte \d+/],
    ['bad token', `{"data":{${structure},"dataSets":[{"observations":{"0":[1,]}}]}}`, /unexpected "\]"/, /^byte \d+ in data\.dataSets\[0\]\.observations\["0"\]$/],
    ['missing comma', `{"data":{${structure} "dataSets":[]}}`, /expected , or \}/, /^byte \d+ in data/],
    ['bad number', `{"data":{${structure},"dataSets":[{"observations":{"0":[01]}}]}}`, /bad number "01"/, /^byte \d+/],
    ['bad escape', `{"data":{${structure},"x":"\\q"}}`, /bad escape/, /^byte \d+/],
    ['not an object', '[1,2]', /no data\.dataSets and no structure/, /^byte \d+/],
    ['a scalar', '"data"', /not a JSON object/, /^byte/],
    ['empty', '', /empty/, /^byte 0/],
    ['no structure', '{"data":{"dataSets":[{"observations":{"0":[1]}}]}}', /no structure section/, /^byte \d+/],
    ['index out of range', `{"data":{${structure},"dataSets":[{"observations":{"3":[1]}}]}}`, /index "3" does not point to a value of T/, /^dataSets\[0\]\.observations\["3"\]$/],
    ['wrong key length', `{"data":{${structure},"dataSets":[{"observations":{"0:0":[1]}}]}}`, /2 indices where 1 dimensions/, /^dataSets\[0\]\.observations\["0:0"\]$/],
    ['observation not an array', `{"data":{${structure},"dataSets":[{"observations":{"0":1}}]}}`, /must be an array/, /^dataSets\[0\]/],
    ['action after data', `{"data":{${structure},"dataSets":[{"observations":{},"action":"Delete"}]}}`, /"action" must come before/, /^byte \d+ in data\.dataSets\[0\]/],
    ['unknown action', `{"data":{${structure},"dataSets":[{"action":"Update","observations":{}}]}}`, /unknown data set action "Update"/, /^dataSets\[0\]\.action$/],
    ['missing structure index', `{"data":{"structures":[],"dataSets":[{"observations":{}}]}}`, /refers to structure 0/, /^byte \d+/],
    ['dataSets not an array', `{"data":{${structure},"dataSets":{"x":{}}}}`, /dataSets must be an array/, /^byte \d+/],
  ];
  for (const [name, json, message, at] of cases) {
    for (const chunking of ['whole', 1] as const) {
      const e = await readError(json, 'sdmx-json-1.0', chunking);
      t.ok(e instanceof UploadFormatError, `${name} (${chunking})`);
      t.match(e?.message, message, `${name}: ${e?.message}`);
      t.match(e?.at, at, `${name}: ${e?.at}`);
    }
  }
  const longString = `{"data":{"x":"${'a'.repeat(17 * 1024 * 1024)}`;
  t.match(await readError(longString, 'sdmx-json-1.0', 1024 * 1024), { message: /longer than 16 MiB/ }, 'an endless string is refused before memory grows');
});
