/**
 * The Actual constraints on the demo data: every constraint resource answers with them in the
 * four structure formats, each validating against its official schema; a dataflow's constraint
 * holds exactly the codes and period of its SDMX-CSV answer; and the release the demo holds
 * back (UN-CTS corruption and economic crime, on DF_CTS_OFFENCES) adds its codes and its own
 * constraint at its instant, not a millisecond before.
 */
import t, { type Test } from 'tap';
import { fixedClock } from '../../../src/clock.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { readStructureMl21 } from '../../../src/sdmx/ml21/structure-reader.js';
import type { ContentConstraint } from '../../../src/sdmx/model.js';
import { periodRange } from '../../../src/sdmx/time-period.js';
import { testApp } from '../../helpers/app.js';
import { parseCsv } from '../../helpers/csv.js';
import { CTS_DIMENSIONS } from '../../helpers/data-app.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';
import { validateJson, validateXml21, validateXml301 } from '../../helpers/validate.js';

const clock = fixedClock(new Date().toISOString());
const app = await testApp({ clock, env: { DEMO_DATA: 'on' } });
t.teardown(() => app.close());
const get = (url: string, accept: string = MEDIA.structureMl21) => app.inject({ url, headers: { accept } });

const HELD_BACK = 'UNCTS-2024-CORRUPTION';
const held = ((await get('/api/v1/calendar', 'application/json')).json() as { releases: { code: string; announcedAt: string }[] }).releases.find(
  (r) => r.code === HELD_BACK,
)!;

async function actual(t: Test, url: string): Promise<ContentConstraint[]> {
  const res = await get(url);
  t.equal(res.statusCode, 200, `${url}: 200`);
  return readStructureMl21(res.body).filter((a): a is ContentConstraint => a.class === 'ContentConstraint' && a.constraintType === 'Actual');
}
const cube = (cc: ContentConstraint) => Object.fromEntries(cc.cubeRegions[0]!.keyValues.map((kv) => [kv.id, [...kv.values].sort()]));

async function servedData(flow: string) {
  const res = await get(`/sdmx/2.1/data/UNODC,${flow},1.0/all`, MEDIA.dataCsv10);
  if (res.statusCode !== 200) throw new Error(`${flow}: ${res.statusCode}`);
  const rows = parseCsv(res.body);
  const ranges = rows.map((r) => periodRange(r.TIME_PERIOD!)!);
  const bare = (s: string) => s.replace(/\.\d{3}Z$/, 'Z');
  return {
    codes: Object.fromEntries(CTS_DIMENSIONS.map((d) => [d, [...new Set(rows.map((r) => r[d]!))].sort()])),
    referencePeriod: { startTime: bare(ranges.map((r) => r.start).sort()[0]!), endTime: bare(ranges.map((r) => r.end).sort().at(-1)!) },
  };
}

t.test('every constraint resource answers with them, in every format, valid against the official schemas', async (t) => {
  const urls = [
    '/sdmx/2.1/actualconstraint',
    '/sdmx/2.1/actualconstraint/UNODC/all/latest',
    '/sdmx/2.1/contentconstraint/UNODC/all/latest',
    '/sdmx/3.0/structure/dataconstraint/UNODC/*/~',
  ];
  for (const url of urls) {
    const ids = (await actual(t, url)).map((c) => c.id);
    t.ok(ids.includes('CR_D_DF_CTS_HOMICIDE') && ids.includes('CR_D_DF_CTS_HOMICIDE_GSH-2019'), `${url}: the Actual constraints`);
    t.notOk(ids.some((id) => id.endsWith(HELD_BACK)), `${url}: none of the held-back release`);
    t.same(validateXml21((await get(url, MEDIA.structureMl21)).body), [], `${url}: SDMX-ML 2.1`);
    t.same(validateXml301((await get(url, MEDIA.structureMl30)).body), [], `${url}: SDMX-ML 3.0.1`);
    t.same(validateJson(JSON.parse((await get(url, MEDIA.structureJson10)).body), JSON_SCHEMA.structure10), [], `${url}: SDMX-JSON 1.0`);
    t.same(validateJson(JSON.parse((await get(url, MEDIA.structureJson20)).body), JSON_SCHEMA.structure20), [], `${url}: SDMX-JSON 2.0`);
  }
});

t.test('a dataflow constraint holds exactly what the data hold', async (t) => {
  for (const flow of ['DF_CTS_HOMICIDE', 'DF_ESTAT_CRIM_OFF_CAT']) {
    const [cc] = await actual(t, `/sdmx/2.1/actualconstraint/UNODC/CR_D_${flow}/1.0`);
    const data = await servedData(flow);
    t.same(cube(cc!), data.codes, `${flow}: the codes of the SDMX-CSV answer, no more, no less`);
    t.same(cc!.referencePeriod, data.referencePeriod, `${flow}: the visible period`);
  }
});

t.test('the held-back release: its codes and its constraint from its instant on, not before', async (t) => {
  t.ok(Date.parse(held.announcedAt) > clock.now().getTime(), `announced for ${held.announcedAt}`);
  const wholeUrl = '/sdmx/2.1/actualconstraint/UNODC/CR_D_DF_CTS_OFFENCES/1.0';
  const ownUrl = `/sdmx/2.1/actualconstraint/UNODC/CR_D_DF_CTS_OFFENCES_${HELD_BACK}/1.0`;
  clock.set(new Date(Date.parse(held.announcedAt) - 1).toISOString());
  const [before] = await actual(t, wholeUrl);
  const etagBefore = (await get(wholeUrl)).headers.etag;
  t.equal((await get(ownUrl)).statusCode, 404, 'a millisecond before: its constraint does not exist');
  t.notOk((await get('/sdmx/3.0/structure/dataflow/UNODC/DF_CTS_OFFENCES/1.0?references=parents', MEDIA.structureMl21)).body.includes(HELD_BACK), 'nor among the parents of the dataflow');

  clock.set(held.announcedAt);
  const [own] = await actual(t, ownUrl);
  const [after] = await actual(t, wholeUrl);
  t.not((await get(wholeUrl)).headers.etag, etagBefore, 'at the instant the ETag changes');
  t.equal(own!.validFrom, held.announcedAt.replace(/\.\d{3}Z$/, 'Z'), 'valid from the instant');
  const newOffences = cube(own!).OFFENCE!.filter((c) => !cube(before!).OFFENCE!.includes(c));
  t.ok(newOffences.length > 0, `offences only the held-back release holds: ${newOffences.join(', ')}`);
  t.same(newOffences.filter((c) => !cube(after!).OFFENCE!.includes(c)), [], 'all in the dataflow constraint at the instant');
  const data = await servedData('DF_CTS_OFFENCES');
  t.same(cube(after!), data.codes, 'which holds exactly the data then');
  t.same(after!.referencePeriod, data.referencePeriod);
});
