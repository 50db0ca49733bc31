/**
 * SDMX-ML 3.0 data served by /sdmx/3.0/data validates. A structure-specific DataSet is abstract
 * and typed with `xsi:type`, so it validates only with a schema specific to the dataflow: the
 * test generates it from the real DSD_CTS and its codelists, as the writer test does for its
 * test DSD (codes as enumerations, TIME_PERIOD as an observational time period, OBS_VALUE as
 * xs:double, each component where its attachment puts it, the namespace the message header
 * names), and validates every response with xmllint beside the official SDMXMessage.xsd.
 * Attributes are optional in the generated schema because `attributes=none` (and dataonly)
 * leave out mandatory attributes too. Each response's observations are also checked against the
 * fixture's current values, so a valid but empty answer cannot pass.
 */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixedClock } from '../../../src/clock.js';
import { PROJECT_ROOT } from '../../../src/project-root.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { urnOf, type Codelist, type Component, type DataStructure, type Dataflow } from '../../../src/sdmx/model.js';
import { StructureService } from '../../../src/services/structure-service.js';
import { dataApp, CTS_DIMENSIONS } from '../../helpers/data-app.js';
import { decodeStructureSpecific } from '../../helpers/data-decoders.js';
import { SHARED } from '../../helpers/shared.js';
import { validateXml } from '../../helpers/validate.js';
import { AUT, CURRENT, FRA, HOMICIDE_RELEASES, TEST_NOW } from '../../fixtures/data-releases.js';

const clock = fixedClock(TEST_NOW);
const { app, repositories } = await dataApp(HOMICIDE_RELEASES, { clock });
t.teardown(() => app.close());
const registry = StructureService.load(repositories, path.join(PROJECT_ROOT, 'sdmx'), clock).service.registry;
const flow = registry.get({ class: 'Dataflow', agencyID: 'UNODC', id: 'DF_CTS_HOMICIDE', version: '1.0' }) as Dataflow;
const dsd = registry.get(flow.structure) as DataStructure;

const XSD30 = path.join(SHARED, 'sdmx/xsd/3.0');
const FLOW30 = '/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE/1.0';
const DIMS = [...CTS_DIMENSIONS, 'TIME_PERIOD'];

// ---------------------------------------------------------------------------------------------
// The dataflow-specific schema, per observation dimension

function codelistOf(c: Component): Codelist | undefined {
  const ref = c.localRepresentation?.enumeration;
  const cl = ref ? registry.get(ref) : undefined;
  return cl?.class === 'Codelist' ? cl : undefined;
}

function simpleType(c: Component): string {
  const cl = codelistOf(c);
  if (cl) return `<xs:simpleType name="${c.id}_T"><xs:restriction base="xs:string">${cl.items.map((i) => `<xs:enumeration value="${i.id}"/>`).join('')}</xs:restriction></xs:simpleType>`;
  if (c.id === dsd.timeDimension.id) return `<xs:simpleType name="${c.id}_T"><xs:restriction base="common:ObservationalTimePeriodType"/></xs:simpleType>`;
  const max = c.localRepresentation?.textFormat?.maxLength;
  return `<xs:simpleType name="${c.id}_T"><xs:restriction base="xs:string">${max ? `<xs:maxLength value="${max}"/>` : ''}</xs:restriction></xs:simpleType>`;
}

function dsdSchema(view: string, ns: string): string {
  const flat = view === 'AllDimensions';
  const seriesDims = flat ? [] : DIMS.filter((d) => d !== view);
  const obsDims = flat ? DIMS : [view];
  // An attribute sits on the series when the dimensions it depends on leave out the observation dimension.
  const onSeries = (a: DataStructure['attributes'][number]) => !flat && a.relationship.kind === 'Dimensions' && !a.relationship.dimensions.includes(view);
  const attr = (id: string, use: 'required' | 'optional') => `<xs:attribute name="${id}" type="${id}_T" use="${use}"/>`;
  const components: Component[] = [...dsd.dimensions, dsd.timeDimension, ...dsd.attributes];
  return `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/data/structurespecific"
  xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common" xmlns="${ns}" targetNamespace="${ns}"
  elementFormDefault="qualified" attributeFormDefault="unqualified">
<xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common" schemaLocation="${path.join(XSD30, 'SDMXCommon.xsd')}"/>
<xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/data/structurespecific" schemaLocation="${path.join(XSD30, 'SDMXDataStructureSpecific.xsd')}"/>
${components.map(simpleType).join('\n')}
<xs:complexType name="DataSetType"><xs:complexContent><xs:restriction base="ss:DataSetType"><xs:sequence>
  <xs:element ref="common:Annotations" minOccurs="0"/>
  <xs:element name="DataProvider" type="common:DataProviderReferenceType" form="unqualified" minOccurs="0"/>
  <xs:choice minOccurs="0" maxOccurs="unbounded">
    ${flat ? '<xs:element name="Obs" type="ObsType" form="unqualified"/>' : '<xs:element name="Series" type="SeriesType" form="unqualified"/>'}
  </xs:choice>
</xs:sequence></xs:restriction></xs:complexContent></xs:complexType>
${
  flat
    ? ''
    : `<xs:complexType name="SeriesType"><xs:complexContent><xs:restriction base="ss:SeriesType"><xs:sequence>
  <xs:element ref="common:Annotations" minOccurs="0"/>
  <xs:element name="Obs" type="ObsType" form="unqualified" minOccurs="0" maxOccurs="unbounded"/>
</xs:sequence>
${seriesDims.map((d) => attr(d, 'required')).join('\n')}
${dsd.attributes.filter(onSeries).map((a) => attr(a.id, 'optional')).join('\n')}
${view === dsd.timeDimension.id ? '<xs:attribute name="TIME_PERIOD" use="prohibited"/>' : ''}
</xs:restriction></xs:complexContent></xs:complexType>`
}
<xs:complexType name="ObsType"><xs:complexContent><xs:restriction base="ss:ObsType"><xs:sequence>
  <xs:element ref="common:Annotations" minOccurs="0"/>
</xs:sequence>
${obsDims.map((d) => attr(d, 'required')).join('\n')}
<xs:attribute name="${dsd.primaryMeasure.id}" type="xs:double" use="optional"/>
${dsd.attributes.filter((a) => !onSeries(a)).map((a) => attr(a.id, 'optional')).join('\n')}
</xs:restriction></xs:complexContent></xs:complexType>
</xs:schema>
`;
}

const schemaDir = mkdtempSync(path.join(tmpdir(), 'sdmx30-route-'));
t.teardown(() => rmSync(schemaDir, { recursive: true, force: true }));
const wrappers = new Map<string, string>();
function wrapperFor(view: string): string {
  const known = wrappers.get(view);
  if (known) return known;
  const ns = `${urnOf({ class: 'Dataflow', agencyID: flow.agencyID, id: flow.id, version: flow.version })}:ObsLevelDim:${view}`;
  const dsdFile = path.join(schemaDir, `DF_CTS_HOMICIDE_${view}.xsd`);
  writeFileSync(dsdFile, dsdSchema(view, ns));
  const wrapper = path.join(schemaDir, `wrapper_${view}.xsd`);
  writeFileSync(
    wrapper,
    `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:local:wrapper" elementFormDefault="qualified">
  <xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message" schemaLocation="${path.join(XSD30, 'SDMXMessage.xsd')}"/>
  <xs:import namespace="${ns}" schemaLocation="${dsdFile}"/>
</xs:schema>
`,
  );
  wrappers.set(view, wrapper);
  return wrapper;
}

// ---------------------------------------------------------------------------------------------

const get = (url: string) => app.inject({ url, headers: { accept: MEDIA.dataMl30 } });

/** `key|period=value` of the current values, for the keys given (all when omitted). */
function current(keys: readonly string[] = Object.keys(CURRENT), periods: (p: string) => boolean = () => true): string[] {
  return keys.flatMap((k) => Object.entries(CURRENT[k]!).filter(([p]) => periods(p)).map(([p, v]) => `${k}|${p}=${v === null ? 'NaN' : v}`)).sort();
}

function served(xml: string): string[] {
  return decodeStructureSpecific(xml, DIMS)
    .map((o) => `${CTS_DIMENSIONS.map((d) => o.key[d]).join('.')}|${o.key.TIME_PERIOD}=${o.value === null ? 'NaN' : o.value}`)
    .sort();
}

t.test('the generated schema is strict enough to fail a wrong message', async (t) => {
  const res = await get(`${FLOW30}/${AUT}`);
  t.equal(res.statusCode, 200);
  t.same(validateXml(res.body, wrapperFor('TIME_PERIOD')), []);
  t.not(validateXml(res.body.replace('REF_AREA="AUT"', 'REF_AREA="XXX"'), wrapperFor('TIME_PERIOD')).length, 0, 'an unknown code');
  t.not(validateXml(res.body.replace(/OBS_VALUE="46"/, 'OBS_VALUE="forty-six"'), wrapperFor('TIME_PERIOD')).length, 0, 'a value that is no double');
  t.not(validateXml(res.body.replace(' FREQ="A"', ''), wrapperFor('TIME_PERIOD')).length, 0, 'a missing key part');
});

t.test('every view and detail of a 3.0 data response validates', async (t) => {
  const cases: [name: string, query: string, view: string, check: (xml: string) => void][] = [
    ['time series, full', `${FLOW30}/*`, 'TIME_PERIOD', (x) => t.same(served(x), current(), 'the current values')],
    ['a cross-section', `${FLOW30}/*?dimensionAtObservation=REF_AREA`, 'REF_AREA', (x) => t.same(served(x), current())],
    ['the flat view', `${FLOW30}/*?dimensionAtObservation=AllDimensions`, 'AllDimensions', (x) => t.same(served(x), current())],
    ['series keys only', `${FLOW30}/*?attributes=none&measures=none`, 'TIME_PERIOD', (x) => t.equal((x.match(/<Series /g) ?? []).length, Object.keys(CURRENT).length)],
    ['no data, attributes kept', `${FLOW30}/*?attributes=dsd&measures=none`, 'TIME_PERIOD', (x) => t.notMatch(x, /<Obs /)],
    ['data only', `${FLOW30}/*?attributes=none`, 'TIME_PERIOD', (x) => t.notMatch(x, /OBS_STATUS=/)],
    ['two whole keys and a period filter', `${FLOW30}/${AUT},${FRA}?c[TIME_PERIOD]=ge:2019`, 'TIME_PERIOD', (x) => t.same(served(x), current([AUT, FRA], (p) => p >= '2019'))],
    ['the last observation of each series', `${FLOW30}/*?lastNObservations=1&dimensionAtObservation=REF_AREA`, 'REF_AREA', (x) => t.equal(served(x).length, Object.keys(CURRENT).length)],
    [
      'one Replace data set per release',
      `${FLOW30}/${AUT}?includeHistory=true`,
      'TIME_PERIOD',
      (x) => {
        t.equal((x.match(/<message:DataSet /g) ?? []).length, 2);
        t.match(x, /ss:action="Replace" ss:validFromDate="2020-06-01T08:00:00.000Z"/);
      },
    ],
  ];
  for (const [name, query, view, check] of cases) {
    const res = await get(query);
    t.equal(res.statusCode, 200, `${name}: 200`);
    t.equal(res.headers['content-type'], MEDIA.dataMl30);
    t.match(res.body, `namespace="urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=UNODC:DF_CTS_HOMICIDE(1.0):ObsLevelDim:${view}"`);
    t.same(validateXml(res.body, wrapperFor(view)), [], `${name}: valid`);
    check(res.body);
  }
});
