/**
 * A fixed set of answers of every SDMX surface and the JSON data API, on the demo at a fixed
 * instant, must stay byte for byte what they were: the guard for refactoring the code behind
 * them (a change that is meant to change an answer updates the fixture in the same commit, and
 * the diff shows which answers it changed).
 *
 * The fixture (test/fixtures/answer-fixity.json) holds each answer's status, Content-Type,
 * length and SHA-256. Only the message ids SDMX headers draw at random are blanked before
 * hashing. Regenerate with `UPDATE_ANSWER_FIXITY=1 npx tap test/routes/answer-fixity.test.ts`.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixedClock } from '../../src/clock.js';
import { MEDIA } from '../../src/sdmx/media-types.js';
import { testApp } from '../helpers/app.js';
import { REPO_ROOT } from '../helpers/shared.js';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/answer-fixity.json');
const NOW = '2026-12-06T12:00:00.000Z';

const KEY = 'A.MEX+GTM+AUT.VIC_HOM.0101._T._T._T.P_HTHAB';
const H21 = `/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/${KEY}`;
/** REST 2.0 ORs whole keys with `,`. */
const H30 = `/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE/1.0/${['MEX', 'GTM', 'AUT'].map((a) => `A.${a}.VIC_HOM.0101._T._T._T.P_HTHAB`).join(',')}`;
const P21 = '/sdmx/2.1/data/UNODC,DF_CTS_PRISONS,1.0/A.FRA+DEU..._T._T._T.NR';

/** [url, Accept] pairs: structures, data, availability, schemas, errors, the JSON data API. */
const REQUESTS: readonly (readonly [string, string])[] = [
  ['/sdmx/2.1/dataflow/all/all/latest', MEDIA.structureMl21],
  ['/sdmx/2.1/dataflow/all/all/latest', MEDIA.structureJson10],
  ['/sdmx/2.1/datastructure/UNODC/DSD_CTS/1.0?references=children', MEDIA.structureMl21],
  ['/sdmx/2.1/codelist/UNODC/CL_SEX/1.0', MEDIA.structureMl21],
  ['/sdmx/2.1/codelist/UNODC/CL_ICCS/1.0/0101+0102', MEDIA.structureJson10],
  ['/sdmx/2.1/conceptscheme/all/all/latest?detail=allstubs', MEDIA.structureMl21],
  ['/sdmx/2.1/hierarchicalcodelist/UNODC/HCL_SEX/1.0', MEDIA.structureMl21],
  ['/sdmx/2.1/dataflow/UNODC/DF_CTS_HOMICIDE/1.0?references=all', MEDIA.structureMl21],
  ['/sdmx/2.1/structureset/UNODC/RM_CTS_ICCS/1.0', MEDIA.structureMl21],
  ['/sdmx/2.1/contentconstraint/UNODC/CR_A_DF_CTS_HOMICIDE/1.0', MEDIA.structureMl21],
  ['/sdmx/2.1/actualconstraint/UNODC/CR_D_DF_CTS_HOMICIDE/1.0', MEDIA.structureMl21],
  ['/sdmx/2.1/transformationscheme/UNODC/TS_CTS/1.0', MEDIA.structureMl21],
  ['/sdmx/3.0/structure/dataflow/*/*/~', MEDIA.structureJson20],
  ['/sdmx/3.0/structure/dataflow/*/*/~', MEDIA.structureMl30],
  ['/sdmx/3.0/structure/codelist/UNODC/CL_SEX/1.0', MEDIA.structureMl30],
  ['/sdmx/3.0/structure/hierarchy/UNODC/HCL_SEX/1.0', MEDIA.structureJson20],
  ['/sdmx/3.0/structure/datastructure/UNODC/DSD_CTS/1.0?references=codelist&detail=referencepartial', MEDIA.structureJson20],
  ['/sdmx/3.0/structure/structuremap/UNODC/SM_HOMICIDE_SDG/1.0', MEDIA.structureMl30],
  [H21, MEDIA.genericDataMl21],
  [H21, MEDIA.genericTimeSeriesDataMl21],
  [H21, MEDIA.structureSpecificDataMl21],
  [H21, MEDIA.dataJson10],
  [H21, MEDIA.dataCsv10],
  [`${H21}?startPeriod=2010&endPeriod=2014&dimensionAtObservation=AllDimensions`, MEDIA.genericDataMl21],
  [`${H21}?lastNObservations=2&detail=dataonly`, MEDIA.structureSpecificDataMl21],
  [`${H21}?detail=serieskeysonly`, MEDIA.dataJson10],
  [`${H21}?includeHistory=true`, MEDIA.genericDataMl21],
  [`${H21}?dimensionAtObservation=REF_AREA`, MEDIA.structureSpecificDataMl21],
  [P21, MEDIA.dataCsv10],
  [P21, MEDIA.dataJson10],
  [H30, MEDIA.dataJson20],
  [H30, MEDIA.dataMl30],
  [H30, MEDIA.dataCsv20],
  [`${H30}?c[TIME_PERIOD]=ge:2012&attributes=none`, MEDIA.dataJson20],
  ['/sdmx/2.1/availableconstraint/UNODC,DF_CTS_HOMICIDE,1.0/A.MEX', MEDIA.structureMl21],
  ['/sdmx/2.1/availableconstraint/UNODC,DF_CTS_PRISONS,1.0/all/all/REF_AREA?mode=available', MEDIA.structureMl21],
  ['/sdmx/3.0/availability/dataflow/UNODC/DF_CTS_HOMICIDE/1.0/*.MEX.*.*.*.*.*.*', MEDIA.structureJson20],
  ['/sdmx/2.1/schema/dataflow/UNODC/DF_CTS_HOMICIDE/1.0', 'application/xml'],
  ['/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.XXX.VIC_HOM.0101._T._T._T.NR', MEDIA.genericDataMl21],
  ['/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.MEX', MEDIA.genericDataMl21],
  ['/sdmx/2.1/codelist/UNODC/CL_SEX/1.0', 'text/html'],
  ['/sdmx/2.1/metadatastructure/all/all/latest', MEDIA.structureMl21],
  ['/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE/1.0/*.MEX', MEDIA.dataJson20], // a short key: the rest wildcarded
  ['/api/v1/data/UNODC/DF_CTS_HOMICIDE/1.0?key=A.MEX.VIC_HOM.0101._T._T._T.P_HTHAB', 'application/json'],
  ['/api/v1/data/UNODC/DF_CTS_HOMICIDE/1.0?key=A.MEX', 'application/json'],
];

interface Fingerprint {
  readonly status: number;
  readonly contentType: string;
  readonly length: number;
  readonly sha256: string;
}

/** Structure message ids are drawn at random (IREF + 16 hex digits): blanked. */
const normalise = (body: string) => body.replace(/IREF[0-9A-F]{16}/g, 'IREF');

const app = await testApp({ clock: fixedClock(NOW), env: { DEMO_DATA: 'on' } });
t.teardown(() => app.close());

const answers: Record<string, Fingerprint> = {};
for (const [url, accept] of REQUESTS) {
  const res = await app.inject({ url, headers: { accept } });
  const body = normalise(res.body);
  answers[`${accept} ${url}`] = {
    status: res.statusCode,
    contentType: String(res.headers['content-type']),
    length: Buffer.byteLength(body),
    sha256: createHash('sha256').update(body).digest('hex'),
  };
}

if (process.env.UPDATE_ANSWER_FIXITY === '1') {
  writeFileSync(FIXTURE, JSON.stringify(answers, null, 2) + '\n');
  t.pass(`wrote ${Object.keys(answers).length} fingerprints to ${path.relative(REPO_ROOT, FIXTURE)}`);
} else {
  const expected = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, Fingerprint>;
  t.same(Object.keys(answers), Object.keys(expected), 'the same requests as the fixture');
  for (const [request, fingerprint] of Object.entries(answers)) t.same(fingerprint, expected[request], request);
  t.ok(Object.values(answers).filter((a) => a.status === 200).length >= 35, 'most requests are answered with content');
}
