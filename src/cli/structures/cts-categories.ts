/**
 * The UN-CTS offence categories and their correspondence to ICCS, from
 * `sdmx/sources/iccs/cts-category-to-iccs.csv`: the codelist `CL_CTS_CATEGORY` (the categories
 * as the UNODC data portal files spell them) and the map `RM_CTS_ICCS` from it to `CL_ICCS`
 * (a StructureSet holding one CodelistMap in SDMX 2.1, a RepresentationMap in 3.0).
 *
 * Choices:
 * - Code ids are made from the UN-CTS dimension and the ICCS code: `ACTS_` (by type of criminal
 *   acts, the ICCS sections), `SEL_` (by selected crime), `OFF_` (by type of offence), then the
 *   code, then `_CY` for the cyber-related variant (the ICCS "Cy" tag). Rows that differ only in
 *   case or hyphenation ("Drug Trafficking", "environ-ment") are one category; each spelling is
 *   kept as a `CTS_CATEGORY` annotation, with the CSV's note, so every row of the CSV is in the
 *   codelist. The CSV's `match` column is the `ICCS_MATCH` annotation.
 * - A residual category ("Corruption: Other acts of corruption", no single ICCS code) gets the
 *   id of its parent category plus `_OTH` and maps to every ICCS child of the parent's code that
 *   no sibling category claims (0703 minus 07031: 07032…07039), one pair each.
 */
import type { Annotation, Code, Codelist, CodeMapping, RepresentationMap } from '../../sdmx/model.js';
import { AGENCY, CODELIST, VERSION } from './common.js';
import { parseCsvRecords } from './csv.js';
import type { IccsRow } from './iccs.js';

export class CtsCategoryError extends Error {
  override name = 'CtsCategoryError';
}

export interface CtsCategoryRow {
  readonly cts_category: string;
  readonly cts_dimension: string;
  readonly iccs_code: string;
  readonly iccs_label_en: string;
  readonly match: string;
  readonly note: string;
}

export const CTS_CATEGORY_COLUMNS = ['cts_category', 'cts_dimension', 'iccs_code', 'iccs_label_en', 'match', 'note'] as const;

export function parseCtsCategoryCsv(csv: string): CtsCategoryRow[] {
  return parseCsvRecords(csv, CTS_CATEGORY_COLUMNS);
}

const PREFIX: Readonly<Record<string, string>> = {
  'by type of criminal acts': 'ACTS',
  'by selected crime': 'SEL',
  'by type of offence': 'OFF',
};

const normalised = (s: string) => s.toLowerCase().replace(/-/g, '');

interface Category {
  readonly id: string;
  readonly rows: CtsCategoryRow[];
  readonly targets: string[];
}

/** Groups the CSV rows into categories with their ICCS targets. */
export function ctsCategories(rows: readonly CtsCategoryRow[], iccs: readonly IccsRow[]): Category[] {
  const codes = new Set(iccs.map((r) => r.code));
  const idOf = (r: CtsCategoryRow): string => {
    const prefix = PREFIX[r.cts_dimension];
    if (!prefix) throw new CtsCategoryError(`"${r.cts_category}": unknown UN-CTS dimension "${r.cts_dimension}"`);
    const cyber = /cyber-related/i.test(r.cts_category) ? '_CY' : '';
    if (r.iccs_code) return `${prefix}_${r.iccs_code}${cyber}`;
    return `${prefix}_${parentRow(r).iccs_code}_OTH`;
  };
  const parentRow = (r: CtsCategoryRow): CtsCategoryRow => {
    const head = r.cts_category.split(':')[0]!.trim();
    const parent = rows.find((o) => o.cts_dimension === r.cts_dimension && o.cts_category === head && o.iccs_code);
    if (!parent) throw new CtsCategoryError(`"${r.cts_category}": residual category without a parent category "${head}"`);
    return parent;
  };
  const byId = new Map<string, Category>();
  for (const r of rows) {
    if (r.iccs_code && !codes.has(r.iccs_code)) throw new CtsCategoryError(`"${r.cts_category}": ${r.iccs_code} is not an ICCS code`);
    const id = idOf(r);
    const held = byId.get(id);
    if (held) {
      if (normalised(held.rows[0]!.cts_category) !== normalised(r.cts_category)) {
        throw new CtsCategoryError(`"${r.cts_category}" and "${held.rows[0]!.cts_category}" would share the id ${id}`);
      }
      held.rows.push(r);
      continue;
    }
    let targets: string[];
    if (r.iccs_code) targets = [r.iccs_code];
    else {
      const parent = parentRow(r);
      const claimed = new Set(
        rows.filter((o) => o !== r && o.cts_dimension === r.cts_dimension && o.cts_category.startsWith(`${parent.cts_category}:`)).map((o) => o.iccs_code),
      );
      targets = iccs.filter((c) => c.parent === parent.iccs_code && !claimed.has(c.code)).map((c) => c.code);
      if (targets.length === 0) throw new CtsCategoryError(`"${r.cts_category}": no ICCS code left under ${parent.iccs_code}`);
    }
    byId.set(id, { id, rows: [r], targets });
  }
  return [...byId.values()];
}

function code(c: Category): Code {
  const first = c.rows[0]!;
  const annotations: Annotation[] = [
    { type: 'ICCS_MATCH', title: first.match, text: { en: MATCH_TEXT[first.match] ?? first.match } },
    ...c.rows.map((r): Annotation => ({ type: 'CTS_CATEGORY', title: r.cts_category, ...(r.note ? { text: { en: r.note } } : {}) })),
  ];
  return {
    id: c.id,
    name: { en: first.cts_category },
    description: {
      en:
        `UN-CTS category "${first.cts_category}" (dimension "${first.cts_dimension}"): ICCS ` +
        (first.iccs_code ? `${first.iccs_code} ${first.iccs_label_en}.` : `${c.targets.join(', ')} (no single ICCS code).`),
    },
    annotations,
  };
}

const MATCH_TEXT: Readonly<Record<string, string>> = {
  exact: 'Same label as the ICCS, ignoring case or obvious typos.',
  variant: 'The alternative ICCS wording of the section (ICCS Part One level-1 list).',
  abbreviated: 'UNODC shortened the ICCS label.',
  judgement: 'Mapped by name; not verified against UN-CTS metadata.',
  residual: 'No single ICCS code fits: mapped to each ICCS code it covers.',
};

export function buildCtsCategoryArtefacts(rows: readonly CtsCategoryRow[], iccs: readonly IccsRow[]): [Codelist, RepresentationMap] {
  const categories = ctsCategories(rows, iccs);
  const codelist: Codelist = {
    class: 'Codelist',
    agencyID: AGENCY,
    id: 'CL_CTS_CATEGORY',
    version: VERSION,
    isFinal: true,
    name: { en: 'UN-CTS offence categories', es: 'Categorías de delitos de la UN-CTS' },
    description: {
      en:
        'The offence categories of the UNODC UN-CTS data portal files (by type of criminal acts, by selected crime, by ' +
        'type of offence), as the files spell them. Source: UNODC Research – Data Portal (UN-CTS).',
    },
    items: categories.map(code),
  };
  const mappings: CodeMapping[] = categories.flatMap((c) => c.targets.map((target) => ({ source: c.id, target })));
  const map: RepresentationMap = {
    class: 'RepresentationMap',
    agencyID: AGENCY,
    id: 'RM_CTS_ICCS',
    version: VERSION,
    isFinal: true,
    name: { en: 'UN-CTS categories to ICCS', es: 'Categorías de la UN-CTS a la ICCS' },
    description: {
      en:
        'Correspondence of the UN-CTS offence categories to ICCS v1.0 codes, derived by name by this project (see the ' +
        'ICCS_MATCH annotation of each category). The data loader follows the same correspondence, with the residual ' +
        'category as the OFFENCE code 0703_OTH.',
    },
    source: CODELIST('CL_CTS_CATEGORY'),
    target: CODELIST('CL_ICCS'),
    mappings,
  };
  return [codelist, map];
}
