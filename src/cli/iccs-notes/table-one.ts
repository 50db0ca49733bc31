/**
 * Reads "Table I – International Classification of Crime for Statistical purposes (ICCS)" of
 * the ICCS v1.0 document (English 2016 web edition, PDF pages 35–99): a landscape table, one
 * row per level-2, -3 or -4 category, under a running header "SECTION nn <TITLE>" per page.
 *
 *   left cell                      | marker | right cell
 *   ---------------------------------------------------------------------------------
 *   <code> <title, bold 11.67 pt>   |   +    | Inclusions: <items separated by ";">
 *   <description, 10.26 pt>         |        |
 *   - <note, e.g. "Negligent as     |   -    | Exclusions: <items, often naming codes>
 *     defined in footnote 48.">     |        |
 *
 * The two sub-cells of the right cell start at their top with the label "Inclusions:" or
 * "Exclusions:"; an empty one has the marker only. A row may run over a page break: the text at
 * the top of a page before the first code (left) or label (right) continues the row above.
 * Footnote marks (superscripts) and the footnotes themselves are in smaller type and are left
 * out, like the running header and the page number.
 *
 * Pure: works on the words of `pdf-words.ts`.
 */
import type { PdfPage, Word } from './pdf-words.js';

/** Body type of the table is 10.26 pt; footnote marks are ≤ 6.9 pt and footnotes 8.8–9.1 pt. */
const MIN_TEXT_SIZE = 9.6;
/** Footnote marks are ≤ 6.9 pt. */
const FOOTNOTE_MARK_MAX = 7;
/** Codes in the left cell are set in 17.5 pt, the table's markers are wider than 20 pt. */
const MIN_CODE_SIZE = 15;
/** Bold titles and the Inclusions:/Exclusions: labels are 11.67 pt, body text 10.26 pt. */
const MIN_TITLE_SIZE = 11;
/** Words whose centres are this close (points, across the reading direction) share a line. */
const LINE_TOLERANCE = 3.5;
/**
 * A label belongs to the row whose code's centre is at most this far below it: the inclusions label
 * of a level-2 row sits up to 10.3 pt above its (larger) code; a label lies at least 25 pt above the
 * next row's code.
 */
const ROW_TOLERANCE = 16;

export interface TextLine {
  readonly page: number;
  /** Centre of the line across the reading direction. */
  readonly y: number;
  readonly words: readonly Word[];
}

/** What Table I says about one row, as printed (code as printed, texts joined but not split). */
export interface TableRow {
  readonly printedCode: string;
  readonly page: number;
  readonly y: number;
  readonly title: string;
  /** Description paragraph lines and the "- note" lines under it, in order. */
  readonly descriptionLines: TextLine[];
  inclusions?: LabelledText;
  exclusions?: LabelledText;
}

export interface LabelledText {
  readonly page: number;
  readonly lines: TextLine[];
}

export interface SectionHeader {
  readonly code: string;
  /** The upper-case title of the running header, as printed. */
  readonly title: string;
  /** First page whose running header names the section. */
  readonly page: number;
}

export interface TableOne {
  readonly rows: TableRow[];
  /** The footnote marks left out, which still tell where a space was. */
  readonly dropped: Word[];
  readonly sections: SectionHeader[];
  /** Things the reader could not place (a label before any row, unexpected words, ...). */
  readonly problems: string[];
}

const centre = (w: Word) => w.y + w.size / 2;
/** Body type size of the table. */
const BODY_SIZE = 10.26;
/**
 * Where a word sits across the lines: the centre of its box; a word in the small type of a
 * footnote mark is raised, its top level with the line's, so it counts as a body word there.
 */
const linePosition = (w: Word) => (w.size < MIN_TEXT_SIZE ? w.y + BODY_SIZE / 2 : centre(w));

/** Groups words into lines (by the centres of their boxes), each sorted along the reading direction. */
export function groupLines(words: readonly Word[]): TextLine[] {
  const sorted = [...words].sort((a, b) => linePosition(a) - linePosition(b) || a.x0 - b.x0);
  const lines: { page: number; y: number; words: Word[] }[] = [];
  for (const w of sorted) {
    const last = lines[lines.length - 1];
    if (last && Math.abs(linePosition(w) - last.y) <= LINE_TOLERANCE) last.words.push(w);
    else lines.push({ page: w.page, y: linePosition(w), words: [w] });
  }
  for (const l of lines) l.words.sort((a, b) => a.x0 - b.x0);
  return lines;
}

/**
 * The text of a line. Words are separated by a space where the PDF leaves a gap between them;
 * `dropped` are the words left out (footnote marks), so that a mark between two words does not
 * hide the space after it ("victim.48 The" → "victim. The", "Murder;36" → "Murder;").
 */
export function lineText(words: readonly Word[], dropped: readonly Word[] = []): string {
  let out = '';
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (i > 0) {
      const prev = words[i - 1];
      const between = dropped
        .filter((d) => d.page === w.page && d.x0 >= prev.x1 - 0.5 && d.x1 <= w.x0 + 0.5 && Math.abs(linePosition(d) - linePosition(w)) < w.size / 2)
        .sort((a, b) => a.x0 - b.x0);
      const chain = [prev, ...between, w];
      const space = chain.some((c, k) => k > 0 && c.x0 - chain[k - 1].x1 > 0.15 * Math.max(prev.size, w.size));
      if (space) out += ' ';
    }
    out += w.text;
  }
  return out;
}

const isMarker = (w: Word) => (w.text === '+' || w.text === '-' || w.text === '–') && w.size > 20;
const isCode = (w: Word) => /^[0-9]{4,6}$/.test(w.text) && w.size >= MIN_CODE_SIZE;
const LABEL = /^(Inclusions|Exclusions):$/;

interface PageParts {
  left: TextLine[];
  right: TextLine[];
  dropped: Word[];
  header?: { code: string; title: string };
}

/** Splits a Table I page into its running header, left cells, right cells and what is left out. */
export function splitPage(page: PdfPage, problems: string[]): PageParts {
  const words = page.words;
  const section = words.find((w) => w.text === 'SECTION' && w.size >= MIN_CODE_SIZE);
  if (!section) {
    problems.push(`page ${page.page}: no running header "SECTION nn"`);
    return { left: [], right: [], dropped: [] };
  }
  const headerBottom = section.y + section.size + 1;
  const inHeader = (w: Word) => centre(w) < headerBottom;
  const headerWords = words.filter(inHeader).sort((a, b) => a.x0 - b.x0);
  const codeWord = headerWords.find((w) => w.x0 > section.x1 && /^[0-9]{2}$/.test(w.text) && Math.abs(centre(w) - centre(section)) < 4);
  const titleWords = headerWords.filter((w) => w.x0 > (codeWord?.x1 ?? section.x1) && Math.abs(centre(w) - centre(section)) < 8 && w.size > 12 && w.size < MIN_CODE_SIZE);
  const header = codeWord ? { code: codeWord.text, title: lineText(titleWords) } : undefined;
  if (!header) problems.push(`page ${page.page}: running header without a section code`);

  // The page number is alone on the lowest line, in a larger type than the table's body.
  const frameHeight = page.orientation === 'upright' ? page.height : page.width;
  // (Table text reaches 0.89 of the frame on some pages, the page number sits at 0.9.)
  const isPageNumber = (w: Word) => /^[0-9]{1,3}$/.test(w.text) && w.y > frameHeight * 0.89 && w.size > MIN_TITLE_SIZE;

  const markers = words.filter((w) => !inHeader(w) && isMarker(w));
  if (markers.length === 0) problems.push(`page ${page.page}: no +/- markers`);
  const markerX = median(markers.map((m) => m.x0));
  const dropped: Word[] = [];
  const left: Word[] = [];
  const right: Word[] = [];
  for (const w of words) {
    if (inHeader(w) || isMarker(w) || isPageNumber(w)) continue;
    // Footnotes and footnote marks are in small type. The one small word that is not a mark is
    // a full stop set in the mark's size ("person" + ".54"): it is text.
    if (w.size < MIN_TEXT_SIZE && !(w.size < FOOTNOTE_MARK_MAX && /^[.,;:]$/.test(w.text))) {
      dropped.push(w);
      continue;
    }
    if (w.x0 < markerX - 2) left.push(w);
    else if (w.x0 > markerX + 4) right.push(w);
    else problems.push(`page ${page.page}: word "${w.text}" on the marker column`);
  }
  return { left: groupLines(left), right: groupLines(right), dropped, header };
}

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface RowBuilder {
  readonly printedCode: string;
  readonly page: number;
  readonly y: number;
  readonly titleLines: TextLine[];
  readonly descriptionLines: TextLine[];
  inclusions?: LabelledText;
  exclusions?: LabelledText;
}

/** Reads Table I from its pages (PDF pages 35–99 of the 2016 English edition). */
export function readTableOne(pages: readonly PdfPage[]): TableOne {
  const problems: string[] = [];
  const rows: RowBuilder[] = [];
  const sections: SectionHeader[] = [];
  const dropped: Word[] = [];
  let openLabel: LabelledText | undefined;

  for (const page of pages) {
    const parts = splitPage(page, problems);
    dropped.push(...parts.dropped);
    const header = parts.header;
    if (header && !sections.some((s) => s.code === header.code)) sections.push({ ...header, page: page.page });

    // Left cells: a code starts a row; its line holds the title, further bold lines continue it.
    for (const line of parts.left) {
      const first = line.words[0];
      if (isCode(first)) {
        rows.push({ printedCode: first.text, page: page.page, y: centre(first), titleLines: [{ ...line, words: line.words.slice(1) }], descriptionLines: [] });
        continue;
      }
      const row = rows[rows.length - 1];
      if (!row) {
        problems.push(`page ${page.page}: text before the first code: "${lineText(line.words)}"`);
        continue;
      }
      if (line.words.some(isCode)) problems.push(`page ${page.page}: a code inside a line: "${lineText(line.words)}"`);
      const bold = line.words.every((w) => w.size >= MIN_TITLE_SIZE);
      if (bold && row.descriptionLines.length === 0 && row.page === page.page) row.titleLines.push(line);
      else row.descriptionLines.push(line);
    }

    // Right cells: a label starts a sub-cell, which belongs to the row at its height.
    for (const line of parts.right) {
      const first = line.words[0];
      if (LABEL.test(first.text)) {
        const row = rowAt(rows, page.page, line.y);
        const labelled: LabelledText = { page: page.page, lines: [{ ...line, words: line.words.slice(1) }] };
        if (!row) {
          problems.push(`page ${page.page}: "${first.text}" before any row`);
        } else {
          const kind = first.text === 'Inclusions:' ? 'inclusions' : 'exclusions';
          if (row[kind]) problems.push(`${row.printedCode}: a second "${first.text}" on page ${page.page}`);
          else if (kind === 'inclusions' && row.exclusions) problems.push(`${row.printedCode}: "Inclusions:" after "Exclusions:"`);
          row[kind] = labelled;
        }
        openLabel = labelled;
        continue;
      }
      if (!openLabel) {
        problems.push(`page ${page.page}: right-hand text before any label: "${lineText(line.words)}"`);
        continue;
      }
      openLabel.lines.push(line);
    }
  }

  return {
    rows: rows.map(({ titleLines, ...r }) => ({ ...r, title: joinLines(titleLines, dropped) })),
    sections,
    problems,
    dropped,
  };
}

/**
 * The text of consecutive lines: lines joined by a space, except after a line that ends in a
 * hyphen attached to a letter ("self-" + "defence" → "self-defence"; the document does not
 * hyphenate words at line ends, so a hyphen there is part of the word).
 */
export function joinLines(lines: readonly TextLine[], dropped: readonly Word[] = []): string {
  let out = '';
  for (const line of lines) {
    const text = lineText(line.words, dropped);
    if (!text) continue;
    if (out === '') out = text;
    else if (/[A-Za-z]-$/.test(out)) out += text;
    else out += ` ${text}`;
  }
  return out;
}

/** The last row starting at or above (page, y), with the tolerance for the code's larger type. */
function rowAt<R extends { page: number; y: number }>(rows: readonly R[], page: number, y: number): R | undefined {
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i];
    if (r.page < page || (r.page === page && r.y <= y + ROW_TOLERANCE)) return r;
  }
  return undefined;
}
