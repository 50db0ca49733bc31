/**
 * The ICCS v1.0 classification (UNODC 2015) as SDMX: the codelist `CL_ICCS` and the levelled
 * hierarchy `HCL_ICCS`, both from `sdmx/sources/iccs/iccs-codelist.csv` (copied byte for byte
 * from the shared reference data; provenance in its README), and in `CL_ICCS` the document's
 * own notes on each category from `sdmx/sources/iccs/iccs-notes.json` (iccs-notes.ts).
 *
 * Choices: codes keep their leading zeros (they are strings, `01` ≠ `1`); the hierarchy is the
 * `parent` column, never re-derived from code prefixes; each code carries an `ICCS_LEVEL`
 * annotation (title `1`…`4`), always its first, so clients can filter a level without walking
 * the tree. Only `CL_ICCS` carries the notes: `CL_OFFENCE` (codelists.ts) takes the codes with
 * their names and levels alone, so the DSD's codelist and the messages that embed it stay lean.
 */
import type { Annotation, Code, Codelist, HierarchicalCode, HierarchicalCodelist } from '../../sdmx/model.js';
import { ICCS_EXCLUSIONS_ANNOTATION, ICCS_INCLUSIONS_ANNOTATION, ICCS_SOURCE_ANNOTATION, SOURCE_ANNOTATION } from '../../sdmx/iccs-notes.js';
import { AGENCY, CODELIST, VERSION, codelist } from './common.js';
import { parseCsvRecords } from './csv.js';
import { PRINTED_PAGE_OFFSET } from '../iccs-notes/notes.js';
import { ICCS_NOTES_LANG, type IccsNotes, hasNotes, iccsNotesAnnotations } from './iccs-notes.js';

export interface IccsRow {
  readonly code: string;
  /** '' for level 1. */
  readonly parent: string;
  readonly level: 1 | 2 | 3 | 4;
  readonly en: string;
  readonly es: string;
}

export const ICCS_CODE_COUNT = 320;
export const ICCS_LEVEL_ANNOTATION = 'ICCS_LEVEL';
/** Code length at each level (README of the source: 2, 4, 5 and 6 digits). */
const LENGTH_AT_LEVEL = [0, 2, 4, 5, 6] as const;

export class IccsSourceError extends Error {
  override name = 'IccsSourceError';
}

/** Parses and checks the ICCS CSV: unique codes, digits only, parents that exist one level up. */
export function parseIccsCsv(csv: string): IccsRow[] {
  const records = parseCsvRecords(csv, ['code', 'parent', 'level', 'label_en', 'label_es'] as const);
  const rows: IccsRow[] = [];
  const byCode = new Map<string, IccsRow>();
  for (const r of records) {
    const level = Number(r.level);
    if (![1, 2, 3, 4].includes(level)) throw new IccsSourceError(`${r.code}: bad level "${r.level}"`);
    if (!/^[0-9]+$/.test(r.code) || r.code.length !== LENGTH_AT_LEVEL[level]) {
      throw new IccsSourceError(`${r.code}: not a level-${level} ICCS code`);
    }
    if (byCode.has(r.code)) throw new IccsSourceError(`${r.code}: duplicate code`);
    if (!r.label_en.trim() || !r.label_es.trim()) throw new IccsSourceError(`${r.code}: missing label`);
    if (level === 1 ? r.parent !== '' : byCode.get(r.parent)?.level !== level - 1) {
      // Rows are in depth-first order, so a parent is always read before its children.
      throw new IccsSourceError(`${r.code}: parent "${r.parent}" is not a level-${level - 1} code above it`);
    }
    const row: IccsRow = { code: r.code, parent: r.parent, level: level as IccsRow['level'], en: r.label_en, es: r.label_es };
    rows.push(row);
    byCode.set(row.code, row);
  }
  return rows;
}

const levelAnnotation = (level: number): Annotation => ({ type: ICCS_LEVEL_ANNOTATION, title: String(level) });

/** ICCS rows as SDMX codes, in source (depth-first) order. */
export function iccsCodes(rows: readonly IccsRow[]): Code[] {
  return rows.map((r) => ({
    id: r.code,
    name: { en: r.en, es: r.es },
    ...(r.parent ? { parentID: r.parent } : {}),
    annotations: [levelAnnotation(r.level)],
  }));
}

export const ICCS_NAME = {
  en: 'International Classification of Crime for Statistical Purposes (ICCS), version 1.0',
  es: 'Clasificación Internacional de Delitos con Fines Estadísticos (ICCS), versión 1.0',
} as const;

const ICCS_LABELS_SOURCE =
  'Labels: Part Two "Broad and detailed structure" of the ICCS; Spanish labels from the Spanish 2016 edition. Reproduced ' +
  'with acknowledgement of the source.';

/**
 * `CL_ICCS`: the 320 codes with their labels and levels, and on each division, group and class
 * the ICCS's description (the code's description), inclusions and exclusions, quoted from the
 * English edition (the notes' source is cited in the codelist's description and its SOURCE
 * annotation, the page of each category in its ICCS_SOURCE annotation).
 */
export function buildIccsCodelist(rows: readonly IccsRow[], notes: IccsNotes): Codelist {
  const counts = [1, 2, 3, 4].map((l) => rows.filter((r) => r.level === l).length);
  const described = notes.categories.filter(hasNotes).length;
  const byCode = new Map(notes.categories.map((n) => [n.code, n]));
  const codes = iccsCodes(rows).map((code): Code => {
    const n = byCode.get(code.id);
    // parseIccsNotes checked that every code has its entry.
    if (!n) throw new IccsSourceError(`${code.id}: no entry in the ICCS notes`);
    return {
      ...code,
      ...(n.description !== null ? { description: { [ICCS_NOTES_LANG]: n.description } } : {}),
      annotations: [...(code.annotations ?? []), ...iccsNotesAnnotations(n)],
    };
  });
  return {
    ...codelist({
      id: 'CL_ICCS',
      name: ICCS_NAME,
      description: {
        en:
          `All ${rows.length} categories of the ICCS v1.0 (UNODC 2015) in its four levels: ${counts[0]} sections, ` +
          `${counts[1]} divisions, ${counts[2]} groups and ${counts[3]} classes. The hierarchy is given by each ` +
          `code's parent; the annotation ${ICCS_LEVEL_ANNOTATION} gives the level (1 to 4). The ${described} divisions, ` +
          `groups and classes carry the ICCS's own notes, quoted verbatim from its Table I: the description of the ` +
          `category as the code's description, its inclusions and exclusions as the annotations ` +
          `${ICCS_INCLUSIONS_ANNOTATION} and ${ICCS_EXCLUSIONS_ANNOTATION} (items separated by "; "), and the page ` +
          `they are printed on as the title of ${ICCS_SOURCE_ANNOTATION} (the page number printed in the document; ` +
          `the PDF page is ${PRINTED_PAGE_OFFSET} more); the ICCS gives no notes for the sections. The notes are in ` +
          `English only, as in the English edition they are quoted from (file ICCS_English_2016_web.pdf, SHA-256 ` +
          `${notes.sha256}); they have no Spanish text here. Source: ${notes.citation} ${ICCS_LABELS_SOURCE}`,
        es:
          `Las ${rows.length} categorías de la ICCS v1.0 (UNODC 2015) en sus cuatro niveles: ${counts[0]} secciones, ` +
          `${counts[1]} divisiones, ${counts[2]} grupos y ${counts[3]} clases. Las descripciones, inclusiones y ` +
          `exclusiones de las categorías (anotaciones ${ICCS_INCLUSIONS_ANNOTATION} y ${ICCS_EXCLUSIONS_ANNOTATION}) ` +
          `se citan del cuadro I de la edición inglesa y solo están en inglés. Fuente: ${notes.citation}`,
      },
      codes,
    }),
    annotations: [{ type: SOURCE_ANNOTATION, text: { en: notes.citation } }],
  };
}

export const ICCS_LEVELS = [
  { id: 'SECTION', name: { en: 'Section', es: 'Sección' } },
  { id: 'DIVISION', name: { en: 'Division', es: 'División' } },
  { id: 'GROUP', name: { en: 'Group', es: 'Grupo' } },
  { id: 'CLASS', name: { en: 'Class', es: 'Clase' } },
] as const;

/** `HCL_ICCS`: one hierarchy `ICCS_TREE`, levelled Section → Division → Group → Class. */
export function buildIccsHierarchy(rows: readonly IccsRow[]): HierarchicalCodelist {
  const cl = CODELIST('CL_ICCS');
  const children = new Map<string, IccsRow[]>();
  for (const r of rows) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const node = (r: IccsRow): HierarchicalCode => ({
    id: r.code,
    code: { class: 'Code', scheme: cl, id: r.code },
    levelID: ICCS_LEVELS[r.level - 1].id,
    children: (children.get(r.code) ?? []).map(node),
  });
  return {
    class: 'HierarchicalCodelist',
    agencyID: AGENCY,
    id: 'HCL_ICCS',
    version: VERSION,
    isFinal: true,
    name: { en: 'ICCS v1.0 hierarchy', es: 'Jerarquía de la ICCS v1.0' },
    description: {
      en:
        'The four-level tree of the ICCS v1.0 (UNODC 2015) over the codelist CL_ICCS: sections, divisions, ' +
        'groups and classes, each code placed under its parent and tagged with its level. Not every division ' +
        'or group is subdivided further, by design of the ICCS.',
    },
    includedCodelists: [{ alias: 'ICCS', ref: cl }],
    hierarchies: [
      {
        id: 'ICCS_TREE',
        name: { en: 'ICCS v1.0 structure', es: 'Estructura de la ICCS v1.0' },
        description: { en: 'Section → Division → Group → Class, as in ICCS Part Two.' },
        levels: ICCS_LEVELS,
        hierarchicalCodes: (children.get('') ?? []).map(node),
      },
    ],
  };
}

