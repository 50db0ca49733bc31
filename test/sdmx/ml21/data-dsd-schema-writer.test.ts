/**
 * DSD-specific (structure-specific) schema for SDMX-ML 2.1: the shape the SDMX TCK checks
 * (conformance kit §3.4: base types, content models, attribute uses, enumerated and faceted simple
 * types, groups), allowed-value restriction, and that xmllint compiles it with the official XSDs
 * and uses it to accept good and reject bad structure-specific messages.
 */
import t from 'tap';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataMessageContext, Series } from '../../../src/sdmx/data/model.js';
import { structureSpecificDataWriter } from '../../../src/sdmx/ml21/data-structure-specific-writer.js';
import { dsdSchemaMl21, type DsdSchemaOptions } from '../../../src/sdmx/ml21/dsd-schema-writer.js';
import { attr, kid, kids, parseXml, type XNode } from '../../../src/sdmx/ml21/xml-tree.js';
import type { Component, DataAttribute, DataStructure } from '../../../src/sdmx/model.js';
import { sampleDataContext, sampleFlat, sampleSeries } from '../../fixtures/sample-data.js';
import { dataflow, dsd } from '../../fixtures/sample-structures.js';
import { validateXml } from '../../helpers/validate.js';
import { XSD_DIR as OFFICIAL_XSD } from '../../helpers/shared.js';

const XSD_DIR = mkdtempSync(path.join(tmpdir(), 'sdmx21-dsd-'));
cpSync(OFFICIAL_XSD.v21, XSD_DIR, { recursive: true });
t.teardown(() => rmSync(XSD_DIR, { recursive: true, force: true }));
let count = 0;

/** Validates `xml` against SDMXMessage.xsd plus `schema` (whose target namespace is `namespace`). */
function validateWith(xml: string, schema: string): string[] {
  const namespace = attr(parseXml(schema).node, 'targetNamespace') as string;
  const i = count++;
  writeFileSync(path.join(XSD_DIR, `dsd-${i}.xsd`), schema);
  writeFileSync(
    path.join(XSD_DIR, `driver-${i}.xsd`),
    '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:local:driver">' +
      '<xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" schemaLocation="SDMXMessage.xsd"/>' +
      `<xs:import namespace="${namespace}" schemaLocation="dsd-${i}.xsd"/></xs:schema>`,
  );
  return validateXml(xml, path.join(XSD_DIR, `driver-${i}.xsd`));
}

const codelists = sampleDataContext().codelistOf;
const schemaOf = (view: string, overrides: Partial<DsdSchemaOptions> = {}, d: DataStructure = dsd) =>
  dsdSchemaMl21(d, dataflow, { dimensionAtObservation: view, codelists, ...overrides });

function message(ctx: DataMessageContext, series: readonly Series[]): string {
  const w = structureSpecificDataWriter(ctx);
  return w.start() + series.map((s) => w.series(s)).join('') + w.end();
}

// ---------------------------------------------------------------------------------------------
// A small reader over the generated schema

interface Schema {
  complex: Map<string, XNode>;
  simple: Map<string, XNode>;
  root: XNode;
}
function readSchema(xsd: string): Schema {
  const root = parseXml(xsd).node;
  return {
    root,
    complex: new Map(kids(root, 'complexType').map((c) => [attr(c, 'name') as string, c])),
    simple: new Map(kids(root, 'simpleType').map((c) => [attr(c, 'name') as string, c])),
  };
}
const restrictionOf = (c: XNode | undefined) => kid(kid(c, 'complexContent'), 'restriction');
const baseOf = (c: XNode | undefined) => attr(restrictionOf(c), 'base');
/** name → [type, use, fixed] of a complex type's attribute declarations. */
function attributesOf(c: XNode | undefined): Record<string, [string?, string?, string?]> {
  return Object.fromEntries(
    kids(restrictionOf(c), 'attribute').map((a) => [attr(a, 'name'), [attr(a, 'type'), attr(a, 'use'), attr(a, 'fixed')]]),
  );
}
const elementsOf = (n: XNode | undefined) =>
  kids(n, 'element').map((e) => [attr(e, 'name') ?? `ref:${attr(e, 'ref')}`, attr(e, 'type'), attr(e, 'minOccurs'), attr(e, 'maxOccurs'), attr(e, 'form')]);

// ---------------------------------------------------------------------------------------------

t.test('time series (TIME_PERIOD at the observation)', async (tt) => {
  const s = readSchema(schemaOf('TIME_PERIOD'));
  tt.equal(attr(s.root, 'targetNamespace'), 'urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_TEST(1.0):ObsLevelDim:TIME_PERIOD');
  tt.same([...s.complex.keys()], ['DataSetType', 'SeriesType', 'ObsType']);
  const ds = s.complex.get('DataSetType');
  tt.equal(baseOf(ds), 'dsd:TimeSeriesDataSetType');
  const seq = kid(restrictionOf(ds), 'sequence');
  tt.same(elementsOf(seq), [
    ['ref:common:Annotations', undefined, '0', undefined, undefined],
    ['DataProvider', 'common:DataProviderReferenceType', '0', undefined, 'unqualified'],
  ]);
  tt.equal(attr(kid(seq, 'choice'), 'minOccurs'), '0');
  tt.same(elementsOf(kid(seq, 'choice')), [['Series', 'SeriesType', undefined, 'unbounded', 'unqualified']]);
  tt.same(attributesOf(ds), { REPORTING_YEAR_START_DAY: ['xs:gMonthDay', 'prohibited', undefined] });

  const series = s.complex.get('SeriesType');
  tt.equal(baseOf(series), 'dsd:TimeSeriesType');
  tt.same(elementsOf(kid(restrictionOf(series), 'sequence')), [
    ['ref:common:Annotations', undefined, '0', undefined, undefined],
    ['Obs', 'ObsType', '0', 'unbounded', 'unqualified'],
  ]);
  tt.same(attributesOf(series), {
    FREQ: ['CL_FREQ', 'required', undefined],
    REF_AREA: ['CL_AREA', 'required', undefined],
    OFFENCE: ['CL_OFFENCE', 'required', undefined],
    COMMENT: ['COMMENT', 'optional', undefined],
    REPORTING_YEAR_START_DAY: ['xs:gMonthDay', 'prohibited', undefined],
  });

  const obs = s.complex.get('ObsType');
  tt.equal(baseOf(obs), 'dsd:TimeSeriesObsType');
  tt.same(attributesOf(obs), {
    TIME_PERIOD: ['common:ObservationalTimePeriodType', 'required', undefined],
    OBS_VALUE: ['xs:double', 'optional', undefined],
    OBS_STATUS: ['CL_OBS_STATUS', 'optional', undefined],
    type: ['common:IDType', 'prohibited', undefined],
    REPORTING_YEAR_START_DAY: ['xs:gMonthDay', 'prohibited', undefined],
  });

  // Enumerated simple types for every coded component; the faceted one named by the component.
  const enums = (name: string) => kids(kid(s.simple.get(name), 'restriction'), 'enumeration').map((e) => attr(e, 'value'));
  tt.same(enums('CL_FREQ'), ['A', 'M']);
  tt.same(enums('CL_OFFENCE'), ['01', '0101', '0103', '01031', '010321']);
  tt.same(enums('CL_OBS_STATUS'), ['A', 'E']);
  const comment = kid(s.simple.get('COMMENT'), 'restriction');
  tt.equal(attr(comment, 'base'), 'xs:string');
  tt.equal(attr(kid(comment, 'maxLength'), 'value'), '1050');
});

t.test('cross-section (a dimension at the observation)', async (tt) => {
  const s = readSchema(schemaOf('REF_AREA'));
  tt.equal(attr(s.root, 'targetNamespace'), 'urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_TEST(1.0):ObsLevelDim:REF_AREA');
  tt.equal(baseOf(s.complex.get('DataSetType')), 'dsd:DataSetType');
  tt.equal(baseOf(s.complex.get('SeriesType')), 'dsd:SeriesType');
  tt.equal(baseOf(s.complex.get('ObsType')), 'dsd:ObsType');
  tt.same(attributesOf(s.complex.get('SeriesType')), {
    FREQ: ['CL_FREQ', 'required', undefined],
    OFFENCE: ['CL_OFFENCE', 'required', undefined],
    TIME_PERIOD: ['common:ObservationalTimePeriodType', 'required', undefined],
    COMMENT: ['COMMENT', 'optional', undefined],
    REPORTING_YEAR_START_DAY: ['xs:gMonthDay', 'prohibited', undefined],
  });
  tt.same(attributesOf(s.complex.get('ObsType')), {
    REF_AREA: ['CL_AREA', 'required', undefined],
    TIME_PERIOD: ['common:ObservationalTimePeriodType', 'prohibited', undefined],
    OBS_VALUE: ['xs:double', 'optional', undefined],
    OBS_STATUS: ['CL_OBS_STATUS', 'optional', undefined],
    // COMMENT relates to REF_AREA too, so it may also sit on the observation.
    COMMENT: ['COMMENT', 'optional', undefined],
    type: ['common:IDType', 'prohibited', undefined],
    REPORTING_YEAR_START_DAY: ['xs:gMonthDay', 'prohibited', undefined],
  });
});

t.test('flat (AllDimensions)', async (tt) => {
  const s = readSchema(schemaOf('AllDimensions'));
  tt.same([...s.complex.keys()], ['DataSetType', 'ObsType'], 'no SeriesType');
  const choice = kid(kid(restrictionOf(s.complex.get('DataSetType')), 'sequence'), 'choice');
  tt.same(elementsOf(choice), [['Obs', 'ObsType', undefined, 'unbounded', 'unqualified']]);
  tt.equal(baseOf(s.complex.get('ObsType')), 'dsd:ObsType');
  tt.same(Object.keys(attributesOf(s.complex.get('ObsType'))), [
    'FREQ',
    'REF_AREA',
    'OFFENCE',
    'TIME_PERIOD',
    'OBS_VALUE',
    'OBS_STATUS',
    'COMMENT',
    'type',
    'REPORTING_YEAR_START_DAY',
  ]);
  tt.same(attributesOf(s.complex.get('ObsType')).TIME_PERIOD, ['common:ObservationalTimePeriodType', 'required', undefined]);
});

t.test('a DSD namespace when no dataflow is given', async (tt) => {
  const xsd = dsdSchemaMl21(dsd, undefined, { dimensionAtObservation: 'TIME_PERIOD', codelists });
  tt.equal(
    attr(parseXml(xsd).node, 'targetNamespace'),
    'urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=TEST:DSD_TEST(1.0):ObsLevelDim:TIME_PERIOD',
  );
});

t.test('the schema compiles and validates the writer output for every view', async (tt) => {
  const inputs: Record<string, readonly Series[]> = { TIME_PERIOD: sampleSeries, AllDimensions: [sampleFlat] };
  for (const view of ['TIME_PERIOD', 'AllDimensions']) {
    const xml = message(sampleDataContext({ dimensionAtObservation: view }), inputs[view]);
    tt.same(validateWith(xml, schemaOf(view)), [], view);
  }
  // A schema for another view does not accept the message (different namespace and types).
  const ts = message(sampleDataContext(), sampleSeries);
  tt.not(validateWith(ts, schemaOf('AllDimensions')).length, 0, 'AllDimensions schema rejects a time-series message');
});

t.test('allowed values restrict the enumerations (Allowed content constraints)', async (tt) => {
  const allowed: Record<string, string[]> = { FREQ: ['A'], OFFENCE: ['0101', '0103', 'NOT_A_CODE'] };
  const xsd = schemaOf('TIME_PERIOD', { allowedValues: (id) => allowed[id] });
  const s = readSchema(xsd);
  const enums = (name: string) => kids(kid(s.simple.get(name), 'restriction'), 'enumeration').map((e) => attr(e, 'value'));
  tt.same(enums('CL_FREQ'), ['A']);
  tt.same(enums('CL_OFFENCE'), ['0101', '0103'], 'codelist order, codes outside the codelist dropped');
  tt.same(enums('CL_AREA'), ['150', 'FRA', 'ISL'], 'unconstrained component keeps the codelist');
  const xml = message(sampleDataContext(), sampleSeries);
  tt.same(validateWith(xml, xsd), [], 'allowed codes validate');
  tt.not(validateWith(xml.replace('OFFENCE="0101"', 'OFFENCE="01"'), xsd).length, 0, 'a code of the codelist outside the constraint is rejected');

  // Two components sharing a codelist with different allowed values get two types.
  const concept = dsd.attributes[0].conceptIdentity;
  const shared: DataStructure = {
    ...dsd,
    attributes: [
      ...dsd.attributes,
      { id: 'OBS_STATUS_2', conceptIdentity: concept, localRepresentation: dsd.attributes[0].localRepresentation, assignmentStatus: 'Conditional', relationship: { kind: 'Observation' } },
    ],
  };
  const two = readSchema(
    dsdSchemaMl21(shared, dataflow, {
      dimensionAtObservation: 'TIME_PERIOD',
      codelists: (id) => codelists(id === 'OBS_STATUS_2' ? 'OBS_STATUS' : id),
      allowedValues: (id) => (id === 'OBS_STATUS_2' ? ['E'] : undefined),
    }),
  );
  const obs = attributesOf(two.complex.get('ObsType'));
  tt.equal(obs.OBS_STATUS[0], 'CL_OBS_STATUS');
  tt.equal(obs.OBS_STATUS_2[0], 'CL_OBS_STATUS.2');
  tt.same(kids(kid(two.simple.get('CL_OBS_STATUS.2'), 'restriction'), 'enumeration').map((e) => attr(e, 'value')), ['E']);

  // No allowed value at all: the type accepts nothing (not everything).
  const none = schemaOf('TIME_PERIOD', { allowedValues: (id) => (id === 'FREQ' ? [] : undefined) });
  tt.not(validateWith(xml, none).length, 0, 'an empty allowed set rejects every code');
});

t.test('coded components without a codelist fall back to allowed values, then common:IDType', async (tt) => {
  const s = readSchema(schemaOf('TIME_PERIOD', { codelists: () => undefined, allowedValues: (id) => (id === 'FREQ' ? ['A'] : undefined) }));
  const series = attributesOf(s.complex.get('SeriesType'));
  tt.equal(series.FREQ[0], 'CL_FREQ');
  tt.equal(series.REF_AREA[0], 'common:IDType');
});

t.test('facets follow the TextFormat and stay valid for the base type', async (tt) => {
  const concept = dsd.attributes[1].conceptIdentity;
  const attribute = (id: string, textFormat: NonNullable<Component['localRepresentation']>['textFormat']): DataAttribute => ({
    id,
    conceptIdentity: concept,
    localRepresentation: { textFormat },
    assignmentStatus: 'Conditional',
    relationship: { kind: 'Observation' },
  });
  const d: DataStructure = {
    ...dsd,
    primaryMeasure: { ...dsd.primaryMeasure, localRepresentation: { textFormat: { textType: 'Double', maxLength: 10 } } },
    attributes: [
      ...dsd.attributes,
      attribute('COUNT', { textType: 'Integer', minValue: 0, maxValue: 100 }),
      attribute('CODE', { textType: 'AlphaNumeric', minLength: 2, maxLength: 4, pattern: '[A-Z]+[0-9]*' }),
      attribute('FLAG', { textType: 'Boolean' }),
      attribute('STAMP', { textType: 'DateTime' }),
    ],
  };
  const xsd = schemaOf('TIME_PERIOD', {}, d);
  const s = readSchema(xsd);
  const obs = attributesOf(s.complex.get('ObsType'));
  tt.equal(obs.OBS_VALUE[0], 'xs:double', 'maxLength does not apply to xs:double: dropped');
  tt.equal(obs.FLAG[0], 'xs:boolean');
  tt.equal(obs.STAMP[0], 'xs:dateTime');
  const facets = (name: string) => {
    const r = kid(s.simple.get(name), 'restriction');
    return [attr(r, 'base'), ...['minLength', 'maxLength', 'minInclusive', 'maxInclusive', 'pattern'].flatMap((f) => (kid(r, f) ? [`${f}=${attr(kid(r, f), 'value')}`] : []))];
  };
  tt.equal(obs.COUNT[0], 'COUNT');
  tt.same(facets('COUNT'), ['xs:int', 'minInclusive=0', 'maxInclusive=100']);
  tt.same(facets('CODE'), ['common:AlphaNumericType', 'minLength=2', 'maxLength=4', 'pattern=[A-Z]+[0-9]*']);
  const ctx = sampleDataContext({ dsd: d });
  const series: Series = {
    key: { FREQ: 'A', REF_AREA: 'FRA', OFFENCE: '0101' },
    attributes: {},
    observations: [{ at: '2020', value: 1, attributes: { COUNT: '7', CODE: 'AB1', FLAG: 'true', STAMP: '2020-01-01T00:00:00Z' } }],
  };
  const xml = message(ctx, [series]);
  tt.same(validateWith(xml, xsd), [], 'schema compiles; values within the facets validate');
  tt.not(validateWith(xml.replace('COUNT="7"', 'COUNT="101"'), xsd).length, 0, 'maxInclusive enforced');
  tt.not(validateWith(xml.replace('CODE="AB1"', 'CODE="A"'), xsd).length, 0, 'minLength enforced');
});

t.test('groups: one group is the Group element type; several share an abstract GroupType', async (tt) => {
  const concept = dsd.attributes[1].conceptIdentity;
  const one: DataStructure = {
    ...dsd,
    groups: [{ id: 'SIBLING', dimensions: ['REF_AREA', 'OFFENCE'] }],
    attributes: [
      ...dsd.attributes,
      { id: 'AREA_NOTE', conceptIdentity: concept, assignmentStatus: 'Conditional', relationship: { kind: 'Group', group: 'SIBLING' } },
    ],
  };
  const s1 = readSchema(schemaOf('TIME_PERIOD', {}, one));
  tt.same([...s1.complex.keys()], ['DataSetType', 'SeriesType', 'ObsType', 'SIBLING'], 'group types after Series and Obs');
  const groupEl = elementsOf(kid(restrictionOf(s1.complex.get('DataSetType')), 'sequence')).find((e) => e[0] === 'Group');
  tt.same(groupEl, ['Group', 'SIBLING', '0', 'unbounded', 'unqualified']);
  tt.equal(baseOf(s1.complex.get('SIBLING')), 'dsd:GroupType');
  tt.same(attributesOf(s1.complex.get('SIBLING')), {
    REF_AREA: ['CL_AREA', 'required', undefined],
    OFFENCE: ['CL_OFFENCE', 'required', undefined],
    AREA_NOTE: ['xs:string', 'optional', undefined],
    type: ['common:IDType', 'optional', 'SIBLING'],
    REPORTING_YEAR_START_DAY: ['xs:gMonthDay', 'prohibited', undefined],
  });
  tt.same(attributesOf(s1.complex.get('SeriesType')).AREA_NOTE, ['xs:string', 'optional', undefined], 'group attribute also on Series');

  const ctx = sampleDataContext({ dsd: one });
  const base = message(ctx, sampleSeries);
  const withGroup = base.replace('xsi:type="ns1:DataSetType">', 'xsi:type="ns1:DataSetType"><Group type="SIBLING" REF_AREA="ISL" OFFENCE="0101" AREA_NOTE="n"/>');
  tt.same(validateWith(withGroup, schemaOf('TIME_PERIOD', {}, one)), [], 'a Group instance validates');

  const two: DataStructure = { ...one, groups: [...(one.groups ?? []), { id: 'BY_AREA', dimensions: ['REF_AREA'] }] };
  const xsd2 = schemaOf('TIME_PERIOD', {}, two);
  const s2 = readSchema(xsd2);
  const abstract = s2.complex.get('GroupType');
  tt.equal(attr(abstract, 'abstract'), 'true');
  tt.equal(baseOf(abstract), 'dsd:GroupType');
  tt.same(attributesOf(abstract).type, ['GroupType.ID', 'optional', undefined]);
  tt.equal(attr(kid(restrictionOf(abstract), 'anyAttribute'), 'namespace'), '##local');
  tt.same(kids(kid(s2.simple.get('GroupType.ID'), 'restriction'), 'enumeration').map((e) => attr(e, 'value')), ['SIBLING', 'BY_AREA']);
  tt.equal(attr(kid(s2.simple.get('GroupType.ID'), 'restriction'), 'base'), 'common:IDType');
  tt.same(attributesOf(s2.complex.get('BY_AREA')).type, ['GroupType.ID', 'optional', 'BY_AREA']);
  tt.equal(baseOf(s2.complex.get('BY_AREA')), 'GroupType', 'derived from the abstract type so xsi:type applies');
  const withGroups = message(sampleDataContext({ dsd: two }), sampleSeries).replace(
    'xsi:type="ns1:DataSetType">',
    'xsi:type="ns1:DataSetType"><Group xsi:type="ns1:SIBLING" type="SIBLING" REF_AREA="ISL" OFFENCE="0101" AREA_NOTE="n"/><Group xsi:type="ns1:BY_AREA" type="BY_AREA" REF_AREA="FRA"/>',
  );
  tt.same(validateWith(withGroups, xsd2), [], 'typed Group instances validate');
  tt.not(validateWith(withGroups.replace('type="BY_AREA" REF_AREA="FRA"', 'type="BY_AREA" OFFENCE="0101"'), xsd2).length, 0, 'group dimensions enforced');
});

t.test('REPORTING_YEAR_START_DAY defined by the DSD is declared, not prohibited', async (tt) => {
  const d: DataStructure = {
    ...dsd,
    attributes: [
      ...dsd.attributes,
      { id: 'REPORTING_YEAR_START_DAY', conceptIdentity: dsd.attributes[1].conceptIdentity, assignmentStatus: 'Conditional', relationship: { kind: 'DataSet' } },
    ],
  };
  const s = readSchema(schemaOf('TIME_PERIOD', {}, d));
  tt.same(attributesOf(s.complex.get('DataSetType')).REPORTING_YEAR_START_DAY, ['xs:gMonthDay', 'optional', undefined]);
  tt.equal(attributesOf(s.complex.get('ObsType')).REPORTING_YEAR_START_DAY, undefined);
  const xml = message(sampleDataContext({ dsd: d, dataSetAttributes: { REPORTING_YEAR_START_DAY: '--07-01' } }), sampleSeries);
  tt.same(validateWith(xml, schemaOf('TIME_PERIOD', {}, d)), []);
});

t.test('options and errors', async (tt) => {
  const xsd = schemaOf('TIME_PERIOD', { sdmxSchemaLocation: 'https://registry.sdmx.org/schemas/v2_1/' });
  tt.match(xsd, '<xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific" schemaLocation="https://registry.sdmx.org/schemas/v2_1/SDMXDataStructureSpecific.xsd"/>');
  tt.match(schemaOf('TIME_PERIOD'), 'schemaLocation="SDMXCommon.xsd"', 'default: the official XSDs in the same folder');
  tt.throws(() => schemaOf('NOT_A_DIMENSION'), /not a dimension/);
});
