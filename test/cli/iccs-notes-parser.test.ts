/**
 * The ICCS notes extractor's parts on small made-up inputs (no PDF, no poppler): pdftotext's
 * TSV turned to reading coordinates (Table I is printed rotated), words joined into text around
 * dropped footnote marks, rows of Table I with their labelled cells, item lists and the codes an
 * exclusion names, and a clear error when pdftotext is missing.
 */
import t from 'tap';
import type { IccsRow } from '../../src/cli/structures/iccs.js';
import { PdftotextError, orientationOf, parsePdftotextTsv, readPages, runPdftotext, type PdfPage, type Word } from '../../src/cli/iccs-notes/pdf-words.js';
import { joinLines, lineText, readTableOne } from '../../src/cli/iccs-notes/table-one.js';
import { codeReferences, descriptionText, extractNotes, splitItems, tidy } from '../../src/cli/iccs-notes/notes.js';
import { readPartTwo } from '../../src/cli/iccs-notes/part-two.js';
import { renderNotesFile } from '../../src/cli/iccs-notes/output.js';

/** A word of an upright page: 5 pt per character along the line. */
function w(text: string, x0: number, y: number, size = 10.26, page = 1): Word {
  return { page, text, x0, x1: x0 + text.length * 5, y, size };
}

/** Words of a line from x0 on, one space (≈2.5 pt) apart. */
function line(text: string, x0: number, y: number, size = 10.26, page = 1): Word[] {
  const out: Word[] = [];
  let x = x0;
  for (const t of text.split(' ')) {
    out.push(w(t, x, y, size, page));
    x += t.length * 5 + 2.5;
  }
  return out;
}

const page = (n: number, words: Word[]): PdfPage => ({ page: n, width: 842, height: 595, orientation: 'upright', words });

t.test('pdftotext -tsv: pages, words, and rotated pages read bottom to top', async (t) => {
  const tsv = [
    'level\tpage_num\tpar_num\tblock_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
    '1\t35\t0\t0\t0\t0\t0.000000\t0.000000\t595.220000\t842.000000\t-1\t###PAGE###',
    '4\t35\t0\t0\t0\t0\t288.865125\t469.354262\t10.257930\t276.535238\t-1\t###LINE###',
    '5\t35\t0\t0\t0\t0\t288.87\t712.09\t10.26\t33.80\t100\tUnlawful',
    '5\t35\t0\t0\t0\t1\t288.87\t689.06\t10.26\t21.09\t100\tdeath',
    '5\t35\t0\t0\t0\t2\t288.87\t629.55\t10.26\t57.50\t100\tunintentionally',
  ].join('\n');
  const parsed = parsePdftotextTsv(tsv);
  t.same([...parsed.pages], [[35, { width: 595.22, height: 842 }]]);
  t.equal(parsed.words.length, 3);
  t.equal(orientationOf(parsed.words), 'bottom-to-top');
  const [p] = readPages(tsv);
  t.equal(p.orientation, 'bottom-to-top');
  const [a, b, c] = p.words;
  t.ok(a.x1 < b.x0 && b.x1 < c.x0, 'words follow each other along the reading direction');
  t.equal(a.y, 288.87, 'across the line: the x of the page');
  t.equal(a.size, 10.26, 'the size is the width on the page');
  t.throws(() => parsePdftotextTsv('not a tsv\n'), PdftotextError);
});

t.test('a missing pdftotext says what to install', async (t) => {
  t.throws(() => runPdftotext('/nowhere.pdf', 1, 1, 'pdftotext-that-does-not-exist'), { name: 'PdftotextError', message: /not installed.*poppler-utils/ });
});

t.test('text of a line: spaces where the PDF has gaps, footnote marks dropped without losing the space', async (t) => {
  // "activities;39 dowry-related": the mark touches the word before it, a space follows the mark.
  const activities = w('activities;', 100, 50);
  const mark = { ...w('39', activities.x1, 50.8, 6.84), x1: activities.x1 + 6.5 };
  const dowry = w('dowry-related', mark.x1 + 2, 50);
  t.equal(lineText([activities, dowry], [mark]), 'activities; dowry-related');
  // "Murder;36" at the end of a cell: nothing follows.
  t.equal(lineText([w('Murder;', 0, 0)], [w('36', 35, 0.8, 6.84)]), 'Murder;');
  // A word stuck to the next one stays stuck.
  const a = w('01', 0, 0);
  t.equal(lineText([a, w('031', a.x1 + 0.3, 0)]), '01031');
  // Lines are joined with a space, and a line-end hyphen joins its word.
  const l = (words: Word[]) => ({ page: 1, y: 0, words });
  t.equal(joinLines([l(line('justifiable homicide in self-', 0, 0)), l(line('defence; attempted', 0, 10))]), 'justifiable homicide in self-defence; attempted');
  t.equal(joinLines([l(line('categories 02071 -', 0, 0)), l(line('02072.', 0, 10))]), 'categories 02071 - 02072.');
});

t.test('items, code references and spacing', async (t) => {
  t.same(splitItems('Attempted murder; attempted infanticide; attempted femicide;'), ['Attempted murder', 'attempted infanticide', 'attempted femicide']);
  t.same(splitItems('-'), [], 'a dash alone: none');
  t.same(splitItems('Counterfeiting means of non-cash payment (070219; financial fraud (07011)'), ['Counterfeiting means of non-cash payment (070219', 'financial fraud (07011)']);
  t.same(codeReferences('Apply all exclusions listed in 0101 – 0107'), ['0101', '0107']);
  t.same(codeReferences('all injurious acts of a sexual nature (03); using force (04)'), ['03', '04']);
  t.same(codeReferences('under the age of 15 (1949) and 110135'), ['1949', '110135'], 'four to six digits, two only in parentheses');
  t.same(codeReferences('serious assault (0101); voluntary manslaughter (0101)'), ['0101'], 'once each');
  t.equal(tidy(' forced sterilization ; taking  human ( blood ) '), 'forced sterilization; taking human (blood)');
  const l = (text: string, y: number) => ({ page: 1, y, words: line(text, 0, y) });
  t.equal(
    descriptionText([l('Theft of services.', 0), l('-Theft as defined in 0502.', 10), l('- Vehicle as defined in', 20), l('footnote 49.', 30)], []),
    'Theft of services.\n-Theft as defined in 0502.\n- Vehicle as defined in footnote 49.',
  );
  t.equal(descriptionText([], []), null);
});

/**
 * A Table I page in miniature: running header, two rows. The first row's inclusions label sits
 * above its (larger) code; the second row has no exclusions (its "-" marker alone); a footnote
 * and the page number are left out.
 */
function tablePage(): PdfPage {
  return page(35, [
    ...line('Table: I International Classification of Crime for Statistical purposes (ICCS)', 40, 20, 10.68),
    w('SECTION', 40, 40, 17.5),
    w('01', 90, 40, 17.5),
    ...line('ACTS LEADING TO DEATH OR INTENDING TO CAUSE DEATH', 130, 42, 13.6),
    // Row 0101.
    w('0101', 40, 80, 17.5),
    ...line('Intentional homicide', 65, 84, 11.67),
    ...line('Unlawful death inflicted upon a person with the intent', 40, 100),
    ...line('to cause death or serious injury.', 40, 111),
    w('+', 400, 82, 21.5),
    w('Inclusions:', 440, 72, 11.67),
    ...line('Murder; honour killing;', 500, 72),
    w('36', 535, 72.8, 6.84),
    ...line('femicide', 440, 83),
    w('-', 400, 110, 25.8),
    w('Exclusions:', 440, 100, 11.67),
    ...line('Attempted intentional homicide (0102)', 500, 100),
    // Row 0102.
    w('0102', 40, 150, 17.5),
    ...line('Attempted intentional homicide', 65, 154, 11.67),
    ...line('Attempt to inflict unlawful death.', 40, 170),
    w('+', 400, 152, 21.5),
    w('Inclusions:', 440, 150, 11.67),
    ...line('Attempted murder;', 500, 150),
    w('-', 400, 180, 25.8),
    // Footnote and page number.
    ...line('36 Murder is unlawful death inflicted upon a person.', 40, 480, 9.1),
    w('33', 300, 535, 11.67),
  ]);
}

t.test('Table I: rows, their cells, and nothing of the page around them', async (t) => {
  const table = readTableOne([tablePage()]);
  t.same(table.problems, []);
  t.same(table.sections, [{ code: '01', title: 'ACTS LEADING TO DEATH OR INTENDING TO CAUSE DEATH', page: 35 }]);
  t.same(
    table.rows.map((r) => [r.printedCode, r.title, joinLines(r.descriptionLines), joinLines(r.inclusions?.lines ?? []), joinLines(r.exclusions?.lines ?? [])]),
    [
      ['0101', 'Intentional homicide', 'Unlawful death inflicted upon a person with the intent to cause death or serious injury.', 'Murder; honour killing; femicide', 'Attempted intentional homicide (0102)'],
      ['0102', 'Attempted intentional homicide', 'Attempt to inflict unlawful death.', 'Attempted murder;', ''],
    ],
  );
  t.ok(table.dropped.some((d) => d.text === '36'), 'the footnote mark is dropped');
});

t.test('notes from Part Two and Table I, checked against a codelist', async (t) => {
  const partTwo = page(25, [
    ...line('Part Two – Broad and detailed structure', 80, 20, 25),
    ...line('Section 01 Acts leading to death or intending to cause death', 70, 60, 13.6),
    ...line('LEVEL 02', 95, 80, 10.68),
    ...line('LEVEL 03', 180, 80, 10.68),
    ...line('CRIME', 314, 80, 10.68),
    w('0101', 104, 93, 10.68),
    ...line('Intentional homicide', 314, 93, 10.68),
    w('0102', 104, 106, 10.68),
    ...line('Attempted intentional', 314, 106, 10.68),
    ...line('homicide', 314, 119, 10.68),
    w('23', 290, 700, 10.68),
  ]);
  t.same(readPartTwo([partTwo]), {
    entries: [
      { code: '01', page: 25, title: 'Acts leading to death or intending to cause death' },
      { code: '0101', page: 25, title: 'Intentional homicide' },
      { code: '0102', page: 25, title: 'Attempted intentional homicide' },
    ],
    problems: [],
  });
  const codelist: IccsRow[] = [
    { code: '01', parent: '', level: 1, en: 'Acts leading to death or intending to cause death', es: '-' },
    { code: '0101', parent: '01', level: 2, en: 'Intentional homicide', es: '-' },
    { code: '0102', parent: '01', level: 2, en: 'Attempted intentional homicide', es: '-' },
  ];
  const x = extractNotes(codelist, [tablePage()], [partTwo]);
  t.same(x.anomalies, []);
  t.same(x.notes, [
    { code: '01', level: 1, label: 'Acts leading to death or intending to cause death', description: null, inclusions: [], exclusions: [], page: 35 },
    {
      code: '0101',
      level: 2,
      label: 'Intentional homicide',
      description: 'Unlawful death inflicted upon a person with the intent to cause death or serious injury.',
      inclusions: ['Murder', 'honour killing', 'femicide'],
      exclusions: [{ text: 'Attempted intentional homicide (0102)', codes: ['0102'] }],
      page: 35,
    },
    { code: '0102', level: 2, label: 'Attempted intentional homicide', description: 'Attempt to inflict unlawful death.', inclusions: ['Attempted murder'], exclusions: [], page: 35 },
  ]);
  const rendered = renderNotesFile(x.notes, x.corrections, x.titleVariants);
  t.equal(rendered, renderNotesFile([...x.notes].reverse(), x.corrections, x.titleVariants), 'sorted by code whatever the input order');
  t.ok(rendered.endsWith('}\n'));

  // A codelist the PDF does not match: each difference is reported.
  const other = extractNotes([...codelist.slice(0, 2), { ...codelist[2], en: 'Attempted homicide' }, { code: '0103', parent: '01', level: 2, en: 'Non-intentional homicide', es: '-' }], [tablePage()], [partTwo]);
  t.match(other.anomalies.join('\n'), /0102: label "Attempted intentional homicide" in Part Two, "Attempted homicide" in the codelist/);
  t.match(other.anomalies.join('\n'), /0103: not found in Table I/);
});
