/**
 * The metadata service on the quality fixture's calendar (test/fixtures/quality-releases.ts)
 * with versions of the DF_CTS_HOMICIDE report tied to its releases:
 *
 *   1.0.0  Q-R1 (2019-06-01)             public
 *   1.1.0  Q-R3 (2021-03-01 12:00)       public from that instant: the embargo ± 1 ms
 *   1.2.0  Q-R6 (2022-06-01)             after the clock (2022-04-01): absent, even asked at its instant
 *   1.3.0  Q-DRAFT, 1.4.0 Q-R4 (cancelled), 1.5.0 NO-SUCH-RELEASE: never public, never seen
 *
 * and country notes for AUT (Q-R1) and KAZ (Q-R2; no data for KAZ). Computed concepts equal the
 * quality service's figures at the same instant, nested in the MSD's order, in both languages;
 * a figure that is null is absent, not 0.
 */
import t, { type Test } from 'tap';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixedClock } from '../../../src/clock.js';
import { PROJECT_ROOT } from '../../../src/project-root.js';
import type { ReportedAttribute } from '../../../src/sdmx/metadata/model.js';
import { MetadataService } from '../../../src/services/metadata/metadata-service.js';
import { synchroniseMetadataFiles } from '../../../src/services/metadata/metadata-start-up.js';
import type { Quantity } from '../../../src/services/quality/index.js';
import { FLOW, NOW, T1, T2, T3, T6, fixture } from '../../fixtures/quality-releases.js';
import { registryWithFixtures } from '../../fixtures/metadata/structures.js';

const registry = registryWithFixtures();
const REPORT = 'DF_CTS_HOMICIDE/report-1.0.0.yaml';
const NOTE = 'DF_CTS_HOMICIDE/areas/KAZ-1.0.0.yaml';
const shifted = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** The fixture's files plus versions tied to the calendar, in a temporary `metadata` folder. */
function metadataFolder(t: Test): { dir: string; add(file: string, from: string, change: (s: string) => string): void } {
  const root = mkdtempSync(path.join(tmpdir(), 'iccs-metadata-service-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const dir = path.join(root, 'metadata');
  cpSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'metadata', 'files'), dir, { recursive: true });
  const add = (file: string, from: string, change: (s: string) => string) => writeFileSync(path.join(dir, file), change(readFileSync(path.join(dir, from), 'utf8')));
  add('DF_CTS_HOMICIDE/areas/AUT-1.0.0.yaml', NOTE, (s) => s.replace('MS_DF_CTS_HOMICIDE_KAZ', 'MS_DF_CTS_HOMICIDE_AUT').replace('Kazakhstan', 'Austria').replace('Kazajistán', 'Austria'));
  add(NOTE, NOTE, (s) => s.replace('release: Q-R1', 'release: Q-R2'));
  const version = (v: string, release: string, es: string) =>
    add(`DF_CTS_HOMICIDE/report-${v}.yaml`, REPORT, (s) => s.replace('version: 1.0.0', `version: ${v}`).replace('release: Q-R1', `release: ${release}`).replace('es: La víctima.', `es: ${es}`));
  version('1.1.0', 'Q-R3', 'La víctima de homicidio.');
  version('1.2.0', 'Q-R6', 'Versión futura.');
  version('1.3.0', 'Q-DRAFT', 'Versión en borrador.');
  version('1.4.0', 'Q-R4', 'Versión cancelada.');
  version('1.5.0', 'NO-SUCH-RELEASE', 'Versión sin difusión.');
  return { dir, add };
}


function setUp(t: Test) {
  const f = fixture();
  t.teardown(f.close);
  const { dir } = metadataFolder(t);
  const report = synchroniseMetadataFiles({ dir, registry, repositories: f.repositories, now: NOW });
  const service = new MetadataService({ repositories: f.repositories, structures: { registry }, quality: f.quality, clock: fixedClock(NOW) });
  return { ...f, service, dir, loaded: report };
}

const find = (attributes: readonly ReportedAttribute[], id: string): ReportedAttribute | undefined => {
  for (const a of attributes) {
    if (a.id === id) return a;
    const inner = find(a.children, id);
    if (inner) return inner;
  }
  return undefined;
};
const tree = (attributes: readonly ReportedAttribute[]): unknown => attributes.map((a) => (a.children.length ? { [a.id]: tree(a.children) } : a.id));
const rounded = (q: Quantity | null | undefined) => (q ? String(Math.round(q.value * 100) / 100) : undefined);

t.test('start-up stored every version, whatever its release', async (t) => {
  const { loaded, repositories } = setUp(t);
  t.match(loaded, { files: 8, added: 8, unknownReleases: [{ release: 'NO-SUCH-RELEASE' }] });
  t.equal(repositories.metadataSets.find({ setID: 'MS_DF_CTS_HOMICIDE' }).length, 6);
});

t.test('embargo: a version appears exactly at its release instant', async (t) => {
  const { service } = setUp(t);
  const latest = async (at: string) => (await service.sets({ setId: 'MS_DF_CTS_HOMICIDE', at })).map((s) => [s.version, s.validFrom]);
  t.same(await latest(shifted(T3, -1)), [['1.0.0', T1]], 'at T3 − 1 ms the latest is 1.0.0');
  t.same(await latest(T3), [['1.1.0', T3]], 'at T3 it is 1.1.0, valid from its release instant');
  t.same(await service.sets({ setId: 'MS_DF_CTS_HOMICIDE', version: '1.1.0', at: shifted(T3, -1) }), [], 'asked by version before its instant: absent');
  t.same(
    (await service.sets({ setId: 'MS_DF_CTS_HOMICIDE', version: 'all', at: shifted(T3, -1) })).map((s) => s.version),
    ['1.0.0'],
  );
  t.same(await service.sets({ setId: 'MS_DF_CTS_HOMICIDE', at: shifted(T1, -1) }), [], 'before the first release: nothing');
});

t.test('earlier visible versions stay retrievable; invisible ones are as absent as unknown ones', async (t) => {
  const { service } = setUp(t);
  t.same(
    (await service.sets({ setId: 'MS_DF_CTS_HOMICIDE', version: 'all' })).map((s) => [s.version, s.release, s.validFrom]),
    [
      ['1.0.0', 'Q-R1', T1],
      ['1.1.0', 'Q-R3', T3],
    ],
    'at now: the two public versions, oldest first',
  );
  const earlier = await service.sets({ setId: 'MS_DF_CTS_HOMICIDE', version: '1.0.0' });
  t.equal(earlier.length, 1);
  t.equal(find(earlier[0]!.attributes, 'STAT_UNIT')?.text?.es, 'La víctima.', 'its own content');
  t.equal(find(earlier[0]!.attributes, 'META_LAST_UPDATE')?.value, T1, 'META_LAST_UPDATE is its release instant');
  for (const [version, why] of [
    ['1.2.0', 'a future release'],
    ['1.3.0', 'a draft'],
    ['1.4.0', 'a cancelled release'],
    ['1.5.0', 'a release that does not exist'],
    ['9.9.9', 'never written'],
  ] as const) {
    t.same(await service.sets({ setId: 'MS_DF_CTS_HOMICIDE', version }), [], `${version} (${why}) is absent`);
  }
  t.same(await service.sets({ setId: 'MS_DF_CTS_HOMICIDE', version: '1.2.0', at: T6 }), [], 'an instant after now is now: the future version stays absent');
  t.equal((await service.sets({ setId: 'MS_DF_CTS_HOMICIDE', at: '2099-01-01' }))[0]!.version, '1.1.0');
});

t.test('the visible-state tag names the visible versions only', async (t) => {
  const { service, repositories, dir } = setUp(t);
  const before = service.visibleStateTag();
  t.match(before, /^[A-Za-z0-9_-]{16}$/);
  t.equal(service.visibleStateTag(shifted(T3, -1)), service.visibleStateTag(T2), 'same versions visible, same tag');
  t.not(service.visibleStateTag(shifted(T3, -1)), service.visibleStateTag(T3), 'a version becoming public changes it');
  t.equal(service.visibleStateTag(T6), before, 'an instant after now is now');

  // Embargoed versions changing or disappearing leave the tag alone: nothing of them shows.
  writeFileSync(path.join(dir, 'DF_CTS_HOMICIDE/report-1.3.0.yaml'), readFileSync(path.join(dir, 'DF_CTS_HOMICIDE/report-1.3.0.yaml'), 'utf8').replace('Versión en borrador.', 'Otra.'));
  rmSync(path.join(dir, 'DF_CTS_HOMICIDE/report-1.5.0.yaml'));
  t.match(synchroniseMetadataFiles({ dir, registry, repositories, now: NOW }), { replaced: 1, removed: 1 });
  t.equal(service.visibleStateTag(), before);
});

t.test('computed concepts equal the quality service figures, nested in the MSD order', async (t) => {
  const { service, quality } = setUp(t);
  const [set] = await service.sets({ setId: 'MS_DF_CTS_HOMICIDE' });
  const q = await quality.indicators({ dataflow: FLOW, at: NOW });
  const value = (id: string) => find(set!.attributes, id)?.value;
  t.equal(value('META_LAST_UPDATE'), T3);
  t.equal(value('PUNCT_ON_TIME_PCT'), rounded(q.punctuality.onTimeShare));
  t.equal(value('PUNCT_MEAN_DELAY_D'), rounded(q.punctuality.meanDelay));
  t.equal(value('PUNCT_MAX_DELAY_D'), rounded(q.punctuality.maxDelay));
  t.equal(value('TIMELINESS_MEAN_LAG_D'), rounded(q.timeliness.firstResults.meanLag));
  t.equal(value('REV_REVISED_PCT'), String(Math.round((10000 * q.revisions.revised) / q.revisions.compared) / 100));
  t.equal(value('COMPLETENESS_PCT'), rounded(q.completeness.seriesFill));
  t.equal(value('SUPPRESSED_PCT'), rounded(q.suppression.share));
  // The hand-worked figures of test/services/quality/indicators.test.ts, at now (R5 published on 2022-03-01, late):
  t.equal(value('PUNCT_ON_TIME_PCT'), '40', '2 of 5 due releases on time');
  t.equal(value('PUNCT_MAX_DELAY_D'), '50', 'R5: first announced 2022-01-10, public 2022-03-01');

  t.same(
    tree(set!.attributes),
    [
      { CONTACT: ['CONTACT_ORGANISATION', 'CONTACT_EMAIL'] },
      'META_LAST_UPDATE',
      { STAT_PRES: ['DATA_DESCR', 'STAT_UNIT'] },
      { CONF: [{ CONF_DATA_TR: ['SUPPRESSED_PCT'] }] },
      { REL_POLICY: ['REL_CAL_ACCESS'] },
      { ACCESS_CLARITY: ['ONLINE_DB'] },
      { RELEVANCE: [{ COMPLETENESS: ['COMPLETENESS_PCT'] }] },
      { TIMELINESS_PUNCT: [{ TIMELINESS: ['TIMELINESS_MEAN_LAG_D'] }, { PUNCTUALITY: ['PUNCT_ON_TIME_PCT', 'PUNCT_MEAN_DELAY_D', 'PUNCT_MAX_DELAY_D'] }] },
      { COHERENCE_COMPAR: ['COMPAR_TIME'] },
      { DATA_REV: [{ REV_PRACTICE: ['REV_REVISED_PCT'] }] },
      { STAT_PROCESS: ['SOURCE_TYPE', { COUNTING_RULES: ['CNT_UNIT'] }] },
      'COMMENT_DSET',
    ],
    'computed concepts inside their parents, every group in the MSD order',
  );
  t.match(find(set!.attributes, 'CONF_DATA_TR')?.text?.en, /withheld by disclosure control/, 'the authored parent keeps its text');

  // Every text in both languages, and the sentences say what they count.
  const texts: ReportedAttribute[] = [];
  const walk = (as: readonly ReportedAttribute[]) => as.forEach((a) => (a.text && texts.push(a), walk(a.children)));
  walk(set!.attributes);
  for (const a of texts) {
    t.ok(a.text!.en?.trim() && a.text!.es?.trim(), `${a.id} has English and Spanish text`);
  }
  t.match(find(set!.attributes, 'PUNCTUALITY')?.text, {
    en: /^2 of 5 releases due by 2022-04-01 became public no later than the instant first announced .*\(40 % on time\)\. The published releases were 15 days late on average \(at most 50 days\).*Of the others, 2 published late after a postponement, 1 cancelled\./,
    es: /^2 de 5 difusiones previstas hasta el 2022-04-01 se hicieron públicas .*\(40 % puntuales\)\. Las difusiones publicadas se retrasaron en promedio 15 días \(50 días como máximo\).*De las demás, 2 publicadas con retraso tras un aplazamiento, 1 cancelada\./,
  });
  t.match(find(set!.attributes, 'TIMELINESS')?.text, { en: /releases giving first results/, es: /difusiones que dieron los primeros resultados/ });
  t.match(find(set!.attributes, 'REV_PRACTICE')?.text, { en: /cells were published again by a later release; of the \d+ with a value/, es: /celdas se publicaron de nuevo/ });
  // Units by name, from the DSD's CL_UNIT_MEASURE, not by code.
  t.match(find(set!.attributes, 'REV_PRACTICE')?.text, { en: /Mean absolute revision, first to current: [\d.,]+ \((Number|Rate per 100 000 population)\)/, es: /\((Número|Tasa por 100 000 habitantes)\)/ });
  t.notMatch(find(set!.attributes, 'REV_PRACTICE')?.text?.en, /in unit /);
  t.match(find(set!.attributes, 'COMPLETENESS')?.text, { en: /^The 4 series with data have a value in 55 % of the years 2017–2021\. Of all 99,840 combinations the structures allow in those years, 11 hold data \(0\.011 %\); 9 of them can be read /, es: /^Las 4 series con datos tienen valor en el 55 % de los años 2017–2021\. De las 99\.840 combinaciones que las estructuras permiten en esos años, 11 contienen datos \(0,011 %\); 9 pueden leerse / });
  t.match(find(set!.attributes, 'REL_CAL_ACCESS')?.text, { en: /\/api\/v1\/calendar \(JSON\), \/api\/v1\/calendar\.ics \(iCalendar\) and \/api\/v1\/calendar\.atom.*\?dataflow=DF_CTS_HOMICIDE/, es: /calendario de difusión es público/ });
  t.match(find(set!.attributes, 'ONLINE_DB')?.text, {
    en: /\/api\/v1\/dataflows\/DF_CTS_HOMICIDE .*\/sdmx\/2\.1\/data\/UNODC,DF_CTS_HOMICIDE,1\.0\/all \(SDMX 2\.1\) and \/sdmx\/3\.0\/data\/dataflow\/UNODC\/DF_CTS_HOMICIDE\/1\.0 \(SDMX 3\.0\)/,
    es: /Los datos están en línea/,
  });
});

t.test('at an earlier instant the figures are those of that instant', async (t) => {
  const { service, quality } = setUp(t);
  const at = shifted(T3, -1);
  const [set] = await service.sets({ setId: 'MS_DF_CTS_HOMICIDE', at });
  const q = await quality.indicators({ dataflow: FLOW, at });
  t.equal(find(set!.attributes, 'PUNCT_ON_TIME_PCT')?.value, rounded(q.punctuality.onTimeShare));
  t.equal(find(set!.attributes, 'COMPLETENESS_PCT')?.value, rounded(q.completeness.seriesFill));
  t.equal(find(set!.attributes, 'META_LAST_UPDATE')?.value, T1);
  t.match(find(set!.attributes, 'PUNCTUALITY')?.text?.en, /due by 2021-03-01/);
});

t.test('country notes: the area figures; a null figure is left out, never 0', async (t) => {
  const { service, quality } = setUp(t);
  const [aut] = await service.sets({ setId: 'MS_DF_CTS_HOMICIDE_AUT' });
  const q = await quality.indicators({ dataflow: FLOW, area: 'AUT', at: NOW });
  t.equal(find(aut!.attributes, 'COMPLETENESS_PCT')?.value, rounded(q.completeness.seriesFill));
  t.equal(find(aut!.attributes, 'TIMELINESS_MEAN_LAG_D')?.value, rounded(q.timeliness.firstResults.meanLag));
  t.match(find(aut!.attributes, 'COMPLETENESS')?.text?.en, /^The 2 series with data for AUT have a value in 60 % of the years 2017–2021\. Of all 390 combinations the structures allow in those years, 6 hold data \(1\.5 %\)/);
  t.match(find(aut!.attributes, 'ONLINE_DB')?.text?.en, /observations\?REF_AREA=AUT serves the figures of AUT/);

  // No data for KAZ: nothing published, nothing due, nothing revised or withheld.
  const [kaz] = await service.sets({ setId: 'MS_DF_CTS_HOMICIDE_KAZ' });
  const k = await quality.indicators({ dataflow: FLOW, area: 'KAZ', at: NOW });
  t.equal(k.punctuality.onTimeShare, null);
  t.equal(k.suppression.share, null);
  for (const id of ['PUNCTUALITY', 'PUNCT_ON_TIME_PCT', 'TIMELINESS', 'TIMELINESS_MEAN_LAG_D', 'REV_PRACTICE', 'REV_REVISED_PCT', 'SUPPRESSED_PCT']) {
    t.equal(find(kaz!.attributes, id), undefined, `${id} is left out`);
  }
  t.equal(find(kaz!.attributes, 'COMPLETENESS_PCT'), undefined, 'an area with no series has no series fill: left out, not 0');
  t.equal(find(kaz!.attributes, 'META_LAST_UPDATE')?.value, T2);
  t.same((tree(kaz!.attributes) as unknown[])[0], 'META_LAST_UPDATE');
});

t.test('filters', async (t) => {
  const { service } = setUp(t);
  const ids = async (query: Parameters<MetadataService['sets']>[0]) => (await service.sets(query)).map((s) => `${s.id}@${s.version}`);
  const everything = ['MS_DF_CTS_HOMICIDE@1.1.0', 'MS_DF_CTS_HOMICIDE_AUT@1.0.0', 'MS_DF_CTS_HOMICIDE_KAZ@1.0.0'];
  t.same(await ids({}), everything);
  t.same(await ids({ dataflow: 'DF_CTS_HOMICIDE' }), everything, 'a bare dataflow id');
  t.same(await ids({ dataflow: FLOW }), everything);
  t.same(await ids({ dataflow: 'DF_CTS_PRISONS' }), []);
  t.same(await ids({ area: null }), ['MS_DF_CTS_HOMICIDE@1.1.0'], 'dataflow reports only');
  t.same(await ids({ area: 'AUT' }), ['MS_DF_CTS_HOMICIDE_AUT@1.0.0']);
  t.same(await ids({ metadataflow: 'MDF_CRIME_COUNTRY_NOTE' }), ['MS_DF_CTS_HOMICIDE_AUT@1.0.0', 'MS_DF_CTS_HOMICIDE_KAZ@1.0.0']);
  t.same(await ids({ metadataflow: 'UNODC:MDF_CRIME_REPORT(1.0)' }), ['MS_DF_CTS_HOMICIDE@1.1.0']);
  t.same(await ids({ metadataflow: 'Metadataflow=UNODC:MDF_CRIME_REPORT(1.0)', version: '~' }), ['MS_DF_CTS_HOMICIDE@1.1.0']);
  t.same(await ids({ providerId: 'UNODC', version: '*', area: null }), ['MS_DF_CTS_HOMICIDE@1.0.0', 'MS_DF_CTS_HOMICIDE@1.1.0']);
  t.same(await ids({ providerId: 'ESTAT' }), []);
  await t.rejects(service.sets({ at: 'yesterday' }), { name: 'ServiceError', kind: 'invalid-input', details: { parameter: 'asOf' } });
});

t.test('report(): the JSON API view of a dataflow and an area', async (t) => {
  const { service, quality } = setUp(t);
  const aut = await service.report('DF_CTS_HOMICIDE', 'AUT');
  t.match(aut, { dataflow: FLOW, area: 'AUT', at: NOW, report: { id: 'MS_DF_CTS_HOMICIDE', version: '1.1.0' }, countryNote: { id: 'MS_DF_CTS_HOMICIDE_AUT', version: '1.0.0' } });
  t.same(aut.indicators, await quality.indicators({ dataflow: FLOW, area: 'AUT', at: NOW }), "the area's indicators");
  t.equal(find(aut.report!.attributes, 'COMPLETENESS_PCT')?.value, rounded((await quality.indicators({ dataflow: FLOW, at: NOW })).completeness.seriesFill), "the report keeps the dataflow's figures");
  t.same(aut.versions, {
    report: [
      { version: '1.0.0', release: 'Q-R1', validFrom: T1 },
      { version: '1.1.0', release: 'Q-R3', validFrom: T3 },
    ],
    countryNote: [{ version: '1.0.0', release: 'Q-R1', validFrom: T1 }],
  });
  t.same(aut.report!.sources, [
    {
      title: 'UNODC, Global Study on Homicide 2019, data tables',
      url: 'https://www.unodc.org/unodc/en/data-and-analysis/global-study-on-homicide.html',
      licence: 'reproduction with acknowledgement of the source',
    },
  ]);

  const bel = await service.report(FLOW, 'BEL');
  t.equal(bel.countryNote, null, 'an area without a note');
  t.equal(bel.report?.version, '1.1.0');
  t.equal(bel.indicators.area, 'BEL');

  const early = await service.report(FLOW, undefined, shifted(T1, -1));
  t.match(early, { area: null, report: null, countryNote: null, versions: { report: [], countryNote: [] } }, 'before any release: no report');

  await t.rejects(service.report('DF_NOPE'), { name: 'ServiceError', kind: 'not-found', code: 'unknown-dataflow' });
  await t.rejects(service.report(FLOW, 'XXX'), { name: 'ServiceError', kind: 'invalid-input' });
});

t.test('withComputed: false gives the sets as authored, without asking for a single indicator', async (t) => {
  const f = fixture();
  t.teardown(f.close);
  const { dir } = metadataFolder(t);
  synchroniseMetadataFiles({ dir, registry, repositories: f.repositories, now: NOW });
  let asked = 0;
  const counting = { indicators: (scope: Parameters<typeof f.quality.indicators>[0]) => (asked++, f.quality.indicators(scope)) };
  const service = new MetadataService({ repositories: f.repositories, structures: { registry }, quality: counting, clock: fixedClock(NOW) });
  const plain = await service.sets({ version: 'all', withComputed: false });
  t.equal(asked, 0, 'no quality indicator computed');
  t.ok(plain.length > 0);
  t.equal(find(plain[0]!.attributes, 'PUNCTUALITY'), undefined, 'no computed concept');
  const full = await service.sets({ version: 'all' });
  t.ok(asked > 0, 'the default fills them');
  t.same(full.map((s) => [s.id, s.version]), plain.map((s) => [s.id, s.version]), 'the same sets');
});
