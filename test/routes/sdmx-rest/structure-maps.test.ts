/**
 * Correspondence tables on the structure API: the map is a `structureset` on the 2.1 API and a
 * `representationmap` on the 3.0 API, valid in every format; references=children brings its two
 * codelists, and the codelists name the map among their parents; Last-Modified and the ETag move
 * when the table is saved again; a restarted app still serves it.
 *
 * The SDMX routes are mounted on the same StructureService the CorrespondenceService writes
 * through, as the application wires them.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { XMLParser } from 'fast-xml-parser';
import { buildApp } from '../../../src/app.js';
import { fixedClock } from '../../../src/clock.js';
import { loadConfig } from '../../../src/config.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { sdmxRestRoutes, SDMX_PREFIX } from '../../../src/routes/sdmx-rest/index.js';
import { ResponseCache } from '../../../src/http/response-cache.js';
import { DataService } from '../../../src/services/data/data-service.js';
import { StructureService } from '../../../src/services/structure-service.js';
import { MetadataService } from '../../../src/services/metadata/metadata-service.js';
import { QualityService } from '../../../src/services/quality/index.js';
import { CorrespondenceService, type CorrespondenceDefinition } from '../../../src/services/correspondence/correspondence-service.js';
import { sqliteRepositories } from '../../../src/storage/sqlite/index.js';
import { CacheLifetime } from '../../../src/http/cache-lifetime.js';
import { ReleaseTimeline } from '../../../src/services/data/release-timeline.js';
import { NATIONAL_POLICE_CSV } from '../../fixtures/correspondence/national-police.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';
import { validateJson, validateXml21, validateXml30 } from '../../helpers/validate.js';

const config = loadConfig({ DATABASE_URL: ':memory:', LOG_LEVEL: 'silent', DEMO_DATA: 'off' });
const clock = fixedClock('2026-04-01T12:00:00.000Z');
const repositories = sqliteRepositories(':memory:', config.migrationsDir);
const structures = StructureService.load(repositories, config.structuresDir, clock).service;
const correspondence = new CorrespondenceService(structures, clock);
const data = new DataService(repositories, structures, clock, { maxObservations: 1000 });
const app = Fastify();
await app.register(sdmxRestRoutes, {
  prefix: SDMX_PREFIX,
  structures,
  data,
  metadata: new MetadataService({ repositories, structures, quality: new QualityService({ data, structures, repositories, clock }), clock }),
  responseCache: new ResponseCache(1024 * 1024, 64 * 1024),
  clock,
  cacheLifetime: new CacheLifetime(new ReleaseTimeline(() => repositories.releases.list()), clock),
  senderId: 'TEST',
});
t.teardown(async () => {
  await app.close();
  repositories.close();
});

const parsed = correspondence.parseCsv(NATIONAL_POLICE_CSV);
if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
const table: CorrespondenceDefinition = {
  agencyId: 'UNODC',
  id: 'MAP_XYZ_POLICE_ICCS',
  version: '1.0',
  name: 'XYZ police offences to ICCS (illustrative)',
  codelistId: 'CL_OFFENCE_XYZ_POLICE',
  rows: parsed.rows,
};
correspondence.save(table, 'alice');

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, isArray: (n) => ['Codelist', 'Code', 'StructureSet', 'RepresentationMap', 'CodeMap'].includes(n) });

const FORMATS = [
  { accept: MEDIA.structureMl21, check: (b: string) => validateXml21(b) },
  { accept: MEDIA.structureMl30, check: (b: string) => validateXml30(b) },
  { accept: MEDIA.structureJson10, check: (b: string) => validateJson(JSON.parse(b), JSON_SCHEMA.structure10) },
  { accept: MEDIA.structureJson20, check: (b: string) => validateJson(JSON.parse(b), JSON_SCHEMA.structure20) },
];

const URLS = [
  '/sdmx/2.1/structureset/UNODC/MAP_XYZ_POLICE_ICCS/1.0',
  '/sdmx/2.1/structureset/UNODC/MAP_XYZ_POLICE_ICCS/1.0?references=children&detail=referencepartial',
  '/sdmx/2.1/structureset?detail=allstubs',
  '/sdmx/2.1/codelist/UNODC/CL_ICCS/1.0?references=structureset',
  '/sdmx/2.1/structure/all/all/all',
  '/sdmx/3.0/structure/representationmap/UNODC/MAP_XYZ_POLICE_ICCS/1.0?references=children',
  '/sdmx/3.0/structure/representationmap/*/*/~?detail=allcompletestubs',
  '/sdmx/3.0/structure/codelist/UNODC/CL_OFFENCE_XYZ_POLICE?references=parents',
  '/sdmx/3.0/structure/*/*/*/*',
];

t.test('every format validates against its official schema, on both APIs', async (t) => {
  for (const url of URLS) {
    for (const f of FORMATS) {
      const res = await get(url, { accept: f.accept });
      t.equal(res.statusCode, 200, `${url} ${f.accept}`);
      t.same(f.check(res.body), [], `${url} as ${f.accept} validates`);
    }
  }
});

t.test('2.1: the map is a structure set; references=children brings both codelists', async (t) => {
  const res = await get('/sdmx/2.1/structureset/UNODC/MAP_XYZ_POLICE_ICCS/1.0?references=children');
  const s = xml.parse(res.body).Structure.Structures;
  t.same(s.StructureSets.StructureSet.map((x: any) => x['@id']), ['MAP_XYZ_POLICE_ICCS']);
  t.equal(s.StructureSets.StructureSet[0].CodelistMap.CodeMap.length, 21);
  t.same(s.Codelists.Codelist.map((c: any) => c['@id']).sort(), ['CL_ICCS', 'CL_OFFENCE_XYZ_POLICE']);
  t.equal(s.Codelists.Codelist.find((c: any) => c['@id'] === 'CL_ICCS').Code.length, 320, 'CL_ICCS whole');

  const partial = xml.parse((await get('/sdmx/2.1/structureset/UNODC/MAP_XYZ_POLICE_ICCS/1.0?references=children&detail=referencepartial')).body).Structure.Structures;
  const iccs = partial.Codelists.Codelist.find((c: any) => c['@id'] === 'CL_ICCS');
  t.equal(iccs['@isPartial'], 'true', 'referencepartial cuts CL_ICCS');
  const ids = iccs.Code.map((c: any) => c['@id']);
  t.ok(['0101', '01', '020221', '020222', '02022', '0202', '02'].every((id) => ids.includes(id)), 'to the mapped codes and their ancestors');
  t.notOk(ids.includes('0105'), 'and nothing else');
});

t.test('a codelist names the maps that use it among its parents', async (t) => {
  // CL_ICCS is also the target of the published UN-CTS → ICCS map.
  for (const [url, maps] of [
    ['/sdmx/2.1/codelist/UNODC/CL_ICCS/1.0?references=structureset', ['RM_CTS_ICCS', 'MAP_XYZ_POLICE_ICCS']],
    ['/sdmx/2.1/codelist/UNODC/CL_OFFENCE_XYZ_POLICE/1.0?references=parents', ['MAP_XYZ_POLICE_ICCS']],
  ] as const) {
    const s = xml.parse((await get(url)).body).Structure.Structures;
    t.same(s.StructureSets?.StructureSet.map((x: any) => x['@id']), maps, url);
  }
  const json = JSON.parse((await get('/sdmx/3.0/structure/codelist/UNODC/CL_ICCS/1.0?references=representationmap')).body);
  t.same(json.data.representationMaps.map((m: any) => m.id), ['RM_CTS_ICCS', 'MAP_XYZ_POLICE_ICCS'], '3.0 references=representationmap');
  const none = JSON.parse((await get('/sdmx/3.0/structure/codelist/UNODC/CL_CONF_STATUS/1.0?references=representationmap')).body);
  t.notOk(none.data.representationMaps, 'a codelist no map uses has none');
});

t.test('3.0: a representation map with its codelists', async (t) => {
  const res = await get('/sdmx/3.0/structure/representationmap/UNODC/MAP_XYZ_POLICE_ICCS/1.0?references=children');
  t.equal(res.headers['content-type'], MEDIA.structureJson20);
  const data = JSON.parse(res.body).data;
  t.equal(data.representationMaps.length, 1);
  const rm = data.representationMaps[0];
  t.same(rm.target, [{ codelist: 'urn:sdmx:org.sdmx.infomodel.codelist.Codelist=UNODC:CL_ICCS(1.0)' }]);
  t.same(
    rm.representationMappings.filter((m: any) => m.sourceValues[0].value === 'KID-01').map((m: any) => m.targetValues[0]),
    ['020221', '020222'],
    'both targets of the ambiguous code are published',
  );
  t.same(data.codelists.map((c: any) => c.id).sort(), ['CL_ICCS', 'CL_OFFENCE_XYZ_POLICE']);
});

t.test('unknown maps and unserved types', async (t) => {
  t.equal((await get('/sdmx/2.1/structureset/UNODC/NO_SUCH_MAP')).statusCode, 404);
  t.equal((await get('/sdmx/3.0/structure/representationmap/UNODC/NO_SUCH_MAP')).statusCode, 404);
  t.equal((await get('/sdmx/3.0/structure/structuremap/UNODC/NO_SUCH_MAP')).statusCode, 404, 'the other maps are served too');
  t.equal((await get('/sdmx/3.0/structure/metadataconstraint')).statusCode, 501, 'the metadata types are not (yet)');
  t.equal((await get('/sdmx/3.0/structure/structureset')).statusCode, 400, 'structureset is not a 3.0 type');
});

t.test('Last-Modified and ETag move when the table changes', async (t) => {
  const url = '/sdmx/2.1/structureset/UNODC/MAP_XYZ_POLICE_ICCS/1.0';
  const before = await get(url);
  t.equal(before.headers['last-modified'], 'Wed, 01 Apr 2026 12:00:00 GMT');
  const etag = before.headers.etag as string;
  t.equal((await get(url, { 'if-none-match': etag })).statusCode, 304, 'current copy: 304');

  clock.set('2026-04-02T09:15:00.000Z');
  correspondence.save({ ...table, rows: table.rows.filter((r) => r.nationalCode !== 'HOM-02') }, 'bob');
  const after = await get(url);
  t.equal(after.headers['last-modified'], 'Thu, 02 Apr 2026 09:15:00 GMT', 'Last-Modified moved');
  t.not(after.headers.etag, etag, 'ETag moved');
  t.equal((await get(url, { 'if-none-match': etag })).statusCode, 200, 'the old copy is stale');
  t.equal((await get(url, { 'if-modified-since': before.headers['last-modified'] as string })).statusCode, 200);

  correspondence.remove('UNODC', 'MAP_XYZ_POLICE_ICCS', '1.0', 'bob');
  t.equal((await get(url)).statusCode, 404, 'removed: gone from the API');
  t.equal((await get('/sdmx/2.1/codelist/UNODC/CL_OFFENCE_XYZ_POLICE')).statusCode, 404, 'with its codelist');
});

t.test('a restarted application serves the table it stored', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'iccs-maps-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'db.sqlite');
  const repos = sqliteRepositories(file, config.migrationsDir);
  const service = new CorrespondenceService(StructureService.load(repos, config.structuresDir, clock).service, clock);
  service.save(table, 'alice');
  repos.close();

  const restarted = await buildApp({ config: loadConfig({ DATABASE_URL: `file:${file}`, LOG_LEVEL: 'silent', DEMO_DATA: 'off' }), clock });
  t.teardown(() => restarted.close());
  const res = await restarted.inject({ url: '/sdmx/3.0/structure/representationmap/UNODC/MAP_XYZ_POLICE_ICCS/1.0' });
  t.equal(res.statusCode, 200);
  t.equal(JSON.parse(res.body).data.representationMaps[0].representationMappings.length, 21);
});
