/**
 * `GET /api/v1/dataflows/{id}/metadata` on the real demo (structures, metadata/ files, data) at an
 * injected instant: the report and a country note as sections named from the MSD's concepts, in
 * English and Spanish; an area without a note; the embargo of a new version (DF_CTS_OFFENCES
 * 1.1.0 belongs to the held-back release UNCTS-2024-CORRUPTION) at its instant ± 1 ms, with
 * asOf and release reproducing earlier states; ETag, 304 and Cache-Control; problems for bad
 * input; the link from the dataflow answers. Every 200 is checked against the route's schema.
 */
import t, { type Test } from 'tap';
import { DATAFLOW_METADATA_RESPONSE } from '../../../../src/routes/api/schemas/dataflow-metadata.js';
import { DATAFLOW_DETAIL_RESPONSE, DATAFLOW_LIST_RESPONSE } from '../../../../src/routes/api/dataflows.js';
import { assertProblem, demoApp, HELD_BACK, HELD_BACK_AT, LOADED_AT, schemaErrors, shifted } from '../../../helpers/json-api-demo.js';

const { app, clock } = await demoApp();
t.teardown(() => app.close());

interface Section {
  id: string;
  sims: string | null;
  name: string;
  text?: string;
  value?: string;
  valueLabel?: string;
  computed: boolean;
  headline: boolean;
  sections: Section[];
}
interface MetadataSetJson {
  set: string;
  version: string;
  release: string | null;
  validFrom: string | null;
  name: string;
  sources: { title: string }[];
  sections: Section[];
  links: { sdmx30: string; sdmx21: string };
}
interface Answer {
  dataflow: { id: string; agency: string; version: string; name: string | null };
  area: { id: string; name: string | null } | null;
  asOf: string;
  lang: string;
  report: MetadataSetJson | null;
  countryNote: MetadataSetJson | null;
  indicators: { dataflow: string; area: string | null; at: string };
  versions: { report: { version: string; release: string | null; validFrom: string }[]; countryNote: { version: string }[] };
  links: Record<string, string | null>;
}

const URL = (id: string, query = '') => `/api/v1/dataflows/${id}/metadata${query ? `?${query}` : ''}`;

async function get(t: Test, url: string, headers: Record<string, string> = {}): Promise<{ body: Answer; headers: Record<string, unknown> }> {
  const res = await app.inject({ url, headers });
  t.equal(res.statusCode, 200, `${url}: 200 (${res.body.slice(0, 300)})`);
  t.match(res.headers['content-type'], /^application\/json/);
  const body = res.json() as Answer;
  t.equal(schemaErrors(DATAFLOW_METADATA_RESPONSE, body), null, `${url}: valid against the route's schema`);
  return { body, headers: res.headers };
}

function find(sections: readonly Section[], id: string): Section | undefined {
  for (const s of sections) {
    if (s.id === id) return s;
    const inner = find(s.sections, id);
    if (inner) return inner;
  }
  return undefined;
}

t.test('the report in English: sections named from the MSD concepts, SIMS codes, coded values with labels, computed and headline marks', async (t) => {
  const { body, headers } = await get(t, URL('DF_CTS_HOMICIDE'));
  t.same(body.dataflow, { id: 'DF_CTS_HOMICIDE', agency: 'UNODC', version: '1.0', name: 'Victims of intentional homicide' });
  t.equal(body.area, null);
  t.equal(body.countryNote, null, 'no area, no country note');
  t.equal(body.asOf, LOADED_AT);
  t.equal(body.lang, 'en');
  t.equal(headers['content-language'], 'en');
  const report = body.report!;
  t.match(report, { set: 'MS_DF_CTS_HOMICIDE', version: '1.0.0', release: 'GSH-2019', validFrom: '2018-10-14T00:00:00.000Z' });
  t.ok(report.sources.length > 0, 'its sources');
  const compar = find(report.sections, 'COMPAR_TIME')!;
  t.match(compar, { sims: 'S.15.2', name: 'Comparability – over time', headline: true, computed: false });
  t.match(find(compar.sections, 'SERIES_BREAKS'), { name: 'Breaks in series', headline: true, text: /Kazakhstan, Philippines, Sri Lanka/ }, 'breaks nested under comparability over time');
  t.same(find(report.sections, 'CNT_UNIT'), { id: 'CNT_UNIT', sims: null, name: 'Counting unit', value: 'VICTIM', valueLabel: 'Victim', computed: false, headline: true, sections: [] }, 'a coded value, its label, no SIMS code (our extension)');
  t.match(find(report.sections, 'STAT_PROCESS'), { sims: 'S.18', name: 'Statistical processing', headline: false }, 'a grouping section');
  t.notOk('text' in find(report.sections, 'STAT_PROCESS')! || 'value' in find(report.sections, 'STAT_PROCESS')!, 'which carries nothing of its own');
  t.match(find(report.sections, 'PUNCTUALITY'), { computed: true, text: /on time/ }, 'a computed concept, filled');
  t.match(find(report.sections, 'META_LAST_UPDATE'), { computed: true, value: '2018-10-14T00:00:00.000Z' });
  t.equal(body.indicators.dataflow, 'UNODC:DF_CTS_HOMICIDE(1.0)');
  t.equal(body.indicators.area, null, 'the dataflow’s indicators');
  t.same(body.versions, { report: [{ version: '1.0.0', release: 'GSH-2019', validFrom: '2018-10-14T00:00:00.000Z' }], countryNote: [] });
  t.same(body.links, {
    self: '/api/v1/dataflows/DF_CTS_HOMICIDE/metadata',
    dataflow: '/api/v1/dataflows/DF_CTS_HOMICIDE',
    sdmx30: '/sdmx/3.0/metadata/metadataset/UNODC/MS_DF_CTS_HOMICIDE/1.0.0',
    sdmx21: '/sdmx/2.1/metadata/UNODC,MDF_CRIME_REPORT,1.0/DF_CTS_HOMICIDE',
  });
  t.same(report.links, { sdmx30: '/sdmx/3.0/metadata/metadataset/UNODC/MS_DF_CTS_HOMICIDE/1.0.0', sdmx21: '/sdmx/2.1/metadata/UNODC,MDF_CRIME_REPORT,1.0/DF_CTS_HOMICIDE' });
  for (const link of [body.links.sdmx30!, body.links.sdmx21!]) t.equal((await app.inject({ url: link })).statusCode, 200, `${link} answers`);
  const exact = await get(t, URL('UNODC:DF_CTS_HOMICIDE(1.0)'));
  t.equal(exact.body.report?.set, 'MS_DF_CTS_HOMICIDE', 'AGENCY:ID(VERSION) names the same dataflow');
});

t.test('area=KAZ: the country note with its series break, and the area’s indicators', async (t) => {
  const { body } = await get(t, URL('DF_CTS_HOMICIDE', 'area=KAZ'));
  t.equal(body.links.self, '/api/v1/dataflows/DF_CTS_HOMICIDE/metadata?area=KAZ', 'the self link keeps the area');
  t.same(body.area, { id: 'KAZ', name: 'Kazakhstan' });
  t.equal(body.report?.set, 'MS_DF_CTS_HOMICIDE', 'the dataflow report too');
  const note = body.countryNote!;
  t.match(note, { set: 'MS_DF_CTS_HOMICIDE_KAZ', version: '1.0.0', release: 'GSH-2019', name: 'Victims of intentional homicide: note on Kazakhstan' });
  t.match(find(note.sections, 'SERIES_BREAKS'), { headline: true, name: 'Breaks in series', text: /changes in definitions and\/or counting rules that break the time\s+series/ });
  t.match(find(note.sections, 'COMPLETENESS'), { computed: true, text: /for KAZ/ }, 'computed with the area’s figures');
  t.equal(body.indicators.area, 'KAZ', 'the area’s indicators');
  t.same(body.versions.countryNote.map((v) => v.version), ['1.0.0']);
  t.equal(note.links.sdmx30, '/sdmx/3.0/metadata/metadataset/UNODC/MS_DF_CTS_HOMICIDE_KAZ/1.0.0');
  t.equal(note.links.sdmx21, '/sdmx/2.1/metadata/UNODC,MDF_CRIME_COUNTRY_NOTE,1.0/DF_CTS_HOMICIDE.KAZ');
  for (const link of [note.links.sdmx30, note.links.sdmx21]) t.equal((await app.inject({ url: link })).statusCode, 200, `${link} answers`);
});

t.test('an area without a country note: countryNote null, the report and the area’s indicators', async (t) => {
  const { body } = await get(t, URL('DF_CTS_HOMICIDE', 'area=MEX'));
  t.same(body.area, { id: 'MEX', name: 'Mexico' });
  t.equal(body.countryNote, null);
  t.equal(body.report?.set, 'MS_DF_CTS_HOMICIDE');
  t.equal(body.indicators.area, 'MEX');
  t.same(body.versions.countryNote, []);
});

t.test('Spanish: by lang=es and by Accept-Language, section names and texts in Spanish', async (t) => {
  const { body, headers } = await get(t, URL('DF_CTS_HOMICIDE', 'area=KAZ&lang=es'));
  t.equal(body.lang, 'es');
  t.equal(headers['content-language'], 'es');
  t.equal(body.dataflow.name, 'Víctimas de homicidio intencional');
  t.same(body.area, { id: 'KAZ', name: 'Kazajistán' });
  t.equal(body.countryNote?.name, 'Víctimas de homicidio intencional: nota sobre Kazajistán');
  t.match(find(body.countryNote!.sections, 'SERIES_BREAKS'), { name: 'Rupturas de serie', text: /^El Estado Miembro comunicó cambios de definiciones/ });
  t.match(find(body.report!.sections, 'COMPAR_TIME'), { name: 'Comparabilidad temporal' });
  t.match(find(body.report!.sections, 'CNT_UNIT'), { name: 'Unidad de cómputo', value: 'VICTIM', valueLabel: 'Víctima' });
  t.match(find(body.report!.sections, 'PUNCTUALITY'), { name: 'Puntualidad', text: /puntuales/ }, 'computed sentences in Spanish');
  const byHeader = await get(t, URL('DF_CTS_HOMICIDE', 'area=KAZ'), { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' });
  t.equal(byHeader.body.lang, 'es');
  t.equal(find(byHeader.body.countryNote!.sections, 'SERIES_BREAKS')?.name, 'Rupturas de serie');
});

t.test('refusals: problem+json naming the parameter', async (t) => {
  assertProblem(t, await app.inject({ url: URL('DF_NOPE') }), 404, undefined, 'an unknown dataflow');
  const unknown = JSON.parse((await app.inject({ url: URL('DF_NOPE') })).body) as { type: string };
  t.match(unknown.type, /unknown-dataflow$/);
  assertProblem(t, await app.inject({ url: URL('DF_CTS_HOMICIDE', 'area=ATLANTIS') }), 400, 'area', 'an area not in CL_AREA');
  assertProblem(t, await app.inject({ url: URL('DF_CTS_HOMICIDE', 'area=') }), 400, 'area', 'an empty area');
  assertProblem(t, await app.inject({ url: URL('DF_CTS_HOMICIDE', 'lang=fr') }), 400, 'lang', 'a language we do not hold');
  assertProblem(t, await app.inject({ url: URL('DF_CTS_HOMICIDE', 'asOf=yesterday') }), 400, 'asOf', 'a bad asOf');
  assertProblem(t, await app.inject({ url: URL('DF_CTS_HOMICIDE', `asOf=${shifted(LOADED_AT, 1000)}`) }), 400, 'asOf', 'an asOf in the future');
  assertProblem(t, await app.inject({ url: URL('DF_CTS_HOMICIDE', 'asOf=2020-01-01&release=GSH-2019') }), 400, 'release', 'asOf with release');
  assertProblem(t, await app.inject({ url: URL('DF_CTS_HOMICIDE', 'release=NOPE-2024') }), 404, 'release', 'an unknown release');
  assertProblem(t, await app.inject({ url: URL('DF_CTS_HOMICIDE', 'release=UNCTS-2024') }), 400, 'release', 'a release of other dataflows');
  assertProblem(t, await app.inject({ url: URL('DF_CTS_HOMICIDE', 'format=xml') }), 400, 'format', 'a parameter the route does not take');
  assertProblem(t, await app.inject({ url: URL('DF_CTS_HOMICIDE', 'lang=en&lang=es') }), 400, 'lang', 'lang twice');
});

t.test('embargo: DF_CTS_OFFENCES 1.1.0 is public from its release’s instant on, not a millisecond earlier', async (t) => {
  t.teardown(() => clock.set(LOADED_AT));
  t.equal(HELD_BACK.code, 'UNCTS-2024-CORRUPTION');

  clock.set(shifted(HELD_BACK_AT, -60_000));
  const minute = await get(t, URL('DF_CTS_OFFENCES'));
  t.equal(minute.body.report?.version, '1.0.0');
  const maxAge = Number(/max-age=(\d+)/.exec(String(minute.headers['cache-control']))?.[1]);
  t.ok(maxAge > 0 && maxAge <= 60, `Cache-Control ends at the release instant (${String(minute.headers['cache-control'])})`);
  assertProblem(t, await app.inject({ url: URL('DF_CTS_OFFENCES', `release=${HELD_BACK.code}`) }), 404, 'release', 'the embargoed release is as unknown as any');

  clock.set(shifted(HELD_BACK_AT, -1));
  const before = await get(t, URL('DF_CTS_OFFENCES'));
  t.equal(before.body.report?.version, '1.0.0', 'at the instant − 1 ms: 1.0.0');
  t.same(before.body.versions.report.map((v) => v.version), ['1.0.0'], '1.1.0 not even listed');
  t.equal(before.headers['cache-control'], 'no-cache', 'nothing may be kept past the instant');
  const etag = String(before.headers.etag);
  const again = await app.inject({ url: URL('DF_CTS_OFFENCES'), headers: { 'if-none-match': etag } });
  t.equal(again.statusCode, 304, '304 for the current copy');
  t.equal(again.headers.etag, etag);

  clock.set(HELD_BACK_AT);
  const after = await get(t, URL('DF_CTS_OFFENCES'));
  t.match(after.body.report, { version: '1.1.0', release: HELD_BACK.code, validFrom: HELD_BACK_AT }, 'at the instant: 1.1.0');
  t.same(after.body.versions.report.map((v) => v.version), ['1.0.0', '1.1.0'], 'the earlier version is still listed');
  t.equal(after.body.links.sdmx30, '/sdmx/3.0/metadata/metadataset/UNODC/MS_DF_CTS_OFFENCES/1.1.0');
  t.not(after.headers.etag, etag, 'a new ETag');
  const stale = await app.inject({ url: URL('DF_CTS_OFFENCES'), headers: { 'if-none-match': etag } });
  t.equal(stale.statusCode, 200, 'the old copy is not current any more');

  // Reproducible: the state just before, and right after each release.
  const pinned = await get(t, URL('DF_CTS_OFFENCES', `asOf=${shifted(HELD_BACK_AT, -1)}`));
  t.equal(pinned.body.report?.version, '1.0.0', 'asOf = instant − 1 ms: 1.0.0');
  t.equal(pinned.body.asOf, shifted(HELD_BACK_AT, -1));
  t.equal((await get(t, URL('DF_CTS_OFFENCES', `asOf=${HELD_BACK_AT}`))).body.report?.version, '1.1.0', 'asOf = instant: 1.1.0');
  const byRelease = await get(t, URL('DF_CTS_OFFENCES', `release=${HELD_BACK.code}`));
  t.equal(byRelease.body.report?.version, '1.1.0', 'release=UNCTS-2024-CORRUPTION: 1.1.0');
  t.equal(byRelease.body.asOf, HELD_BACK_AT);
  t.equal((await get(t, URL('DF_CTS_OFFENCES', 'release=UNCTS-2024'))).body.report?.version, '1.0.0', 'release=UNCTS-2024: 1.0.0');
  t.equal((await get(t, URL('DF_CTS_OFFENCES', 'asOf=2024-07-01'))).body.report, null, 'before the first release: no report');
  const pinnedAgain = await app.inject({ url: URL('DF_CTS_OFFENCES', `asOf=${shifted(HELD_BACK_AT, -1)}`), headers: { 'if-none-match': String(pinned.headers.etag) } });
  t.equal(pinnedAgain.statusCode, 304, 'a pinned answer revalidates');
});

t.test('the dataflow answers link the metadata route', async (t) => {
  const detail = await app.inject({ url: '/api/v1/dataflows/DF_CTS_HOMICIDE' });
  t.equal(detail.statusCode, 200);
  const d = detail.json() as { dataflow: { links: Record<string, string> } };
  t.equal(schemaErrors(DATAFLOW_DETAIL_RESPONSE, d), null, 'the detail is valid against its schema');
  t.equal(d.dataflow.links.metadata, '/api/v1/dataflows/DF_CTS_HOMICIDE/metadata');
  t.equal((await app.inject({ url: d.dataflow.links.metadata })).statusCode, 200, 'and the link works');
  const list = (await app.inject({ url: '/api/v1/dataflows' })).json() as { dataflows: { id: string; links: Record<string, string> }[] };
  t.equal(schemaErrors(DATAFLOW_LIST_RESPONSE, list), null, 'the list is valid against its schema');
  t.ok(list.dataflows.length >= 10);
  for (const f of list.dataflows) t.equal(f.links.metadata, `/api/v1/dataflows/${f.id}/metadata`, `${f.id}: links its metadata`);
});
