/**
 * Every operation of the generated OpenAPI document is called here against the demo, and each
 * answer is checked against what the document declares: its status is a declared response, its
 * media type is declared for that status, and a JSON body validates against the declared schema
 * (ajv, JSON Schema 2020-12, as OpenAPI 3.1 uses). A route added without a call here fails the
 * "every operation is exercised" test, so the document cannot grow unchecked.
 */
import t, { type Test } from 'tap';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { testApp } from '../helpers/app.js';
import { fixedClock } from '../../src/clock.js';
import { MEDIA } from '../../src/sdmx/media-types.js';
import { NATIONAL_POLICE_CSV } from '../fixtures/correspondence/national-police.js';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../helpers/shared.js';

interface MediaObject {
  readonly schema?: Record<string, unknown>;
}
interface Operation {
  readonly responses: Record<string, { readonly content?: Record<string, MediaObject> }>;
}
interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components?: { readonly schemas?: Record<string, unknown> };
}

// After the demo's six releases and before its seventh (scheduled a week after the load).
const clock = fixedClock(new Date(Date.now() + 60_000).toISOString());
const app: FastifyInstance = await testApp({ env: { DEMO_DATA: 'on' }, clock });
t.teardown(() => app.close());

const doc = (await app.inject({ url: '/openapi.json' })).json() as OpenApiDocument;

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats.default(ajv);
// Response schemas point into the document's components; the document is their base.
ajv.addSchema({ $id: 'openapi.json', components: doc.components ?? {} });
const rebased = (schema: Record<string, unknown>) => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')) as Record<string, unknown>;

const token = (role: 'admin' | 'publisher' | 'producer' | 'preview', dataflows: string[] = []) =>
  app.tokens.create({ name: `openapi-${role}`, role, dataflows, createdBy: 'cli' });
const admin = token('admin');
const publisher = token('publisher');
const HOMICIDE = 'UNODC:DF_CTS_HOMICIDE(1.0)';
const producer = token('producer', [HOMICIDE]);
const bearer = (t: { token: string }) => ({ authorization: `Bearer ${t.token}` });

interface Call {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly payload?: string | Buffer | Record<string, unknown> | null;
  /** The status this call must get (a declared one; checked too). */
  readonly status: number;
}

/**
 * The calls, by operation. Each call runs in order (later ones may rely on earlier ones, e.g.
 * a release created before it is postponed). Each operation has a success and, where the route
 * can refuse, a refusal, so both the body and the Problem schema are checked.
 */
const MEX_HOMICIDE_KEY = 'A.MEX.VIC_HOM.0101._T._T._T.P_HTHAB';
const draftCode = 'OPENAPI-DRAFT';
const metadataSetPayload = () => ({
  dataflow: 'DF_CTS_HOMICIDE',
  ...(parseYaml(readFileSync(`${REPO_ROOT}/metadata/DF_CTS_HOMICIDE/report-1.0.0.yaml`, 'utf8')) as Record<string, unknown>),
  version: '9.0.0',
  release: draftCode,
});

async function homicideCsvForUpload(): Promise<string> {
  const res = await app.inject({ url: '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.MEX......?startPeriod=2015&endPeriod=2016', headers: { accept: MEDIA.dataCsv10 } });
  if (res.statusCode !== 200) throw new Error(`no CSV to upload: ${res.statusCode} ${res.body}`);
  return res.body;
}

const CALLS: Record<string, () => Promise<Call[]> | Call[]> = {
  'GET /health': () => [{ url: '/health', status: 200 }],
  'GET /': () => [{ url: '/', headers: { accept: 'application/json' }, status: 200 }],
  'GET /sdmx/2.1/{resource}/{agencyID}/{resourceID}/{version}': () => [
    { url: '/sdmx/2.1/codelist/UNODC/CL_SEX/1.0', headers: { accept: MEDIA.structureMl21 }, status: 200 },
    { url: '/sdmx/2.1/dataflow/UNODC/DF_CTS_HOMICIDE/1.0', headers: { accept: MEDIA.structureJson10 }, status: 200 },
    { url: '/sdmx/2.1/codelist/UNODC/CL_NOPE/1.0', status: 404 },
    { url: '/sdmx/2.1/codelist/UNODC/CL_SEX/1.0', headers: { accept: 'image/png' }, status: 406 },
  ],
  'GET /sdmx/2.1/data/{flowRef}/{key}': () => [
    { url: `/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/${MEX_HOMICIDE_KEY}`, headers: { accept: MEDIA.dataCsv10 }, status: 200 },
    { url: `/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/${MEX_HOMICIDE_KEY}`, headers: { accept: 'application/vnd.sdmx.data+json;version=1.0.0' }, status: 200 },
    { url: '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.MEX', status: 400 },
  ],
  'GET /sdmx/2.1/availableconstraint/{flowRef}/{key}': () => [
    { url: '/sdmx/2.1/availableconstraint/UNODC,DF_CTS_HOMICIDE,1.0/A.MEX......', status: 200 },
    { url: '/sdmx/2.1/availableconstraint/UNODC,DF_NOPE,1.0/A.MEX', status: 404 },
  ],
  'GET /sdmx/2.1/schema/{context}/{agencyID}/{resourceID}/{version}': () => [
    { url: '/sdmx/2.1/schema/dataflow/UNODC/DF_CTS_HOMICIDE/1.0', status: 200 },
    { url: '/sdmx/2.1/schema/dataflow/UNODC/DF_NOPE/1.0', status: 404 },
  ],
  'GET /sdmx/3.0/structure/{type}/{agencyID}/{resourceID}/{version}': () => [
    { url: '/sdmx/3.0/structure/codelist/UNODC/CL_SEX/1.0', headers: { accept: MEDIA.structureJson20 }, status: 200 },
    { url: '/sdmx/3.0/structure/codelist/UNODC/CL_NOPE/1.0', status: 404 },
  ],
  'GET /sdmx/3.0/data/{context}/{agencyID}/{resourceID}/{version}/{key}': () => [
    { url: `/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE/1.0/${MEX_HOMICIDE_KEY}`, headers: { accept: 'application/vnd.sdmx.data+json;version=2.0.0' }, status: 200 },
    { url: '/sdmx/3.0/data/dataflow/UNODC/DF_NOPE/1.0/*', status: 404 },
  ],
  'GET /api/v1/dataflows/{id}/metadata': () => [
    { url: '/api/v1/dataflows/DF_CTS_HOMICIDE/metadata?area=KAZ', status: 200 },
    { url: '/api/v1/dataflows/DF_CTS_HOMICIDE/metadata?area=ATLANTIS', status: 400 },
    { url: '/api/v1/dataflows/DF_NOPE/metadata', status: 404 },
  ],
  'GET /sdmx/2.1/metadata/{flowRef}/{key}/{providerRef}': () => [
    { url: '/sdmx/2.1/metadata/UNODC,MDF_CRIME_COUNTRY_NOTE,1.0/DF_CTS_HOMICIDE.KAZ/all', status: 200 },
    { url: '/sdmx/2.1/metadata/MDF_CRIME_COUNTRY_NOTE/DF_CTS_HOMICIDE.FRA/all', status: 404 },
  ],
  'GET /sdmx/3.0/metadata/metadataset/{providerID}/{metadatasetID}/{version}': () => [
    { url: '/sdmx/3.0/metadata/metadataset/UNODC/MS_DF_CTS_HOMICIDE/~', status: 200 },
    { url: '/sdmx/3.0/metadata/metadataset/UNODC/MS_NOPE/~', status: 404 },
    { url: '/sdmx/3.0/metadata/metadataset/UNODC/MS_DF_CTS_HOMICIDE/~?detail=allstubs', headers: { accept: MEDIA.metadataJson20 }, status: 406 },
  ],
  'GET /sdmx/3.0/metadata/metadataflow/{agencyID}/{resourceID}/{version}/{providerRef}': () => [
    { url: '/sdmx/3.0/metadata/metadataflow/UNODC/MDF_CRIME_REPORT/~/*', headers: { accept: MEDIA.metadataMl30 }, status: 200 },
    { url: '/sdmx/3.0/metadata/metadataflow/UNODC/MDF_NOPE/~/*', status: 404 },
  ],
  'GET /sdmx/3.0/metadata/structure/{type}/{agencyID}/{resourceID}/{version}': () => [
    { url: '/sdmx/3.0/metadata/structure/dataflow/UNODC/DF_CTS_PRISONS/~', status: 200 },
    { url: '/sdmx/3.0/metadata/structure/nope/UNODC/DF_CTS_PRISONS/~', status: 400 },
  ],
  'GET /sdmx/3.0/availability/{context}/{agencyID}/{resourceID}/{version}/{key}': () => [
    { url: '/sdmx/3.0/availability/dataflow/UNODC/DF_CTS_HOMICIDE/1.0/*.MEX.*.*.*.*.*.*', status: 200 },
    { url: '/sdmx/3.0/availability/dataflow/UNODC/DF_NOPE/1.0/*', status: 404 },
  ],

  'GET /api/v1/data/{agency}/{id}/{version}': () => [
    { url: `/api/v1/data/UNODC/DF_CTS_HOMICIDE/1.0?key=${MEX_HOMICIDE_KEY}`, status: 200 },
    { url: '/api/v1/data/UNODC/DF_CTS_HOMICIDE/1.0?key=A.MEX', status: 400 },
    { url: '/api/v1/data/UNODC/DF_NOPE/1.0', status: 404 },
  ],
  'GET /api/v1/releases/{code}/data/{agency}/{id}/{version}': async () => {
    const releases = (await app.inject({ url: '/api/v1/calendar' })).json() as { releases: { code: string; dataflows: string[]; state: string }[] };
    const published = releases.releases.find((r) => r.dataflows.includes(HOMICIDE) && r.state === 'published');
    if (!published) throw new Error('the demo has no published homicide release');
    return [
      { url: `/api/v1/releases/${published.code}/data/UNODC/DF_CTS_HOMICIDE/1.0?key=${MEX_HOMICIDE_KEY}`, status: 200 },
      { url: '/api/v1/releases/NO-SUCH-RELEASE/data/UNODC/DF_CTS_HOMICIDE/1.0', status: 404 },
    ];
  },
  'GET /api/v1/dataflows': () => [
    { url: '/api/v1/dataflows', status: 200 },
    { url: '/api/v1/dataflows?lang=es', status: 200 },
    { url: '/api/v1/dataflows?lang=fr', status: 400 },
  ],
  'GET /api/v1/dataflows/{id}': () => [
    { url: '/api/v1/dataflows/DF_CTS_HOMICIDE', status: 200 },
    { url: '/api/v1/dataflows/DF_NOPE', status: 404 },
  ],
  'GET /api/v1/dataflows/{id}/observations': () => [
    { url: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?REF_AREA=MEX,GTM&SEX=_T&from=2010&to=2020', status: 200 },
    { url: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?REF_AREA=MEX&format=csv', status: 200 },
    { url: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?REF_AREA=MEX&SEX=_T&format=xlsx', status: 200 },
    { url: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?NOPE=1', status: 400 },
    { url: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?cursor=garbage', status: 400 },
    { url: '/api/v1/dataflows/DF_NOPE/observations', status: 404 },
  ],
  'GET /api/v1/codelists': () => [{ url: '/api/v1/codelists', status: 200 }],
  'GET /api/v1/codelists/{id}': () => [
    { url: '/api/v1/codelists/CL_ICCS?code=02&descendants=true&view=tree&lang=es', status: 200 },
    { url: `/api/v1/codelists/${encodeURIComponent('UNODC:CL_SEX(1.0)')}`, status: 200 },
    { url: '/api/v1/codelists/CL_SEX', status: 400 }, // two agencies publish one: the answer lists both
    { url: '/api/v1/codelists/CL_NOPE', status: 404 },
  ],
  'GET /api/v1/calendar': () => [
    { url: '/api/v1/calendar', status: 200 },
    { url: '/api/v1/calendar?from=yesterday', status: 400 },
  ],
  'GET /api/v1/calendar.ics': () => [{ url: '/api/v1/calendar.ics', status: 200 }],
  'GET /api/v1/calendar.atom': () => [{ url: '/api/v1/calendar.atom', status: 200 }],

  'POST /graphql': () => [
    { method: 'POST', url: '/graphql', payload: { query: '{ dataflow(id: "DF_CTS_HOMICIDE") { code seriesCount } }' }, status: 200 },
    { method: 'POST', url: '/graphql', payload: { query: '{ dataflow(id: ' }, status: 400 },
  ],
  'GET /graphql': () => [
    { url: `/graphql?query=${encodeURIComponent('{ releases { code state } }')}`, status: 200 },
    { url: '/graphql?query=%7B%20nothing%20%7D', status: 400 },
  ],

  'POST /api/v1/admin/tokens': () => [
    { method: 'POST', url: '/api/v1/admin/tokens', headers: bearer(admin), payload: { name: 'newsroom preview', role: 'preview' }, status: 201 },
    { method: 'POST', url: '/api/v1/admin/tokens', headers: bearer(admin), payload: { name: 'x', role: 'king' }, status: 400 },
    { method: 'POST', url: '/api/v1/admin/tokens', headers: bearer(publisher), payload: { name: 'x', role: 'admin' }, status: 403 },
  ],
  'GET /api/v1/admin/tokens': () => [
    { url: '/api/v1/admin/tokens', headers: bearer(admin), status: 200 },
    { url: '/api/v1/admin/tokens', status: 401 },
  ],
  'GET /api/v1/admin/tokens/{tokenId}': () => [
    { url: `/api/v1/admin/tokens/${publisher.info.tokenId}`, headers: bearer(admin), status: 200 },
    { url: '/api/v1/admin/tokens/tok_000000000000', headers: bearer(admin), status: 404 },
  ],
  'DELETE /api/v1/admin/tokens/{tokenId}': () => {
    const victim = token('preview');
    return [
      { method: 'DELETE', url: `/api/v1/admin/tokens/${victim.info.tokenId}`, headers: bearer(admin), status: 204 },
      { method: 'DELETE', url: '/api/v1/admin/tokens/tok_000000000000', headers: bearer(admin), status: 404 },
    ];
  },
  'GET /api/v1/admin/audit': () => [
    { url: '/api/v1/admin/audit?limit=5', headers: bearer(admin), status: 200 },
    { url: '/api/v1/admin/audit?limit=0', headers: bearer(admin), status: 400 },
  ],

  'PUT /api/v1/correspondence-tables/{agencyId}/{id}/{version}': () => [
    {
      method: 'PUT',
      url: '/api/v1/correspondence-tables/UNODC/MAP_OPENAPI_ICCS/1.0?name=OpenAPI%20check&codelistId=CL_OFFENCE_OPENAPI',
      headers: { ...bearer(publisher), 'content-type': 'text/csv' },
      payload: NATIONAL_POLICE_CSV,
      status: 201,
    },
    {
      method: 'PUT',
      url: '/api/v1/correspondence-tables/UNODC/MAP_OPENAPI_BAD/1.0',
      headers: { ...bearer(publisher), 'content-type': 'application/json' },
      payload: { name: 'bad', codelistId: 'CL_OFFENCE_BAD', rows: [{ nationalCode: 'X1', iccsCode: '9999' }] },
      status: 422,
    },
  ],
  'GET /api/v1/correspondence-tables': () => [{ url: '/api/v1/correspondence-tables', status: 200 }],
  'GET /api/v1/correspondence-tables/{agencyId}/{id}/{version}': () => [
    { url: '/api/v1/correspondence-tables/UNODC/MAP_OPENAPI_ICCS/1.0', status: 200 },
    { url: '/api/v1/correspondence-tables/UNODC/MAP_NOPE/1.0', status: 404 },
  ],
  'DELETE /api/v1/correspondence-tables/{agencyId}/{id}/{version}': () => [
    { method: 'DELETE', url: '/api/v1/correspondence-tables/UNODC/MAP_OPENAPI_ICCS/1.0', headers: bearer(publisher), status: 204 },
    { method: 'DELETE', url: '/api/v1/correspondence-tables/UNODC/MAP_NOPE/1.0', headers: bearer(publisher), status: 404 },
  ],

  'POST /api/v1/releases': () => [
    {
      method: 'POST',
      url: '/api/v1/releases',
      headers: bearer(publisher),
      payload: { code: draftCode, title: 'OpenAPI check', dataflows: [HOMICIDE], note: 'a draft for the OpenAPI check' },
      status: 201,
    },
    { method: 'POST', url: '/api/v1/releases', headers: bearer(publisher), payload: { code: draftCode }, status: 400 },
  ],
  // A new version of the homicide report, in the draft release (the authored file's content).
  'POST /api/v1/metadata-sets': () => [
    { method: 'POST', url: '/api/v1/metadata-sets', headers: bearer(publisher), payload: metadataSetPayload(), status: 201 },
    { method: 'POST', url: '/api/v1/metadata-sets', headers: bearer(publisher), payload: { ...metadataSetPayload(), version: '9.1.0', attributes: {} }, status: 422 },
  ],
  'GET /api/v1/metadata-sets': () => [
    { url: '/api/v1/metadata-sets', headers: bearer(publisher), status: 200 },
    { url: '/api/v1/metadata-sets', status: 401 },
  ],
  'GET /api/v1/metadata-sets/{set}/{version}': () => [
    { url: '/api/v1/metadata-sets/MS_DF_CTS_HOMICIDE/9.0.0', headers: bearer(publisher), status: 200 },
    { url: '/api/v1/metadata-sets/MS_DF_CTS_HOMICIDE/8.0.0', headers: bearer(publisher), status: 404 },
  ],
  'PUT /api/v1/metadata-sets/{set}/{version}': () => [
    { method: 'PUT', url: '/api/v1/metadata-sets/MS_DF_CTS_HOMICIDE/9.0.0', headers: bearer(publisher), payload: metadataSetPayload(), status: 200 },
    { method: 'PUT', url: '/api/v1/metadata-sets/MS_DF_CTS_HOMICIDE/1.0.0', headers: bearer(publisher), payload: { ...metadataSetPayload(), version: '1.0.0' }, status: 409 },
  ],
  'POST /api/v1/uploads': async () => [
    {
      method: 'POST',
      url: `/api/v1/uploads?dataflow=${encodeURIComponent(HOMICIDE)}&release=${draftCode}`,
      headers: { ...bearer(producer), 'content-type': MEDIA.dataCsv10 },
      payload: await homicideCsvForUpload(),
      status: 201,
    },
    {
      method: 'POST',
      url: `/api/v1/uploads?dataflow=${encodeURIComponent(HOMICIDE)}&release=${draftCode}`,
      headers: { ...bearer(producer), 'content-type': MEDIA.dataCsv10 },
      payload: 'not,an,sdmx,csv\n1,2,3,4\n',
      status: 400,
    },
  ],
  'GET /api/v1/uploads/{uploadId}': async () => {
    const uploads = (await app.inject({ url: `/api/v1/releases/${draftCode}/uploads`, headers: bearer(publisher) })).json() as { uploads: { uploadId: string }[] };
    const first = uploads.uploads[0];
    if (!first) throw new Error('the draft has no upload');
    return [
      { url: `/api/v1/uploads/${first.uploadId}`, headers: bearer(producer), status: 200 },
      { url: '/api/v1/uploads/upl_nope', headers: bearer(publisher), status: 404 },
    ];
  },
  'GET /api/v1/releases': () => [
    { url: '/api/v1/releases', headers: bearer(publisher), status: 200 },
    { url: '/api/v1/releases', headers: bearer(producer), status: 403 },
  ],
  'GET /api/v1/releases/{code}': () => [
    { url: `/api/v1/releases/${draftCode}`, headers: bearer(publisher), status: 200 },
    { url: '/api/v1/releases/NOPE', headers: bearer(publisher), status: 404 },
  ],
  'GET /api/v1/releases/{code}/uploads': () => [
    { url: `/api/v1/releases/${draftCode}/uploads`, headers: bearer(publisher), status: 200 },
    { url: '/api/v1/releases/NOPE/uploads', headers: bearer(publisher), status: 404 },
  ],
  'GET /api/v1/protection-rules/{agency}/{id}/{version}': () => [
    { url: '/api/v1/protection-rules/UNODC/DF_CTS_HOMICIDE/1.0', headers: bearer(publisher), status: 200 },
    { url: '/api/v1/protection-rules/UNODC/DF_NOPE/1.0', headers: bearer(publisher), status: 404 },
  ],
  'PUT /api/v1/protection-rules/{agency}/{id}/{version}': () => [
    { method: 'PUT', url: '/api/v1/protection-rules/UNODC/DF_CTS_HOMICIDE/1.0', headers: bearer(publisher), payload: { threshold: 3 }, status: 200 },
    { method: 'PUT', url: '/api/v1/protection-rules/UNODC/DF_CTS_HOMICIDE/1.0', headers: bearer(publisher), payload: { threshold: -1 }, status: 400 },
  ],
  'POST /api/v1/releases/{code}/schedule': () => [
    // Not protected yet: refused, and the refusal says why.
    { method: 'POST', url: `/api/v1/releases/${draftCode}/schedule`, headers: bearer(publisher), payload: { announcedAt: '2099-01-01T00:00:00Z' }, status: 409 },
  ],
  'POST /api/v1/releases/{code}/protection': () => [
    { method: 'POST', url: `/api/v1/releases/${draftCode}/protection`, headers: bearer(publisher), payload: null, status: 200 },
    { method: 'POST', url: '/api/v1/releases/NOPE/protection', headers: bearer(publisher), payload: null, status: 404 },
  ],
  'GET /api/v1/releases/{code}/protection': () => [
    { url: `/api/v1/releases/${draftCode}/protection`, headers: bearer(publisher), status: 200 },
    { url: '/api/v1/releases/NOPE/protection', headers: bearer(publisher), status: 404 },
  ],
  'POST /api/v1/releases/{code}/postpone': async () => {
    const list = (await app.inject({ url: '/api/v1/releases', headers: bearer(publisher) })).json() as { releases: { code: string; state: string }[] };
    const scheduled = list.releases.find((r) => r.state === 'scheduled');
    if (!scheduled) throw new Error('the demo has no scheduled release');
    return [
      { method: 'POST', url: `/api/v1/releases/${scheduled.code}/postpone`, headers: bearer(publisher), payload: { announcedAt: '2099-06-01T08:00:00Z', reason: 'moved for the check' }, status: 200 },
      { method: 'POST', url: `/api/v1/releases/${draftCode}/postpone`, headers: bearer(publisher), payload: { announcedAt: '2099-06-01T08:00:00Z', reason: 'a draft' }, status: 409 },
    ];
  },
  'POST /api/v1/releases/{code}/cancel': () => [
    { method: 'POST', url: `/api/v1/releases/${draftCode}/cancel`, headers: bearer(publisher), payload: { reason: 'checked' }, status: 200 },
    { method: 'POST', url: '/api/v1/releases/NOPE/cancel', headers: bearer(publisher), payload: { reason: 'x' }, status: 404 },
  ],
};

const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));

t.test('every operation of the document is exercised here, and nothing else', async (t) => {
  for (const op of operations) t.ok(op in CALLS, `${op} has calls`);
  for (const op of Object.keys(CALLS)) t.ok(operations.includes(op), `${op} is in the document`);
});

function mediaTypeOf(res: LightMyRequestResponse): string | undefined {
  const header = res.headers['content-type'];
  return typeof header === 'string' ? header : undefined;
}

/** The declared media type an answer's Content-Type stands for (SDMX types keep their version). */
function declaredMedia(content: Record<string, MediaObject>, contentType: string): string | undefined {
  const normalised = contentType.replace(/;\s*charset=[^;]+/i, '').replace(/\s+/g, '').toLowerCase();
  return Object.keys(content).find((m) => m.replace(/\s+/g, '').toLowerCase() === normalised)
    ?? Object.keys(content).find((m) => m.split(';')[0]!.toLowerCase() === normalised.split(';')[0]);
}

function check(t: Test, op: string, operation: Operation, call: Call, res: LightMyRequestResponse): void {
  const label = `${call.method ?? 'GET'} ${call.url} → ${res.statusCode}`;
  t.equal(res.statusCode, call.status, `${label}: expected ${call.status}${res.statusCode === call.status ? '' : ` (${res.body.slice(0, 300)})`}`);
  const declared = operation.responses[String(res.statusCode)] ?? operation.responses.default;
  if (!t.ok(declared, `${op}: status ${res.statusCode} is declared`)) return;
  if (res.statusCode === 204 || res.statusCode === 304) return;
  const contentType = mediaTypeOf(res);
  if (!t.ok(declared.content, `${label}: the document declares the body's media type`) || !contentType) return;
  const media = declaredMedia(declared.content!, contentType);
  if (!t.ok(media, `${label}: ${contentType} is declared (${Object.keys(declared.content!).join(', ')})`)) return;
  const schema = declared.content![media!]!.schema;
  if (!schema || !/json/.test(media!)) return;
  const validate = ajv.compile(rebased(schema));
  const ok = validate(res.json());
  t.ok(ok, `${label}: the body validates against the declared schema${ok ? '' : `: ${ajv.errorsText(validate.errors)}`}`);
}

for (const op of Object.keys(CALLS)) {
  t.test(op, async (t) => {
    const [method, path] = op.split(' ') as [string, string];
    const operation = doc.paths[path]?.[method.toLowerCase()];
    if (!t.ok(operation, `${op} is in the document`)) return;
    for (const call of await CALLS[op]!()) {
      const res = await app.inject({ method: call.method ?? 'GET', url: call.url, headers: call.headers, payload: call.payload ?? undefined });
      check(t, op, operation!, call, res);
    }
  });
}
