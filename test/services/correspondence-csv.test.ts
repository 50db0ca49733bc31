/**
 * Reading correspondence tables from CSV, against the real ICCS codes of sdmx/codelists: a real
 * table built from Eurostat's ICCS-coded offence categories, the illustrative national police
 * table, and every refusal with its line, column and value.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readStructureMl21 } from '../../src/sdmx/ml21/structure-reader.js';
import type { Codelist } from '../../src/sdmx/model.js';
import { parseCorrespondenceCsv, type CorrespondenceCsvError } from '../../src/services/correspondence/csv.js';
import type { CorrespondenceRow } from '../../src/services/correspondence/rows.js';
import { NATIONAL_POLICE_CSV } from '../fixtures/correspondence/national-police.js';
import { parseCsv } from '../helpers/csv.js';
import { DATA, REPO_ROOT } from '../helpers/shared.js';

const codelist = (file: string) => readStructureMl21(readFileSync(path.join(REPO_ROOT, 'sdmx/codelists', file), 'utf8'))[0] as Codelist;
const ICCS = new Set([...codelist('UNODC-CL_ICCS-1.0.xml').items, ...codelist('UNODC-CL_OFFENCE-1.0.xml').items].map((c) => c.id));

const rowsOf = (text: string): CorrespondenceRow[] => {
  const r = parseCorrespondenceCsv(text, ICCS);
  if ('errors' in r) throw new Error(JSON.stringify(r.errors));
  return r.rows;
};
const errorsOf = (text: string): CorrespondenceCsvError[] => {
  const r = parseCorrespondenceCsv(text, ICCS);
  if ('rows' in r) throw new Error('expected errors');
  return r.errors;
};

t.test('a real table: Eurostat offence categories (ICCS-prefixed codes) to ICCS', async (t) => {
  // Both Eurostat extracts in shared/data/eurostat code offences as "ICCS" + the ICCS code.
  const sdmxCsv = parseCsv(readFileSync(path.join(DATA.eurostat, 'estat_crim_off_cat_sdmx-csv.csv'), 'utf8')).map((r) => r.iccs);
  const tsv = readFileSync(path.join(DATA.eurostat, 'estat_crim_off_cat.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t')[0].split(',')[1]);
  const eurostat = [...new Set([...sdmxCsv, ...tsv])].sort();
  t.equal(eurostat.length, 23, '13 codes in the 2022 release, 21 in 2024, 11 in both');
  const csv = ['NATIONAL_CODE,ICCS_CODE', ...eurostat.map((c) => `${c},${c.replace(/^ICCS/, '')}`)].join('\n');
  const rows = rowsOf(csv);
  t.equal(rows.length, 23, 'every Eurostat category maps to a real ICCS code');
  t.same(rows.find((r) => r.nationalCode === 'ICCS02011'), { nationalCode: 'ICCS02011', iccsCode: '02011' }, 'assault as coded in 2022');
  t.same(rows.find((r) => r.nationalCode === 'ICCS020111'), { nationalCode: 'ICCS020111', iccsCode: '020111' }, 'and in 2024');
});

t.test('the national police table', async (t) => {
  const rows = rowsOf(NATIONAL_POLICE_CSV);
  t.equal(rows.length, 22);
  t.same(rows[0], { nationalCode: 'HOM-01', nationalName: 'Murder', otherNames: { es: 'Asesinato' }, iccsCode: '0101' }, 'lower-case header, Spanish names');
  t.same(rows[1], { nationalCode: 'HOM-02', nationalName: 'Killing on provocation', iccsCode: '0101' }, 'empty names are left out');
  t.equal(rows.find((r) => r.nationalCode === 'COR-01')?.nationalName, 'Bribery of a public official, active or passive', 'quoted field with a comma');
  t.same(rows.filter((r) => r.nationalCode === 'KID-01').map((r) => r.iccsCode), ['020221', '020222'], 'one national code, two ICCS codes: kept');
  t.same(rows.at(-1), { nationalCode: 'MSC-01', nationalName: 'Breach of a local by-law' }, 'declared without ICCS code');
});

t.test('BOM, LF line ends, spaces and blank lines', async (t) => {
  const rows = rowsOf('\ufeffNational_Code , ICCS_CODE\n\n  HOM-01 , 0101 \n\nHOM-02,0101');
  t.same(rows, [
    { nationalCode: 'HOM-01', iccsCode: '0101' },
    { nationalCode: 'HOM-02', iccsCode: '0101' },
  ]);
});

t.test('the extra codes of CL_OFFENCE are accepted', async (t) => {
  t.same(rowsOf('NATIONAL_CODE,ICCS_CODE\nALL,_T\nCOR-9,0703_OTH').map((r) => r.iccsCode), ['_T', '0703_OTH']);
});

const HEADER = 'NATIONAL_CODE,NATIONAL_NAME,ICCS_CODE';
const refusals: [string, string, Partial<CorrespondenceCsvError>[]][] = [
  ['an unknown ICCS code', `${HEADER}\nHOM-01,Murder,0101\nHOM-02,Manslaughter,0199`, [{ line: 3, column: 'ICCS_CODE', value: '0199', message: 'not an ICCS code' }]],
  ['a code of another scheme', `${HEADER}\nX,,ICCS0101`, [{ line: 2, column: 'ICCS_CODE', value: 'ICCS0101' }]],
  ['the same pair twice', `${HEADER}\nHOM-01,Murder,0101\nHOM-02,,0102\nHOM-01,Murder,0101`, [{ line: 4, column: 'ICCS_CODE', value: '0101', message: 'first on line 2' }]],
  ['a national code that is not an SDMX id', `${HEADER}\nHOM 01,Murder,0101`, [{ line: 2, column: 'NATIONAL_CODE', value: 'HOM 01', message: 'not a valid code id' }]],
  ['a missing national code', `${HEADER}\n,Murder,0101`, [{ line: 2, column: 'NATIONAL_CODE', message: 'missing' }]],
  ['mapped and declared unmapped', `${HEADER}\nHOM-01,,0101\nHOM-01,,`, [{ line: 3, message: 'both mapped and declared unmapped (line 2 and here)' }]],
  ['names that disagree', `${HEADER}\nKID-01,Kidnapping,020221\nKID-01,Abduction,020222`, [{ line: 3, column: 'NATIONAL_NAME', value: 'Abduction', message: 'named "Kidnapping"' }]],
  ['a row of the wrong width', `${HEADER}\nHOM-01,Murder,0101,extra`, [{ line: 2, message: '4 fields, but the header has 3' }]],
  ['a missing ICCS_CODE column', 'NATIONAL_CODE,NATIONAL_NAME\nHOM-01,Murder', [{ line: 1, column: 'ICCS_CODE', message: 'missing' }]],
  ['an unknown column', 'NATIONAL_CODE,ICCS,ICCS_CODE\nHOM-01,x,0101', [{ line: 1, column: 'ICCS', message: 'Unknown column' }]],
  ['a repeated column', 'NATIONAL_CODE,ICCS_CODE,iccs_code\nHOM-01,0101,0101', [{ line: 1, column: 'iccs_code', message: 'twice' }]],
  ['an unclosed quote', `${HEADER}\nHOM-01,Murder,0101\nHOM-02,"Manslaughter,0103\n`, [{ line: 3, message: 'not closed' }]],
  ['text after a closing quote', `${HEADER}\nHOM-01,"Murder"x,0101`, [{ line: 2, message: 'closing quote' }]],
  ['an empty file', '', [{ line: 1, message: 'empty' }]],
  ['a header without rows', `${HEADER}\n`, [{ line: 2, message: 'no rows' }]],
];

for (const [what, csv, expected] of refusals) {
  t.test(`refused: ${what}`, async (t) => {
    const errors = errorsOf(csv);
    t.equal(errors.length, expected.length, JSON.stringify(errors));
    expected.forEach((e, i) => t.match(errors[i], e));
  });
}

t.test('every problem is reported, in line order', async (t) => {
  const errors = errorsOf(`${HEADER}\nHOM-01,,9999\nbad code,,0101\nHOM-01,,9999\nOK,,0101`);
  t.same(
    errors.map((e) => [e.line, e.column]),
    [
      [2, 'ICCS_CODE'],
      [3, 'NATIONAL_CODE'],
      [4, 'ICCS_CODE'],
      [4, 'ICCS_CODE'],
    ],
  );
});
