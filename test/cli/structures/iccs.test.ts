/**
 * CL_ICCS, HCL_ICCS and CL_OFFENCE against the shared ICCS reference file, parsed here
 * independently of the product's CSV reader.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { Code, Codelist, HierarchicalCode, HierarchicalCodelist } from '../../../src/sdmx/model.js';
import { buildStructures } from '../../../src/cli/structures/index.js';
import { parseIccsCsv } from '../../../src/cli/structures/iccs.js';
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
    t.same(c.annotations, [{ type: 'ICCS_LEVEL', title: r.level }], `${r.code} level annotation`);
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
