/**
 * The reference metadata in downloads (docs/reference-metadata-design.md §3.8), on the real demo:
 * the XLSX notes sheet holds the headline notes of the dataflow's report and of the country
 * notes of the areas in the rows (and only those), in the answer's language, with the versions
 * and links to the metadata route; every format links the metadata route in a
 * `Link: rel="describedby"` header, and the CSV body is unchanged. A new metadata version
 * changes the workbook's ETag.
 */
import t, { type Test } from 'tap';
import ExcelJS from 'exceljs';
import { demoApp, HELD_BACK, HELD_BACK_AT, LOADED_AT, shifted } from '../../../helpers/json-api-demo.js';
import { CSV_BOM } from '../../../../src/formats/observation-writers.js';

const { app, clock } = await demoApp();
t.teardown(() => app.close());

const OBS = (id: string, query: string) => `/api/v1/dataflows/${id}/observations?${query}`;

/** The notes sheet as [item, value] pairs. */
async function notesOf(t: Test, url: string, sheet: string, headers: Record<string, string> = {}): Promise<[string, string][]> {
  const res = await app.inject({ url, headers });
  t.equal(res.statusCode, 200, `${url}: 200`);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const notes = workbook.getWorksheet(sheet);
  t.ok(notes, `a sheet ${sheet}`);
  return (notes!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => [String(r[1] ?? ''), String(r[2] ?? '')]);
}

t.test('XLSX: the report’s headline notes and the country note of each area in the rows that has one', async (t) => {
  const pairs = await notesOf(t, OBS('DF_CTS_HOMICIDE', 'REF_AREA=KAZ,MEX&SEX=_T&format=xlsx'), 'Notes', { host: 'stats.example.org' });
  const value = (item: string) => pairs.find(([k]) => k === item)?.[1];
  t.match(
    value('Reference metadata'),
    /^Victims of intentional homicide: methodology and quality report — MS_DF_CTS_HOMICIDE, version 1\.0\.0 \(release GSH-2019\): http:\/\/stats\.example\.org\/api\/v1\/dataflows\/DF_CTS_HOMICIDE\/metadata$/,
    'the report, its version and the metadata route',
  );
  t.match(value('Statistical unit'), /each person killed counts once/);
  t.match(value('Comparability – geographical'), /./);
  t.match(value('Comparability – over time'), /./);
  t.match(value('Breaks in series'), /Kazakhstan, Philippines, Sri Lanka/);
  t.equal(value('Counting unit'), 'Victim', 'a coded concept as its label');
  t.equal(value('Stage at which offences are counted'), 'Unknown');
  t.equal(value('Principal offence rule applied'), 'Unknown');
  t.notOk(value('Data description'), 'not a headline concept');
  t.notOk(value('Punctuality'), 'nor a computed one');
  t.match(value('Country note'), /^Kazakhstan \(KAZ\): Victims of intentional homicide: note on Kazakhstan — MS_DF_CTS_HOMICIDE_KAZ, version 1\.0\.0 \(release GSH-2019\): http:\/\/stats\.example\.org\/api\/v1\/dataflows\/DF_CTS_HOMICIDE\/metadata\?area=KAZ$/);
  t.match(value('Kazakhstan: Breaks in series'), /^The Member State reported changes in definitions/, 'the area’s break');
  t.match(value('Kazakhstan: Comparability – over time'), /before and after the break/);
  t.equal(pairs.filter(([k]) => k === 'Country note').length, 1, 'MEX has no note: one country note only');
  t.notOk(pairs.some(([k]) => /^(Mexico|Belgium|Poland)/.test(k)), 'no note of an area outside the rows');
});

t.test('XLSX in Spanish: the notes in Spanish, the link with lang=es', async (t) => {
  const pairs = await notesOf(t, OBS('DF_CTS_HOMICIDE', 'REF_AREA=KAZ&SEX=_T&format=xlsx&lang=es'), 'Notas');
  const value = (item: string) => pairs.find(([k]) => k === item)?.[1];
  t.match(value('Metadatos de referencia'), /^Víctimas de homicidio intencional: informe metodológico y de calidad — MS_DF_CTS_HOMICIDE, versión 1\.0\.0 \(publicación GSH-2019\): .*\/api\/v1\/dataflows\/DF_CTS_HOMICIDE\/metadata\?lang=es$/);
  t.equal(value('Unidad de cómputo'), 'Víctima');
  t.match(value('Nota de país'), /^Kazajistán \(KAZ\): .*\?area=KAZ&lang=es$/);
  t.match(value('Kazajistán: Rupturas de serie'), /^El Estado Miembro comunicó/);
  t.notOk(pairs.some(([k]) => /^(Reference metadata|Country note|Breaks in series|Counting unit)$/.test(k)), 'no English item');
});

t.test('XLSX of a dataflow without country notes: the report’s notes alone', async (t) => {
  const pairs = await notesOf(t, OBS('DF_CTS_OFFENCES', 'REF_AREA=AUT&OFFENCE=0101&format=xlsx'), 'Notes');
  t.match(pairs.find(([k]) => k === 'Reference metadata')?.[1], /MS_DF_CTS_OFFENCES, version 1\.0\.0 \(release UNCTS-2024\)/);
  t.equal(pairs.find(([k]) => k === 'Counting unit')?.[1], 'Offence');
  t.notOk(pairs.some(([k]) => k === 'Country note'));
});

t.test('every format links the metadata route (describedby); the CSV body holds no metadata', async (t) => {
  for (const format of ['json', 'csv', 'xlsx']) {
    const res = await app.inject({ url: OBS('DF_CTS_HOMICIDE', `REF_AREA=KAZ&format=${format}`) });
    t.equal(res.statusCode, 200);
    t.match(String(res.headers.link), /<http:\/\/[^/>]+\/api\/v1\/dataflows\/DF_CTS_HOMICIDE\/metadata>; rel="describedby"/, `${format}: Link rel=describedby`);
    t.match(String(res.headers.link), /rel="cite-as"/, `${format}: the permalink is still linked`);
  }
  const csv = (await app.inject({ url: OBS('DF_CTS_HOMICIDE', 'REF_AREA=KAZ&SEX=_T&format=csv') })).body;
  const lines = csv.split('\r\n').filter((l) => l !== '');
  t.ok(lines[0]!.startsWith(`${CSV_BOM}FREQ,FREQ_label,REF_AREA,REF_AREA_label`), 'the header row first');
  t.ok(lines.slice(1).every((l) => l.startsWith('A,')), 'then data rows only');
  t.notMatch(csv, /metadata|Breaks in series/i, 'no footnote in the body');
});

t.test('CSV with footnotes=true: the rows, a blank line, then the citation and the headline notes', async (t) => {
  const url = OBS('DF_CTS_HOMICIDE', 'REF_AREA=KAZ&SEX=_T&format=csv&footnotes=true');
  const res = await app.inject({ url });
  t.equal(res.statusCode, 200);
  const [data, notes] = res.body.split('\r\n\r\n');
  t.ok(data!.split('\r\n').slice(1).every((l) => l.startsWith('A,')), 'the data table is unchanged');
  const plain = (await app.inject({ url: OBS('DF_CTS_HOMICIDE', 'REF_AREA=KAZ&SEX=_T&format=csv') })).body;
  t.equal(`${data}\r\n`, plain, 'byte for byte the CSV without footnotes, up to the blank line');
  const rows = notes!.trim().split('\r\n');
  t.equal(rows[0], 'note,text');
  t.match(rows[1], /^Citation,/);
  t.ok(rows.some((r) => r.startsWith('Reference metadata,') && r.includes('MS_DF_CTS_HOMICIDE')), 'the report named');
  t.ok(rows.some((r) => /^Kazakhstan: Breaks in series,/.test(r)), 'the country note of the area in the rows');
  t.notOk(rows.some((r) => r.startsWith('Philippines')), 'no note of an area not in the rows');
  t.not(res.headers.etag, (await app.inject({ url: OBS('DF_CTS_HOMICIDE', 'REF_AREA=KAZ&SEX=_T&format=csv') })).headers.etag, 'its own ETag');
  const es = (await app.inject({ url: `${url}&lang=es` })).body;
  t.match(es, /\r\nKazajistán: Rupturas de serie,/, 'in the answer\'s language');
  const json = await app.inject({ url: OBS('DF_CTS_HOMICIDE', 'REF_AREA=KAZ&footnotes=true') });
  t.equal(json.statusCode, 400, 'JSON has no footnotes: it links the metadata');
  t.match(json.json(), { parameter: 'footnotes', detail: /format=csv/ });
});

t.test('the workbook’s ETag follows the metadata visible at its instant', async (t) => {
  t.teardown(() => clock.set(LOADED_AT));
  const url = OBS('DF_CTS_OFFENCES', `REF_AREA=AUT&OFFENCE=0101&format=xlsx&asOf=${shifted(HELD_BACK_AT, -1)}`);
  clock.set(shifted(HELD_BACK_AT, -1));
  const before = await app.inject({ url });
  clock.set(HELD_BACK_AT);
  const pinned = await app.inject({ url });
  t.equal(pinned.headers.etag, before.headers.etag, 'pinned before the release: the same workbook, the same ETag');
  const now = OBS('DF_CTS_OFFENCES', 'REF_AREA=AUT&OFFENCE=0101&format=xlsx');
  const pairs = await notesOf(t, now, 'Notes');
  t.match(pairs.find(([k]) => k === 'Reference metadata')?.[1], new RegExp(`version 1\\.1\\.0 \\(release ${HELD_BACK.code}\\)`), 'at the instant: 1.1.0');
  t.not((await app.inject({ url: now })).headers.etag, before.headers.etag);
});
