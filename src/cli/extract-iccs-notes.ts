/**
 * `npm run iccs-notes [-- PDF] [--out FILE]`: extracts the description, inclusions and
 * exclusions of every ICCS category from the official ICCS v1.0 PDF (English 2016 web edition,
 * Table I) into `sdmx/sources/iccs/iccs-notes.json`, checks them code by code against
 * `sdmx/sources/iccs/iccs-codelist.csv`, and prints a summary and every anomaly found.
 *
 * PDF defaults to the copy of the official document kept beside the notes,
 * `sdmx/sources/iccs/ICCS_English_2016_web.pdf` (provenance in that folder's README).
 * Needs poppler's `pdftotext` (Debian: poppler-utils). The output is deterministic: the same PDF
 * gives the same bytes (test/e2e/iccs-notes-pdf.test.ts checks the committed file). Exits 1 when
 * an anomaly is left (the file is written all the same, for review), 2 on bad usage or a
 * missing program or file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../project-root.js';
import { parseIccsCsv } from './structures/iccs.js';
import { PdftotextError, readPages, runPdftotext } from './iccs-notes/pdf-words.js';
import { PART_TWO_PAGES, TABLE_ONE_PAGES, extractNotes, summarise } from './iccs-notes/notes.js';
import { EXPECTED_PDF_SHA256, renderNotesFile } from './iccs-notes/output.js';

export const DEFAULT_PDF = path.join(PROJECT_ROOT, 'sdmx/sources/iccs/ICCS_English_2016_web.pdf');
export const DEFAULT_OUT = path.join(PROJECT_ROOT, 'sdmx/sources/iccs/iccs-notes.json');
export const CODELIST_CSV = path.join(PROJECT_ROOT, 'sdmx/sources/iccs/iccs-codelist.csv');

export interface RunResult {
  readonly text: string;
  readonly summary: ReturnType<typeof summarise>;
  readonly anomalies: string[];
  /** Misprints kept as printed, for the record. */
  readonly notices: string[];
  readonly corrections: number;
  readonly titleVariants: number;
  readonly sha256: string;
}

/** Extracts the notes of the PDF and renders the file's text (no writing). */
export function extractFromPdf(pdf: string, codelistCsv: string = CODELIST_CSV, pdftotext = 'pdftotext'): RunResult {
  if (!existsSync(pdf)) throw new PdftotextError(`no PDF at ${pdf}`);
  const sha256 = createHash('sha256').update(readFileSync(pdf)).digest('hex');
  const codelist = parseIccsCsv(readFileSync(codelistCsv, 'utf8'));
  const tablePages = readPages(runPdftotext(pdf, TABLE_ONE_PAGES.first, TABLE_ONE_PAGES.last, pdftotext));
  const partTwoPages = readPages(runPdftotext(pdf, PART_TWO_PAGES.first, PART_TWO_PAGES.last, pdftotext));
  const { notes, corrections, titleVariants, anomalies, notices } = extractNotes(codelist, tablePages, partTwoPages);
  if (sha256 !== EXPECTED_PDF_SHA256) {
    anomalies.unshift(`the PDF's SHA-256 is ${sha256}, not that of the ICCS_English_2016_web.pdf the notes were checked on (${EXPECTED_PDF_SHA256})`);
  }
  return {
    text: renderNotesFile(notes, corrections, titleVariants),
    summary: summarise(notes),
    anomalies,
    notices,
    corrections: corrections.length,
    titleVariants: titleVariants.length,
    sha256,
  };
}

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string', default: DEFAULT_OUT }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length > 1) {
    console.error('usage: npm run iccs-notes -- [PDF] [--out FILE]');
    console.error(`  PDF   the ICCS v1.0 English PDF (default ${path.relative(process.cwd(), DEFAULT_PDF)})`);
    console.error(`  --out where to write the notes (default ${path.relative(process.cwd(), DEFAULT_OUT)})`);
    return values.help ? 0 : 2;
  }
  const pdf = path.resolve(positionals[0] ?? DEFAULT_PDF);
  let result: RunResult;
  try {
    result = extractFromPdf(pdf);
  } catch (e) {
    if (e instanceof PdftotextError) {
      console.error(`iccs-notes: ${e.message}`);
      return 2;
    }
    throw e;
  }
  writeFileSync(values.out!, result.text);
  const s = result.summary;
  console.log(`wrote ${path.relative(process.cwd(), values.out!)}: ${s.codes} codes (level 1: ${s.byLevel[1] ?? 0}, 2: ${s.byLevel[2] ?? 0}, 3: ${s.byLevel[3] ?? 0}, 4: ${s.byLevel[4] ?? 0})`);
  console.log(`  with a description: ${s.description}; with inclusions: ${s.inclusions}; with exclusions: ${s.exclusions}`);
  console.log(`  codes corrected (listed under "corrections"): ${result.corrections}; Table I titles that differ from Part Two (under "tableOneTitles"): ${result.titleVariants}`);
  for (const n of result.notices) console.log(`  note: ${n}`);
  if (result.anomalies.length === 0) {
    console.log('  no anomalies');
    return 0;
  }
  console.log(`  ${result.anomalies.length} anomalies:`);
  for (const a of result.anomalies) console.log(`  - ${a}`);
  return 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
