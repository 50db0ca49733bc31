/**
 * SDMX-ML 3.0 data served by /sdmx/3.0/data validates. A structure-specific DataSet is abstract
 * and typed with `xsi:type`, so it validates only with a schema specific to the dataflow:
 * test/helpers/ml30-data-schema.ts generates it from the real DSD_CTS and its codelists (as the
 * writer test does for its test DSD), and every response is validated with xmllint beside the
 * official SDMXMessage.xsd. Each response's observations are also checked against the
 * fixture's current values, so a valid but empty answer cannot pass.
 */
import t from 'tap';
import path from 'node:path';
import { fixedClock } from '../../../src/clock.js';
import { PROJECT_ROOT } from '../../../src/project-root.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { urnOf, type Codelist, type Component, type DataStructure, type Dataflow } from '../../../src/sdmx/model.js';
import { StructureService } from '../../../src/services/structure-service.js';
import { dataApp, CTS_DIMENSIONS } from '../../helpers/data-app.js';
import { decodeStructureSpecific } from '../../helpers/data-decoders.js';
import { ml30DataSchemas } from '../../helpers/ml30-data-schema.js';
import { validateXml } from '../../helpers/validate.js';
import { AUT, CURRENT, FRA, HOMICIDE_RELEASES, TEST_NOW } from '../../fixtures/data-releases.js';

const clock = fixedClock(TEST_NOW);
const { app, repositories } = await dataApp(HOMICIDE_RELEASES, { clock });
t.teardown(() => app.close());
const registry = StructureService.load(repositories, path.join(PROJECT_ROOT, 'sdmx'), clock).service.registry;
const flow = registry.get({ class: 'Dataflow', agencyID: 'UNODC', id: 'DF_CTS_HOMICIDE', version: '1.0' }) as Dataflow;
const dsd = registry.get(flow.structure) as DataStructure;

const FLOW30 = '/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE/1.0';
const DIMS = [...CTS_DIMENSIONS, 'TIME_PERIOD'];

function codelistOf(c: Component): Codelist | undefined {
  const ref = c.localRepresentation?.enumeration;
  const cl = ref ? registry.get(ref) : undefined;
  return cl?.class === 'Codelist' ? cl : undefined;
}
const schemas = ml30DataSchemas(dsd, codelistOf, urnOf({ class: 'Dataflow', agencyID: flow.agencyID, id: flow.id, version: flow.version }));
t.teardown(schemas.remove);
const wrapperFor = schemas.wrapperFor;

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
