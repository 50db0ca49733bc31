/**
 * The ICCS's own notes on its categories, read from `sdmx/sources/iccs/iccs-notes.json` (written
 * by `npm run iccs-notes` from the official PDF, reviewed and committed; provenance in the
 * folder's README), for `CL_ICCS`: each division, group and class gets the document's
 * description as its SDMX description, its inclusions and exclusions as annotations, and the
 * page they are quoted from (the annotation types and why one per list: src/sdmx/iccs-notes.ts).
 *
 * The build reads the committed JSON, never the PDF, so it needs no poppler and gives the same
 * bytes everywhere. The file is checked against the codelist it annotates: the same codes in the
 * same order, the same levels and labels, every field of the type it should be.
 */
import type { Annotation } from '../../sdmx/model.js';
import {
  ICCS_EXCLUSIONS_ANNOTATION,
  ICCS_INCLUSIONS_ANNOTATION,
  ICCS_SOURCE_ANNOTATION,
  notesListAnnotation,
} from '../../sdmx/iccs-notes.js';
import { PRINTED_PAGE_OFFSET } from '../iccs-notes/notes.js';
import type { IccsRow } from './iccs.js';

/** The language of the notes: the English edition is the one they are quoted from. */
export const ICCS_NOTES_LANG = 'en';
/** The file, as the error messages name it. */
const FILE = 'sdmx/sources/iccs/iccs-notes.json';

export interface IccsCategoryNotes {
  readonly code: string;
  /** PDF page of ICCS_English_2016_web.pdf where the category's row starts (printed page + 2). */
  readonly pdfPage: number;
  /** null for the sections, which Table I prints as running headers only. */
  readonly description: string | null;
  readonly inclusions: readonly string[];
  /** The exclusions' texts as printed (the codes they name are in the file, not carried over). */
  readonly exclusions: readonly string[];
}

export interface IccsNotes {
  /** The bibliographic citation of the document (source.citation). */
  readonly citation: string;
  /** SHA-256 of the PDF the notes were extracted from. */
  readonly sha256: string;
  /** One entry per code of the codelist, in its order. */
  readonly categories: readonly IccsCategoryNotes[];
}

export class IccsNotesError extends Error {
  override name = 'IccsNotesError';
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: Json): v is string => typeof v === 'string' && v.trim() !== '' && v.trim() === v;

/** Parses the notes file and checks it against the codelist rows (IccsNotesError naming the code and field). */
export function parseIccsNotes(json: string, rows: readonly IccsRow[]): IccsNotes {
  let doc: Json;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    throw new IccsNotesError(`${FILE}: not JSON (${(e as Error).message})`);
  }
  if (!isObject(doc) || !isObject(doc.source) || !Array.isArray(doc.categories)) {
    throw new IccsNotesError(`${FILE}: expected an object with "source" and "categories"`);
  }
  const { citation, sha256 } = doc.source;
  if (!isText(citation)) throw new IccsNotesError(`${FILE}: source.citation is missing`);
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) throw new IccsNotesError(`${FILE}: source.sha256 is not a SHA-256`);
  const all: Json[] = doc.categories;
  if (all.length !== rows.length) throw new IccsNotesError(`${FILE}: ${all.length} categories, the codelist has ${rows.length}`);
  const categories = rows.map((row, i) => category(all[i], row, i));
  return { citation, sha256, categories };
}

function category(c: Json, row: IccsRow, index: number): IccsCategoryNotes {
  const where = `${FILE}: categories[${index}]`;
  if (!isObject(c)) throw new IccsNotesError(`${where} is not an object`);
  if (c.code !== row.code) throw new IccsNotesError(`${where} is ${JSON.stringify(c.code)}, the codelist has ${row.code} there (same codes, same order)`);
  const at = `${FILE}: ${row.code}`;
  if (c.level !== row.level) throw new IccsNotesError(`${at}: level ${JSON.stringify(c.level)}, the codelist says ${row.level}`);
  if (c.label !== row.en) throw new IccsNotesError(`${at}: label ${JSON.stringify(c.label)}, the codelist says "${row.en}"`);
  if (!Number.isInteger(c.page) || (c.page as number) <= PRINTED_PAGE_OFFSET) throw new IccsNotesError(`${at}: page ${JSON.stringify(c.page)} is not a page of the document`);
  if (c.description !== null && !isText(c.description)) throw new IccsNotesError(`${at}: description is neither null nor a text`);
  const list = (field: 'inclusions' | 'exclusions', item: (v: Json) => Json): string[] => {
    const v = c[field];
    if (!Array.isArray(v)) throw new IccsNotesError(`${at}: ${field} is not a list`);
    return v.map((x, i) => {
      const t = item(x);
      // Items are joined with "; " in the annotation and split there again.
      if (!isText(t) || t.includes(';')) throw new IccsNotesError(`${at}: ${field}[${i}] is not a text without semicolons`);
      return t;
    });
  };
  return {
    code: row.code,
    pdfPage: c.page as number,
    description: c.description,
    inclusions: list('inclusions', (x) => x),
    exclusions: list('exclusions', (x) => (isObject(x) && Array.isArray(x.codes) ? x.text : undefined)),
  };
}

/** True when the document says anything about the category beyond its label. */
export function hasNotes(n: IccsCategoryNotes): boolean {
  return n.description !== null || n.inclusions.length > 0 || n.exclusions.length > 0;
}

/**
 * `ICCS v1.0 (UNODC 2015), Table I, p. 33`: where a category's notes are printed, with the page
 * number printed on the page (the PDF page is PRINTED_PAGE_OFFSET more).
 */
export function notesLocator(n: IccsCategoryNotes): string {
  return `ICCS v1.0 (UNODC 2015), Table I, p. ${n.pdfPage - PRINTED_PAGE_OFFSET}`;
}

/**
 * The annotations that carry a category's notes, after its ICCS_LEVEL: ICCS_INCLUSIONS and
 * ICCS_EXCLUSIONS (when the document gives any), ICCS_SOURCE (title: where in the document they
 * are printed, as a citation's locator; no text, so it is not repeated in every language and the
 * 309 of them stay small). None for a category the document says nothing about (the sections).
 */
export function iccsNotesAnnotations(n: IccsCategoryNotes): Annotation[] {
  if (!hasNotes(n)) return [];
  return [
    notesListAnnotation(ICCS_INCLUSIONS_ANNOTATION, n.inclusions, ICCS_NOTES_LANG),
    notesListAnnotation(ICCS_EXCLUSIONS_ANNOTATION, n.exclusions, ICCS_NOTES_LANG),
    { type: ICCS_SOURCE_ANNOTATION, title: notesLocator(n) },
  ].filter((a): a is Annotation => a !== undefined);
}
