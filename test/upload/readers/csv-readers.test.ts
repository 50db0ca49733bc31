/**
 * CSV upload readers: SDMX-CSV 1.0 (labels, quoting, BOM, CRLF), SDMX-CSV 2.0 (artefact types,
 * actions, key and name columns), national CSV; our own SDMX-CSV exports read back; the real
 * Eurostat SDMX-CSV 1.0 file read whole; malformed files.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { csv10Writer } from '../../../src/sdmx/csv/csv10-writer.js';
import { csv20Writer } from '../../../src/sdmx/csv/csv20-writer.js';
import type { DataSetAction } from '../../../src/sdmx/data/model.js';
import { UploadFormatError, type UploadFormat, type UploadRecord } from '../../../src/upload/records.js';
import { namedDataContext, sampleDataContext, sampleReleases, writeReleases } from '../../fixtures/sample-data.js';
import { fixture, readAll, readError } from '../../fixtures/uploads/read.js';
import { DATA } from '../../helpers/shared.js';

const LETTER: Record<DataSetAction, string> = { Information: 'I', Append: 'A', Replace: 'R', Delete: 'D' };

/** What every reader must give back for the sample releases (test/fixtures/sample-data.ts). */
function sampleRecordValues(measure: (v: number | null) => string | undefined): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const r of sampleReleases) {
    for (const s of r.series) {
      for (const o of s.observations) {
        const values: Record<string, string> = { ...s.key, TIME_PERIOD: o.at!, ...s.attributes, ...o.attributes };
        const v = measure(o.value);
        if (v !== undefined) values.OBS_VALUE = v;
        out.push(values);
      }
    }
  }
  return out;
}

const csvMeasure = (v: number | null) => (v === null ? undefined : String(v));

t.test('SDMX-CSV 1.0 by hand: labels, quotes, line breaks in quotes, BOM, CRLF', async (t) => {
  const records = await readAll(fixture('sdmx-csv-10-labels.csv'), 'sdmx-csv-1.0');
  const flow = 'UNODC:DF_ICCS_CTS(1.0)';
  t.strictSame(records, [
    {
      values: { FREQ: 'A', REF_AREA: 'ISL', OFFENCE: '0101', TIME_PERIOD: '2014', OBS_VALUE: '3', OBS_STATUS: 'A', COMMENT: 'Police-recorded, victims' },
      at: 'line 2',
      structure: flow,
    },
    {
      values: {
        FREQ: 'A',
        REF_AREA: 'ISL',
        OFFENCE: '0101',
        TIME_PERIOD: '2015',
        OBS_VALUE: 'NaN',
        OBS_STATUS: 'M',
        COMMENT: 'Said "twice"\r\nover two lines: é €',
      },
      at: 'line 3',
      structure: flow,
    },
    { values: { FREQ: 'A', REF_AREA: 'FRA', OFFENCE: '0101', TIME_PERIOD: '2015', OBS_VALUE: '872' }, at: 'line 5', structure: flow },
    {
      values: {
        FREQ: 'A',
        REF_AREA: 'FRA',
        OFFENCE: '0101',
        TIME_PERIOD: '2016',
        OBS_VALUE: ' 892 ',
        OBS_STATUS: 'E',
        COMMENT: 'Police-recorded victims: 3 counted',
      },
      at: 'line 7',
      structure: flow,
    },
  ]);
  t.comment('line 6 holds only empty cells and is skipped; line numbers count the line break inside quotes');
});

t.test('SDMX-CSV 2.0 by hand: STRUCTURE types, ACTION, key columns dropped, ATTR[] header', async (t) => {
  const records = await readAll(fixture('sdmx-csv-20.csv'), 'sdmx-csv-2.0');
  t.strictSame(records, [
    {
      values: { FREQ: 'A', REF_AREA: 'ISL', OFFENCE: '0101', TIME_PERIOD: '2014', OBS_VALUE: '3', OBS_STATUS: 'A', NOTE: 'x;y', UPDATED: '2024-01-22T13:15:41Z' },
      at: 'line 2',
      structure: 'UNODC:DF_ICCS_CTS(1.0)',
      action: 'I',
    },
    { values: { FREQ: 'A', REF_AREA: 'ISL', OFFENCE: '0101', TIME_PERIOD: '2015' }, at: 'line 3', structure: 'UNODC:DSD_ICCS(1.0)', action: 'D' },
    {
      values: { FREQ: 'A', REF_AREA: 'FRA', OFFENCE: '0101', TIME_PERIOD: '2015', OBS_VALUE: '872.50', OBS_STATUS: 'A', NOTE: 'Normal, special' },
      at: 'line 4',
      structure: 'UNODC:PA_ISL(1.0)',
      action: 'R',
    },
    { values: { FREQ: 'A', REF_AREA: 'FRA', OFFENCE: '0101', TIME_PERIOD: '2016', OBS_VALUE: 'NaN', OBS_STATUS: 'M' }, at: 'line 5', structure: 'UNODC:DF_ICCS_CTS(1.0)' },
  ]);
});

t.test('SDMX-CSV 2.0 labels=name: name columns are dropped', async (t) => {
  const records = await readAll(fixture('sdmx-csv-20-names.csv'), 'sdmx-csv-2.0');
  t.strictSame(
    records.map((r) => r.values),
    [
      { FREQ: 'A', REF_AREA: 'ISL', TIME_PERIOD: '2014', OBS_VALUE: '3' },
      { FREQ: 'A', REF_AREA: 'FRA', TIME_PERIOD: '2014', OBS_VALUE: '850' },
    ],
  );
  t.same(records.map((r) => r.action), ['A', 'A']);
});

t.test('national CSV: semicolons found, headers and cells trimmed, no structure', async (t) => {
  const records = await readAll(fixture('national.csv'), 'csv-national');
  t.strictSame(records, [
    { values: { Pays: 'IS', 'Code infraction': '0101', Année: '2014', Valeur: '3' }, at: 'line 2' },
    { values: { Pays: 'FR', 'Code infraction': '0101', Année: '2015', Valeur: '872', Note: 'provisoire; révisé' }, at: 'line 3' },
  ]);
  const tabs = await readAll('a\tb\n1\t2\n', 'csv-national');
  t.strictSame(tabs[0]?.values, { a: '1', b: '2' }, 'tab-separated');
  const noFinalNewline = await readAll('REF_AREA,VALUE\r\nISL,3', 'csv-national');
  t.strictSame(noFinalNewline, [{ values: { REF_AREA: 'ISL', VALUE: '3' }, at: 'line 2' }], 'the last line needs no line end');
});

t.test('SDMX-CSV 1.0 with semicolons, as the spec allows for locales', async (t) => {
  const records = await readAll('DATAFLOW;REF_AREA;OBS_VALUE\nA:B(1.0);ISL;"3,5"\n', 'sdmx-csv-1.0');
  t.strictSame(records, [{ values: { REF_AREA: 'ISL', OBS_VALUE: '3,5' }, at: 'line 2', structure: 'A:B(1.0)' }]);
});

t.test('our SDMX-CSV exports read back: every observation, period, value and attribute', async (t) => {
  const expected = sampleRecordValues(csvMeasure);
  const flow = 'TEST:DF_TEST(1.0)';

  const v10 = await readAll(writeReleases(csv10Writer(sampleDataContext()), sampleReleases), 'sdmx-csv-1.0');
  t.strictSame(v10.map((r) => r.values), expected, 'SDMX-CSV 1.0');
  t.ok(v10.every((r) => r.structure === flow && r.action === undefined));

  const labelled = await readAll(writeReleases(csv10Writer(namedDataContext({ labels: 'both' })), sampleReleases), 'sdmx-csv-1.0');
  t.strictSame(labelled.map((r) => r.values), expected, 'SDMX-CSV 1.0 with labels=both');
  t.ok(labelled.every((r) => r.structure === flow));

  const v20 = await readAll(writeReleases(csv20Writer(sampleDataContext()), sampleReleases), 'sdmx-csv-2.0');
  t.strictSame(v20.map((r) => r.values), expected, 'SDMX-CSV 2.0');
  const actions = sampleReleases.flatMap((r) => r.series.flatMap((s) => s.observations.map(() => LETTER[r.info.action ?? 'Information'])));
  t.strictSame(v20.map((r) => r.action), actions, 'each row keeps its data set action');

  for (const labels of ['both', 'name'] as const) {
    for (const keys of ['none', 'both'] as const) {
      const text = writeReleases(csv20Writer(namedDataContext({ labels }), { keys }), sampleReleases);
      const read = await readAll(text, 'sdmx-csv-2.0');
      t.strictSame(read.map((r) => r.values), expected, `SDMX-CSV 2.0 labels=${labels} keys=${keys}`);
      t.ok(read.every((r) => r.structure === flow), 'structure without its name');
    }
  }
});

t.test('the real Eurostat SDMX-CSV 1.0 file, read whole', async (t) => {
  const file = path.join(DATA.eurostat, 'estat_crim_off_cat_sdmx-csv.csv');
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').filter((l) => l !== '');
  const records = await readAll(Buffer.from(text), 'sdmx-csv-1.0', 'whole', 997);
  t.equal(records.length, lines.length - 1, 'one record per data line');
  t.equal(records.length, 12384);
  for (const n of [2, 3, 500, 7777, lines.length]) {
    const cells = lines[n - 1]!.split(',');
    const r = records[n - 2]!;
    t.equal(r.at, `line ${n}`);
    t.equal(r.structure, 'ESTAT:CRIM_OFF_CAT(1.0)');
    t.strictSame(
      r.values,
      {
        'LAST UPDATE': cells[1],
        freq: cells[2],
        iccs: cells[3],
        unit: cells[4],
        geo: cells[5],
        TIME_PERIOD: cells[6],
        ...(cells[7] !== '' && { OBS_VALUE: cells[7] }),
      },
      `line ${n}: ${lines[n - 1]}`,
    );
  }
  t.strictSame(records[0]!.values, {
    'LAST UPDATE': '08/06/22 11:00:00',
    freq: 'A',
    iccs: 'ICCS0101',
    unit: 'NR',
    geo: 'AL',
    TIME_PERIOD: '2008',
    OBS_VALUE: '88',
  });
  t.notOk(records.some((r) => 'OBS_FLAG' in r.values), 'the empty flag column is left out');
});

t.test('batches: records come in batches of batchSize, in file order', async (t) => {
  const text = 'A,B\n' + Array.from({ length: 25 }, (_, i) => `${i},x`).join('\n');
  const { readUpload } = await import('../../../src/upload/readers/index.js');
  const sizes: number[] = [];
  const seen: string[] = [];
  async function* one() {
    yield text;
  }
  for await (const batch of readUpload(one(), 'csv-national', { batchSize: 10 })) {
    sizes.push(batch.length);
    seen.push(...batch.map((r) => r.values.A!));
  }
  t.strictSame(sizes, [10, 10, 5]);
  t.strictSame(seen, Array.from({ length: 25 }, (_, i) => String(i)));
});

t.test('malformed CSV: UploadFormatError with the line', async (t) => {
  const cases: [string, UploadFormat, string | Buffer, RegExp, string][] = [
    ['unterminated quote', 'sdmx-csv-1.0', 'DATAFLOW,A\nX:Y(1.0),"open\nstill open\n', /ends inside a quoted field/, 'line 2'],
    ['text after a closing quote', 'csv-national', 'A,B\n1,"two"x\n', /after a closing quote/, 'line 2'],
    ['too many fields', 'sdmx-csv-1.0', 'DATAFLOW,A,B\nX:Y(1.0),1,2\nX:Y(1.0),1,2,3\n', /4 fields where the header has 3/, 'line 3'],
    ['too few fields', 'csv-national', 'A,B,C\r\n1,2\r\n', /2 fields where the header has 3/, 'line 2'],
    ['1.0 without DATAFLOW', 'sdmx-csv-1.0', 'FLOW,A\nx,1\n', /DATAFLOW/, 'line 1'],
    ['2.0 without STRUCTURE_ID', 'sdmx-csv-2.0', 'STRUCTURE,ID,A\ndataflow,X:Y(1.0),1\n', /STRUCTURE_ID/, 'line 1'],
    ['2.0 bad artefact type', 'sdmx-csv-2.0', 'STRUCTURE,STRUCTURE_ID,A\ncodelist,X:Y(1.0),1\n', /STRUCTURE must be/, 'line 2'],
    ['2.0 bad action', 'sdmx-csv-2.0', 'STRUCTURE,STRUCTURE_ID,ACTION,A\ndataflow,X:Y(1.0),Append,1\n', /ACTION must be/, 'line 2'],
    ['duplicate header', 'csv-national', 'A,B,A\n1,2,3\n', /names column A twice/, 'line 1'],
    ['empty header cell', 'csv-national', 'A,,C\n1,2,3\n', /column 2 of the header has no name/, 'line 1'],
    ['empty file', 'csv-national', '', /empty/, 'line 1'],
    ['not UTF-8', 'csv-national', Buffer.from([0x41, 0x2c, 0x42, 0x0a, 0xff, 0xfe, 0x2c, 0x31, 0x0a]), /UTF-8/, 'byte 0'],
  ];
  for (const [name, format, input, message, at] of cases) {
    const e = await readError(input, format);
    t.ok(e instanceof UploadFormatError, name);
    t.match(e?.message, message, name);
    t.equal(e?.at, at, `${name}: location`);
  }
  const binary = Buffer.alloc(17 * 1024 * 1024, 0x41);
  const e = await readError(binary, 'csv-national', 1024 * 1024);
  t.match(e, { at: 'line 1', message: /no line end within 16 MiB/ }, 'a file with no line end is refused before memory grows');
});

t.test('records are exactly as typed: UploadRecord carries strings only', async (t) => {
  const records: UploadRecord[] = await readAll('A,B\n007,1.50\n', 'csv-national');
  t.strictSame(records[0]!.values, { A: '007', B: '1.50' }, 'no number conversion');
});

t.test('a failing request stream is passed on as it is, not as a format error', async (t) => {
  const { readUpload } = await import('../../../src/upload/readers/index.js');
  const aborted = new Error('aborted');
  async function* body() {
    yield Buffer.from('A,B\n1,2\n');
    throw aborted;
  }
  const read = async () => {
    for await (const batch of readUpload(body(), 'csv-national')) void batch;
  };
  await t.rejects(read(), aborted);
});
