/**
 * Schema queries on both APIs: every context and version form gives the DSD-specific XSD with
 * the Allowed constraints along the chain applied, for each dimension at the observation level;
 * the XSD compiles with the official schemas and accepts the structure-specific messages the data
 * endpoint writes (and rejects a code the dataflow does not allow); structure formats give the
 * DSD with its allowed codes (REST 1.5 4_5); errors, 501s, 406 and HTTP caching.
 */
import t from 'tap';
import { fixedClock } from '../../../src/clock.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { readStructureMl21 } from '../../../src/sdmx/ml21/structure-reader.js';
import { attr, kid, kids, parseXml, type XNode } from '../../../src/sdmx/ml21/xml-tree.js';
import type { Codelist, ItemScheme } from '../../../src/sdmx/model.js';
import { dataApp } from '../../helpers/data-app.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';
import { validateJson, validateStructureSpecific21, validateXml21, validateXml30 } from '../../helpers/validate.js';

const TEST_NOW = '2026-11-21T12:00:00.000Z';
const HOMICIDE = 'A.AUT.VIC_HOM.0101._T._T._T.NR';
const { app } = await dataApp(
  [
    {
      code: 'R1',
      dataflow: 'DF_CTS_HOMICIDE',
      announcedAt: '2020-06-01T08:00:00.000Z',
      series: [
        { key: HOMICIDE, observations: [{ period: '2018', value: 73 }, { period: '2019', value: 65, attributes: { OBS_STATUS: 'P', COMMENT_OBS: 'provisional' } }] },
        { key: 'A.FRA.VIC_HOM.0101.F._T._T.NR', observations: [{ period: '2019', value: 249 }] },
      ],
    },
  ],
  { clock: fixedClock(TEST_NOW) },
);
t.teardown(() => app.close());
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });

const TARGETS = {
  datastructure: { path: 'datastructure/UNODC/DSD_CTS', urn: 'urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=UNODC:DSD_CTS(1.0)' },
  dataflow: { path: 'dataflow/UNODC/DF_CTS_HOMICIDE', urn: 'urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=UNODC:DF_CTS_HOMICIDE(1.0)' },
  provisionagreement: { path: 'provisionagreement/UNODC/PA_DF_CTS_HOMICIDE_UNODC', urn: 'urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=UNODC:DF_CTS_HOMICIDE(1.0)' },
};

async function schemaOf(url: string): Promise<string> {
  const res = await get(url);
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res.body;
}

/** Values of the enumerated simple type of a component, read through SeriesType or ObsType. */
function enumerationOf(xsd: string, component: string): string[] | undefined {
  const root = parseXml(xsd).node;
  const complex = (name: string) => kids(root, 'complexType').find((c) => attr(c, 'name') === name);
  const restriction = (c: XNode | undefined) => kid(kid(c, 'complexContent'), 'restriction');
  const decl = [complex('SeriesType'), complex('ObsType')].flatMap((c) => kids(restriction(c), 'attribute')).find((a) => attr(a, 'name') === component);
  const typeName = attr(decl, 'type');
  const simple = kids(root, 'simpleType').find((s) => attr(s, 'name') === typeName);
  return simple ? kids(kid(simple, 'restriction'), 'enumeration').map((e) => attr(e, 'value') as string) : undefined;
}

const allIndicators = ((await get('/sdmx/2.1/codelist/UNODC/CL_CJ_INDICATOR/1.0').then((r) => readStructureMl21(r.body)))[0] as Codelist).items.map((c) => c.id);

t.test('each context, API and version form: the XSD, constraints along the chain applied', async (t) => {
  for (const [context, target] of Object.entries(TARGETS)) {
    const explicit = await schemaOf(`/sdmx/2.1/schema/${target.path}/1.0`);
    for (const url of [
      `/sdmx/2.1/schema/${target.path}`,
      `/sdmx/2.1/schema/${target.path}/latest`,
      `/sdmx/3.0/schema/${target.path}`,
      `/sdmx/3.0/schema/${target.path}/~`,
      `/sdmx/3.0/schema/${target.path}/1.0`,
    ]) {
      const res = await get(url);
      t.equal(res.statusCode, 200, url);
      t.equal(res.headers['content-type'], MEDIA.schemaMl21, `${url}: the schema media type`);
      t.equal(res.body, explicit, `${url}: the same schema as version 1.0`);
    }
    const root = parseXml(explicit).node;
    t.equal(attr(root, 'targetNamespace'), `${target.urn}:ObsLevelDim:TIME_PERIOD`, `${context}: namespace of the structure-specific messages`);
    // CR_A_DF_CTS_HOMICIDE (attached to the dataflow) allows VIC_HOM only; CR_A_DSD_CTS (attached to the DSD) the union of the flows, annual only.
    t.same(enumerationOf(explicit, 'INDICATOR'), context === 'datastructure' ? allIndicators : ['VIC_HOM'], `${context}: INDICATOR codes`);
    t.same(enumerationOf(explicit, 'FREQ'), ['A'], `${context}: FREQ codes`);
  }
});

t.test('dimensionAtObservation: time series, cross-section, flat', async (t) => {
  const base = '/sdmx/2.1/schema/dataflow/UNODC/DF_CTS_HOMICIDE/1.0';
  const cases = [
    { q: '', atObs: 'TIME_PERIOD', dataSet: 'dsd:TimeSeriesDataSetType' },
    { q: '?dimensionAtObservation=TIME_PERIOD', atObs: 'TIME_PERIOD', dataSet: 'dsd:TimeSeriesDataSetType' },
    { q: '?dimensionAtObservation=REF_AREA', atObs: 'REF_AREA', dataSet: 'dsd:DataSetType' },
    { q: '?dimensionAtObservation=AllDimensions', atObs: 'AllDimensions', dataSet: 'dsd:DataSetType' },
  ];
  for (const c of cases) {
    const root = parseXml(await schemaOf(base + c.q)).node;
    t.equal(attr(root, 'targetNamespace'), `${TARGETS.dataflow.urn}:ObsLevelDim:${c.atObs}`, `${c.q || 'default'}: namespace`);
    const dataSet = kids(root, 'complexType').find((x) => attr(x, 'name') === 'DataSetType');
    t.equal(attr(kid(kid(dataSet, 'complexContent'), 'restriction'), 'base'), c.dataSet, `${c.q || 'default'}: DataSetType base`);
  }
  const plain = await schemaOf(base);
  t.equal(await schemaOf(`${base}?explicitMeasure=true`), plain, 'explicitMeasure=true: accepted, no measure dimension to type');
  t.equal(await schemaOf(`${base}?explicitMeasure=false`), plain);
  for (const bad of ['?dimensionAtObservation=NOPE', '?dimensionAtObservation=OBS_STATUS', '?explicitMeasure=maybe', '?detail=full']) {
    t.equal((await get(base + bad)).statusCode, 400, `${bad}: 400`);
  }
});

t.test('the XSD compiles with the official schemas and validates what the data endpoint writes', async (t) => {
  for (const atObs of ['TIME_PERIOD', 'REF_AREA', 'AllDimensions']) {
    const xsd = await schemaOf(`/sdmx/3.0/schema/provisionagreement/UNODC/PA_DF_CTS_HOMICIDE_UNODC/1.0?dimensionAtObservation=${atObs}`);
    const data = await get(`/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0?dimensionAtObservation=${atObs}`, { accept: MEDIA.structureSpecificDataMl21 });
    t.equal(data.statusCode, 200);
    t.same(validateStructureSpecific21(data.body, xsd), [], `${atObs}: the data message validates against the schema`);
    // A code of the codelist that the dataflow's Allowed constraint does not allow.
    const outside = data.body.replaceAll('INDICATOR="VIC_HOM"', 'INDICATOR="PER_CONVICT"');
    t.not(outside, data.body);
    t.match(validateStructureSpecific21(outside, xsd).join('\n'), /PER_CONVICT/, `${atObs}: a code outside the constraint is rejected`);
  }
});

t.test('structure formats: the DSD with allowed codes, used concepts and agencies (4_5)', async (t) => {
  const url = '/sdmx/2.1/schema/dataflow/UNODC/DF_CTS_HOMICIDE/1.0';
  const res = await get(url, { accept: MEDIA.structureMl21 });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], MEDIA.structureMl21);
  t.same(validateXml21(res.body), []);
  const artefacts = readStructureMl21(res.body);
  t.same([...new Set(artefacts.map((a) => a.class))].sort(), ['AgencyScheme', 'Codelist', 'ConceptScheme', 'DataStructure']);
  const indicators = artefacts.find((a) => a.id === 'CL_CJ_INDICATOR') as Codelist;
  t.same(indicators.items.map((c) => c.id), ['VIC_HOM'], 'codelists cut to the allowed codes');
  t.equal(indicators.isPartial, true);
  const offences = artefacts.find((a) => a.id === 'CL_OFFENCE') as Codelist;
  t.same(offences.items.map((c) => c.id), ['01', '0101'], 'allowed codes keep their ancestors');
  const agencies = artefacts.find((a) => a.class === 'AgencyScheme') as ItemScheme;
  t.same(agencies.items.map((a) => a.id), ['UNODC'], 'the agencies maintaining what is returned');
  for (const [accept, check] of [
    [MEDIA.structureJson10, (b: string) => validateJson(JSON.parse(b), JSON_SCHEMA.structure10)],
    [MEDIA.structureJson20, (b: string) => validateJson(JSON.parse(b), JSON_SCHEMA.structure20)],
    [MEDIA.structureMl30, validateXml30],
  ] as const) {
    const r = await get(url.replace('2.1', '3.0'), { accept });
    t.equal(r.headers['content-type'], accept);
    t.same(check(r.body), [], `${accept} validates`);
  }
  for (const headers of [{}, { accept: '*/*' }, { accept: 'application/xml' }] as Record<string, string>[]) {
    t.equal((await get(url.replace('2.1', '3.0'), headers)).headers['content-type'], MEDIA.schemaMl21, `${JSON.stringify(headers)}: the XSD is the default`);
  }
  t.equal((await get(`${url}?format=schema&formatVersion=2.1`, { accept: MEDIA.structureMl21 })).headers['content-type'], MEDIA.schemaMl21, 'format= wins over Accept');
  t.equal((await get(`${url}?format=structure`)).headers['content-type'], MEDIA.structureMl21);
});

t.test('errors', async (t) => {
  const cases = [
    { url: '/sdmx/2.1/schema/metadataflow/UNODC/MDF/1.0', status: 501 },
    { url: '/sdmx/2.1/schema/metadatastructure/UNODC/MSD/1.0', status: 501 },
    { url: '/sdmx/3.0/schema/metadataprovisionagreement/UNODC/MPA/1.0', status: 501 },
    { url: '/sdmx/2.1/schema/codelist/UNODC/CL_SEX/1.0', status: 400 },
    { url: '/sdmx/2.1/schema', status: 400 },
    { url: '/sdmx/2.1/schema/dataflow/UNODC', status: 400 },
    { url: '/sdmx/2.1/schema/dataflow/all/DF_CTS_HOMICIDE', status: 400 },
    { url: '/sdmx/2.1/schema/dataflow/UNODC/all', status: 400 },
    { url: '/sdmx/3.0/schema/dataflow/*/DF_CTS_HOMICIDE', status: 400 },
    { url: '/sdmx/3.0/schema/dataflow/UNODC/DF_CTS_HOMICIDE/*', status: 400 },
    { url: '/sdmx/2.1/schema/dataflow/UNODC/DF_CTS_HOMICIDE+DF_CTS_VICTIMS', status: 400 },
    { url: '/sdmx/2.1/schema/dataflow/UNODC/DF_CTS_HOMICIDE/1.0/extra', status: 400 },
    { url: '/sdmx/2.1/schema/dataflow/UNODC/DF_NOPE', status: 404 },
    { url: '/sdmx/2.1/schema/dataflow/UNODC/DF_CTS_HOMICIDE/9.9', status: 404 },
    { url: '/sdmx/2.1/schema/datastructure/UNODC/DF_CTS_HOMICIDE', status: 404 },
  ];
  for (const c of cases) {
    const res = await get(c.url);
    t.equal(res.statusCode, c.status, c.url);
    const problems = c.url.startsWith('/sdmx/3.0') ? validateXml30(res.body) : validateXml21(res.body);
    t.same(problems, [], `${c.url}: an SDMX-ML error message`);
  }
  for (const accept of [MEDIA.dataJson20, 'text/csv', 'application/vnd.sdmx.schema+xml;version=3.0.0']) {
    t.equal((await get('/sdmx/2.1/schema/dataflow/UNODC/DF_CTS_HOMICIDE', { accept })).statusCode, 406, `Accept ${accept}: 406`);
  }
  t.equal((await get('/sdmx/2.1/schema/dataflow/UNODC/DF_CTS_HOMICIDE?format=schema&formatVersion=3.0')).statusCode, 406);
});

t.test('HTTP caching', async (t) => {
  const url = '/sdmx/2.1/schema/dataflow/UNODC/DF_CTS_HOMICIDE/1.0';
  const first = await get(url);
  const etag = first.headers.etag as string;
  t.match(etag, /^W\/"/);
  t.equal(first.headers['last-modified'], new Date(TEST_NOW).toUTCString(), 'when the structures were stored');
  t.equal((await get(url, { 'if-none-match': etag })).statusCode, 304);
  t.equal((await get(url, { 'if-modified-since': '2026-11-21T12:00:01.000Z' })).statusCode, 304);
  t.not((await get(`${url}?dimensionAtObservation=REF_AREA`)).headers.etag, etag, 'another view: another ETag');
  t.not((await get(url, { accept: MEDIA.structureMl21 })).headers.etag, etag, 'another format: another ETag');
  t.equal((await get(`${url}?dimensionAtObservation=REF_AREA`, { 'if-none-match': etag })).statusCode, 200);
});
