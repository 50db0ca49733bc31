/**
 * SDMX-ML 2.1 structure-specific data writer, table-driven over detail × dimensionAtObservation:
 * every message validates with xmllint against the official SDMX-ML 2.1 XSDs plus the
 * DSD-specific schema written by dsd-schema-writer.ts (loaded through a small driver schema that
 * imports both namespaces), and parses back to exactly the input observations.
 */
import t from 'tap';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataDetail, DataMessageContext, DataWriter, Series } from '../../../src/sdmx/data/model.js';
import {
  structureSpecificDataWriter,
  structureSpecificTimeSeriesDataWriter,
} from '../../../src/sdmx/ml21/data-structure-specific-writer.js';
import { dsdSchemaMl21 } from '../../../src/sdmx/ml21/dsd-schema-writer.js';
import { attr, kid, kids, parseXml, type XNode } from '../../../src/sdmx/ml21/xml-tree.js';
import { refOf, type DataStructure } from '../../../src/sdmx/model.js';
import {
  sampleDataContext,
  sampleFlat,
  sampleReleases,
  sampleSeries,
  crossSection,
  flattenSeries,
  writeReleases,
} from '../../fixtures/sample-data.js';
import { dsd, provisionAgreement } from '../../fixtures/sample-structures.js';
import { validateXml } from '../../helpers/validate.js';
import { XSD_DIR as OFFICIAL_XSD } from '../../helpers/shared.js';

// ---------------------------------------------------------------------------------------------
// Validation: official XSDs copied to a temp folder, the generated schema written next to them
// (it imports SDMXDataStructureSpecific.xsd by relative path), and a driver importing both.

const XSD_DIR = mkdtempSync(path.join(tmpdir(), 'sdmx21-ss-'));
cpSync(OFFICIAL_XSD.v21, XSD_DIR, { recursive: true });
t.teardown(() => rmSync(XSD_DIR, { recursive: true, force: true }));
let schemaCount = 0;

/** xmllint's complaints about a structure-specific message, [] when valid. */
function validateSs(xml: string, ctx: DataMessageContext, dsdOverride?: DataStructure): string[] {
  const header = kid(kid(parseXml(xml).node, 'Header'), 'Structure');
  const namespace = attr(header, 'namespace') as string;
  const i = schemaCount++;
  const schema = dsdSchemaMl21(dsdOverride ?? ctx.dsd, ctx.dataflow, {
    dimensionAtObservation: ctx.dimensionAtObservation,
    codelists: ctx.codelistOf,
  });
  writeFileSync(path.join(XSD_DIR, `dsd-${i}.xsd`), schema);
  const driver =
    '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:local:driver">' +
    '<xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" schemaLocation="SDMXMessage.xsd"/>' +
    `<xs:import namespace="${namespace}" schemaLocation="dsd-${i}.xsd"/>` +
    '</xs:schema>';
  writeFileSync(path.join(XSD_DIR, `driver-${i}.xsd`), driver);
  return validateXml(xml, path.join(XSD_DIR, `driver-${i}.xsd`));
}

// ---------------------------------------------------------------------------------------------
// Inputs and expected outputs

const DIMS = ['FREQ', 'REF_AREA', 'OFFENCE', 'TIME_PERIOD'];
const DETAILS: readonly DataDetail[] = ['full', 'dataonly', 'serieskeysonly', 'nodata'];
const VIEWS = ['TIME_PERIOD', 'REF_AREA', 'AllDimensions'] as const;


function inputFor(view: string): readonly Series[] {
  if (view === 'TIME_PERIOD') return sampleSeries;
  if (view === 'AllDimensions') return [sampleFlat];
  return crossSection(sampleSeries, view);
}

interface ParsedObs {
  at?: string;
  dimensions?: Record<string, string>;
  value?: number | null;
  attributes: Record<string, string>;
}
interface ParsedSeries {
  key: Record<string, string>;
  attributes: Record<string, string>;
  observations: ParsedObs[];
}

/** What the message should hold for `detail`, in the parsed shape. */
function expected(series: readonly Series[], detail: DataDetail, flat: boolean): ParsedSeries[] {
  const attrs = detail === 'full' || detail === 'nodata';
  const obs = flat || detail === 'full' || detail === 'dataonly';
  const values = detail === 'full' || detail === 'dataonly';
  return series.map((s) => ({
    key: { ...s.key },
    attributes: attrs && !flat ? { ...s.attributes } : {},
    observations: !obs
      ? []
      : s.observations.map((o) => {
          const p: ParsedObs = { attributes: attrs ? { ...o.attributes } : {} };
          if (flat) p.dimensions = { ...o.dimensions };
          else p.at = o.at;
          if (values) p.value = o.value;
          return p;
        }),
  }));
}

const parseValue = (v: string): number | null => (v === 'NaN' ? null : Number(v));

/** Attributes of an element as a record (`@name` keys, namespace prefixes already stripped). */
function xmlAttrs(n: XNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(n)) if (k.startsWith('@') && typeof v === 'string') out[k.slice(1)] = v;
  return out;
}

/** Parses a structure-specific message back into series (flat: one pseudo-series). */
function parseSs(xml: string, atObs: string): { dataSet: XNode; series: ParsedSeries[] } {
  const dataSet = kid(parseXml(xml).node, 'DataSet') as XNode;
  return { dataSet, series: ssSeriesOf(dataSet, atObs) };
}

/** The series of one DataSet element (flat: one pseudo-series). */
function ssSeriesOf(dataSet: XNode, atObs: string): ParsedSeries[] {
  const parseObs = (n: XNode): ParsedObs => {
    const o: ParsedObs = { attributes: {} };
    for (const [k, v] of Object.entries(xmlAttrs(n))) {
      if (k === 'OBS_VALUE') o.value = parseValue(v);
      else if (atObs === 'AllDimensions' && DIMS.includes(k)) (o.dimensions ??= {})[k] = v;
      else if (k === atObs) o.at = v;
      else o.attributes[k] = v;
    }
    return o;
  };
  if (atObs === 'AllDimensions') {
    return [{ key: {}, attributes: {}, observations: kids(dataSet, 'Obs').map(parseObs) }];
  }
  return kids(dataSet, 'Series').map((s) => {
    const p: ParsedSeries = { key: {}, attributes: {}, observations: kids(s, 'Obs').map(parseObs) };
    for (const [k, v] of Object.entries(xmlAttrs(s))) {
      if (DIMS.includes(k)) p.key[k] = v;
      else p.attributes[k] = v;
    }
    return p;
  });
}

function writeAll(w: DataWriter, series: readonly Series[]): string {
  return w.start() + series.map((s) => w.series(s)).join('') + w.end();
}

// ---------------------------------------------------------------------------------------------

for (const view of VIEWS) {
  for (const detail of DETAILS) {
    t.test(`dimensionAtObservation=${view}, detail=${detail}`, async (tt) => {
      const ctx = sampleDataContext({ dimensionAtObservation: view, detail });
      const input = inputFor(view);
      const xml = writeAll(structureSpecificDataWriter(ctx), input);
      tt.same(validateSs(xml, ctx), [], 'valid against SDMXMessage.xsd + the DSD-specific schema');
      const parsed = parseSs(xml, view);
      tt.same(parsed.series, expected(input, detail, view === 'AllDimensions'), 'parses back to the input');
      if (view === 'AllDimensions') tt.equal(kids(parsed.dataSet, 'Series').length, 0, 'flat: no Series');
      if (detail === 'serieskeysonly' && view !== 'AllDimensions') {
        tt.ok(parsed.series.every((s) => Object.keys(s.attributes).length === 0), 'serieskeysonly: dimensions only');
      }
    });
  }
}

t.test('header: namespace is the dataflow URN + ObsLevelDim, StructureUsage refers to the flow', async (tt) => {
  for (const view of VIEWS) {
    const ctx = sampleDataContext({ dimensionAtObservation: view });
    const root = parseXml(writeAll(structureSpecificDataWriter(ctx), inputFor(view)));
    tt.equal(root.name, 'StructureSpecificData');
    const s = kid(kid(root.node, 'Header'), 'Structure');
    tt.equal(attr(s, 'namespace'), `urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_TEST(1.0):ObsLevelDim:${view}`);
    tt.equal(attr(s, 'dimensionAtObservation'), view);
    const ref = kid(kid(s, 'StructureUsage'), 'Ref');
    tt.same(
      [attr(ref, 'agencyID'), attr(ref, 'id'), attr(ref, 'version'), attr(ref, 'class'), attr(ref, 'package')],
      ['TEST', 'DF_TEST', '1.0', 'Dataflow', 'datastructure'],
    );
    const ds = kid(root.node, 'DataSet');
    tt.equal(attr(ds, 'structureRef'), attr(s, 'structureID'), 'DataSet points at the header structure');
    tt.equal(attr(ds, 'dataScope'), 'Dataflow');
  }
});

t.test('with a provision agreement the header refers to it (ProvisionAgrement, class given)', async (tt) => {
  const ctx = sampleDataContext({ provisionAgreement: refOf(provisionAgreement), detail: 'serieskeysonly' });
  const xml = writeAll(structureSpecificDataWriter(ctx), sampleSeries);
  tt.match(
    xml,
    '<common:ProvisionAgrement><Ref agencyID="TEST" id="PA_DF_TEST_P1" version="1.0" class="ProvisionAgreement" package="registry"/></common:ProvisionAgrement>',
  );
  tt.match(xml, 'namespace="urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_TEST(1.0):ObsLevelDim:TIME_PERIOD"');
  tt.same(validateSs(xml, ctx), []);
});

t.test('Series XML attributes: dimensions first in DSD order, then series attributes', async (tt) => {
  // Key given in a scrambled order: the writer follows the DSD, not the input.
  const scrambled: Series = { ...sampleSeries[0], key: { OFFENCE: '0101', FREQ: 'A', REF_AREA: 'ISL' } };
  const xml = writeAll(structureSpecificDataWriter(sampleDataContext()), [scrambled]);
  tt.match(xml, /<Series FREQ="A" REF_AREA="ISL" OFFENCE="0101" COMMENT="Police-recorded victims &amp; &lt;suspects&gt;">/);
  tt.match(xml, '<Obs TIME_PERIOD="2016" OBS_VALUE="NaN" OBS_STATUS="E"/>', 'missing value is NaN');
  const xs = writeAll(structureSpecificDataWriter(sampleDataContext({ dimensionAtObservation: 'REF_AREA' })), crossSection(sampleSeries, 'REF_AREA'));
  tt.match(xs, /<Series FREQ="A" OFFENCE="0101" TIME_PERIOD="2014">/, 'cross-section: TIME_PERIOD after the other dimensions');
  tt.match(xs, /<Obs REF_AREA="ISL" OBS_VALUE="3" COMMENT="[^"]*" OBS_STATUS="A"\/>/, 'cross-section: observation dimension first');
  const flat = writeAll(structureSpecificDataWriter(sampleDataContext({ dimensionAtObservation: 'AllDimensions' })), [sampleFlat]);
  tt.match(flat, /<message:DataSet [^>]*><Obs FREQ="A" REF_AREA="ISL" OFFENCE="0101" TIME_PERIOD="2014" OBS_VALUE="3" /);
});

t.test('numbers are written without loss', async (tt) => {
  const values = [0.1 + 0.2, 1e21, -0, 123456789.12345679, 5e-324, -1.7976931348623157e308, 42];
  const series: Series = {
    key: { FREQ: 'A', REF_AREA: 'FRA', OFFENCE: '0103' },
    attributes: {},
    observations: values.map((value, i) => ({ at: String(2000 + i), value, attributes: {} })),
  };
  const ctx = sampleDataContext();
  const xml = writeAll(structureSpecificDataWriter(ctx), [series]);
  tt.same(validateSs(xml, ctx), []);
  const back = parseSs(xml, 'TIME_PERIOD').series[0].observations.map((o) => o.value as number);
  tt.equal(back.length, values.length);
  values.forEach((v, i) => tt.ok(Object.is(back[i], v), `${v} round-trips`));
});

t.test('streaming: each series is one self-contained chunk', async (tt) => {
  const w = structureSpecificDataWriter(sampleDataContext());
  const start = w.start();
  tt.ok(start.endsWith('xsi:type="ns1:DataSetType">'), 'start ends with the open DataSet');
  const chunks = sampleSeries.map((s) => w.series(s));
  for (const c of chunks) tt.match(c, /^<Series [^]*<\/Series>$/);
  tt.equal(w.end(), '</message:DataSet></message:StructureSpecificData>');
  const keysOnly = structureSpecificDataWriter(sampleDataContext({ detail: 'serieskeysonly' }));
  keysOnly.start();
  tt.equal(keysOnly.series(sampleSeries[1]), '<Series FREQ="A" REF_AREA="FRA" OFFENCE="0101"/>');
});

t.test('data set attributes, group attributes and groups validate', async (tt) => {
  const concept = dsd.attributes[1].conceptIdentity;
  const dsdX: DataStructure = {
    ...dsd,
    groups: [{ id: 'SIBLING', dimensions: ['REF_AREA', 'OFFENCE'] }],
    attributes: [
      ...dsd.attributes,
      { id: 'DS_NOTE', conceptIdentity: concept, assignmentStatus: 'Conditional', relationship: { kind: 'DataSet' }, localRepresentation: { textFormat: { textType: 'String' } } },
      { id: 'AREA_NOTE', conceptIdentity: concept, assignmentStatus: 'Conditional', relationship: { kind: 'Group', group: 'SIBLING' } },
    ],
  };
  const series = sampleSeries.map((s) => ({ ...s, attributes: { ...s.attributes, AREA_NOTE: 'note' } }));
  for (const detail of DETAILS) {
    const ctx = sampleDataContext({ dsd: dsdX, detail, dataSetAttributes: { DS_NOTE: 'whole set' } });
    const xml = writeAll(structureSpecificDataWriter(ctx), series);
    tt.same(validateSs(xml, ctx), [], `detail=${detail}`);
    const ds = parseSs(xml, 'TIME_PERIOD').dataSet;
    tt.equal(attr(ds, 'DS_NOTE'), detail === 'full' || detail === 'nodata' ? 'whole set' : undefined, `data set attribute, ${detail}`);
  }
  const twoGroups: DataStructure = { ...dsdX, groups: [...(dsdX.groups ?? []), { id: 'BY_AREA', dimensions: ['REF_AREA'] }] };
  const ctx2 = sampleDataContext({ dsd: twoGroups, dataSetAttributes: { DS_NOTE: 'x' } });
  tt.same(validateSs(writeAll(structureSpecificDataWriter(ctx2), series), ctx2), [], 'two groups');
});

t.test('invalid content is caught by the generated schema (the validation is not vacuous)', async (tt) => {
  const ctx = sampleDataContext();
  const good = writeAll(structureSpecificDataWriter(ctx), sampleSeries);
  const bad: [string, string][] = [
    ['FREQ="A" REF_AREA="ISL"', 'FREQ="Z" REF_AREA="ISL"'], // code not in the codelist
    ['FREQ="A" REF_AREA="FRA" ', 'REF_AREA="FRA" '], // missing dimension
    ['OBS_VALUE="872"', 'OBS_VALUE="a lot"'], // not a double
    ['OBS_STATUS="A"/>', 'OBS_STATUS="A" UNKNOWN="1"/>'], // not a component
    ['<Obs TIME_PERIOD="2015" OBS_VALUE="872"', '<Obs OBS_VALUE="872"'], // no observation dimension
    ['OFFENCE="0101" COMMENT', 'OFFENCE="0101" TIME_PERIOD="2014" COMMENT'], // time on a time series
  ];
  for (const [from, to] of bad) {
    tt.ok(good.includes(from), `fixture contains ${from}`);
    tt.not(validateSs(good.replace(from, to), ctx).length, 0, `rejects ${to}`);
  }
});

t.test('StructureSpecificTimeSeriesData', async (tt) => {
  const ctx = sampleDataContext();
  const xml = writeAll(structureSpecificTimeSeriesDataWriter(ctx), sampleSeries);
  tt.equal(parseXml(xml).name, 'StructureSpecificTimeSeriesData');
  tt.same(validateSs(xml, ctx), []);
  tt.same(parseSs(xml, 'TIME_PERIOD').series, expected(sampleSeries, 'full', false));
  tt.throws(() => structureSpecificTimeSeriesDataWriter(sampleDataContext({ dimensionAtObservation: 'REF_AREA' })));
});

t.test('several data sets: ss:action, validity, publication year and DataProvider; valid and parsing back', async (tt) => {
  for (const view of VIEWS) {
    const flat = view === 'AllDimensions';
    const toInput = (series: readonly Series[]): Series[] =>
      flat ? [{ key: {}, attributes: {}, observations: flattenSeries(series) }] : view === 'TIME_PERIOD' ? [...series] : crossSection(series, view);
    const ctx = sampleDataContext({ dimensionAtObservation: view });
    const xml = writeReleases(structureSpecificDataWriter(ctx), sampleReleases, toInput);
    tt.same(validateSs(xml, ctx), [], `${view}: valid`);
    const sets = kids(parseXml(xml).node, 'DataSet');
    tt.equal(sets.length, 2);
    sampleReleases.forEach((release, i) => {
      const ds = sets[i] as XNode;
      const ref = kid(kid(ds, 'DataProvider'), 'Ref');
      const info = {
        action: attr(ds, 'action'),
        validFromDate: attr(ds, 'validFromDate'),
        validToDate: attr(ds, 'validToDate'),
        dataProvider: ref && `${attr(ref, 'agencyID')}:${attr(ref, 'id')}`,
        publicationYear: attr(ds, 'publicationYear'),
      };
      tt.same(Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)), release.info, `${view}: data set ${i} info`);
      tt.same(ssSeriesOf(ds, view), expected(toInput(release.series), 'full', flat), `${view}: data set ${i} content`);
    });
  }
  tt.match(
    writeReleases(structureSpecificDataWriter(sampleDataContext()), sampleReleases),
    'ss:action="Replace" ss:validFromDate="2024-03-01T09:00:00Z" ss:validToDate="2025-03-01T08:59:59Z" ss:publicationYear="2024">' +
      '<DataProvider><Ref agencyID="TEST" maintainableParentID="DATA_PROVIDERS" maintainableParentVersion="1.0" id="P1" class="DataProvider" package="base"/></DataProvider><Series ',
    'qualified set attributes; DataProvider first in the data set',
  );
  const ts = sampleDataContext();
  tt.same(validateSs(writeReleases(structureSpecificTimeSeriesDataWriter(ts), sampleReleases), ts), [], 'time-series form');
  tt.not(
    validateSs(writeReleases(structureSpecificDataWriter(ts), sampleReleases).replace('ss:action="Replace"', 'ss:action="Merge"'), ts).length,
    0,
    'the schema checks the action',
  );
});
