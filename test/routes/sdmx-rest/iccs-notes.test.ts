/**
 * The ICCS's notes as the structure API serves them: `CL_ICCS` on both APIs, in SDMX-ML 2.1 and
 * 3.0 and SDMX-JSON 1.0 and 2.0, validates against the official schemas, and every one of its
 * 320 codes carries exactly the description, inclusions and exclusions of
 * sdmx/sources/iccs/iccs-notes.json (read here with JSON.parse alone), with the page they are
 * quoted from; the codelist cites the document. The notes are English: asked in Spanish, the
 * names are Spanish and the notes stay English, said so by their language tags.
 */
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { testApp } from '../../helpers/app.js';
import { validateJson, validateXml21, validateXml30 } from '../../helpers/validate.js';
import { JSON_SCHEMA, REPO_ROOT } from '../../helpers/shared.js';
import { readStructureMl21 } from '../../../src/sdmx/ml21/structure-reader.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import type { Codelist } from '../../../src/sdmx/model.js';

const app = await testApp();
t.teardown(() => app.close());
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });

interface NotesCategory {
  code: string;
  page: number;
  description: string | null;
  inclusions: string[];
  exclusions: { text: string }[];
}
const NOTES = JSON.parse(readFileSync(path.join(REPO_ROOT, 'sdmx/sources/iccs/iccs-notes.json'), 'utf8')) as {
  source: { citation: string };
  categories: NotesCategory[];
};

/** What a served code says, whatever the format: texts by language, annotations by type. */
interface Served {
  id: string;
  descriptions: Record<string, string> | undefined;
  annotations: { type?: string; title?: string; texts?: Record<string, string> }[];
}

/** The notes file's entry as the served code must carry it. */
function expected(n: NotesCategory): Omit<Served, 'id'> {
  const has = n.description !== null || n.inclusions.length > 0 || n.exclusions.length > 0;
  return {
    descriptions: n.description === null ? undefined : { en: n.description },
    annotations: [
      ...(n.inclusions.length ? [{ type: 'ICCS_INCLUSIONS', texts: { en: n.inclusions.join('; ') } }] : []),
      ...(n.exclusions.length ? [{ type: 'ICCS_EXCLUSIONS', texts: { en: n.exclusions.map((e) => e.text).join('; ') } }] : []),
      ...(has ? [{ type: 'ICCS_SOURCE', title: `ICCS v1.0 (UNODC 2015), Table I, p. ${n.page - 2}` }] : []),
    ],
  };
}

function assertNotes(t: Test, codes: Served[], how: string) {
  t.equal(codes.length, 320, `${how}: 320 codes`);
  t.same(
    codes.map((c) => c.id),
    NOTES.categories.map((n) => n.code),
    `${how}: the codes of the notes, in order`,
  );
  let differ = 0;
  for (const [i, n] of NOTES.categories.entries()) {
    const c = codes[i];
    const got = { descriptions: c.descriptions, annotations: c.annotations.filter((a) => a.type !== 'ICCS_LEVEL') };
    // One assertion per code that differs, none per code that agrees: the log stays readable.
    if (JSON.stringify(got) !== JSON.stringify(expected(n))) {
      differ++;
      t.same(got, expected(n), `${how}: ${n.code}`);
    }
  }
  t.equal(differ, 0, `${how}: every code carries exactly its description, inclusions, exclusions and page`);
}

const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** SDMX-ML 2.1, read by the product's reader (the structure files are read by it at start-up too). */
function fromMl21(body: string): { codes: Served[]; codelist: Codelist } {
  const [cl] = readStructureMl21(body) as Codelist[];
  return {
    codelist: cl,
    codes: cl.items.map((c) => ({
      id: c.id,
      descriptions: c.description,
      annotations: (c.annotations ?? []).map((a) => clean({ type: a.type, title: a.title, texts: a.text })),
    })),
  };
}

/** SDMX-ML 3.0, read with a plain XML parser. */
function fromMl30(body: string): Served[] {
  const xml = new XMLParser({
    ignoreAttributes: false,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => ['Code', 'Name', 'Description', 'Annotation', 'AnnotationText'].includes(name),
  });
  const texts = (list: any[] | undefined) =>
    list ? Object.fromEntries(list.map((x) => [x['@_lang'] ?? x['@_xml:lang'] ?? 'en', typeof x === 'string' ? x : x['#text']])) : undefined;
  const codes = xml.parse(body).Structure.Structures.Codelists.Codelist.Code as any[];
  return codes.map((c) => ({
    id: c['@_id'],
    descriptions: texts(c.Description),
    annotations: ((c.Annotations?.Annotation ?? []) as any[]).map((a) => clean({ type: a.AnnotationType, title: a.AnnotationTitle, texts: texts(a.AnnotationText) })),
  }));
}

/** SDMX-JSON 1.0 and 2.0 (the same shape for codes). */
function fromJson(body: string): Served[] {
  return (JSON.parse(body).data.codelists[0].codes as any[]).map((c) => ({
    id: c.id,
    descriptions: c.descriptions,
    annotations: ((c.annotations ?? []) as any[]).map((a) => clean({ type: a.type, title: a.title, texts: a.texts })),
  }));
}

const FORMATS = [
  { accept: MEDIA.structureMl21, name: 'SDMX-ML 2.1', validate: validateXml21, read: (b: string) => fromMl21(b).codes },
  { accept: MEDIA.structureMl30, name: 'SDMX-ML 3.0', validate: validateXml30, read: fromMl30 },
  { accept: MEDIA.structureJson10, name: 'SDMX-JSON 1.0', validate: (b: string) => validateJson(JSON.parse(b), JSON_SCHEMA.structure10), read: fromJson },
  { accept: MEDIA.structureJson20, name: 'SDMX-JSON 2.0', validate: (b: string) => validateJson(JSON.parse(b), JSON_SCHEMA.structure20), read: fromJson },
] as const;

const URLS = ['/sdmx/2.1/codelist/UNODC/CL_ICCS/1.0', '/sdmx/3.0/structure/codelist/UNODC/CL_ICCS/1.0'];

t.test('CL_ICCS in every format on both APIs: valid, and every code carries its ICCS notes', async (t) => {
  for (const url of URLS) {
    for (const f of FORMATS) {
      const res = await get(url, { accept: f.accept });
      t.equal(res.statusCode, 200, `${url} ${f.name}`);
      t.same(f.validate(res.body), [], `${url} as ${f.name} validates against the official schema`);
      assertNotes(t, f.read(res.body), `${url} ${f.name}`);
    }
  }
});

t.test('the codelist cites the document the notes are quoted from', async (t) => {
  const { codelist } = fromMl21((await get(URLS[0])).body);
  t.same(codelist.annotations, [{ type: 'SOURCE', text: { en: NOTES.source.citation } }]);
  t.ok(codelist.description?.en.includes(`Source: ${NOTES.source.citation}`));
  t.match(codelist.description?.en, /English only/);
  const json = JSON.parse((await get(URLS[1], { accept: MEDIA.structureJson20 })).body).data.codelists[0];
  t.same(json.annotations, [{ type: 'SOURCE', text: NOTES.source.citation, texts: { en: NOTES.source.citation } }]);
});

t.test('asked in Spanish: Spanish names, the notes in English and tagged so', async (t) => {
  for (const accept of [MEDIA.structureJson10, MEDIA.structureJson20]) {
    const res = await get(`${URLS[1]}/0101`, { accept, 'accept-language': 'es' });
    const [code] = JSON.parse(res.body).data.codelists[0].codes;
    t.equal(code.name, 'Homicidio intencional', `${accept}: name in Spanish`);
    t.equal(code.description, 'Unlawful death inflicted upon a person with the intent to cause death or serious injury.', 'description: the English text, the only one');
    t.same(Object.keys(code.descriptions), ['en'], 'tagged English; no Spanish text made up');
    const inclusions = code.annotations.find((a: { type: string }) => a.type === 'ICCS_INCLUSIONS');
    t.same(Object.keys(inclusions.texts), ['en']);
    t.match(inclusions.text, /^Murder; honour killing; .*femicide/);
  }
  const ml30 = await get(`${URLS[1]}/0101`, { accept: MEDIA.structureMl30, 'accept-language': 'es' });
  t.match(ml30.body, /<common:Description xml:lang="en">Unlawful death inflicted upon a person with the intent to cause death or serious injury\.<\/common:Description>/);
  t.notMatch(ml30.body, /<common:AnnotationText xml:lang="es">/, 'no annotation text in Spanish');
});
