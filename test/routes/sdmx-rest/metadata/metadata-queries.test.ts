/**
 * The SDMX reference-metadata queries on the demo (issue 15 item 6): REST 2.x
 * `metadata/metadataset|metadataflow|structure` and REST 1.x `metadata/{flowRef}/{key}/{providerRef}`,
 * in SDMX-JSON 2.0 (the 3.0 default), SDMX-ML 3.0 and SDMX-ML 2.1 generic metadata, each message
 * validated against its official schema and read for content; embargo to the millisecond on
 * every path (a new version of the offences report belongs to the release the demo holds back);
 * conditional requests; the errors the specification asks for.
 */
import t from 'tap';
import { XMLParser } from 'fast-xml-parser';
import { fixedClock } from '../../../../src/clock.js';
import { MEDIA } from '../../../../src/sdmx/media-types.js';
import { testApp } from '../../../helpers/app.js';
import { SDMX_STANDARDS } from '../../../helpers/shared.js';
import { validateJson, validateXml21, validateXml301 } from '../../../helpers/validate.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const METADATA_SCHEMA = `${SDMX_STANDARDS}/json-schema/2.0.0/sdmx-json-metadata-schema.json`;
const clock = fixedClock(new Date().toISOString());
const app = await testApp({ clock, env: { DEMO_DATA: 'on' } });
t.teardown(() => app.close());
const get = (url: string, accept?: string, headers: Record<string, string> = {}) =>
  app.inject({ url, headers: { ...(accept ? { accept } : {}), ...headers } });
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, isArray: (name) => ['MetadataSet', 'Attribute', 'ReportedAttribute', 'Target', 'Text'].includes(name) });

const HELD_BACK = 'UNCTS-2024-CORRUPTION';
const held = ((await get('/api/v1/calendar', 'application/json')).json() as { releases: { code: string; announcedAt: string }[] }).releases.find((r) => r.code === HELD_BACK)!;
const atMs = (ms: number) => new Date(Date.parse(held.announcedAt) + ms).toISOString();

t.test('REST 2.x by metadataset: SDMX-JSON 2.0 by default, valid, with the report and its computed concepts', async (t) => {
  const res = await get('/sdmx/3.0/metadata/metadataset/*/MS_DF_CTS_HOMICIDE/~');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], MEDIA.metadataJson20);
  const doc = res.json() as J;
  t.same(validateJson(doc, METADATA_SCHEMA), []);
  const [set] = doc.data.metadataSets;
  t.equal(set.id, 'MS_DF_CTS_HOMICIDE');
  t.equal(set.version, '1.0.0');
  t.same(set.targets, ['urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=UNODC:DF_CTS_HOMICIDE(1.0)']);
  const ids = JSON.stringify(set.attributes);
  t.match(ids, /"id":"DATA_DESCR"/, 'an authored concept');
  t.match(ids, /"id":"PUNCTUALITY"/, 'a computed concept, filled at request time');
  t.match(ids, /"id":"CNT_UNIT","value":"VICTIM"/, 'the counting unit of homicide: victims');
});

t.test('SDMX-ML 3.0: valid; a country note targets the dataflow and the area code', async (t) => {
  const res = await get('/sdmx/3.0/metadata/metadataset/UNODC/MS_DF_CTS_HOMICIDE_KAZ/1.0.0', MEDIA.metadataMl30);
  t.equal(res.statusCode, 200);
  t.same(validateXml301(res.body), []);
  const set = (xml.parse(res.body) as J).GenericMetadata.MetadataSet[0];
  t.same(set.Target, [
    'urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=UNODC:DF_CTS_HOMICIDE(1.0)',
    'urn:sdmx:org.sdmx.infomodel.codelist.Code=UNODC:CL_AREA(1.0).KAZ',
  ]);
  t.match(res.body, /id="SERIES_BREAKS"/, 'the break in series the GSH notes name');
});

t.test('REST 1.x: the 2.1 generic metadata message by default, the key selects dataflow and areas', async (t) => {
  const res = await get('/sdmx/2.1/metadata/UNODC,MDF_CRIME_COUNTRY_NOTE,1.0/DF_CTS_HOMICIDE.KAZ+PHL/all');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], MEDIA.genericMetadataMl21);
  t.same(validateXml21(res.body), []);
  const sets = (xml.parse(res.body) as J).GenericMetadata.MetadataSet as J[];
  t.same(sets.map((s) => s['@setID']), ['MS_DF_CTS_HOMICIDE_KAZ', 'MS_DF_CTS_HOMICIDE_PHL']);
  const reports = await get('/sdmx/2.1/metadata/MDF_CRIME_REPORT/DF_CTS_PRISONS');
  t.equal(reports.statusCode, 200);
  t.same(((xml.parse(reports.body) as J).GenericMetadata.MetadataSet as J[]).map((s) => s['@setID']), ['MS_DF_CTS_PRISONS']);
  t.equal((await get('/sdmx/2.1/metadata/MDF_CRIME_COUNTRY_NOTE/DF_CTS_HOMICIDE.FRA')).statusCode, 404, 'no note for France: NoResults');
  const badArea = await get('/sdmx/2.1/metadata/MDF_CRIME_COUNTRY_NOTE/DF_CTS_HOMICIDE.XXX');
  t.equal(badArea.statusCode, 404);
  t.match(badArea.body, /"XXX" is not a code of CL_AREA/, 'a mistake is named, not just "no results"');
  t.match((await get('/sdmx/2.1/metadata/MDF_CRIME_REPORT/DF_NOPE')).body, /No dataflow DF_NOPE/);
  t.match((await get('/sdmx/2.1/metadata/UNODC,MDF_NOPE,1.0/all')).body, /No metadataflow matches the query: this service has UNODC:MDF_CRIME_COUNTRY_NOTE\(1\.0\), UNODC:MDF_CRIME_REPORT\(1\.0\)/);
});

t.test('by metadataflow and by structure', async (t) => {
  const all = await get('/sdmx/3.0/metadata/metadataflow/UNODC/MDF_CRIME_REPORT/~/*', MEDIA.metadataJson20);
  t.equal(all.statusCode, 200);
  const ids = ((all.json() as J).data.metadataSets as J[]).map((s) => s.id);
  t.equal(ids.length, 10, 'one report per demo dataflow');
  t.ok(ids.every((id) => /^MS_DF_/.test(id)));
  const byFlow = await get('/sdmx/3.0/metadata/structure/dataflow/UNODC/DF_CTS_HOMICIDE/~', MEDIA.metadataJson20);
  const flowIds = ((byFlow.json() as J).data.metadataSets as J[]).map((s) => s.id);
  t.ok(flowIds.includes('MS_DF_CTS_HOMICIDE') && flowIds.includes('MS_DF_CTS_HOMICIDE_KAZ'), 'the report and the country notes');
  t.same(validateJson(byFlow.json(), METADATA_SCHEMA), []);
  const byCodelist = await get('/sdmx/3.0/metadata/structure/codelist/UNODC/CL_AREA/~', MEDIA.metadataJson20);
  t.ok(((byCodelist.json() as J).data.metadataSets as J[]).every((s) => s.targets.length === 2), 'the country notes only');
  const byMsd = await get('/sdmx/3.0/metadata/structure/metadatastructure/UNODC/MSD_CRIME_COUNTRY_NOTE/~', MEDIA.metadataJson20);
  t.equal(byMsd.statusCode, 200);
  t.equal((await get('/sdmx/3.0/metadata/structure/conceptscheme/UNODC/CS_CRIME_JUSTICE/~')).statusCode, 404, 'nothing describes a concept scheme');
  // UNODC writes every report (the Eurostat ones from Eurostat's documentation): no set is ESTAT's.
  const providers = await get('/sdmx/3.0/metadata/metadataflow/*/*/*/UNODC.UNODC', MEDIA.metadataJson20);
  t.equal(providers.statusCode, 200);
  t.equal(((providers.json() as J).data.metadataSets as J[]).length, ((await get('/sdmx/3.0/metadata/metadataflow/*/*/*', MEDIA.metadataJson20)).json() as J).data.metadataSets.length);
  t.equal((await get('/sdmx/3.0/metadata/metadataflow/*/*/*/ESTAT')).statusCode, 404, 'the provider filter');
});

t.test('an earlier version reads as it did when it was the answer: its computed figures are of its own time', async (t) => {
  // 1.0.0 of the Eurostat report was replaced by 1.1.0 at ESTAT-CRIM-2024 (2024-04-19).
  const values = async (url: string) => {
    const res = await get(url, MEDIA.metadataJson20);
    t.equal(res.statusCode, 200, url);
    return JSON.stringify(((res.json() as J).data.metadataSets as J[])[0].attributes);
  };
  const now = await values('/sdmx/3.0/metadata/metadataset/*/MS_DF_ESTAT_CRIM_OFF_CAT/1.0.0');
  const then = await values(`/sdmx/3.0/metadata/metadataset/*/MS_DF_ESTAT_CRIM_OFF_CAT/~?asOf=${encodeURIComponent('2024-04-18T23:59:59.999Z')}`);
  t.equal(now, then, 'the same report, computed concepts included');
  t.notMatch(now, /2008–2022/, 'not the years the later release added');
  const json = (await get('/sdmx/3.0/metadata/metadataset/*/MS_DF_ESTAT_CRIM_OFF_CAT/*', MEDIA.metadataJson20)).json() as J;
  t.same(
    (json.data.metadataSets as J[]).map((m) => [m.version, m.validFrom, m.validTo]),
    [
      ['1.0.0', '2022-06-08T09:00:00.000Z', '2024-04-18T23:59:59.999Z'],
      ['1.1.0', '2024-04-19T00:00:00.000Z', undefined],
    ],
    'validTo: until its successor became public',
  );
  t.same(validateJson(json, METADATA_SCHEMA), []);
  const ml30 = await get('/sdmx/3.0/metadata/metadataset/*/MS_DF_ESTAT_CRIM_OFF_CAT/*', MEDIA.metadataMl30);
  t.same(validateXml301(ml30.body), []);
  t.match(ml30.body, /version="1\.0\.0" validFrom="2022-06-08T09:00:00\.000Z" validTo="2024-04-18T23:59:59\.999Z"/);
  const ml21 = await get('/sdmx/2.1/metadata/MDF_CRIME_REPORT/DF_ESTAT_CRIM_OFF_CAT', MEDIA.genericMetadataMl21);
  t.same(validateXml21(ml21.body), []);
});

t.test('detail=allstubs: SDMX-ML 3.0 writes stubs; the formats without a stub form answer 406 naming it', async (t) => {
  const stubs = await get('/sdmx/3.0/metadata/metadataflow/*/*/*?detail=allstubs', MEDIA.metadataMl30);
  t.equal(stubs.statusCode, 200);
  t.same(validateXml301(stubs.body), []);
  t.notMatch(stubs.body, /<metadata:Attribute/);
  const json = await get('/sdmx/3.0/metadata/metadataflow/*/*/*?detail=allstubs', MEDIA.metadataJson20);
  // Without a language preference SDMX-JSON carries every language the texts have.
  const bilingual = await get('/sdmx/3.0/metadata/metadataset/*/MS_DF_CTS_PRISONS/~');
  t.match(JSON.stringify((bilingual.json() as J).data.metadataSets[0].attributes), /"es":"/, 'Spanish too, unasked');
  const english = await get('/sdmx/3.0/metadata/metadataset/*/MS_DF_CTS_PRISONS/~', undefined, { 'accept-language': 'en' });
  t.notMatch(JSON.stringify((english.json() as J).data.metadataSets[0].attributes), /"es":"/, 'English only when asked');
  t.equal(json.statusCode, 406);
  t.match(json.body, /vnd\.sdmx\.metadata\+xml;version=3\.0\.0/);
  t.equal((await get('/sdmx/2.1/metadata/MDF_CRIME_REPORT?detail=allstubs')).statusCode, 406);
});

t.test('errors: 406 for the formats we do not write, 400 for bad syntax, 501 for version ranges, 404 for nothing', async (t) => {
  t.equal((await get('/sdmx/3.0/metadata/metadataset/*/*/~', 'application/vnd.sdmx.metadata+csv;version=1.0.0')).statusCode, 406);
  t.equal((await get('/sdmx/3.0/metadata/metadataset/*/*/~', 'application/vnd.sdmx.structurespecificmetadata+xml;version=2.1')).statusCode, 406);
  t.equal((await get('/sdmx/3.0/metadata/metadataset/*/*/~?detail=referencestubs')).statusCode, 400);
  t.equal((await get('/sdmx/3.0/metadata/metadataset/*/*/1.0')).statusCode, 400, 'not a semantic version');
  t.equal((await get('/sdmx/3.0/metadata/metadataset/*/*/1.0+.0')).statusCode, 501);
  t.equal((await get('/sdmx/3.0/metadata/somethingelse')).statusCode, 400);
  const none = await get('/sdmx/3.0/metadata/metadataset/*/MS_NOTHING/~', MEDIA.metadataJson20);
  t.equal(none.statusCode, 404);
  t.equal((none.json() as J).errors[0].code, 100);
});

t.test('data answers link to the dataflow\'s reference metadata (Link rel=describedby), cached repeats too', async (t) => {
  const url = '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.KAZ......';
  for (const attempt of ['first', 'repeat']) {
    const res = await get(url, MEDIA.dataCsv10);
    t.equal(res.statusCode, 200);
    t.equal(res.headers.link, `</sdmx/3.0/metadata/structure/dataflow/UNODC/DF_CTS_HOMICIDE/1.0>; rel="describedby"; type="${MEDIA.metadataJson20}"`, attempt);
  }
  const target = (await get('/sdmx/3.0/metadata/structure/dataflow/UNODC/DF_CTS_HOMICIDE/1.0')).json() as J;
  t.ok((target.data.metadataSets as J[]).some((s) => s.id === 'MS_DF_CTS_HOMICIDE_KAZ'), 'the link leads to the report and the country notes');
});

t.test('conditional requests: ETag and 304; Cache-Control never past the next release', async (t) => {
  const url = '/sdmx/3.0/metadata/metadataset/*/MS_DF_CTS_PRISONS/~';
  const first = await get(url);
  const etag = first.headers.etag as string;
  t.ok(etag);
  t.match(first.headers['cache-control'] as string, /public/);
  const again = await get(url, undefined, { 'if-none-match': etag });
  t.equal(again.statusCode, 304);
  t.equal((await get(url, MEDIA.metadataMl30, { 'if-none-match': etag })).statusCode, 200, 'another format, another ETag');
});

t.test('embargo: the new version of a report appears at its release instant, on every path, not a millisecond before', async (t) => {
  t.teardown(() => clock.set(new Date().toISOString()));
  const paths = [
    ['/sdmx/3.0/metadata/metadataset/*/MS_DF_CTS_OFFENCES/~', MEDIA.metadataJson20],
    ['/sdmx/3.0/metadata/metadataflow/UNODC/MDF_CRIME_REPORT/1.0/*', MEDIA.metadataJson20],
    ['/sdmx/3.0/metadata/structure/dataflow/UNODC/DF_CTS_OFFENCES/~', MEDIA.metadataJson20],
  ] as const;
  const versionsOf = async (url: string, accept: string) => {
    const res = await get(url, accept);
    t.equal(res.statusCode, 200, url);
    return ((res.json() as J).data.metadataSets as J[]).filter((s) => s.id === 'MS_DF_CTS_OFFENCES').map((s) => s.version);
  };
  clock.set(atMs(-1));
  for (const [url, accept] of paths) t.same(await versionsOf(url, accept), ['1.0.0'], `${url}: 1 ms before`);
  t.equal((await get('/sdmx/3.0/metadata/metadataset/*/MS_DF_CTS_OFFENCES/1.1.0')).statusCode, 404, 'the embargoed version is as absent as an unknown one');
  const stubs = await get('/sdmx/3.0/metadata/metadataset/*/MS_DF_CTS_OFFENCES/*?detail=allstubs', MEDIA.metadataMl30);
  t.notMatch(stubs.body, /1\.1\.0/, 'not even its stub');
  const ml21 = await get('/sdmx/2.1/metadata/MDF_CRIME_REPORT/DF_CTS_OFFENCES');
  t.notMatch(ml21.body, /UNCTS-2024-CORRUPTION|corruption/i, 'nothing of the held-back release in 2.1 either');

  clock.set(atMs(0));
  for (const [url, accept] of paths) t.same(await versionsOf(url, accept), ['1.1.0'], `${url}: at the instant`);
  const both = await get('/sdmx/3.0/metadata/metadataset/*/MS_DF_CTS_OFFENCES/*', MEDIA.metadataJson20);
  t.same(((both.json() as J).data.metadataSets as J[]).map((s) => s.version), ['1.0.0', '1.1.0'], 'the earlier version stays retrievable');
  const asOf = await get(`/sdmx/3.0/metadata/metadataset/*/MS_DF_CTS_OFFENCES/~?asOf=${encodeURIComponent(atMs(-1))}`, MEDIA.metadataJson20);
  t.same(((asOf.json() as J).data.metadataSets as J[]).map((s) => s.version), ['1.0.0'], 'asOf: as it was a millisecond before');
});
