/**
 * Reads the structure tables of "Part Two – Broad and detailed structure" (PDF pages 25–33 of
 * the 2016 English edition): under each "Section nn <title>" line, columns LEVEL 02, LEVEL 03,
 * LEVEL 04 hold the codes and the column CRIME their titles, a title running on over lines
 * that have no code. These are the labels of the codelist; Table I prints its own titles,
 * which differ in a few places. Pure: works on the words of `pdf-words.ts`.
 */
import type { PdfPage, Word } from './pdf-words.js';
import { groupLines, joinLines } from './table-one.js';

export interface PartTwoEntry {
  readonly code: string;
  readonly title: string;
  readonly page: number;
}

const isCode = (w: Word) => /^[0-9]{4,6}$/.test(w.text);

/** The entries in document order (sections included), and what could not be read. */
export function readPartTwo(pages: readonly PdfPage[]): { entries: PartTwoEntry[]; problems: string[] } {
  const problems: string[] = [];
  const crime = pages.flatMap((p) => p.words).filter((w) => w.text === 'CRIME');
  if (crime.length === 0) return { entries: [], problems: ['Part Two: no column "CRIME"'] };
  const titleX = Math.min(...crime.map((w) => w.x0)) - 2;

  const entries: { code: string; page: number; lines: Word[][] }[] = [];
  for (const page of pages) {
    for (const line of groupLines(page.words)) {
      const words = line.words;
      if (words[0].text === 'Section' && /^[0-9]{2}$/.test(words[1]?.text ?? '')) {
        entries.push({ code: words[1].text, page: page.page, lines: [words.slice(2)] });
        continue;
      }
      // The page title and the column headings.
      if (words[0].text === 'Part' || words.some((w) => w.text === 'LEVEL' || w.text === 'CRIME')) continue;
      const codes = words.filter((w) => w.x0 < titleX && isCode(w));
      const title = words.filter((w) => w.x0 >= titleX);
      const other = words.filter((w) => w.x0 < titleX && !isCode(w));
      if (codes.length > 1) problems.push(`Part Two page ${page.page}: several codes on a line: ${codes.map((c) => c.text).join(' ')}`);
      if (codes.length > 0) {
        entries.push({ code: codes[0].text, page: page.page, lines: [title] });
      } else if (title.length > 0) {
        const last = entries[entries.length - 1];
        if (last) last.lines.push(title);
        else problems.push(`Part Two page ${page.page}: a title before any code`);
      } else if (other.length > 0 && !(other.length === 1 && /^[0-9]{1,3}$/.test(other[0].text))) {
        // A lone number below the table is the page number; anything else is unexpected.
        problems.push(`Part Two page ${page.page}: unread line "${other.map((w) => w.text).join(' ')}"`);
      }
    }
  }
  return {
    entries: entries.map((e) => ({ code: e.code, page: e.page, title: joinLines(e.lines.map((words) => ({ page: e.page, y: 0, words }))) })),
    problems,
  };
}
