/**
 * SDMX-ML 3.0 structure-specific data writer.
 *
 * Validity: a structure-specific DataSet is abstract and typed with `xsi:type`, so it validates
 * only together with a DSD/dataflow-specific schema. test/helpers/ml30-data-schema.ts generates
 * that schema for DSD_TEST and each dimensionAtObservation, and the test validates with xmllint
 * through a wrapper that imports it beside the official SDMXMessage.xsd
 * (shared/sdmx-samples/validation/README.md). The header alone is also validated against the official schema unchanged. Content is read back with fast-xml-parser and
 * compared with the input over detail × dimensionAtObservation.
 */
import t from 'tap';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { ml30DataWriter } from '../../../src/sdmx/ml30/data-writer.js';
import type { DataDetail, DataWriter, Series } from '../../../src/sdmx/data/model.js';
import type { Codelist } from '../../../src/sdmx/model.js';
import { sampleDataContext, sampleReleases, sampleSeries, crossSection, flattenSeries, writeReleases } from '../../fixtures/sample-data.js';
import { clArea, clFreq, clObsStatus, clOffence, dsd } from '../../fixtures/sample-structures.js';
import { validateXml, validateXml30Official } from '../../helpers/validate.js';
import { SDMX_SAMPLES, XSD_DIR } from '../../helpers/shared.js';
import { ml30DataSchemas } from '../../helpers/ml30-data-schema.js';

const XSD30 = XSD_DIR.v30;
const DIMS = ['FREQ', 'REF_AREA', 'OFFENCE', 'TIME_PERIOD'];
const FLOW_URN = 'urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_TEST(1.0)';

// ---------------------------------------------------------------------------------------------
// A DSD-specific schema for DSD_TEST, per observation dimension

const codelists: Record<string, Codelist> = { FREQ: clFreq, REF_AREA: clArea, OFFENCE: clOffence, OBS_STATUS: clObsStatus };
const schemas = ml30DataSchemas(dsd, (c) => codelists[c.id], FLOW_URN);
t.teardown(schemas.remove);
const schemaDir = schemas.dir;
const wrapperFor = schemas.wrapperFor;

// ---------------------------------------------------------------------------------------------
// Inputs (the same views as the CSV tests) and reading back

const TRICKY = ' Said "no" & <left>,\ttab\r\nÍsland\'s';
const timeSeries: readonly Series[] = [
  ...sampleSeries,
  {
    key: { FREQ: 'A', REF_AREA: 'FRA', OFFENCE: '010321' },
    attributes: { COMMENT: TRICKY },
    observations: [
      { at: '2017', value: 0.1 + 0.2, attributes: { OBS_STATUS: 'E' } },
      { at: '2018', value: 1e21, attributes: {} },
    ],
  },
  { key: { FREQ: 'M', REF_AREA: 'ISL', OFFENCE: '01' }, attributes: {}, observations: [] },
];
const flatObservations = flattenSeries(timeSeries);
const VIEWS: Record<string, readonly Series[]> = {
  TIME_PERIOD: timeSeries,
  REF_AREA: crossSection(timeSeries, 'REF_AREA'),
  AllDimensions: [{ key: {}, attributes: {}, observations: flatObservations.map((o) => ({ ...o })) }],
};
const DETAILS: DataDetail[] = ['full', 'dataonly', 'serieskeysonly', 'nodata'];

function run(w: DataWriter, series: readonly Series[]): string {
  return w.start() + series.map((s) => w.series(s)).join('') + w.end();
}

type N = any;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true, // decode &#9; &#10; &#13; in attribute values
  isArray: (name) => ['Series', 'Obs', 'message:DataSet', 'common:Name'].includes(name),
});
const attrsOf = (n: N): Record<string, string> =>
  Object.fromEntries(Object.entries(n ?? {}).filter(([k]) => k.startsWith('@')).map(([k, v]) => [k.slice(1), v as string]));
const doc = (xml: string): N => parser.parse(xml)['message:StructureSpecificData'];

/** The rows a message holds: one per Obs (merged with its Series), or per Series without Obs. */
function rowsOf(xml: string): Record<string, string>[] {
  return rowsOfDataSet(doc(xml)['message:DataSet'][0]);
}

function rowsOfDataSet(ds: N): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  for (const o of ds.Obs ?? []) rows.push(attrsOf(o));
  for (const s of ds.Series ?? []) {
    const sa = attrsOf(s);
    if (!s.Obs) rows.push(sa);
    for (const o of s.Obs ?? []) rows.push({ ...sa, ...attrsOf(o) });
  }
  return rows;
}

/** What the rows must be, built from the input. */
function expectedRows(detail: DataDetail, view: string, series: readonly Series[]): Record<string, string>[] {
  const flat = view === 'AllDimensions';
  const perObs = detail === 'full' || detail === 'dataonly' || flat;
  const withAttrs = detail === 'full' || detail === 'nodata';
  if (!perObs) {
    return series.map((s) => ({ ...s.key, ...(withAttrs ? s.attributes : {}) }));
  }
  const fromSeries = flat ? [] : series.filter((s) => s.observations.length === 0).map((s) => ({ ...s.key }));
  const obs = flatObservations.map((o) => {
    const r: Record<string, string> = { ...o.dimensions };
    if (detail === 'full' || detail === 'dataonly') r.OBS_VALUE = o.value === null ? 'NaN' : String(o.value);
    if (detail === 'full') Object.assign(r, o.attributes);
    if (detail === 'nodata' && o.attributes.COMMENT !== undefined) r.COMMENT = o.attributes.COMMENT;
    return r;
  });
  return [...obs, ...fromSeries];
}
const sortRows = (rows: Record<string, string>[]) =>
  rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))).sort();

// ---------------------------------------------------------------------------------------------

t.test('the schema harness accepts the official 3.0 sample and rejects a wrong code', async (t) => {
  // The sample's XSDs import ../../schemas/*.xsd: rebuild that layout around a copy.
  const sample = path.join(SDMX_SAMPLES, 'validation/sdmx30/ssdata');
  const copy = path.join(schemaDir, 'sample', 'ssdata');
  mkdirSync(copy, { recursive: true });
  for (const f of ['ECB_EXR.xml', 'ECB_EXR_Dataflow.xsd', 'wrapper.xsd']) copyFileSync(path.join(sample, f), path.join(copy, f));
  symlinkSync(XSD30, path.join(schemaDir, 'schemas'));
  t.same(validateXml(readFileSync(path.join(copy, 'ECB_EXR.xml'), 'utf8'), path.join(copy, 'wrapper.xsd')), []);
  const ok = run(ml30DataWriter(sampleDataContext()), sampleSeries);
  t.same(validateXml(ok, wrapperFor('TIME_PERIOD')), []);
  t.not(validateXml(ok.replace('REF_AREA="ISL"', 'REF_AREA="XXX"'), wrapperFor('TIME_PERIOD')).length, 0, 'unknown code');
  t.not(validateXml(ok.replace('OBS_VALUE="3"', 'OBS_VALUE="three"'), wrapperFor('TIME_PERIOD')).length, 0, 'not a double');
  t.not(validateXml(ok.replace(' REF_AREA="ISL"', ''), wrapperFor('TIME_PERIOD')).length, 0, 'missing key part');
});

t.test('header: structure, namespace, StructureUsage; valid against the official XSD alone', async (t) => {
  const xml = run(ml30DataWriter(sampleDataContext()), sampleSeries);
  const d = doc(xml);
  const h = d['message:Header'];
  t.equal(h['message:ID'], 'IREF000001');
  t.equal(h['message:Test'], 'false');
  t.equal(h['message:Prepared'], '2026-11-21T05:30:01Z');
  t.same(attrsOf(h['message:Sender']), { id: 'TEST' });
  t.equal(h['message:Sender']['common:Name'][0]['#text'], 'Test sender');
  const st = h['message:Structure'];
  t.same(attrsOf(st), {
    structureID: 'DSD_TEST',
    namespace: `${FLOW_URN}:ObsLevelDim:TIME_PERIOD`,
    dimensionAtObservation: 'TIME_PERIOD',
  });
  t.ok(st['@namespace'].startsWith(FLOW_URN), 'the namespace is read as the Dataflow URN (TCK §2.4)');
  t.equal(st['common:StructureUsage'], FLOW_URN);
  const ds = d['message:DataSet'];
  t.equal(ds.length, 1, 'exactly one DataSet');
  t.equal(ds[0]['@ss:structureRef'], 'DSD_TEST', 'the data set names the DSD by id, as the header does');
  t.equal(ds[0]['@xsi:type'], 'ns1:DataSetType');
  t.equal(d['@xmlns:ns1'], st['@namespace']);

  // The envelope without its (abstract, DSD-typed) data set validates against the official XSD.
  const envelope = xml.replace(/\s*<message:DataSet[\s\S]*<\/message:DataSet>/, '');
  t.notOk(envelope.includes('DataSet'));
  t.same(validateXml30Official(envelope), []);
  const empty = run(ml30DataWriter(sampleDataContext({ dimensionAtObservation: 'AllDimensions' })), []);
  t.same(validateXml(empty, wrapperFor('AllDimensions')), [], 'an empty data set is a valid message');
});

t.test('streaming: start ends with the DataSet start tag, each series is one element', async (t) => {
  const w = ml30DataWriter(sampleDataContext());
  const start = w.start();
  t.match(start, /<message:DataSet [^>]*>\n$/);
  const chunk = w.series(sampleSeries[0]!);
  t.match(chunk, /^\s*<Series FREQ="A" REF_AREA="ISL" OFFENCE="0101" COMMENT="[^"]*">[\s\S]*<\/Series>\n$/);
  t.equal(w.end(), '  </message:DataSet>\n</message:StructureSpecificData>\n');
});

for (const [view, series] of Object.entries(VIEWS)) {
  for (const detail of DETAILS) {
    t.test(`${view} × ${detail}: valid and round-trips`, async (t) => {
      const xml = run(ml30DataWriter(sampleDataContext({ detail, dimensionAtObservation: view })), series);
      const errors = validateXml(xml, wrapperFor(view));
      t.same(errors, [], errors.join('\n'));
      t.equal(doc(xml)['message:Header']['message:Structure']['@dimensionAtObservation'], view);

      const ds = doc(xml)['message:DataSet'][0];
      const allSeries: N[] = ds.Series ?? [];
      const allObs: N[] = [...(ds.Obs ?? []), ...allSeries.flatMap((s: N) => s.Obs ?? [])];
      const dsdAttrs = new Set(dsd.attributes.map((a) => a.id));
      // TCK D16–D21 (conformance kit §3.2)
      if (view === 'AllDimensions') {
        t.equal(allSeries.length, 0, 'flat: no Series');
        t.ok(ds.Obs.every((o: N) => DIMS.every((d) => o[`@${d}`] !== undefined)), 'flat: Obs carry every dimension');
      } else {
        t.ok(allSeries.length > 0);
        // key parts first, in DSD order
        const keyDims = DIMS.filter((d) => d !== view);
        for (const s of allSeries) t.same(Object.keys(attrsOf(s)).slice(0, keyDims.length), keyDims);
        if (view !== 'TIME_PERIOD') t.ok(allSeries.every((s: N) => s['@TIME_PERIOD'] !== undefined), 'cross-section: Series have TIME_PERIOD');
        t.ok(allObs.every((o: N) => o[`@${view}`] !== undefined), 'Obs carry the observation dimension');
      }
      if (detail === 'dataonly') t.ok([...allSeries, ...allObs].every((n) => Object.keys(attrsOf(n)).every((k) => !dsdAttrs.has(k))), 'no attributes');
      if ((detail === 'serieskeysonly' || detail === 'nodata') && view !== 'AllDimensions') t.equal(allObs.length, 0, 'no Obs');
      if (detail === 'serieskeysonly') t.ok([...allSeries, ...allObs].every((n) => Object.keys(attrsOf(n)).every((k) => DIMS.includes(k))), 'keys only');
      if (detail !== 'full' && detail !== 'dataonly') t.notOk(xml.includes('OBS_VALUE'));

      t.same(sortRows(rowsOf(xml)), sortRows(expectedRows(detail, view, series)));
    });
  }
}

t.test('values: shortest round-trip numbers, NaN for missing, escaping of text attributes', async (t) => {
  const values = [0.1 + 0.2, 1e21, 5e-324, 123456789.123456789, 1 / 3, -2.5];
  const s: Series = {
    key: { FREQ: 'A', REF_AREA: 'ISL', OFFENCE: '0101' },
    attributes: { COMMENT: TRICKY },
    observations: [...values, null].map((value, i) => ({ at: String(2000 + i), value, attributes: {} })),
  };
  const xml = run(ml30DataWriter(sampleDataContext()), [s]);
  t.same(validateXml(xml, wrapperFor('TIME_PERIOD')), []);
  const series = doc(xml)['message:DataSet'][0].Series[0];
  t.equal(series['@COMMENT'], TRICKY, 'tab, CR, LF, quotes and markup survive attribute normalisation');
  const got = series.Obs.map((o: N) => o['@OBS_VALUE']);
  t.same(got.slice(0, -1).map(Number), values);
  t.equal(got.at(-1), 'NaN');
});

t.test('several data sets: action, validity, publication year, DataProvider URN; valid and parsing back', async (t) => {
  for (const view of Object.keys(VIEWS)) {
    const flat = view === 'AllDimensions';
    const toInput = (series: readonly Series[]): Series[] =>
      flat ? [{ key: {}, attributes: {}, observations: flattenSeries(series) }] : view === 'TIME_PERIOD' ? [...series] : crossSection(series, view);
    const xml = writeReleases(ml30DataWriter(sampleDataContext({ dimensionAtObservation: view })), sampleReleases, toInput);
    const errors = validateXml(xml, wrapperFor(view));
    t.same(errors, [], `${view}: ${errors.join('\n')}`);
    const sets: N[] = doc(xml)['message:DataSet'];
    t.equal(sets.length, 2);
    sampleReleases.forEach((release, i) => {
      const ds = sets[i];
      const provider = /DataProvider=([^:]+):DATA_PROVIDERS\(1\.0\)\.(.+)$/.exec(ds.DataProvider ?? '');
      const info = {
        action: ds['@ss:action'],
        validFromDate: ds['@ss:validFromDate'],
        validToDate: ds['@ss:validToDate'],
        dataProvider: provider ? `${provider[1]}:${provider[2]}` : undefined,
        publicationYear: ds['@ss:publicationYear'],
      };
      t.same(Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)), release.info, `${view}: data set ${i} info`);
      const want = flattenSeries(release.series).map((o) => ({
        ...o.dimensions,
        OBS_VALUE: o.value === null ? 'NaN' : String(o.value),
        ...o.attributes,
      }));
      t.same(sortRows(rowsOfDataSet(ds)), sortRows(want), `${view}: data set ${i} content`);
    });
  }
  const first = writeReleases(ml30DataWriter(sampleDataContext()), sampleReleases);
  t.match(first, '<DataProvider>urn:sdmx:org.sdmx.infomodel.base.DataProvider=TEST:DATA_PROVIDERS(1.0).P1</DataProvider>\n    <Series ');
  t.not(validateXml(first.replace('ss:action="Append"', 'ss:action="Merge"'), wrapperFor('TIME_PERIOD')).length, 0, 'the schema checks the action');
  const w = ml30DataWriter(sampleDataContext());
  w.start({ openDefaultDataSet: false });
  t.equal(w.beginDataSet({}), '  <message:DataSet ss:structureRef="DSD_TEST" ss:action="Information" xsi:type="ns1:DataSetType">\n', 'Information by default');
});
