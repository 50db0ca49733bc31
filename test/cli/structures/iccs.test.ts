/**
 * CL_ICCS, HCL_ICCS and CL_OFFENCE against the shared ICCS reference file, parsed here
 * independently of the product's CSV reader; the ICCS's notes in CL_ICCS against
 * sdmx/sources/iccs/iccs-notes.json (read here with JSON.parse alone), code by code, and a
 * sample against the document's words.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { Code, Codelist, HierarchicalCode, HierarchicalCodelist } from '../../../src/sdmx/model.js';
import { buildStructures } from '../../../src/cli/structures/index.js';
import { parseIccsCsv } from '../../../src/cli/structures/iccs.js';
import { parseIccsNotes } from '../../../src/cli/structures/iccs-notes.js';
import { notesList } from '../../../src/sdmx/iccs-notes.js';
import { parseCsv, parseCsvRecords } from '../../../src/cli/structures/csv.js';
import { DATA, REPO_ROOT } from '../../helpers/shared.js';

const SHARED_CSV = path.join(DATA.iccs, 'iccs-codelist.csv');

/** A second, deliberately different CSV reader: character loop over one line at a time. */
function independentRows(text: string): { code: string; parent: string; level: string; en: string; es: string }[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n').filter((l) => l !== '');
  const split = (line: string) => {
    const out: string[] = [];
    let cur = '';
    let q = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (q && c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = !q;
      else if (c === ',' && !q) {
        out.push(cur);
        cur = '';
      } else cur += c;
    }
    out.push(cur);
    return out;
  };
  const [header, ...rest] = lines.map(split);
  t.same(header, ['code', 'parent', 'level', 'label_en', 'label_es'], 'shared CSV header');
  return rest.map(([code, parent, level, en, es]) => ({ code, parent, level, en, es }));
}

const expected = independentRows(readFileSync(SHARED_CSV, 'utf8'));
const artefacts = buildStructures();
const codelist = (id: string) => artefacts.find((a) => a.class === 'Codelist' && a.id === id) as Codelist;

t.test('the committed source is a byte-for-byte copy of the shared ICCS file', async (t) => {
  const copy = readFileSync(path.join(REPO_ROOT, 'sdmx/sources/iccs/iccs-codelist.csv'));
  t.ok(copy.equals(readFileSync(SHARED_CSV)));
});

t.test('CL_ICCS equals the shared CSV code by code', async (t) => {
  const cl = codelist('CL_ICCS');
  t.equal(expected.length, 320);
  t.equal(cl.items.length, 320, 'exactly the 320 ICCS codes');
  t.same(
    cl.items.map((c) => c.id),
    expected.map((r) => r.code),
    'same ids in the same order (leading zeros kept)',
  );
  for (const [i, r] of expected.entries()) {
    const c = cl.items[i];
    t.equal(c.parentID ?? '', r.parent, `${r.code} parent`);
    t.equal(c.name.en, r.en, `${r.code} en`);
    t.equal(c.name.es, r.es, `${r.code} es`);
    t.same(c.annotations?.[0], { type: 'ICCS_LEVEL', title: r.level }, `${r.code} level annotation, first`);
  }
  t.ok(cl.items.some((c) => c.name.en.includes(',')), 'labels with commas survive (quoted fields)');
  t.ok(cl.items.some((c) => c.name.en.includes('\u2019')), 'typography kept (U+2019)');
  t.match(cl.description?.en, /ICCS v1\.0 \(UNODC 2015\)/);
});

t.test('four levels with 11/63/148/98 codes', async (t) => {
  const cl = codelist('CL_ICCS');
  const count = (l: string) => cl.items.filter((c) => c.annotations?.[0].title === l).length;
  t.same([count('1'), count('2'), count('3'), count('4')], [11, 63, 148, 98]);
  const depth = (c: Code): number => (c.parentID ? 1 + depth(cl.items.find((p) => p.id === c.parentID)!) : 1);
  for (const c of cl.items) t.equal(String(depth(c)), c.annotations?.[0].title, `${c.id} depth = level`);
});

t.test('HCL_ICCS nests the codes exactly as the parent links', async (t) => {
  const hcl = artefacts.find((a) => a.id === 'HCL_ICCS') as HierarchicalCodelist;
  t.equal(hcl.class, 'HierarchicalCodelist');
  t.same(hcl.includedCodelists, [{ alias: 'ICCS', ref: { class: 'Codelist', agencyID: 'UNODC', id: 'CL_ICCS', version: '1.0' } }]);
  t.equal(hcl.hierarchies.length, 1);
  const h = hcl.hierarchies[0];
  t.equal(h.id, 'ICCS_TREE');
  t.same(
    h.levels?.map((l) => [l.id, l.name.en, l.name.es]),
    [
      ['SECTION', 'Section', 'Sección'],
      ['DIVISION', 'Division', 'División'],
      ['GROUP', 'Group', 'Grupo'],
      ['CLASS', 'Class', 'Clase'],
    ],
  );
  const seen: { code: string; parent: string; level: string }[] = [];
  const walk = (nodes: readonly HierarchicalCode[], parent: string, depth: number) => {
    for (const n of nodes) {
      t.equal(n.id, n.code.id);
      t.equal(n.code.scheme.id, 'CL_ICCS');
      t.equal(n.levelID, h.levels![depth].id, `${n.id} level`);
      seen.push({ code: n.code.id, parent, level: String(depth + 1) });
      walk(n.children, n.code.id, depth + 1);
    }
  };
  walk(h.hierarchicalCodes, '', 0);
  t.same(
    seen,
    expected.map((r) => ({ code: r.code, parent: r.parent, level: r.level })),
    'depth-first walk = CSV rows (code, parent, level)',
  );
});

interface NotesCategory {
  code: string;
  level: number;
  label: string;
  page: number;
  description: string | null;
  inclusions: string[];
  exclusions: { text: string; codes: string[] }[];
}
const NOTES_TEXT = readFileSync(path.join(REPO_ROOT, 'sdmx/sources/iccs/iccs-notes.json'), 'utf8');
const NOTES = JSON.parse(NOTES_TEXT) as { source: { citation: string; sha256: string }; categories: NotesCategory[] };

t.test('every CL_ICCS code carries exactly the description, inclusions and exclusions of iccs-notes.json', async (t) => {
  const cl = codelist('CL_ICCS');
  t.equal(NOTES.categories.length, 320);
  t.same(
    NOTES.categories.map((c) => c.code),
    cl.items.map((c) => c.id),
    'one entry per code, in the codelist\'s order',
  );
  let described = 0;
  for (const [i, n] of NOTES.categories.entries()) {
    const c = cl.items[i];
    const hasNotes = n.description !== null || n.inclusions.length > 0 || n.exclusions.length > 0;
    if (hasNotes) described++;
    t.same(c.description, n.description === null ? undefined : { en: n.description }, `${n.code} description, English only`);
    const exclusions = n.exclusions.map((e) => e.text);
    const expected = [
      { type: 'ICCS_LEVEL', title: String(n.level) },
      ...(n.inclusions.length ? [{ type: 'ICCS_INCLUSIONS', text: { en: n.inclusions.join('; ') } }] : []),
      ...(exclusions.length ? [{ type: 'ICCS_EXCLUSIONS', text: { en: exclusions.join('; ') } }] : []),
      ...(hasNotes ? [{ type: 'ICCS_SOURCE', title: `ICCS v1.0 (UNODC 2015), Table I, p. ${n.page - 2}` }] : []),
    ];
    t.same(c.annotations, expected, `${n.code} annotations`);
    // What a reader of the annotations gets back: the items, exactly.
    t.same(notesList(c, 'ICCS_INCLUSIONS')?.items ?? [], n.inclusions, `${n.code} inclusions read back`);
    t.same(notesList(c, 'ICCS_EXCLUSIONS')?.items ?? [], exclusions, `${n.code} exclusions read back`);
  }
  t.equal(described, 309, 'every division, group and class; no section');
  t.ok(
    cl.items.filter((c) => c.annotations![0].title === '1').every((c) => c.description === undefined && c.annotations!.length === 1),
    'the 11 sections: no description, the level alone (Table I gives them no notes)',
  );
});

t.test('CL_ICCS notes: a sample in the document\'s own words (ICCS v1.0, Table I)', async (t) => {
  const code = (id: string) => codelist('CL_ICCS').items.find((c) => c.id === id)!;
  const homicide = code('0101');
  t.equal(homicide.description?.en, 'Unlawful death inflicted upon a person with the intent to cause death or serious injury.');
  t.same(Object.keys(homicide.description!), ['en'], 'no Spanish text invented');
  const inclusions = notesList(homicide, 'ICCS_INCLUSIONS')!;
  t.equal(inclusions.lang, 'en');
  t.same(inclusions.items.slice(0, 2), ['Murder', 'honour killing']);
  for (const item of ['femicide', 'infanticide', 'voluntary manslaughter', 'extrajudicial killings']) t.ok(inclusions.items.includes(item), `0101 includes ${item}`);
  const exclusions = notesList(homicide, 'ICCS_EXCLUSIONS')!.items;
  for (const item of ['attempted intentional homicide (0102)', 'justifiable homicide in self-defence', 'euthanasia (0105)', 'illegal feticide (0106)']) {
    t.ok(exclusions.includes(item), `0101 excludes ${item}`);
  }
  t.equal(homicide.annotations!.find((a) => a.type === 'ICCS_SOURCE')!.title, 'ICCS v1.0 (UNODC 2015), Table I, p. 33');

  const burglary = code('0501');
  t.equal(
    burglary.description?.en,
    'Gaining unauthorized access to a part of a building/dwelling or other premises with or without the use of force against the building/dwelling, with intent to commit theft or when actually committing theft.\n- Theft as defined in 0502.',
    'a note under the description on its own line',
  );
  t.same(notesList(burglary, 'ICCS_INCLUSIONS')!.items, [
    'Breaking and entering',
    'unlawful entry with intent to commit theft',
    'access by deception with intent to commit theft',
    'apply all inclusions listed in 05011 - 05019',
  ]);
  t.ok(notesList(burglary, 'ICCS_EXCLUSIONS')!.items.includes('concealment of stolen goods (0704)'));
  t.equal(burglary.annotations!.find((a) => a.type === 'ICCS_SOURCE')!.title, 'ICCS v1.0 (UNODC 2015), Table I, p. 57');

  t.equal(code('11011').description?.en, 'Torture of a person.', 'a group');
  t.same(notesList(code('060111'), 'ICCS_INCLUSIONS')!.items, ['Drug possession', 'drug use'], 'a class');
  // Texts stay as printed; the codes read into them are in the notes file (corrections).
  t.same(notesList(code('1009'), 'ICCS_EXCLUSIONS')!.items, ['Apply all exclusions listed in 1001 - 1008']);
  t.equal(notesList(code('0104'), 'ICCS_EXCLUSIONS'), undefined, 'no exclusions printed: no annotation');
});

t.test('CL_ICCS cites the document the notes are quoted from, and says they are English only', async (t) => {
  const cl = codelist('CL_ICCS');
  t.equal(NOTES.source.citation, 'United Nations Office on Drugs and Crime (UNODC), International Classification of Crime for Statistical Purposes (ICCS), Version 1.0, March 2015. © United Nations, 2015.');
  t.same(cl.annotations, [{ type: 'SOURCE', text: { en: NOTES.source.citation } }]);
  t.ok(cl.description!.en.includes(`Source: ${NOTES.source.citation}`), 'the English description cites it');
  t.ok(cl.description!.es.includes(`Fuente: ${NOTES.source.citation}`), 'so does the Spanish one');
  t.ok(cl.description!.en.includes(NOTES.source.sha256), 'and names the very file');
  t.match(cl.description!.en, /English only/);
  t.match(cl.description!.es, /solo están en inglés/);
  t.match(cl.description!.en, /ICCS_INCLUSIONS and ICCS_EXCLUSIONS/);
});

t.test('parseIccsNotes refuses a notes file that does not fit the codelist', async (t) => {
  const rows = parseIccsCsv(readFileSync(path.join(REPO_ROOT, 'sdmx/sources/iccs/iccs-codelist.csv'), 'utf8'));
  t.equal(parseIccsNotes(NOTES_TEXT, rows).categories.length, 320);
  const broken = (change: (doc: typeof NOTES) => void) => {
    const doc = JSON.parse(NOTES_TEXT) as typeof NOTES;
    change(doc);
    return () => parseIccsNotes(JSON.stringify(doc), rows);
  };
  t.throws(() => parseIccsNotes('{', rows), { name: 'IccsNotesError' }, 'not JSON');
  t.throws(broken((d) => d.categories.pop()), { name: 'IccsNotesError', message: /319 categories/ }, 'a code missing');
  t.throws(broken((d) => d.categories.reverse()), { name: 'IccsNotesError', message: /same order/ }, 'another order');
  t.throws(broken((d) => (d.categories[1].label = 'Murder')), { name: 'IccsNotesError', message: /0101: label/ }, 'a label that is not the codelist\'s');
  t.throws(broken((d) => d.categories[1].inclusions.push('a; b')), { name: 'IccsNotesError', message: /0101: inclusions\[10\]/ }, 'an item holding the separator');
  t.throws(broken((d) => (d.categories[1].exclusions[0].text = '')), { name: 'IccsNotesError', message: /0101: exclusions\[0\]/ }, 'an empty item');
  t.throws(broken((d) => ((d.source as { citation?: string }).citation = undefined)), { name: 'IccsNotesError', message: /citation/ }, 'no citation');
});

t.test('CL_OFFENCE = CL_ICCS (same ids, names, parents) + _T, _Z and 0703_OTH', async (t) => {
  const iccs = codelist('CL_ICCS');
  const off = codelist('CL_OFFENCE');
  t.equal(off.items.length, 323);
  const byId = new Map(off.items.map((c) => [c.id, c]));
  for (const c of iccs.items) {
    const o = byId.get(c.id);
    t.same(o && { name: o.name, parentID: o.parentID }, { name: c.name, parentID: c.parentID }, c.id);
  }
  t.same(byId.get('_T')?.name.en, 'Total (all criminal offences)');
  t.same(byId.get('_Z')?.name.en, 'Not applicable');
  t.equal(byId.get('0703_OTH')?.parentID, '0703');
  t.match(off.description?.en, /CL_ICCS .*extended/);
  t.ok(
    iccs.items.every((c) => {
      const o = byId.get(c.id)!;
      return o.description === undefined && o.annotations?.length === 1 && o.annotations[0].type === 'ICCS_LEVEL';
    }),
    'the notes stay in CL_ICCS: CL_OFFENCE codes carry the level alone',
  );
});

t.test('parseIccsCsv rejects broken sources', async (t) => {
  const head = 'code,parent,level,label_en,label_es\n';
  t.throws(() => parseIccsCsv(head + '01,,1,A,B\n01,,1,A,B\n'), { name: 'IccsSourceError' }, 'duplicate');
  t.throws(() => parseIccsCsv(head + '01,,1,A,B\n0201,02,2,A,B\n'), { name: 'IccsSourceError' }, 'unknown parent');
  t.throws(() => parseIccsCsv(head + '1,,1,A,B\n'), { name: 'IccsSourceError' }, 'lost leading zero');
  t.throws(() => parseIccsCsv(head + '01,,1,A,\n'), { name: 'IccsSourceError' }, 'missing label');
  t.throws(() => parseIccsCsv('code,level\n01,1\n'), { name: 'CsvError' }, 'missing column');
  t.same(parseIccsCsv(head + '01,,1,"A, with ""quotes""",B\n')[0].en, 'A, with "quotes"');
});

t.test('parseCsv: RFC 4180 quoting, CRLF, BOM, no final newline', async (t) => {
  t.same(parseCsv('\uFEFFa,b\r\n"x,1","y\ny"\r\n"",z'), [
    ['a', 'b'],
    ['x,1', 'y\ny'],
    ['', 'z'],
  ]);
  t.same(parseCsv('a,\n,\n'), [
    ['a', ''],
    ['', ''],
  ]);
  t.throws(() => parseCsv('"abc'), { name: 'CsvError' });
  t.throws(() => parseCsv('"a"b,c'), { name: 'CsvError' });
  t.throws(() => parseCsvRecords('a,b\n1\n', ['a']), { name: 'CsvError' }, 'short record');
});
