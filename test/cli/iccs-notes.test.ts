/**
 * The committed ICCS notes (sdmx/sources/iccs/iccs-notes.json, written by
 * `npm run iccs-notes` from the official PDF): every code of the codelist the structure build
 * reads, once, with its level and label; exclusions that name only existing codes; no page
 * furniture or text of a neighbouring row in any field; and a sample of categories of every
 * level compared with the document's own words. Needs nothing but Node: no PDF, no poppler
 * (test/e2e/iccs-notes-pdf.test.ts re-extracts the file from the PDF where it can).
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/shared.js';
import { parseIccsCsv } from '../../src/cli/structures/iccs.js';

const NOTES_FILE = path.join(REPO_ROOT, 'sdmx/sources/iccs/iccs-notes.json');
// The codelist src/cli/structures/sources.ts builds CL_ICCS from.
const CODELIST_FILE = path.join(REPO_ROOT, 'sdmx/sources/iccs/iccs-codelist.csv');

interface Category {
  code: string;
  level: number;
  label: string;
  page: number;
  description: string | null;
  inclusions: string[];
  exclusions: { text: string; codes: string[] }[];
}
interface NotesFile {
  source: Record<string, unknown>;
  tableOneTitles: { code: string; partTwo: string; tableOne: string; page: number }[];
  corrections: { code: string; field: string; printed: string; used: string; page: number; reason: string }[];
  categories: Category[];
}

const text = readFileSync(NOTES_FILE, 'utf8');
const notes = JSON.parse(text) as NotesFile;
const codelist = parseIccsCsv(readFileSync(CODELIST_FILE, 'utf8'));
const byCode = new Map(notes.categories.map((c) => [c.code, c]));
const known = new Set(codelist.map((r) => r.code));

/** Every text of a category, named. */
function fields(c: Category): [string, string][] {
  return [
    ...(c.description === null ? [] : [['description', c.description] as [string, string]]),
    ...c.inclusions.map((s, i): [string, string] => [`inclusion ${i + 1}`, s]),
    ...c.exclusions.map((e, i): [string, string] => [`exclusion ${i + 1}`, e.text]),
  ];
}

t.test('the file is the stable rendering of its content (two-space JSON, final newline)', async (t) => {
  t.equal(text, `${JSON.stringify(notes, null, 2)}\n`);
  t.same(Object.keys(notes), ['source', 'tableOneTitles', 'corrections', 'categories']);
});

t.test('the source block cites the official document', async (t) => {
  const s = notes.source;
  t.match(String(s.title), /International Classification of Crime for Statistical Purposes \(ICCS\), Version 1\.0/);
  t.match(String(s.publisher), /UNODC/);
  t.equal(s.year, 2015);
  t.match(String(s.edition), /2016/);
  t.equal(s.sha256, '13e5b9639146ffd03caac97b81cc506e81a39d14ac99fc6a23c39329dc83d596');
  t.match(String(s.pages), /PDF pages 35–99/);
  t.match(String(s.note), /verbatim/);
  t.match(String(s.extraction), /npm run iccs-notes/);
  t.match(String(s.terms), /acknowledgement of the source/);
});

t.test('320 codes: the codelist\'s, in its order, each once, with its level and label', async (t) => {
  t.equal(notes.categories.length, 320);
  t.equal(byCode.size, 320, 'no code twice');
  t.same(
    notes.categories.map((c) => c.code),
    codelist.map((r) => r.code),
    'same codes, sorted by code (the codelist\'s order)',
  );
  for (const r of codelist) {
    const c = byCode.get(r.code)!;
    if (c.level !== r.level) t.fail(`${r.code}: level ${c.level}, codelist ${r.level}`);
    if (c.label !== r.en) t.fail(`${r.code}: label "${c.label}", codelist "${r.en}"`);
  }
  const perLevel = [1, 2, 3, 4].map((l) => notes.categories.filter((c) => c.level === l).length);
  t.same(perLevel, [11, 63, 148, 98]);
});

t.test('pages: within Table I, in document order, each section starting where its first row is', async (t) => {
  let previous = 0;
  for (const c of notes.categories) {
    if (c.page < 35 || c.page > 99) t.fail(`${c.code}: page ${c.page} outside Table I`);
    if (c.page < previous) t.fail(`${c.code}: page ${c.page} before the page of the code above it (${previous})`);
    previous = c.page;
  }
  for (const c of notes.categories.filter((c) => c.level === 1)) {
    const first = notes.categories.find((d) => d.level === 2 && d.code.startsWith(c.code))!;
    t.equal(c.page, first.page, `${c.code} starts on the page of ${first.code}`);
  }
});

t.test('descriptions: every level-2/3/4 category has one, no section has', async (t) => {
  for (const c of notes.categories) {
    if (c.level === 1) t.same([c.description, c.inclusions, c.exclusions], [null, [], []], `${c.code}: a section has no notes in Table I`);
    else if (!c.description) t.fail(`${c.code}: no description`);
  }
});

t.test('exclusions name existing ICCS codes, each as printed or as a listed correction', async (t) => {
  let references = 0;
  for (const c of notes.categories) {
    for (const e of c.exclusions) {
      for (const code of e.codes) {
        references += 1;
        if (!known.has(code)) t.fail(`${c.code}: exclusion names ${code}, not an ICCS code`);
        const asPrinted = new RegExp(`(?<![0-9])${code}(?![0-9])`).test(e.text);
        const corrected = notes.corrections.some(
          (k) => k.code === c.code && k.field === 'exclusions' && k.used === code && e.text.includes(k.printed),
        );
        if (!asPrinted && !corrected) t.fail(`${c.code}: ${code} is not in "${e.text}"`);
      }
      // And every code-like number of the text is among the codes (years are not code-like).
      for (const m of e.text.matchAll(/(?<![0-9])(0[1-9]|1[01])[0-9]{2,4}(?![0-9])/g)) {
        const fix = notes.corrections.find((k) => k.code === c.code && k.printed === m[0]);
        if (!e.codes.includes(fix?.used ?? m[0])) t.fail(`${c.code}: "${e.text}" names ${m[0]}, missing from its codes`);
      }
    }
  }
  t.ok(references > 400, `${references} references`);
  for (const k of notes.corrections.filter((k) => k.field === 'code' || k.field === 'exclusions')) {
    t.ok(known.has(k.used) && !known.has(k.printed), `${k.code}: ${k.printed} (no code) corrected to ${k.used}`);
  }
});

t.test('no page furniture, no footnote marks, no text of another row, tidy spacing', async (t) => {
  const sectionHeaders = notes.categories.filter((c) => c.level === 1).map((c) => c.label.toUpperCase());
  const rowHeads = codelist.filter((r) => r.level > 1).map((r) => `${r.code} ${r.en}`);
  for (const c of notes.categories) {
    for (const [field, s] of fields(c)) {
      const where = `${c.code} ${field}: "${s}"`;
      if (/^[0-9]+$/.test(s)) t.fail(`${where} is a number alone (a page number?)`);
      if (/\bSECTION\b|\bTable: ?I\b|International Classification of Crime/.test(s)) t.fail(`${where} holds the running header`);
      if (sectionHeaders.some((h) => s.includes(h))) t.fail(`${where} holds a section's upper-case title`);
      if (/\b(?:Inclusions|Exclusions):/.test(s)) t.fail(`${where} holds a cell label`);
      if (/[A-Za-z.;,”)][0-9]{1,3}(?![0-9])/.test(s)) t.fail(`${where} holds a footnote mark`);
      if (rowHeads.some((h) => s.includes(h))) t.fail(`${where} holds the code and title of a row`);
      if (s !== s.trim() || /\s{2}| [;,.)]/.test(s.replace(/\n/g, ' '))) t.fail(`${where} is not tidily spaced`);
      if (s === '') t.fail(`${where} is empty`);
    }
    if (c.description?.split('\n').slice(1).some((line) => !/^[-–]/.test(line))) t.fail(`${c.code}: a description line that is not a note`);
  }
});

t.test('Table I titles that differ from Part Two are listed, and only those', async (t) => {
  t.same(
    notes.tableOneTitles.map((v) => v.code),
    ['02019', '0301', '08045', '0809'],
  );
  for (const v of notes.tableOneTitles) t.equal(v.partTwo, byCode.get(v.code)!.label);
});

/*
 * A sample of categories of all four levels, compared with the document's words. The expected
 * texts were read from `pdftotext -layout -f N -l N ICCS_English_2016_web.pdf -` (PDF page N,
 * printed page N − 2) and from the rendered page: the lines of a cell joined with single spaces,
 * the footnote marks (superscript numbers such as "54") left out, the items split at ";".
 */
t.test('a sample compared with the PDF\'s text', async (t) => {
  // PDF page 25 (Part Two): "Section 01 Acts leading to death or intending to cause death";
  // PDF page 35 (Table I): running header "SECTION 01  ACTS LEADING TO DEATH OR INTENDING TO CAUSE DEATH".
  t.match(byCode.get('01'), {
    level: 1,
    label: 'Acts leading to death or intending to cause death',
    page: 35,
    description: null,
    inclusions: [],
    exclusions: [],
  });

  // PDF page 35.
  t.same(byCode.get('0101'), {
    code: '0101',
    level: 2,
    label: 'Intentional homicide',
    page: 35,
    description: 'Unlawful death inflicted upon a person with the intent to cause death or serious injury.',
    inclusions: [
      'Murder',
      'honour killing',
      'serious assault leading to death',
      'death as a result of terrorist activities',
      'dowry-related killings',
      'femicide',
      'infanticide',
      'voluntary manslaughter',
      'extrajudicial killings',
      'killings caused by excessive use of force by law enforcement/state officials',
    ],
    exclusions: [
      { text: 'Death due to legal interventions', codes: [] },
      { text: 'justifiable homicide in self-defence', codes: [] },
      { text: 'attempted intentional homicide (0102)', codes: ['0102'] },
      { text: 'homicide without the element of intent is non-intentional homicide (0103)', codes: ['0103'] },
      { text: 'non-negligent or involuntary manslaughter (01031)', codes: ['01031'] },
      { text: 'assisting suicide or instigating suicide (0104)', codes: ['0104'] },
      { text: 'illegal feticide (0106)', codes: ['0106'] },
      { text: 'euthanasia (0105)', codes: ['0105'] },
    ],
  });

  // PDF page 39: "the body of a person.54" (the full stop is set in the footnote mark's size).
  t.same(byCode.get('02011'), {
    code: '02011',
    level: 3,
    label: 'Assault',
    page: 39,
    description: 'Intentional or reckless application of physical force inflicted upon the body of a person.',
    inclusions: ['Apply all inclusions listed in 020111 - 020112'],
    exclusions: [{ text: 'Apply all exclusions listed in 0201', codes: ['0201'] }],
  });

  // PDF page 39: the cell prints "Inclusions: Inclusions: Inflicting grievous bodily harm; ...",
  // and "forced sterilization56 ; taking".
  t.same(byCode.get('020111'), {
    code: '020111',
    level: 4,
    label: 'Serious assault',
    page: 39,
    description:
      'Intentional or reckless application of serious physical force inflicted upon the body of a person resulting in serious bodily injury.\n- Reckless as defined in footnote 54.',
    inclusions: [
      'Inflicting grievous bodily harm',
      'wounding',
      'aggravated assault',
      'inflicting bodily harm under aggravating circumstances',
      'battery',
      'acid attacks',
      'female genital mutilation',
      'poisoning',
      'assault with a weapon',
      'forced sterilization',
      'taking human blood, organs or tissues by use of violence',
    ],
    exclusions: [
      { text: 'Threat to inflict serious bodily injury (020121)', codes: ['020121'] },
      { text: 'torture (11011)', codes: ['11011'] },
      { text: 'apply all exclusions listed in 02011', codes: ['02011'] },
    ],
  });
  t.ok(
    notes.corrections.some((k) => k.code === '020111' && k.field === 'inclusions' && k.printed === 'Inclusions: Inclusions:' && k.page === 39),
    'the doubled label is listed',
  );

  // PDF page 59.
  t.same(byCode.get('0501'), {
    code: '0501',
    level: 2,
    label: 'Burglary',
    page: 59,
    description:
      'Gaining unauthorized access to a part of a building/dwelling or other premises with or without the use of force against the building/dwelling, with intent to commit theft or when actually committing theft.\n- Theft as defined in 0502.',
    inclusions: [
      'Breaking and entering',
      'unlawful entry with intent to commit theft',
      'access by deception with intent to commit theft',
      'apply all inclusions listed in 05011 - 05019',
    ],
    exclusions: [
      {
        text: 'Unlawfully taking or obtaining property with the intent to permanently or temporarily deprive it from a person or organization without consent and without the use of force, threat of force or violence, coercion or deception (0502)',
        codes: ['0502'],
      },
      { text: 'possession of stolen goods or money', codes: [] },
      { text: 'receiving, handling, disposing, selling or trafficking stolen goods', codes: [] },
      { text: 'using stolen parts for producing other goods', codes: [] },
      { text: 'concealment of stolen goods (0704)', codes: ['0704'] },
      { text: 'property damage (0504)', codes: ['0504'] },
      {
        text: 'unlawfully taking or obtaining property directly from a person with the intent to permanently or temporarily withhold it from a person or organization with the use of force or threat of force (0401)',
        codes: ['0401'],
      },
    ],
  });

  // PDF page 62: three notes under the description.
  t.same(byCode.get('050222'), {
    code: '050222',
    level: 4,
    label: 'Theft of personal property from a vehicle',
    page: 62,
    description:
      'Theft of personal property from a vehicle.\n- Theft as defined in 0502.\n- Vehicle as defined in footnote 49.\n- Personal property as defined in footnote 87.',
    inclusions: ['Theft of a purse from a vehicle', 'theft of an electronic device from a vehicle', 'theft of a GPS device', 'siphoning gas or oil'],
    exclusions: [
      { text: 'Theft of motorized land vehicle parts (050213)', codes: ['050213'] },
      { text: 'apply all exclusions listed in 05022', codes: ['05022'] },
    ],
  });

  // PDF page 25 (Part Two) and page 70 (Table I): "SECTION 07  ACTS INVOLVING FRAUD, DECEPTION OR CORRUPTION".
  t.match(byCode.get('07'), { level: 1, label: 'Acts involving fraud, deception or corruption', page: 70, description: null });

  // PDF page 91: the title runs over two lines ("Acts that cause environmental pollution or" / "degradation"),
  // and so does the inclusion ("... listed in 10011 -" / "10019").
  t.same(byCode.get('1001'), {
    code: '1001',
    level: 2,
    label: 'Acts that cause environmental pollution or degradation',
    page: 91,
    description: 'Acts that result in the pollution of the natural environment.',
    inclusions: ['Air, water, soil pollution', 'apply all inclusions listed in 10011 - 10019'],
    exclusions: [
      { text: 'Pollution or degradation through the illegal movement or dumping of waste (1002)', codes: ['1002'] },
      { text: 'litter offences (0801)', codes: ['0801'] },
      { text: 'wilful destruction, damage, or defacement inflicted upon public or private property (0504)', codes: ['0504'] },
    ],
  });

  // PDF page 96: "SECTION 11  OTHER CRIMINAL ACTS NOT ELSEWHERE CLASSIFIED", then row 1101.
  t.match(byCode.get('11'), { level: 1, label: 'Other criminal acts not elsewhere classified', page: 96, description: null });
  t.same(byCode.get('1101')!.inclusions, ['Apply all inclusions listed in 11011 - 11019']);
  t.same(byCode.get('1101')!.exclusions, [], 'PDF page 96: 1101 has the "-" marker and no exclusions');

  // PDF page 37: Table I prints the row as "01042"; Part Two (PDF page 25) and the index give 01049.
  t.match(byCode.get('01049'), { level: 3, page: 37, description: 'Acts leading to suicide of another person not described in 01041.', inclusions: ['Instigating suicide through persuasion or other means'], exclusions: [] });
  t.ok(notes.corrections.some((k) => k.field === 'code' && k.printed === '01042' && k.used === '01049'));
});
