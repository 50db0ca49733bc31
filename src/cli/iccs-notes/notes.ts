/**
 * From what Table I prints to the notes of each ICCS code: description, inclusions and
 * exclusions (with the codes an exclusion names), checked code by code against the codelist.
 * Pure: the PDF's words come in, the notes and the list of what looked wrong come out.
 */
import type { IccsRow } from '../structures/iccs.js';
import type { PdfPage, Word } from './pdf-words.js';
import { readPartTwo } from './part-two.js';
import { type LabelledText, type TextLine, joinLines, readTableOne } from './table-one.js';

/** The PDF pages of Table I and of the Part Two structure tables (English 2016 web edition). */
export const TABLE_ONE_PAGES = { first: 35, last: 99 } as const;
export const PART_TWO_PAGES = { first: 25, last: 33 } as const;
/** The page number printed on a page is its PDF page number minus this. */
export const PRINTED_PAGE_OFFSET = 2;

export interface Exclusion {
  readonly text: string;
  /** ICCS codes the text names, in the order named (a range "0101 - 0107" names its two ends). */
  readonly codes: string[];
}

export interface IccsNote {
  readonly code: string;
  readonly level: number;
  readonly label: string;
  readonly description: string | null;
  readonly inclusions: string[];
  readonly exclusions: Exclusion[];
  /** PDF page on which the category's row (level 1: the section's running header) starts. */
  readonly page: number;
}

/** A place where the notes do not say what the PDF prints, and why. */
export interface Correction {
  readonly code: string;
  readonly field: 'code' | 'inclusions' | 'exclusions';
  readonly printed: string;
  readonly used: string;
  readonly page: number;
  readonly reason: string;
}

/**
 * Misprints of Table I, each confirmed by the Part Two structure tables and the alphabetical
 * index (sdmx/sources/iccs/README.md): the row is the code the rest of the document gives.
 */
export const ROW_CODE_MISPRINTS: Readonly<Record<string, { code: string; reason: string }>> = {
  '01042': { code: '01049', reason: 'Table I prints 01042 for "Other acts of assisting or instigating suicide"; Part Two and the index give 01049' },
  '0908': { code: '0909', reason: 'Table I prints 0908 for "Other acts against public safety and state security"; Part Two and the index give 0909' },
};

/** Code references of Table I that name no ICCS code, and the code they mean. */
export const REFERENCE_MISPRINTS: Readonly<Record<string, { code: string; reason: string }>> = {
  '8042': { code: '08042', reason: '"import/export offences (8042)": the leading zero is missing; 08042 is "Import/export offences"' },
  '070219': { code: '070212', reason: '"Counterfeiting means of non-cash payment (070219": there is no 070219; 070212 is "Counterfeiting means of non-cash payment"' },
  '02010': { code: '0210', reason: '"wage or employment discrimination (02010)": there is no 02010; 0210 is "Discrimination"' },
  '1008': {
    code: '1004',
    reason: '"Apply all exclusions listed in 1001 - 1008": there is no 1008; the divisions of section 10 before 1009 are 1001–1004, the range the description of 1009 gives ("categories 1001 - 1004")',
  },
};

/** A category whose title in Table I differs from its label in Part Two (the codelist's). */
export interface TitleVariant {
  readonly code: string;
  readonly partTwo: string;
  readonly tableOne: string;
  /** The Table I page. */
  readonly page: number;
}

export interface Extraction {
  readonly notes: IccsNote[];
  readonly corrections: Correction[];
  readonly titleVariants: TitleVariant[];
  /** Misprints the notes keep as printed (a code named in a description or inclusion that does not exist). */
  readonly notices: string[];
  /** What could not be made to agree; empty when all is well. */
  readonly anomalies: string[];
}

/**
 * Splits a list of inclusions or exclusions at its semicolons and drops empty items (a list may
 * end in ";"); a list that is a dash alone is empty. No list of Table I has a semicolon inside
 * parentheses, so none is protected (one exclusion of 070211 opens a parenthesis it never
 * closes: "non-cash payment (070219; ...").
 */
export function splitItems(text: string): string[] {
  const items = text
    .split(';')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  // "Inclusions: -" (02059): the dash says there are none.
  return items.length === 1 && /^[-–]$/.test(items[0]) ? [] : items;
}

/**
 * The code-like numbers an exclusion names: 4 to 6 digits anywhere, and a section's two digits
 * in parentheses ("(03)"). Returned as printed, in order, without repeats.
 */
export function codeReferences(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\((0[1-9]|1[01])\)|(?<![0-9])([0-9]{4,6})(?![0-9])/g)) {
    const code = m[1] ?? m[2];
    if (!out.includes(code)) out.push(code);
  }
  return out;
}

/** Tidies the spacing of joined text: one space, none before ; , . ) or after (. */
export function tidy(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/ ([;,.)])/g, '$1')
    .replace(/\( /g, '(')
    .trim();
}

/** A note starts with a dash, alone ("- Negligent ...") or stuck to its first word ("-Theft ..."). */
const NOTE_MARK = /^[-–](?:$|[A-Za-z])/;
/** Level of a code by its number of digits. */
const LEVEL_OF_LENGTH: Readonly<Record<number, number>> = { 2: 1, 4: 2, 5: 3, 6: 4 };

/**
 * A description cell: the paragraph, then each note ("- Negligent as defined in footnote 48.")
 * on a line of its own, as printed; null when the cell has no text.
 */
export function descriptionText(lines: readonly TextLine[], dropped: readonly Word[]): string | null {
  const parts: TextLine[][] = [];
  for (const line of lines) {
    const first = line.words[0]?.text ?? '';
    const startsNote = NOTE_MARK.test(first) && (first.length > 1 || line.words.length > 1);
    if (startsNote || parts.length === 0) parts.push([line]);
    else parts[parts.length - 1].push(line);
  }
  const texts = parts.map((p) => tidy(joinLines(p, dropped))).filter((t) => t !== '');
  return texts.length ? texts.join('\n') : null;
}

const PAGE_FURNITURE: readonly [RegExp, string][] = [
  [/\bSECTION\b/, 'the running header "SECTION"'],
  [/\bTable:/, 'the table caption'],
  [/International Classification of Crime/i, 'the page title'],
  [/\b[A-Z]{3,}(?: [A-Z,]{2,}){3,}/, 'an upper-case running title'],
  [/\b(?:Inclusions|Exclusions):/, 'a cell label'],
  [/^[0-9]+$/, 'a number alone'],
];

/** Builds and checks the notes of every code of the codelist from the PDF's pages. */
export function extractNotes(codelist: readonly IccsRow[], tablePages: readonly PdfPage[], partTwoPages: readonly PdfPage[]): Extraction {
  const anomalies: string[] = [];
  const notices: string[] = [];
  const corrections: Correction[] = [];
  const titleVariants: TitleVariant[] = [];
  const table = readTableOne(tablePages);
  const partTwo = readPartTwo(partTwoPages);
  anomalies.push(...table.problems, ...partTwo.problems);
  const known = new Map(codelist.map((r) => [r.code, r]));
  const labels = new Map<string, string>();
  for (const e of partTwo.entries) {
    if (labels.has(e.code)) anomalies.push(`${e.code}: twice in Part Two`);
    labels.set(e.code, tidy(e.title));
  }
  const byCode = new Map<string, IccsNote>();
  const add = (note: IccsNote) => {
    if (byCode.has(note.code)) anomalies.push(`${note.code}: found more than once in Table I (pages ${byCode.get(note.code)!.page} and ${note.page})`);
    else byCode.set(note.code, note);
  };
  /** The Part Two label of a code, noting where Table I titles it otherwise (level 1: in capitals). */
  const variant = (code: string, tableOne: string, page: number, same = (a: string, b: string) => a === b) => {
    const label = labels.get(code);
    if (label === undefined) anomalies.push(`${code}: in Table I but not in Part Two`);
    else if (!same(label, tableOne)) titleVariants.push({ code, partTwo: label, tableOne, page });
    return label ?? tableOne;
  };

  // Level 1: no row of its own, only the running header "SECTION nn <TITLE>" (upper case).
  for (const s of table.sections) {
    const label = variant(s.code, s.title, s.page, (a, b) => a.toUpperCase() === b);
    add({ code: s.code, level: 1, label, description: null, inclusions: [], exclusions: [], page: s.page });
  }

  // Levels 2–4: one row each.
  for (const row of table.rows) {
    const misprint = ROW_CODE_MISPRINTS[row.printedCode];
    const code = misprint?.code ?? row.printedCode;
    if (misprint) corrections.push({ code, field: 'code', printed: row.printedCode, used: code, page: row.page, reason: misprint.reason });
    add({
      code,
      level: LEVEL_OF_LENGTH[code.length] ?? 0,
      label: variant(code, tidy(row.title), row.page),
      description: descriptionText(row.descriptionLines, table.dropped),
      inclusions: items(code, 'inclusions', row.inclusions, table.dropped, corrections),
      exclusions: items(code, 'exclusions', row.exclusions, table.dropped, corrections).map((text) => ({
        text,
        codes: codeReferences(text).map((c) => {
          const fix = REFERENCE_MISPRINTS[c];
          if (!fix) return c;
          corrections.push({ code, field: 'exclusions', printed: c, used: fix.code, page: row.exclusions!.page, reason: fix.reason });
          return fix.code;
        }),
      })),
      page: row.page,
    });
  }

  // Code by code against the codelist: every code once, same level and label.
  for (const r of codelist) {
    const note = byCode.get(r.code);
    if (!note) {
      anomalies.push(`${r.code}: not found in Table I`);
      continue;
    }
    if (note.level !== r.level) anomalies.push(`${r.code}: level ${note.level} in the PDF, ${r.level} in the codelist`);
    if (note.label !== r.en) anomalies.push(`${r.code}: label "${note.label}" in Part Two, "${r.en}" in the codelist`);
  }
  for (const code of byCode.keys()) if (!known.has(code)) anomalies.push(`${code}: in the PDF but not in the codelist`);
  const partTwoCodes = partTwo.entries.map((e) => e.code).join(',');
  if (partTwoCodes !== codelist.map((r) => r.code).join(',')) anomalies.push('Part Two does not list the codelist\'s codes in its order');

  // Parents: Table I runs depth first like the codelist, each row under its section's header.
  const rowCodes = table.rows.map((r) => ROW_CODE_MISPRINTS[r.printedCode]?.code ?? r.printedCode);
  const expectedRows = codelist.filter((r) => r.level > 1).map((r) => r.code);
  if (rowCodes.join(',') !== expectedRows.join(',')) {
    const i = rowCodes.findIndex((c, k) => c !== expectedRows[k]);
    anomalies.push(`Table I rows are not in codelist order from row ${i + 1}: ${rowCodes[i]} where the codelist has ${expectedRows[i]}`);
  }
  for (const row of table.rows) {
    const code = ROW_CODE_MISPRINTS[row.printedCode]?.code ?? row.printedCode;
    const section = [...table.sections].reverse().find((s) => s.page <= row.page);
    if (section?.code !== code.slice(0, 2)) anomalies.push(`${code}: on page ${row.page}, under the running header of section ${section?.code}`);
  }

  // Text of one cell leaking into another, page furniture, references that name no code.
  const rowsOfLevels = codelist.filter((r) => r.level > 1);
  for (const note of byCode.values()) {
    const fields: [string, string][] = [
      ['description', note.description ?? ''],
      ...note.inclusions.map((t, i): [string, string] => [`inclusion ${i + 1}`, t]),
      ...note.exclusions.map((e, i): [string, string] => [`exclusion ${i + 1}`, e.text]),
    ];
    for (const [field, text] of fields) {
      for (const [pattern, what] of PAGE_FURNITURE) {
        if (pattern.test(text)) anomalies.push(`${note.code} ${field}: contains ${what}: "${text}"`);
      }
      for (const other of rowsOfLevels) {
        if (text.includes(`${other.code} ${other.en}`)) anomalies.push(`${note.code} ${field}: contains the row of ${other.code}: "${text}"`);
      }
      // Elsewhere a number that is not a code is a misprint only if it looks like one (not "1949").
      if (!field.startsWith('exclusion')) {
        for (const c of codeReferences(text)) if (!known.has(c) && /^(?:0[1-9]|1[01])/.test(c)) notices.push(`${note.code} ${field} names ${c}, not an ICCS code (kept as printed): "${text}"`);
      }
    }
    for (const e of note.exclusions) {
      for (const c of e.codes) if (!known.has(c)) anomalies.push(`${note.code}: exclusion names ${c}, not an ICCS code: "${e.text}"`);
    }
  }

  const notes = [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { notes, corrections, titleVariants, anomalies, notices };
}

/** The items of an inclusions or exclusions cell; a label printed twice is read once. */
function items(code: string, field: 'inclusions' | 'exclusions', cell: LabelledText | undefined, dropped: readonly Word[], corrections: Correction[]): string[] {
  if (!cell) return [];
  let text = tidy(joinLines(cell.lines, dropped));
  const label = field === 'inclusions' ? 'Inclusions:' : 'Exclusions:';
  if (text.startsWith(label)) {
    corrections.push({ code, field, printed: `${label} ${label}`, used: label, page: cell.page, reason: 'the label is printed twice' });
    text = text.slice(label.length).trim();
  }
  return splitItems(text);
}

/** Counts for the summary line. */
export function summarise(notes: readonly IccsNote[]): { codes: number; description: number; inclusions: number; exclusions: number; byLevel: Record<number, number> } {
  const byLevel: Record<number, number> = {};
  for (const n of notes) byLevel[n.level] = (byLevel[n.level] ?? 0) + 1;
  return {
    codes: notes.length,
    description: notes.filter((n) => n.description !== null).length,
    inclusions: notes.filter((n) => n.inclusions.length > 0).length,
    exclusions: notes.filter((n) => n.exclusions.length > 0).length,
    byLevel,
  };
}

