/**
 * `GET /api/v1/codelists` and `GET /api/v1/codelists/{id}`: the ICCS with its 320 codes, four
 * named levels and parents, in English and Spanish, and each category's description, inclusions
 * and exclusions exactly as sdmx/sources/iccs/iccs-notes.json has them (English whatever the
 * language asked); a subtree with `code` and `descendants`; the tree view; ambiguous ids;
 * validators; bad input as 4xx problems. Every answer is checked against the route's declared
 * response schema.
 */
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../helpers/shared.js';
import { CODELIST_LIST_RESPONSE, CODELIST_RESPONSE } from '../../../src/routes/api/codelists.js';
import { testApp } from '../../helpers/app.js';
import { assertProblem, schemaErrors } from '../../helpers/json-api-demo.js';

const app = await testApp();
t.teardown(() => app.close());

interface Code {
  id: string;
  name: string;
  names: Record<string, string>;
  description: string | null;
  inclusions: string[];
  exclusions: string[];
  notesLang: string | null;
  notesSource: string | null;
  parent: string | null;
  level: number;
  levelName: string | null;
  childCount?: number;
  children?: Code[];
}
interface Answer {
  lang: string;
  codelist: {
    id: string;
    agency: string;
    description: string | null;
    source: string | null;
    codeCount: number;
    hierarchical: boolean;
    levels: { level: number; name: string }[];
    links: Record<string, string>;
  };
  query: { code: string[] | null; descendants: boolean; view: string };
  codes?: Code[];
  tree?: Code[];
}

async function codes(t: Test, query: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await app.inject({ url: `/api/v1/codelists/${query}`, headers });
  t.equal(res.statusCode, 200, res.body.slice(0, 200));
  const body = JSON.parse(res.body);
  t.equal(schemaErrors(CODELIST_RESPONSE, body), null, `${query}: valid against the declared schema`);
  return body;
}

t.test('the ICCS: 320 codes, four named levels, parents, English and Spanish', async (t) => {
  const iccs = await codes(t, 'CL_ICCS');
  t.equal(iccs.codelist.codeCount, 320);
  t.equal(iccs.codes!.length, 320);
  t.same(iccs.codelist.levels.map((l) => l.name), ['Section', 'Division', 'Group', 'Class']);
  const count = (level: number) => iccs.codes!.filter((c) => c.level === level).length;
  t.same([count(1), count(2), count(3), count(4)], [11, 63, 148, 98], '11 sections, 63 divisions, 148 groups, 98 classes');
  const homicide = iccs.codes!.find((c) => c.id === '0101')!;
  t.same([homicide.name, homicide.names.es, homicide.parent, homicide.level, homicide.levelName], ['Intentional homicide', 'Homicidio intencional', '01', 2, 'Division']);
  const byId = new Map(iccs.codes!.map((c) => [c.id, c]));
  t.ok(iccs.codes!.every((c) => (c.parent === null ? c.level === 1 : byId.get(c.parent)!.level === c.level - 1)), 'every level is its parent’s plus one');
  t.ok(iccs.codes!.every((c) => c.childCount === iccs.codes!.filter((x) => x.parent === c.id).length), 'childCount counts the children');
  t.equal(iccs.codelist.links.sdmx, '/sdmx/2.1/codelist/UNODC/CL_ICCS/1.0');
  t.equal((await app.inject({ url: iccs.codelist.links.sdmx })).statusCode, 200);

  const es = await codes(t, 'CL_ICCS?lang=es');
  t.equal(es.codes!.find((c) => c.id === '0101')!.name, 'Homicidio intencional');
  t.same(es.codelist.levels.map((l) => l.name), ['Sección', 'División', 'Grupo', 'Clase']);
  t.equal((await codes(t, 'CL_ICCS', { 'accept-language': 'es;q=0.9, en;q=0.5' })).lang, 'es');
});

const NOTES = JSON.parse(readFileSync(path.join(REPO_ROOT, 'sdmx/sources/iccs/iccs-notes.json'), 'utf8')) as {
  source: { citation: string };
  categories: { code: string; page: number; description: string | null; inclusions: string[]; exclusions: { text: string }[] }[];
};

t.test('the ICCS notes: every code with exactly its description, inclusions and exclusions, in English in both languages', async (t) => {
  for (const lang of ['en', 'es']) {
    const answer = await codes(t, `CL_ICCS?lang=${lang}`);
    t.equal(answer.codelist.source, NOTES.source.citation, `${lang}: the codelist cites the ICCS`);
    const got = answer.codes!.map((c) => ({ code: c.id, description: c.description, inclusions: c.inclusions, exclusions: c.exclusions, notesLang: c.notesLang, notesSource: c.notesSource }));
    const expected = NOTES.categories.map((n) => {
      const has = n.description !== null || n.inclusions.length > 0 || n.exclusions.length > 0;
      return {
        code: n.code,
        description: n.description,
        inclusions: n.inclusions,
        exclusions: n.exclusions.map((e) => e.text),
        notesLang: has ? 'en' : null,
        notesSource: has ? `ICCS v1.0 (UNODC 2015), Table I, p. ${n.page - 2}` : null,
      };
    });
    t.same(got, expected, `lang=${lang}: all 320 codes, code by code`);
  }
  const es = (await codes(t, 'CL_ICCS?code=0101&lang=es')).codes![0];
  t.equal(es.name, 'Homicidio intencional', 'the label in Spanish');
  t.equal(es.description, 'Unlawful death inflicted upon a person with the intent to cause death or serious injury.', 'the notes stay English');
  t.equal(es.notesLang, 'en', 'and say so');
  t.ok(es.inclusions.includes('femicide'), '0101 includes femicide');
  t.ok(es.exclusions.includes('attempted intentional homicide (0102)'), '0101 excludes attempted homicide (0102)');
  t.equal(es.notesSource, 'ICCS v1.0 (UNODC 2015), Table I, p. 33');
  const section = (await codes(t, 'CL_ICCS?code=01')).codes![0];
  t.same([section.description, section.inclusions, section.exclusions, section.notesLang, section.notesSource], [null, [], [], null, null], 'a section: the ICCS gives no notes');
  const tree = await codes(t, 'CL_ICCS?code=0103*&view=tree&lang=es');
  t.same([tree.tree![0].id, tree.tree![0].notesLang, tree.tree![0].children![0].id, tree.tree![0].children![0].notesLang], ['0103', 'en', '01031', 'en'], 'the tree view carries them too');
  t.equal(tree.tree![0].children![0].description, NOTES.categories.find((n) => n.code === '01031')!.description);
  const sex = await codes(t, 'CL_SEX?agency=UNODC');
  t.ok(sex.codes!.every((c) => c.inclusions.length === 0 && c.exclusions.length === 0 && c.notesSource === null), 'other codelists: empty lists');
  t.equal(sex.codelist.source, null, 'and no source unless the structures give one');
  const offence = (await codes(t, 'CL_OFFENCE?code=0101')).codes![0];
  t.same([offence.description, offence.inclusions], [null, []], 'CL_OFFENCE: the ICCS codes without the notes (they are CL_ICCS\'s)');
});

t.test('a subtree: code and descendants, flat or nested', async (t) => {
  const all = (await codes(t, 'CL_ICCS')).codes!;
  const under = (id: string): string[] => [id, ...all.filter((c) => c.parent === id).flatMap((c) => under(c.id))];
  const expected = under('02');
  t.ok(expected.length > 20);
  const flat = await codes(t, 'CL_ICCS?code=02&descendants=true');
  t.same(new Set(flat.codes!.map((c) => c.id)), new Set(expected), 'section 02 and everything under it');
  t.same(flat.query, { code: ['02'], descendants: true, view: 'flat' });
  const only = await codes(t, 'CL_ICCS?code=0101,02');
  t.same(only.codes!.map((c) => c.id), ['0101', '02'], 'without descendants: the codes asked for, in codelist order');
  const tree = await codes(t, 'CL_ICCS?code=02&descendants=true&view=tree');
  t.equal(tree.tree!.length, 1, 'one root: 02');
  const flatten = (nodes: Code[], parent: Code | undefined): string[] =>
    nodes.flatMap((n) => {
      if (parent) t.equal(n.parent, parent.id, `${n.id} nested under its parent`);
      return [n.id, ...flatten(n.children!, n)];
    });
  t.same(new Set(flatten(tree.tree!, undefined)), new Set(expected), 'the same codes, nested');
  const whole = await codes(t, 'CL_ICCS?view=tree');
  t.equal(whole.tree!.length, 11, 'the whole ICCS: the 11 sections at the top');
  const offence = await codes(t, 'CL_OFFENCE?code=_T,0101');
  t.same(offence.codes!.map((c) => [c.id, c.levelName]), [['_T', null], ['0101', 'Division']], 'CL_OFFENCE: ICCS level names for ICCS codes only');
});

t.test('every codelist, and ids several agencies use', async (t) => {
  const res = await app.inject({ url: '/api/v1/codelists' });
  t.equal(res.statusCode, 200);
  const body = JSON.parse(res.body);
  t.equal(schemaErrors(CODELIST_LIST_RESPONSE, body), null, 'valid against the declared schema');
  t.ok(body.codelists.some((c: { id: string; links: { self: string } }) => c.id === 'CL_ICCS' && c.links.self === '/api/v1/codelists/CL_ICCS'));
  const sex = body.codelists.find((c: { id: string; agency: string }) => c.id === 'CL_SEX' && c.agency === 'UNODC');
  t.equal(sex.links.self, `/api/v1/codelists/${encodeURIComponent('UNODC:CL_SEX(1.0)')}`, 'an id two agencies use links exactly');
  t.equal((await app.inject({ url: sex.links.self })).statusCode, 200);
  const ambiguous = assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_SEX' }), 400, 'id', 'an id two agencies use');
  t.same(ambiguous.allowed, ['IAEG-SDGs:CL_SEX(1.1)', 'UNODC:CL_SEX(1.0)'], 'the exact references to choose from');
  const unodc = await codes(t, 'CL_SEX?agency=UNODC&lang=es');
  t.equal(unodc.codelist.agency, 'UNODC', 'agency= chooses one');
  t.ok(unodc.codes!.some((c) => c.id === 'F' && c.name === 'Mujeres'));
});

t.test('validators and bad input', async (t) => {
  const first = await app.inject({ url: '/api/v1/codelists/CL_ICCS' });
  t.match(first.headers.etag, /^W\/"/);
  t.ok(first.headers['last-modified']);
  t.equal((await app.inject({ url: '/api/v1/codelists/CL_ICCS', headers: { 'if-none-match': String(first.headers.etag) } })).statusCode, 304);
  t.not((await app.inject({ url: '/api/v1/codelists/CL_ICCS?lang=es' })).headers.etag, first.headers.etag, 'another language, another ETag');
  assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_NOPE' }), 404, undefined, 'an unknown codelist');
  const code = assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_ICCS?code=9999' }), 400, 'code', 'an unknown code');
  t.match(code.detail, /9999/);
  const sexCodes = ((await app.inject({ url: '/api/v1/codelists/UNODC:CL_SEX(1.0)' })).json() as Answer).codes!.map((c) => c.id);
  const short = assertProblem(t, await app.inject({ url: '/api/v1/codelists/UNODC:CL_SEX(1.0)?code=X' }), 400, 'code', 'an unknown code of a short list');
  t.same(short.allowed, sexCodes, 'a short list names its codes');
  assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_ICCS?code=01,,02' }), 400, 'code', 'an empty code');
  assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_ICCS?view=graph' }), 400, 'view', 'an unknown view');
  assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_ICCS?descendants=1' }), 400, 'descendants', 'descendants not a boolean');
  assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_ICCS?lang=fr' }), 400, 'lang', 'a language we do not have');
  assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_ICCS?depth=2' }), 400, 'depth', 'an unknown parameter');
  t.equal((await app.inject({ url: '/api/v1/codelists/CL_ICCS?version=latest' })).statusCode, 200, 'version=latest');
  assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_ICCS?version=9.9' }), 404, undefined, 'an unknown version');
});

t.test('code=02* is 02 and its subtree, as on the observations; repeated code adds up; did-you-mean', async (t) => {
  const star = await codes(t, 'CL_ICCS?code=02*');
  const flag = await codes(t, 'CL_ICCS?code=02&descendants=true');
  t.same(star.codes!.map((c) => c.id), flag.codes!.map((c) => c.id), 'code=02* = code=02&descendants=true');
  t.ok(star.codes!.length > 20);
  const mixed = await codes(t, 'CL_ICCS?code=0101,02*');
  t.same(mixed.codes!.map((c) => c.id), ['0101', ...flag.codes!.map((c) => c.id)], 'a * on one code only');
  const tree = await codes(t, 'CL_ICCS?code=02*&view=tree');
  t.equal(tree.tree!.length, 1, 'as a tree: one root');
  const repeated = await codes(t, 'CL_ICCS?code=0101&code=02');
  t.same(repeated.codes!.map((c) => c.id), ['0101', '02'], 'code given twice: both');
  t.same((await codes(t, 'CL_ICCS?code%5B%5D=0101&code%5B%5D=02')).codes!.map((c) => c.id), ['0101', '02'], 'code[] too');
  const two = assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_ICCS?code=2' }), 400, 'code', 'code=2');
  t.match(two.detail, /Did you mean 02 \(Acts causing harm/, String(two.detail));
  t.same(two.suggestions, ['02']);
  const lower = assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_AREA?agency=UNODC&code=mex' }), 400, 'code', 'code=mex');
  t.match(lower.detail, /Did you mean MEX \(Mexico\)/);
  const label = assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_AREA?agency=UNODC&code=Guatemala&lang=es' }), 400, 'code', 'a label');
  t.match(label.detail, /Did you mean GTM \(Guatemala\)/);
  assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_ICCS?code=99*' }), 400, 'code', 'an unknown code with *');
  assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_ICCS?code=*' }), 400, 'code', 'a * alone');
});

t.test('parameters read for people; Content-Language and Vary on every answer', async (t) => {
  const foo = assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_ICCS?foo=1' }), 400, 'foo', 'an unknown parameter');
  t.match(foo.detail, /^Unknown parameter foo: Accepted are agency, version, lang, descendants, view, code/);
  t.notMatch(foo.detail, /must NOT/, 'no validator jargon');
  const view = assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_ICCS?view=tree&view=flat' }), 400, 'view', 'view twice');
  t.match(view.detail, /"tree" and "flat"/);
  const bad = assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_ICCS?view=graph' }), 400, 'view');
  t.same(bad.allowed, ['flat', 'tree']);
  const near = assertProblem(t, await app.inject({ url: '/api/v1/codelists/CL_ICCS?decendants=true' }), 400, 'decendants');
  t.match(near.detail, /Did you mean descendants\?/);
  for (const [url, headers, lang] of [
    ['/api/v1/codelists', {}, 'en'],
    ['/api/v1/codelists?lang=es', {}, 'es'],
    ['/api/v1/codelists/CL_ICCS', {}, 'en'],
    ['/api/v1/codelists/CL_ICCS', { 'accept-language': 'es' }, 'es'],
    ['/api/v1/codelists/CL_ICCS?code=0101&lang=es', {}, 'es'],
  ] as const) {
    const res = await app.inject({ url, headers });
    t.equal(res.statusCode, 200);
    t.equal(res.headers['content-language'], lang, `${url} ${JSON.stringify(headers)}: Content-Language ${lang}`);
    t.match(res.headers.vary, /accept-language/, `${url}: Vary: Accept-Language (name follows it)`);
  }
});
