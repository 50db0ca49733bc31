/**
 * SDMX-JSON 2.0.0 data writer: every detail × dimensionAtObservation view of the sample data is
 * valid against the official 2.0.0 data schema and decodes (index or inline value → value) back
 * to the input; then what 2.0.0 does differently from 1.0 (measures, no empty value lists, SDMX
 * 3.0 relationships) and what clients rely on: every attribute indexed into its `values`, time
 * periods with `start` and `end`.
 */
import t from 'tap';
import { jsonData20Writer } from '../../../src/sdmx/json20/data-writer.js';
import type { DataDetail, DataMessageContext, Series } from '../../../src/sdmx/data/model.js';
import type { DataStructure } from '../../../src/sdmx/model.js';
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
import { dsd } from '../../fixtures/sample-structures.js';
import { validateJson } from '../../helpers/validate.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Rec = Record<string, string>;
interface Decoded {
  series: { key: Rec; attributes: Rec }[];
  observations: { key: Rec; value: number | null; attributes: Rec }[];
}

/** Runs the writer over the series, checking that every chunk is a string, and parses the whole. */
function write(ctx: DataMessageContext, series: readonly Series[]): J {
  const w = jsonData20Writer(ctx);
  const chunks = [w.start(), ...series.map((s) => w.series(s)), w.end()];
  for (const c of chunks) if (typeof c !== 'string') throw new Error('chunk is not a string');
  return JSON.parse(chunks.join(''));
}

/**
 * Index → value, as a client reads the message (2.0.0 guide, "Handling indexes"): a component
 * with `values` is referenced by index, one without is written inline; measures come first in an
 * observation array.
 */
function decode(doc: J, dataSet = 0): Decoded {
  if (doc.data.structures.length !== 1) throw new Error('one structure expected');
  const [st] = doc.data.structures;
  const ds = doc.data.dataSets[dataSet];
  const val = (c: J, i: number): string => {
    const v = c.values[i];
    if (v === undefined || (v.value === '' && v.id === undefined)) throw new Error(`${c.id}: index ${i} refers to no value`);
    return v.id ?? v.value;
  };
  const attrs = (comps: J[] = [], arr: unknown[] | undefined): Rec => {
    const out: Rec = {};
    comps.forEach((c, i) => {
      const x = arr?.[i];
      if (x !== null && x !== undefined) out[c.id] = c.values ? val(c, x as number) : (x as string);
    });
    return out;
  };
  const keyOf = (comps: J[] = [], key: string): Rec => {
    const parts = key.split(':').map(Number);
    if (parts.length !== comps.length) throw new Error(`key ${key} does not match ${comps.length} dimensions`);
    return Object.fromEntries(comps.map((c, i) => [c.id, val(c, parts[i] as number)]));
  };
  const measures = st.measures.observation?.length ?? 0;
  const dsAttrs = attrs(st.attributes.dataSet, ds.attributes);
  const out: Decoded = { series: [], observations: [] };
  const observations = (obs: Record<string, unknown[]>, key: Rec, seriesAttrs: Rec) => {
    for (const [k, arr] of Object.entries(obs)) {
      if (measures !== 1) throw new Error('observations but no measure');
      out.observations.push({
        key: { ...key, ...keyOf(st.dimensions.observation, k) },
        value: arr[0] as number | null,
        attributes: { ...dsAttrs, ...seriesAttrs, ...attrs(st.attributes.observation, arr.slice(measures)) },
      });
    }
  };
  for (const [k, s] of Object.entries<J>(ds.series ?? {})) {
    const key = keyOf(st.dimensions.series, k);
    const a = { ...dsAttrs, ...attrs(st.attributes.series, s.attributes) };
    out.series.push({ key, attributes: a });
    if (s.observations) observations(s.observations, key, a);
  }
  if (ds.observations) observations(ds.observations, {}, {});
  return out;
}

const byKey = <T extends { key: Rec }>(xs: T[]): T[] =>
  [...xs].sort((a, b) => JSON.stringify(Object.entries(a.key).sort()).localeCompare(JSON.stringify(Object.entries(b.key).sort())));


const views: Record<string, readonly Series[]> = {
  TIME_PERIOD: sampleSeries,
  REF_AREA: crossSection(sampleSeries, 'REF_AREA'),
  AllDimensions: [sampleFlat],
};
const details: DataDetail[] = ['full', 'dataonly', 'serieskeysonly', 'nodata'];

/** What a client should read back for a view and detail. */
function expected(view: string, detail: DataDetail): Decoded {
  const input = views[view] as readonly Series[];
  const withObs = detail === 'full' || detail === 'dataonly';
  const withAttrs = detail === 'full' || detail === 'nodata';
  return {
    series:
      view === 'AllDimensions'
        ? []
        : input.map((s) => ({ key: { ...s.key }, attributes: withAttrs ? { ...s.attributes } : {} })),
    observations: withObs
      ? sampleFlat.observations.map((o) => ({
          key: { ...o.dimensions },
          value: o.value,
          attributes: detail === 'full' ? { ...o.attributes } : {},
        }))
      : [],
  };
}

for (const view of Object.keys(views)) {
  for (const detail of details) {
    t.test(`dimensionAtObservation=${view} detail=${detail}`, async (t) => {
      const doc = write(sampleDataContext({ dimensionAtObservation: view, detail }), views[view] as Series[]);
      t.same(validateJson(doc, JSON_SCHEMA.data20), [], 'valid against the 2.0.0 data schema');
      const got = decode(doc);
      const want = expected(view, detail);
      t.same(byKey(got.series), byKey(want.series), 'series keys and attributes');
      t.same(byKey(got.observations), byKey(want.observations), 'observations: keys, values, attributes');

      const st = doc.data.structures[0];
      const ds = doc.data.dataSets[0];
      t.equal(ds.series === undefined, view === 'AllDimensions', 'series only in series views');
      t.equal(ds.observations === undefined, view !== 'AllDimensions', 'observations directly in the data set only when flat');
      const withObs = detail === 'full' || detail === 'dataonly';
      const dims = [...st.dimensions.series, ...st.dimensions.observation];
      const positions = [['FREQ', 0], ['REF_AREA', 1], ['OFFENCE', 2], ['TIME_PERIOD', 3]];
      t.same(
        dims.map((d: J) => [d.id, d.keyPosition]).sort((a: J, b: J) => a[1] - b[1]),
        // values: minItems 1, so a dimension that met no value (the one at observation, without observations) is left out
        withObs ? positions : positions.filter(([id]) => view !== 'AllDimensions' && id !== view),
        'every dimension with values once, with its DSD position',
      );
      const atObs = st.dimensions.observation.map((d: J) => d.id);
      t.same(atObs, view === 'AllDimensions' ? (withObs ? ['FREQ', 'REF_AREA', 'OFFENCE', 'TIME_PERIOD'] : []) : withObs ? [view] : []);
      t.same(st.measures, withObs ? { observation: [{ id: 'OBS_VALUE' }] } : {}, 'the measure, when there are observations');
      t.same(ds.structure, 0);
      t.same(st.dataSets, [0]);
      const attrIds = ['dataSet', 'series', 'observation'].flatMap((l) => st.attributes[l].map((a: J) => a.id));
      if (detail === 'dataonly' || detail === 'serieskeysonly') t.same(attrIds, [], 'no attributes at all');
      if (detail === 'nodata') t.notOk(st.attributes.observation.length, 'no observation attributes without observations');
    });
  }
}

t.test('structure content: names, relationships, free text, links, meta', async (t) => {
  const doc = write(sampleDataContext(), sampleSeries);
  const st = doc.data.structures[0];
  const area = st.dimensions.series.find((d: J) => d.id === 'REF_AREA');
  t.same(area.values[0], { id: 'ISL', name: 'Iceland', names: { en: 'Iceland', es: 'Islandia' }, parent: '150', order: 2 });
  t.equal(area.name, 'Reference area', 'a coded component is named after its codelist');
  const status = st.attributes.observation[0];
  t.same(status.relationship, { observation: {} });
  t.equal(status.isMandatory, true);
  const comment = st.attributes.series[0];
  t.same(comment.relationship, { dimensions: ['FREQ', 'REF_AREA', 'OFFENCE'] });
  t.equal(comment.isMandatory, false);
  t.same(comment.values, [{ value: '' }, { value: 'Police-recorded victims & <suspects>', name: 'Police-recorded victims & <suspects>' }], 'free text listed as a value, after the empty value');
  t.same(doc.data.dataSets[0].series['0:0:0'].attributes, [1], 'free text referenced by index, as clients expect');
  const time = st.dimensions.observation[0];
  t.same(time.values[0], { id: '2014', name: '2014', start: '2014-01-01T00:00:00.000Z', end: '2014-12-31T23:59:59.999Z' }, 'a time period with the instants it covers');
  t.same(doc.data.dataSets[0].series['0:0:0'].observations['0'], [3, 1], 'measure value first, then attribute indices (from 1)');
  t.same(st.links.map((l: J) => l.rel), ['dataflow', 'datastructure']);
  t.equal(st.name, 'Test flow');
  t.same(doc.data.dataSets[0].links, [{ rel: 'dataflow', urn: 'urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_TEST(1.0)' }]);
  t.equal(doc.data.dataSets[0].structure, 0);
  t.equal(doc.meta.id, 'IREF000001');
  t.same(doc.meta.contentLanguages, ['en', 'es']);
  t.match(doc.meta.schema, /2\.0\.0\/sdmx-json-data-schema\.json$/);
});

t.test('preferred language and provision agreement', async (t) => {
  const ctx = sampleDataContext({
    header: { ...sampleDataContext().header, languages: ['es'] },
    provisionAgreement: { class: 'ProvisionAgreement', agencyID: 'TEST', id: 'PA_DF_TEST_P1', version: '1.0' },
  });
  const doc = write(ctx, sampleSeries);
  t.same(validateJson(doc, JSON_SCHEMA.data20), []);
  const st = doc.data.structures[0];
  t.equal(st.dimensions.series.find((d: J) => d.id === 'REF_AREA').values[0].name, 'Islandia');
  t.equal(st.name, 'Flujo de prueba');
  t.equal(doc.meta.contentLanguages[0], 'es');
  t.same(st.links[2], {
    rel: 'provisionagreement',
    urn: 'urn:sdmx:org.sdmx.infomodel.registry.ProvisionAgreement=TEST:PA_DF_TEST_P1(1.0)',
  });
});

t.test('numbers round-trip exactly; missing and non-finite values are null', async (t) => {
  const values = [0.1 + 0.2, 1e21, 5e-324, 123456789.12345679, -42, 1 / 3, null, Number.NaN, Number.POSITIVE_INFINITY];
  const series: Series = {
    key: { FREQ: 'A', REF_AREA: 'FRA', OFFENCE: '0101' },
    attributes: {},
    observations: values.map((value, i) => ({ at: String(2000 + i), value, attributes: { OBS_STATUS: 'A' } })),
  };
  const doc = write(sampleDataContext(), [series]);
  t.same(validateJson(doc, JSON_SCHEMA.data20), []);
  const got = decode(doc).observations.map((o) => o.value);
  t.same(got, [0.1 + 0.2, 1e21, 5e-324, 123456789.12345679, -42, 1 / 3, null, null, null]);
  t.ok(got.slice(0, 6).every((v, i) => Object.is(v, values[i])), 'bit-for-bit equal');
});

t.test('data set attributes and group attributes', async (t) => {
  const dsd2: DataStructure = {
    ...dsd,
    groups: [{ id: 'SIBLING', dimensions: ['FREQ', 'OFFENCE'] }],
    attributes: [
      ...dsd.attributes,
      {
        id: 'UNIT_MULT',
        conceptIdentity: { ...dsd.primaryMeasure.conceptIdentity, id: 'UNIT_MULT' },
        assignmentStatus: 'Conditional',
        relationship: { kind: 'DataSet' },
      },
      {
        id: 'SOURCE',
        conceptIdentity: { ...dsd.primaryMeasure.conceptIdentity, id: 'SOURCE' },
        assignmentStatus: 'Conditional',
        relationship: { kind: 'Group', group: 'SIBLING' },
      },
    ],
  };
  const series = sampleSeries.map((s) => ({ ...s, attributes: { ...s.attributes, SOURCE: 'NSO' } }));
  for (const detail of ['full', 'nodata', 'dataonly'] as const) {
    const doc = write(sampleDataContext({ dsd: dsd2, detail, dataSetAttributes: { UNIT_MULT: '0' } }), series);
    t.same(validateJson(doc, JSON_SCHEMA.data20), [], detail);
    const st = doc.data.structures[0];
    const decoded = decode(doc);
    if (detail === 'dataonly') {
      t.equal(doc.data.dataSets[0].attributes, undefined, 'dataonly: no data set attributes');
      continue;
    }
    t.same(st.attributes.dataSet.map((a: J) => [a.id, a.relationship]), [['UNIT_MULT', { dataflow: {} }]]);
    t.same(doc.data.dataSets[0].attributes, [0], 'uncoded: by index');
    t.same(st.attributes.dataSet[0].values, [{ id: '0', name: '0' }], 'uncoded: listed');
    const source = st.attributes.series.find((a: J) => a.id === 'SOURCE');
    t.same(source.relationship, { dimensions: ['FREQ', 'OFFENCE'] }, 'group resolved to its dimensions');
    t.same(source.values, [{ value: '' }, { id: 'NSO', name: 'NSO' }], 'uncoded: listed');
    for (const s of decoded.series) t.match(s.attributes, { UNIT_MULT: '0', SOURCE: 'NSO' });
  }
});

t.test('an empty message is valid; a series is a chunk of its own', async (t) => {
  const w = jsonData20Writer(sampleDataContext());
  const doc = JSON.parse(w.start() + w.end());
  t.same(validateJson(doc, JSON_SCHEMA.data20), []);
  t.same(doc.data.dataSets[0].series, {});
  t.same(doc.data.structures[0].dimensions, { dataSet: [], series: [], observation: [] }, 'no dimension without values (minItems 1)');

  const w2 = jsonData20Writer(sampleDataContext());
  const head = w2.start();
  const first = w2.series(sampleSeries[0] as Series);
  const second = w2.series(sampleSeries[1] as Series);
  t.match(first, /^"0:0:0":\{/, 'first series, no separator');
  t.match(second, /^,"0:1:0":\{/, 'later series start with a comma');
  t.notMatch(head, /"structures":/, 'the structures come after the data');
});

t.test('an unknown dimensionAtObservation or a missing key value is an error', async (t) => {
  t.throws(() => jsonData20Writer(sampleDataContext({ dimensionAtObservation: 'NOPE' })), /NOPE/);
  const w = jsonData20Writer(sampleDataContext());
  w.start();
  t.throws(() => w.series({ key: { FREQ: 'A' }, attributes: {}, observations: [] }), /REF_AREA/);
});

t.test('a time period that is no valid id is written as a value', async (t) => {
  const series: Series = {
    key: { FREQ: 'A', REF_AREA: 'FRA', OFFENCE: '0101' },
    attributes: {},
    observations: [{ at: '2016-01-01T00:00:00', value: 1, attributes: {} }],
  };
  const doc = write(sampleDataContext(), [series]);
  t.same(validateJson(doc, JSON_SCHEMA.data20), []);
  t.same(doc.data.structures[0].dimensions.observation[0].values, [
    { value: '2016-01-01T00:00:00', name: '2016-01-01T00:00:00', start: '2016-01-01T00:00:00.000Z', end: '2016-01-01T00:00:00.000Z' },
  ]);
  t.same(decode(doc).observations[0]?.key.TIME_PERIOD, '2016-01-01T00:00:00');
});

// ---------------------------------------------------------------------------------------------
// Several data sets, flat views in pieces, component names

t.test('several data sets share one structure; each states its action, validity and provider', async (t) => {
  for (const view of Object.keys(views)) {
    const flat = view === 'AllDimensions';
    const toInput = (series: readonly Series[]): Series[] =>
      flat ? [{ key: {}, attributes: {}, observations: flattenSeries(series) }] : view === 'TIME_PERIOD' ? [...series] : crossSection(series, view);
    const doc = JSON.parse(writeReleases(jsonData20Writer(sampleDataContext({ dimensionAtObservation: view })), sampleReleases, toInput));
    t.same(validateJson(doc, JSON_SCHEMA.data20), [], `${view}: valid`);
    t.equal(doc.data.dataSets.length, 2);
    t.same(doc.data.structures[0].dataSets, [0, 1], 'the structure serves both data sets');
    t.same(doc.data.dataSets.map((d: J) => d.structure), [0, 0]);
    sampleReleases.forEach((release, i) => {
      const ds = doc.data.dataSets[i];
      const provider = ds.links.find((l: J) => l.rel === 'dataprovider');
      const m = /DataProvider=([^:]+):DATA_PROVIDERS\(1\.0\)\.(.+)$/.exec(provider?.urn ?? '');
      const info = {
        action: ds.action,
        validFromDate: ds.validFrom,
        validToDate: ds.validTo,
        dataProvider: m ? `${m[1]}:${m[2]}` : undefined,
        publicationYear: ds.publicationYear,
      };
      t.same(Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)), release.info, `${view}: data set ${i} info`);
      t.equal(ds.links[0].rel, 'dataflow');
      const got = decode(doc, i);
      const want = flattenSeries(release.series).map((o) => ({ key: { ...o.dimensions }, value: o.value, attributes: { ...o.attributes } }));
      t.same(byKey(got.observations), byKey(want), `${view}: data set ${i} observations, decoded with the shared dictionaries`);
      if (!flat) t.same(byKey(got.series).map((s) => s.key), byKey(toInput(release.series).map((s) => ({ key: { ...s.key } }))).map((s) => s.key));
    });
  }
});

t.test('a default data set is Information; data sets after the first start with a comma', async (t) => {
  const w = jsonData20Writer(sampleDataContext());
  const chunks = [w.start({ openDefaultDataSet: false }), w.beginDataSet({}), w.series(sampleSeries[0] as Series), w.endDataSet()];
  chunks.push(w.beginDataSet({ action: 'Delete' }), w.series(sampleSeries[0] as Series), w.end());
  t.equal(chunks[0], '{"data":{"dataSets":[', 'the head only');
  t.match(chunks[1], /^\{("structure":0,)?"action":"Information","links":/);
  t.match(chunks[2], /^"0:0:0":/, 'the first series of every data set has no separator');
  t.match(chunks[4], /^,\{("structure":0,)?"action":"Delete",/);
  t.match(chunks[5], /^"0:0:0":/, 'same key, same indices in the second data set');
  const doc = JSON.parse(chunks.join(''));
  t.same(validateJson(doc, JSON_SCHEMA.data20), []);
  t.same(doc.data.dataSets.map((d: J) => d.action), ['Information', 'Delete']);
});

t.test('component names come from the context when it gives them', async (t) => {
  const doc = write(namedDataContext(), sampleSeries);
  t.same(validateJson(doc, JSON_SCHEMA.data20), []);
  const st = doc.data.structures[0];
  const byId = (list: J[], id: string): J => list.find((c: J) => c.id === id) as J;
  t.equal(byId(st.dimensions.series, 'OFFENCE').name, 'Offence (ICCS)', 'concept name over the codelist name');
  t.equal(byId(st.dimensions.observation, 'TIME_PERIOD').name, 'Time period', 'an uncoded component gets a name');
  t.equal(byId(st.attributes.series, 'COMMENT').name, 'Comment');
  t.same(st.measures.observation, [{ id: 'OBS_VALUE', name: 'Observation value', names: { en: 'Observation value' } }], 'the measure is named too');
  const partial = write(namedDataContext({ componentName: (id) => (id === 'FREQ' ? { en: 'How often' } : undefined) }), sampleSeries);
  const pst = partial.data.structures[0];
  t.equal(byId(pst.dimensions.series, 'FREQ').name, 'How often');
  t.equal(byId(pst.dimensions.series, 'OFFENCE').name, 'Offence', 'falls back to the codelist name');
  t.equal(byId(pst.dimensions.observation, 'TIME_PERIOD').name, undefined, 'and to no name for an uncoded component');
});

t.test('the structure is reused for the same codes and data set count, rewritten otherwise', async (t) => {
  const ctx = sampleDataContext();
  const first = write(ctx, sampleSeries);
  const again = write({ ...ctx, header: { ...ctx.header, id: 'IREF000002' } }, sampleSeries);
  t.same(again.data.structures, first.data.structures);
  t.same(again.meta.contentLanguages, first.meta.contentLanguages);
  // Two data sets with the same codes: the structure must list both.
  const two = JSON.parse(writeReleases(jsonData20Writer(ctx), [sampleReleases[0]!, { ...sampleReleases[0]!, info: { action: 'Append' } }], (s) => [...s]));
  t.same(two.data.structures[0].dataSets, [0, 1]);
  t.same(validateJson(two, JSON_SCHEMA.data20), []);
  t.same(write(ctx, sampleSeries).data.structures[0].dataSets, [0], 'and one again for one');
});

t.test('every attribute has a value list, so clients can look any index up; an absent value is the empty value', async (t) => {
  const series: Series = { key: { FREQ: 'A', REF_AREA: 'FRA', OFFENCE: '0101' }, attributes: {}, observations: [{ at: '2020', value: 7, attributes: {} }] };
  const doc = write(sampleDataContext(), [series]);
  t.same(validateJson(doc, JSON_SCHEMA.data20), []);
  const st = doc.data.structures[0];
  for (const level of ['dataSet', 'series', 'observation']) {
    for (const a of st.attributes[level]) t.ok(Array.isArray(a.values) && a.values.length > 0, `${level} ${a.id} has values`);
  }
  const status = st.attributes.observation.find((a: J) => a.id === 'OBS_STATUS');
  t.same(status.values, [{ value: '' }], 'an attribute that met no value: the empty value alone, which no index refers to');
  t.same(doc.data.dataSets[0].series['0:0:0'].observations['0'], [7, null]);
});
