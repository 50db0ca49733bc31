/**
 * SDMX-CSV 1.0 and 2.0 data writers: header shapes against the spec examples and a real
 * Eurostat SDMX-CSV 1.0 file, labels and keys options, and a round trip over detail ×
 * dimensionAtObservation: the output is read back with a strict RFC 4180 parser (below) and the
 * observations, keys and attributes compared with the input.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { csv10Writer } from '../../../src/sdmx/csv/csv10-writer.js';
import { csv20Writer, type CsvKeys } from '../../../src/sdmx/csv/csv20-writer.js';
import type { DataDetail, DataMessageContext, DataWriter, Series } from '../../../src/sdmx/data/model.js';
import {
  sampleDataContext,
  sampleFlat,
  sampleReleases,
  sampleSeries,
  crossSection,
  flattenSeries,
  namedDataContext,
  writeReleases,
} from '../../fixtures/sample-data.js';
import { sampleHeader } from '../../fixtures/sample-structures.js';
import { CSV_FIELD_GUIDE, DATA } from '../../helpers/shared.js';

// ---------------------------------------------------------------------------------------------
// A strict RFC 4180 reader: quoted fields with commas, doubled quotes and line breaks; CRLF or
// LF record ends; every record must have as many fields as the header.

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' && field === '') {
      // a quoted field runs to the next quote not followed by another quote
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') throw new Error(`text after a closing quote at ${i}`);
      continue;
    }
    if (ch === '"') throw new Error(`quote inside an unquoted field at ${i}`);
    if (ch === ',') {
      endField();
      i++;
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r') {
        if (text[i + 1] !== '\n') throw new Error(`bare CR at ${i}`);
        i++;
      }
      i++;
      endField();
      rows.push(row);
      row = [];
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length) throw new Error('last record has no line end');
  const width = rows[0]?.length;
  rows.forEach((r, n) => {
    if (r.length !== width) throw new Error(`record ${n} has ${r.length} fields, header has ${width}`);
  });
  return rows;
}

const records = (rows: string[][]): Record<string, string>[] => {
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
};

t.test('the test parser reads quotes, commas and line breaks', async (t) => {
  t.same(parseCsv('a,b,c\r\n"x, y","say ""hi""","l1\r\nl2"\r\n,,\n'), [
    ['a', 'b', 'c'],
    ['x, y', 'say "hi"', 'l1\r\nl2'],
    ['', '', ''],
  ]);
  t.throws(() => parseCsv('a,b\r\n1\r\n'));
  t.throws(() => parseCsv('a\r\n"x"y\r\n'));
});

// ---------------------------------------------------------------------------------------------
// Input views of the sample data

/** A tricky text attribute: comma, quotes, CRLF, LF, leading space, non-ASCII. */
const TRICKY = ' Said "no", then\r\nleft;\nÍsland: ok';

const trickySeries: Series = {
  key: { FREQ: 'A', REF_AREA: 'FRA', OFFENCE: '010321' },
  attributes: { COMMENT: TRICKY },
  observations: [{ at: '2017', value: 0.1 + 0.2, attributes: { OBS_STATUS: 'E' } }],
};
const timeSeries: readonly Series[] = [...sampleSeries, trickySeries];

const flatObservations = flattenSeries(timeSeries);


const VIEWS: Record<string, readonly Series[]> = {
  TIME_PERIOD: timeSeries,
  REF_AREA: crossSection(timeSeries, 'REF_AREA'),
  AllDimensions: [
    {
      key: {},
      attributes: {},
      observations: [
        ...sampleFlat.observations,
        ...flatObservations.slice(sampleFlat.observations.length).map((o) => ({ ...o })),
      ],
    },
  ],
};
const DETAILS: DataDetail[] = ['full', 'dataonly', 'serieskeysonly', 'nodata'];
const DIMS = ['FREQ', 'REF_AREA', 'OFFENCE', 'TIME_PERIOD'];

function run(w: DataWriter, series: readonly Series[]): string {
  return w.start() + series.map((s) => w.series(s)).join('') + w.end();
}

/** What a row of each detail must hold, built from the input independently of the writer. */
function expectedRows(detail: DataDetail, view: string, series: readonly Series[]): Record<string, string>[] {
  const perObs = detail === 'full' || detail === 'dataonly' || view === 'AllDimensions';
  const source = perObs
    ? flatObservations.map((o) => ({ dims: o.dimensions as Record<string, string>, value: o.value, attrs: o.attributes as Record<string, string> }))
    : series.map((s) => ({ dims: s.key as Record<string, string>, value: null, attrs: s.attributes as Record<string, string> }));
  return source.map(({ dims, value, attrs }) => {
    const r: Record<string, string> = {};
    for (const d of DIMS) if (d !== view || perObs) r[d] = dims[d] ?? '';
    if (detail === 'full' || detail === 'dataonly') r.OBS_VALUE = value === null ? '' : String(value);
    if (detail === 'full') r.OBS_STATUS = attrs.OBS_STATUS ?? '';
    if (detail === 'full' || detail === 'nodata') r.COMMENT = attrs.COMMENT ?? '';
    return r;
  });
}

const sortRows = (rows: Record<string, string>[]) =>
  [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

// ---------------------------------------------------------------------------------------------
// SDMX-CSV 1.0

const SPEC10 = readFileSync(CSV_FIELD_GUIDE.v10, 'utf8');
const SPEC20 = readFileSync(CSV_FIELD_GUIDE.v20, 'utf8');
/** The example lines of a field guide (indented by a tab or four spaces), grouped per example. */
const exampleLines = (md: string, first: string) =>
  md
    .split('\n')
    .filter((l) => /^(\t|    )\S/.test(l))
    .map((l) => l.trim())
    .filter((l) => l.startsWith(first));

t.test('CSV 1.0 header: DATAFLOW, dimensions in DSD order, TIME_PERIOD, OBS_VALUE, attributes', async (t) => {
  const out = run(csv10Writer(sampleDataContext()), sampleSeries);
  const rows = parseCsv(out);
  t.same(rows[0], ['DATAFLOW', 'FREQ', 'REF_AREA', 'OFFENCE', 'TIME_PERIOD', 'OBS_VALUE', 'OBS_STATUS', 'COMMENT']);
  t.same(rows[1], ['TEST:DF_TEST(1.0)', 'A', 'ISL', '0101', '2014', '3', 'A', 'Police-recorded victims & <suspects>']);
  t.same(rows[3]?.slice(4, 6), ['2016', ''], 'a missing value is an empty field');
  t.ok(out.endsWith('\r\n'));

  // The spec's examples (1.0 §Examples): the first term is DATAFLOW, the measure OBS_VALUE, and
  // every other term an id or `ID: Name`; the dataflow value is AGENCY:ID(VERSION).
  const specHeaders = exampleLines(SPEC10, 'DATAFLOW');
  t.equal(specHeaders.length, 3);
  for (const h of specHeaders) {
    const terms = h.split(h[8]!); // "the ninth character of the message" is the separator
    t.equal(terms[0], rows[0]![0]);
    t.ok(terms.includes('OBS_VALUE'));
  }
  const specRow = exampleLines(SPEC10, 'ESTAT:NA_MAIN')[0]!;
  const flowPattern = /^[A-Za-z][\w.-]*:[\w@$-]+\(\d+(\.\d+)*\)$/;
  t.match(specRow.split(',')[0], flowPattern);
  t.match(rows[1]![0], flowPattern);
});

t.test('CSV 1.0 header has the shape of a real Eurostat export', async (t) => {
  const text = readFileSync(path.join(DATA.eurostat, 'estat_crim_off_cat_sdmx-csv.csv'), 'utf8');
  const estat = parseCsv(text); // also proves the parser on 12k real rows
  t.equal(estat.length, 12385);
  const eh = estat[0]!;
  const ours = parseCsv(run(csv10Writer(sampleDataContext()), sampleSeries))[0]!;
  for (const h of [eh, ours]) {
    t.equal(h[0], 'DATAFLOW', 'DATAFLOW first');
    t.equal(h.indexOf('OBS_VALUE') - h.indexOf('TIME_PERIOD'), 1, 'TIME_PERIOD right before OBS_VALUE');
    t.ok(h.indexOf('OBS_VALUE') < h.length - 1, 'attributes after OBS_VALUE');
  }
  // Eurostat adds a custom LAST UPDATE column; the rest is dimensions, time, value, attribute.
  t.same(eh, ['DATAFLOW', 'LAST UPDATE', 'freq', 'iccs', 'unit', 'geo', 'TIME_PERIOD', 'OBS_VALUE', 'OBS_FLAG']);
  t.equal(estat[1]![0], 'ESTAT:CRIM_OFF_CAT(1.0)');
  t.equal(parseCsv(run(csv10Writer(sampleDataContext()), sampleSeries))[1]![0], 'TEST:DF_TEST(1.0)');
});

t.test('CSV 1.0 labels=both: `ID: Name` in the header and coded values, in the header language', async (t) => {
  const rows = parseCsv(run(csv10Writer(sampleDataContext({ labels: 'both' })), sampleSeries));
  t.same(rows[0], [
    'DATAFLOW',
    'FREQ: Frequency',
    'REF_AREA: Reference area',
    'OFFENCE: Offence',
    'TIME_PERIOD',
    'OBS_VALUE',
    'OBS_STATUS: Observation status',
    'COMMENT',
  ]);
  t.same(rows[1], [
    'TEST:DF_TEST(1.0): Test flow',
    'A: Annual',
    'ISL: Iceland',
    '0101: Intentional homicide',
    '2014',
    '3',
    'A: Normal value',
    'Police-recorded victims & <suspects>',
  ]);
  const es = parseCsv(
    run(csv10Writer(sampleDataContext({ labels: 'both', header: { ...sampleHeader, languages: ['es-ES'] } })), sampleSeries),
  );
  t.same(es[0]!.slice(0, 3), ['DATAFLOW', 'FREQ: Frecuencia', 'REF_AREA: Reference area'], 'es, falling back to en');
  t.same(es[1]!.slice(0, 3), ['TEST:DF_TEST(1.0): Flujo de prueba', 'A: Anual', 'ISL: Islandia']);
  t.same(es[1]![6], 'A: Normal value');
});

// ---------------------------------------------------------------------------------------------
// SDMX-CSV 2.0

t.test('CSV 2.0 header and structure columns follow the spec examples', async (t) => {
  const rows = parseCsv(run(csv20Writer(sampleDataContext()), sampleSeries));
  t.same(rows[0], ['STRUCTURE', 'STRUCTURE_ID', 'ACTION', 'FREQ', 'REF_AREA', 'OFFENCE', 'TIME_PERIOD', 'OBS_VALUE', 'OBS_STATUS', 'COMMENT']);
  t.same(rows[1]!.slice(0, 3), ['dataflow', 'TEST:DF_TEST(1.0)', 'I']);

  const specHeaders = exampleLines(SPEC20, 'STRUCTURE');
  const ex1 = specHeaders[0]!.split(',');
  t.same(rows[0]!.slice(0, 3), ex1.slice(0, 3), 'example 1 prefix');
  const ex4 = specHeaders.find((h) => h.includes('OBS_KEY'))!.split(';');
  const both = parseCsv(run(csv20Writer(sampleDataContext(), { keys: 'both' }), sampleSeries));
  t.same(both[0]!.slice(1, 5), ex4.slice(1, 5), 'example 4: SERIES_KEY then OBS_KEY after ACTION');
  const ex6 = specHeaders.find((h) => h.includes('STRUCTURE_NAME'))!.split(',');
  const named = parseCsv(run(csv20Writer(sampleDataContext({ labels: 'name' })), sampleSeries));
  t.same(named[0]!.slice(0, 4), ex6.slice(0, 4), 'example 6: STRUCTURE_NAME after STRUCTURE_ID');
  const specRow = exampleLines(SPEC20, 'dataflow,ESTAT:NA_MAIN(1.6.0),I')[0]!.split(',');
  t.same(rows[1]!.slice(0, 3).map((f, i) => (i === 1 ? 'X' : f)), specRow.slice(0, 3).map((f, i) => (i === 1 ? 'X' : f)));
});

t.test('CSV 2.0 keys: SERIES_KEY and OBS_KEY are ids joined by dots in DSD order', async (t) => {
  for (const keys of ['none', 'obs', 'series', 'both'] as CsvKeys[]) {
    const head = parseCsv(run(csv20Writer(sampleDataContext(), { keys }), sampleSeries))[0]!;
    t.same(head.slice(3, 5).filter((h) => h.endsWith('_KEY')), { none: [], obs: ['OBS_KEY'], series: ['SERIES_KEY'], both: ['SERIES_KEY', 'OBS_KEY'] }[keys], keys);
  }
  const ts = records(parseCsv(run(csv20Writer(sampleDataContext({ labels: 'both' }), { keys: 'both' }), sampleSeries)));
  t.equal(ts[0]!.SERIES_KEY, 'A.ISL.0101', 'ids even with labels=both');
  t.equal(ts[0]!.OBS_KEY, 'A.ISL.0101.2014');
  const xs = records(parseCsv(run(csv20Writer(sampleDataContext({ dimensionAtObservation: 'REF_AREA' }), { keys: 'both' }), VIEWS.REF_AREA!)));
  t.equal(xs[0]!.SERIES_KEY, 'A.0101.2014', 'cross-section: the series key holds TIME_PERIOD, not REF_AREA');
  t.equal(xs[0]!.OBS_KEY, 'A.ISL.0101.2014');
  const flat = records(parseCsv(run(csv20Writer(sampleDataContext({ dimensionAtObservation: 'AllDimensions' }), { keys: 'both' }), VIEWS.AllDimensions!)));
  t.equal(flat[0]!.SERIES_KEY, '', 'flat: no series key');
  t.equal(flat[0]!.OBS_KEY, 'A.ISL.0101.2014');
  const sko = records(parseCsv(run(csv20Writer(sampleDataContext({ detail: 'serieskeysonly' }), { keys: 'both' }), sampleSeries)));
  t.same([sko[0]!.SERIES_KEY, sko[0]!.OBS_KEY], ['A.ISL.0101', ''], 'a series row has no OBS_KEY');
});

t.test('CSV 2.0 labels=both and labels=name', async (t) => {
  const both = parseCsv(run(csv20Writer(sampleDataContext({ labels: 'both' })), sampleSeries));
  t.same(both[0], ['STRUCTURE', 'STRUCTURE_ID', 'ACTION', 'FREQ: Frequency', 'REF_AREA: Reference area', 'OFFENCE: Offence', 'TIME_PERIOD', 'OBS_VALUE', 'OBS_STATUS: Observation status', 'COMMENT']);
  t.same(both[1], ['dataflow', 'TEST:DF_TEST(1.0): Test flow', 'I', 'A: Annual', 'ISL: Iceland', '0101: Intentional homicide', '2014', '3', 'A: Normal value', 'Police-recorded victims & <suspects>']);
  const name = parseCsv(run(csv20Writer(sampleDataContext({ labels: 'name' })), sampleSeries));
  t.same(name[0], [
    'STRUCTURE', 'STRUCTURE_ID', 'STRUCTURE_NAME', 'ACTION',
    'FREQ', 'Frequency', 'REF_AREA', 'Reference area', 'OFFENCE', 'Offence', 'TIME_PERIOD', 'TIME_PERIOD',
    'OBS_VALUE', 'OBS_VALUE', 'OBS_STATUS', 'Observation status', 'COMMENT', 'COMMENT',
  ]);
  t.same(name[3], [
    'dataflow', 'TEST:DF_TEST(1.0)', 'Test flow', 'I',
    'A', 'Annual', 'ISL', 'Iceland', '0101', 'Intentional homicide', '2016', '',
    '', '', 'E', 'Estimated value', 'Police-recorded victims & <suspects>', '',
  ]);
});

// ---------------------------------------------------------------------------------------------
// Round trip over detail × dimensionAtObservation, both writers

const writers: Record<string, (ctx: DataMessageContext) => DataWriter> = {
  'csv 1.0': csv10Writer,
  'csv 2.0': (ctx) => csv20Writer(ctx, { keys: 'both' }),
};

for (const [writerName, make] of Object.entries(writers)) {
  t.test(`${writerName}: round trip over detail × dimensionAtObservation`, async (t) => {
    for (const detail of DETAILS) {
      for (const [view, series] of Object.entries(VIEWS)) {
        const ctx = sampleDataContext({ detail, dimensionAtObservation: view });
        const w = make(ctx);
        const head = w.start();
        const chunks = series.map((s) => w.series(s));
        const out = head + chunks.join('') + w.end();
        const rows = parseCsv(out);
        t.equal(parseCsv(head).length, 1, 'start() is the header alone');
        const got = records(rows).map((r) => {
          const { DATAFLOW, STRUCTURE, STRUCTURE_ID, ACTION, SERIES_KEY, OBS_KEY, ...rest } = r;
          if (writerName === 'csv 1.0') t.equal(DATAFLOW, 'TEST:DF_TEST(1.0)');
          else t.same([STRUCTURE, STRUCTURE_ID, ACTION], ['dataflow', 'TEST:DF_TEST(1.0)', 'I']);
          return rest;
        });
        const want = expectedRows(detail, view, series);
        t.same(Object.keys(got[0] ?? {}), Object.keys(want[0]!), `${detail} ${view}: columns`);
        t.same(sortRows(got), sortRows(want), `${detail} ${view}: rows`);
      }
    }
  });
}

t.test('numbers are written in their shortest round-trip form', async (t) => {
  const values = [0.1 + 0.2, 1e21, 5e-324, -0, 123456789.123456789, 1 / 3];
  const s: Series = {
    key: { FREQ: 'A', REF_AREA: 'ISL', OFFENCE: '0101' },
    attributes: {},
    observations: values.map((value, i) => ({ at: String(2000 + i), value, attributes: {} })),
  };
  const got = records(parseCsv(run(csv10Writer(sampleDataContext({ detail: 'dataonly' })), [s]))).map((r) => Number(r.OBS_VALUE));
  t.same(got.map((v) => Object.is(v, -0) ? 0 : v), values.map((v) => (Object.is(v, -0) ? 0 : v)));
  t.ok(got.every((v, i) => v === values[i]));
});

// ---------------------------------------------------------------------------------------------
// Several data sets, component names

t.test('several data sets: CSV 2.0 says each row\'s action, CSV 1.0 rows simply follow', async (t) => {
  /** The rows of one data set at detail=full, built from its series. */
  const want = (series: readonly Series[]) =>
    flattenSeries(series).map((o) => ({
      ...(o.dimensions as Record<string, string>),
      OBS_VALUE: o.value === null ? '' : String(o.value),
      OBS_STATUS: o.attributes.OBS_STATUS ?? '',
      COMMENT: o.attributes.COMMENT ?? '',
    }));
  for (const view of Object.keys(VIEWS)) {
    const flat = view === 'AllDimensions';
    const toInput = (series: readonly Series[]): Series[] =>
      flat ? [{ key: {}, attributes: {}, observations: flattenSeries(series) }] : view === 'TIME_PERIOD' ? [...series] : crossSection(series, view);
    const ctx = sampleDataContext({ dimensionAtObservation: view });
    const rows20 = records(parseCsv(writeReleases(csv20Writer(ctx), sampleReleases, toInput)));
    const sizes = sampleReleases.map((r) => flattenSeries(r.series).length);
    t.same(
      rows20.map((r) => r.ACTION),
      [...Array(sizes[0]).fill('R'), ...Array(sizes[1]).fill('A')],
      `${view}: R for the Replace data set, A for the Append one`,
    );
    const strip = ({ STRUCTURE, STRUCTURE_ID, ACTION, DATAFLOW, ...rest }: Record<string, string>) => rest;
    const perSet = (rows: Record<string, string>[]) => [rows.slice(0, sizes[0]), rows.slice(sizes[0])];
    const wantPerSet = sampleReleases.map((r) => sortRows(want(r.series)));
    t.same(perSet(rows20.map(strip)).map(sortRows), wantPerSet, `${view}: CSV 2.0 rows per data set`);
    const rows10 = records(parseCsv(writeReleases(csv10Writer(ctx), sampleReleases, toInput)));
    t.same(Object.keys(rows10[0] ?? {})[0], 'DATAFLOW');
    t.same(perSet(rows10.map(strip)).map(sortRows), wantPerSet, `${view}: CSV 1.0 rows, one header`);
  }
  const w = csv20Writer(sampleDataContext());
  w.start();
  t.match(w.series(sampleSeries[1] as Series), /^dataflow,TEST:DF_TEST\(1\.0\),I,/, 'the default data set is I');
  w.endDataSet();
  w.beginDataSet({ action: 'Delete' });
  t.match(w.series(sampleSeries[1] as Series), /^dataflow,TEST:DF_TEST\(1\.0\),D,/);
  t.equal(w.end(), '');
});

t.test('component names come from the context when it gives them', async (t) => {
  const both10 = parseCsv(run(csv10Writer(namedDataContext({ labels: 'both' })), sampleSeries));
  t.same(both10[0], [
    'DATAFLOW',
    'FREQ: Frequency',
    'REF_AREA: Reference area',
    'OFFENCE: Offence (ICCS)',
    'TIME_PERIOD: Time period',
    'OBS_VALUE',
    'OBS_STATUS: Observation status',
    'COMMENT: Comment',
  ], 'concept names, uncoded components included; 1.0 keeps the bare OBS_VALUE term');
  const name20 = parseCsv(run(csv20Writer(namedDataContext({ labels: 'name' })), sampleSeries));
  t.same(name20[0], [
    'STRUCTURE', 'STRUCTURE_ID', 'STRUCTURE_NAME', 'ACTION',
    'FREQ', 'Frequency', 'REF_AREA', 'Reference area', 'OFFENCE', 'Offence (ICCS)', 'TIME_PERIOD', 'Time period',
    'OBS_VALUE', 'Observation value', 'OBS_STATUS', 'Observation status', 'COMMENT', 'Comment',
  ]);
  t.same(name20[1]!.slice(4, 10), ['A', 'Annual', 'ISL', 'Iceland', '0101', 'Intentional homicide'], 'values keep their code names');
  const es = parseCsv(
    run(csv20Writer(namedDataContext({ labels: 'both', header: { ...sampleHeader, languages: ['es'] }, componentName: (id) => (id === 'OFFENCE' ? { en: 'Offence (ICCS)', es: 'Delito (ICCS)' } : undefined) })), sampleSeries),
  );
  t.same(es[0]!.slice(3, 7), ['FREQ: Frecuencia', 'REF_AREA: Reference area', 'OFFENCE: Delito (ICCS)', 'TIME_PERIOD'], 'header language; codelist name or id as fallback');
});

// ---------------------------------------------------------------------------------------------
// Writing into a sink (large exports)

t.test('seriesInto puts exactly what series returns, in every view, detail and label choice', async (t) => {
  for (const [view, series] of Object.entries(VIEWS)) {
    for (const detail of DETAILS) {
      for (const labels of ['id', 'both'] as const) {
        const ctx = sampleDataContext({ dimensionAtObservation: view, detail, labels, dataSetAttributes: view === 'REF_AREA' ? { COMMENT: 'set' } : undefined });
        const byText = csv10Writer(ctx);
        const bySink = csv10Writer(ctx);
        let text = byText.start();
        const pieces = [bySink.start()];
        const sink = { put: (piece: string) => void pieces.push(piece) };
        for (const s of series) {
          text += byText.series(s);
          bySink.seriesInto!(s, sink);
        }
        text += byText.end();
        pieces.push(bySink.end());
        t.equal(pieces.join(''), text, `${view} ${detail} labels=${labels}`);
      }
    }
  }
  // The ids path hands over pieces (no row text is built); a series with no observation puts nothing.
  const w = csv10Writer(sampleDataContext());
  w.start();
  const pieces: string[] = [];
  w.seriesInto!(sampleSeries[0] as Series, { put: (p) => void pieces.push(p) });
  t.ok(pieces.length >= 4 * (sampleSeries[0] as Series).observations.length, `${pieces.length} pieces`);
  t.ok(pieces.every((p) => !p.includes('\r\n') || p.endsWith('\r\n')), 'a row ends with its last piece');
});

t.test('seriesInto keeps the call order of series()', async (t) => {
  const sink = { put: () => undefined };
  const w = csv10Writer(sampleDataContext());
  t.throws(() => w.seriesInto!(sampleSeries[0] as Series, sink), /before start/);
  w.start({ openDefaultDataSet: false });
  const pieces: string[] = [];
  w.seriesInto!(sampleSeries[0] as Series, { put: (p) => void pieces.push(p) });
  t.ok(pieces.length > 0, 'the first series opens the default data set');
  w.endDataSet();
  t.throws(() => w.seriesInto!(sampleSeries[0] as Series, sink), /no data set is open/);
  w.end();
  t.throws(() => w.seriesInto!(sampleSeries[0] as Series, sink), /after end/);
  t.equal(csv20Writer(sampleDataContext()).seriesInto, undefined, 'a writer without it leaves it out');
});
