/**
 * The words of a PDF with their positions, from poppler's `pdftotext -tsv`, turned into the
 * frame a reader sees: the ICCS Table I pages are landscape tables printed on portrait pages
 * (text running bottom to top), so every word is rotated back to left-to-right, top-to-bottom.
 *
 * `x` grows along the reading direction, `y` down the page as read, `size` is the height of
 * the word's box across the reading direction (≈ the font size: 10.26 for the table's body,
 * 11.67 for its bold labels, 6.84 for footnote marks). Pure except `runPdftotext`.
 */
import { spawnSync } from 'node:child_process';

export class PdftotextError extends Error {
  override name = 'PdftotextError';
}

/** One word as pdftotext gives it (page coordinates, points, origin top left). */
export interface RawWord {
  readonly page: number;
  /** pdftotext's flow / block / line numbering: words of one line share it. */
  readonly lineKey: string;
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly text: string;
}

/** A word in reading coordinates. */
export interface Word {
  readonly page: number;
  readonly text: string;
  /** Start and end along the reading direction. */
  readonly x0: number;
  readonly x1: number;
  /** Top of the word's box, across the reading direction. */
  readonly y: number;
  /** Height of the box across the reading direction (≈ font size). */
  readonly size: number;
}

export type Orientation = 'upright' | 'bottom-to-top' | 'top-to-bottom';

export interface PdfPage {
  readonly page: number;
  readonly width: number;
  readonly height: number;
  readonly orientation: Orientation;
  /** Words in reading coordinates, in pdftotext's order. */
  readonly words: readonly Word[];
}

/**
 * Runs `pdftotext -tsv` on pages first..last of the PDF and returns its output. Throws a
 * PdftotextError that says what to install when the program is missing.
 */
export function runPdftotext(pdf: string, first: number, last: number, program = 'pdftotext'): string {
  const r = spawnSync(program, ['-tsv', '-enc', 'UTF-8', '-f', String(first), '-l', String(last), pdf, '-'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PdftotextError(`${program} is not installed: it comes with poppler (Debian/Ubuntu: apt-get install poppler-utils; macOS: brew install poppler)`);
    }
    throw new PdftotextError(`${program} could not run: ${r.error.message}`);
  }
  if (r.status !== 0) throw new PdftotextError(`${program} failed on ${pdf} (exit ${r.status}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** The version line of pdftotext (`pdftotext version 22.12.0`), or undefined when it cannot run. */
export function pdftotextVersion(program = 'pdftotext'): string | undefined {
  const r = spawnSync(program, ['-v'], { encoding: 'utf8' });
  if (r.error) return undefined;
  return `${r.stdout}${r.stderr}`.split('\n').find((l) => /version/i.test(l))?.trim();
}

/** Parses `pdftotext -tsv` output into pages (size) and their words. */
export function parsePdftotextTsv(tsv: string): { pages: Map<number, { width: number; height: number }>; words: RawWord[] } {
  const pages = new Map<number, { width: number; height: number }>();
  const words: RawWord[] = [];
  const lines = tsv.split('\n');
  const header = lines[0]?.split('\t') ?? [];
  const expected = ['level', 'page_num', 'par_num', 'block_num', 'line_num', 'word_num', 'left', 'top', 'width', 'height', 'conf', 'text'];
  if (expected.some((c, i) => header[i] !== c)) throw new PdftotextError(`unexpected pdftotext -tsv header: ${lines[0]}`);
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const f = line.split('\t');
    if (f.length < 12) throw new PdftotextError(`bad pdftotext -tsv line: ${line}`);
    const [level, page, par, block, ln] = f;
    const text = f.slice(11).join('\t');
    const n = (s: string) => Number(s);
    if (level === '1') pages.set(n(page), { width: n(f[8]), height: n(f[9]) });
    if (level !== '5') continue;
    words.push({ page: n(page), lineKey: `${par}/${block}/${ln}`, left: n(f[6]), top: n(f[7]), width: n(f[8]), height: n(f[9]), text });
  }
  return { pages, words };
}

/**
 * How the text of a page runs: words much taller than wide are rotated; their order within a
 * pdftotext line says which way (the y of the next word decreases when reading bottom to top).
 */
export function orientationOf(words: readonly RawWord[]): Orientation {
  let rotated = 0;
  let upright = 0;
  for (const w of words) {
    if (w.text.length < 4) continue;
    if (w.height > w.width * 1.5) rotated += 1;
    else if (w.width > w.height * 1.5) upright += 1;
  }
  if (rotated <= upright) return 'upright';
  let up = 0;
  let down = 0;
  for (let i = 1; i < words.length; i++) {
    const a = words[i - 1];
    const b = words[i];
    if (a.lineKey !== b.lineKey) continue;
    if (b.top < a.top) up += 1;
    else if (b.top > a.top) down += 1;
  }
  return up >= down ? 'bottom-to-top' : 'top-to-bottom';
}

/** A raw word in reading coordinates of a page of the given size and orientation. */
export function toReadingFrame(w: RawWord, o: Orientation, pageWidth: number, pageHeight: number): Word {
  switch (o) {
    case 'upright':
      return { page: w.page, text: w.text, x0: w.left, x1: w.left + w.width, y: w.top, size: w.height };
    case 'bottom-to-top':
      return { page: w.page, text: w.text, x0: pageHeight - (w.top + w.height), x1: pageHeight - w.top, y: w.left, size: w.width };
    case 'top-to-bottom':
      return { page: w.page, text: w.text, x0: w.top, x1: w.top + w.height, y: pageWidth - (w.left + w.width), size: w.width };
  }
}

/** The pages of a `pdftotext -tsv` output, each in its reading frame. */
export function readPages(tsv: string): PdfPage[] {
  const { pages, words } = parsePdftotextTsv(tsv);
  const byPage = new Map<number, RawWord[]>();
  for (const w of words) {
    const list = byPage.get(w.page) ?? [];
    list.push(w);
    byPage.set(w.page, list);
  }
  return [...pages.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([page, size]) => {
      const raw = byPage.get(page) ?? [];
      const orientation = orientationOf(raw);
      return { page, ...size, orientation, words: raw.map((w) => toReadingFrame(w, orientation, size.width, size.height)) };
    });
}
