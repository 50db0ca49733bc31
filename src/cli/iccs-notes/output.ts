/**
 * The notes file `sdmx/sources/iccs/iccs-notes.json`: a source block that cites the document,
 * the corrections of its misprints, then one object per code sorted by code. JSON with two-space
 * indentation and a fixed key order, so a review reads it line by line and the same PDF always
 * gives the same bytes.
 */
import type { Correction, IccsNote, TitleVariant } from './notes.js';
import { PART_TWO_PAGES, PRINTED_PAGE_OFFSET, TABLE_ONE_PAGES } from './notes.js';

/** SHA-256 of ICCS_English_2016_web.pdf (sdmx/sources/iccs/README.md). */
export const EXPECTED_PDF_SHA256 = '13e5b9639146ffd03caac97b81cc506e81a39d14ac99fc6a23c39329dc83d596';

const printed = (pdfPage: number) => pdfPage - PRINTED_PAGE_OFFSET;

export const SOURCE = {
  title: 'International Classification of Crime for Statistical Purposes (ICCS), Version 1.0',
  publisher: 'United Nations Office on Drugs and Crime (UNODC)',
  year: 2015,
  edition: 'English, March 2015; web edition of 2016-04-22 (file ICCS_English_2016_web.pdf, 133 pages)',
  sha256: EXPECTED_PDF_SHA256,
  citation:
    'United Nations Office on Drugs and Crime (UNODC), International Classification of Crime for Statistical Purposes (ICCS), Version 1.0, March 2015. © United Nations, 2015.',
  terms:
    'The publication "may be reproduced in whole or in part and in any form for educational or non-profit purposes without special permission from the copyright holder, provided acknowledgement of the source is made." The ICCS is an official United Nations statistical classification (endorsed by the UN Statistical Commission in 2015).',
  pages: `Descriptions, inclusions and exclusions: Table I "International Classification of Crime for Statistical purposes (ICCS)", PDF pages ${TABLE_ONE_PAGES.first}–${TABLE_ONE_PAGES.last} (printed pages ${printed(TABLE_ONE_PAGES.first)}–${printed(TABLE_ONE_PAGES.last)}). Level-1 titles: Part Two "Broad and detailed structure", PDF pages ${PART_TWO_PAGES.first}–${PART_TWO_PAGES.last} (printed ${printed(PART_TWO_PAGES.first)}–${printed(PART_TWO_PAGES.last)}). "page" below is the PDF page on which the category starts; the printed page number is ${PRINTED_PAGE_OFFSET} less.`,
  note:
    'Texts are quoted verbatim from the official document, for reference: wording, spelling and capitalisation as printed. Lines are joined with single spaces, an item list is split at its semicolons (a trailing semicolon gives no item, a list printed as a dash alone is empty), notes under a description ("- Negligent as defined in footnote 48.") start a new line. Footnote marks and the footnotes themselves are left out. Level-1 sections have no description, inclusions or exclusions in the document. "codes" of an exclusion are the ICCS codes its text names, in order (a range names its two ends). "label" is the title in the Part Two structure tables, as in the ICCS codelist; where Table I titles a category otherwise, both are listed under "tableOneTitles". Misprints are kept in the texts; where a code is misprinted (the code of a row, a code an exclusion names), the code used is listed under "corrections".',
  extraction: 'npm run iccs-notes -- ICCS_English_2016_web.pdf (src/cli/extract-iccs-notes.ts: poppler pdftotext -tsv, words placed by position)',
} as const;

/** The file's text. */
export function renderNotesFile(notes: readonly IccsNote[], corrections: readonly Correction[], titleVariants: readonly TitleVariant[]): string {
  const sortedNotes = [...notes].sort((a, b) => cmp(a.code, b.code));
  const sortedCorrections = [...corrections].sort((a, b) => cmp(a.code, b.code) || cmp(a.field, b.field) || cmp(a.printed, b.printed));
  const doc = {
    source: SOURCE,
    tableOneTitles: [...titleVariants]
      .sort((a, b) => cmp(a.code, b.code))
      .map((v) => ({ code: v.code, partTwo: v.partTwo, tableOne: v.tableOne, page: v.page })),
    corrections: sortedCorrections.map((c) => ({ code: c.code, field: c.field, printed: c.printed, used: c.used, page: c.page, reason: c.reason })),
    categories: sortedNotes.map((n) => ({
      code: n.code,
      level: n.level,
      label: n.label,
      page: n.page,
      description: n.description,
      inclusions: n.inclusions,
      exclusions: n.exclusions.map((e) => ({ text: e.text, codes: e.codes })),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
