/**
 * `CL_AREA`, the reference areas: the world, the UNODC (UN M49) regions and subregions, the
 * 249 ISO 3166-1 countries and territories, and the areas UNODC publishes that are not ISO
 * countries (the three UK jurisdictions, the two parts of Iraq, Kosovo, the Channel Islands).
 *
 * Inputs are the committed tables in `sdmx/sources/areas/` (see its README): country names
 * (`iso3166-1.csv`, from Debian iso-codes) and each area's UNODC subregion
 * (`unodc-area-subregion.csv`, from the UNODC files). Pure: the caller reads the files.
 *
 * Choices: regions use their M49 numeric codes as ids (`001`, `150`…); countries use ISO
 * alpha-3. UNODC groups the M49 intermediate regions of Africa and the Americas into
 * "Sub-Saharan Africa" (202) and "Latin America and the Caribbean" (419), and so do we.
 * Hierarchy: country → UNODC subregion → region → world; a UK jurisdiction or part of Iraq →
 * its country. A country missing from every UNODC file has no parent (we do not guess).
 */
import type { Code, Codelist } from '../../sdmx/model.js';
import { codelist, text } from './common.js';
import { parseCsvRecords } from './csv.js';

export interface AreaSpec {
  readonly id: string;
  readonly en: string;
  readonly es: string;
  readonly parent?: string;
}

/** World, regions and subregions as UNODC uses them (M49 codes, UN Spanish names). */
export const M49_AREAS: readonly AreaSpec[] = [
  { id: '001', en: 'World', es: 'Mundo' },
  { id: '002', en: 'Africa', es: 'África', parent: '001' },
  { id: '019', en: 'Americas', es: 'Américas', parent: '001' },
  { id: '142', en: 'Asia', es: 'Asia', parent: '001' },
  { id: '150', en: 'Europe', es: 'Europa', parent: '001' },
  { id: '009', en: 'Oceania', es: 'Oceanía', parent: '001' },
  { id: '202', en: 'Sub-Saharan Africa', es: 'África subsahariana', parent: '002' },
  { id: '015', en: 'Northern Africa', es: 'África septentrional', parent: '002' },
  { id: '419', en: 'Latin America and the Caribbean', es: 'América Latina y el Caribe', parent: '019' },
  { id: '021', en: 'Northern America', es: 'América septentrional', parent: '019' },
  { id: '143', en: 'Central Asia', es: 'Asia central', parent: '142' },
  { id: '030', en: 'Eastern Asia', es: 'Asia oriental', parent: '142' },
  { id: '035', en: 'South-eastern Asia', es: 'Asia sudoriental', parent: '142' },
  { id: '034', en: 'Southern Asia', es: 'Asia meridional', parent: '142' },
  { id: '145', en: 'Western Asia', es: 'Asia occidental', parent: '142' },
  { id: '151', en: 'Eastern Europe', es: 'Europa oriental', parent: '150' },
  { id: '154', en: 'Northern Europe', es: 'Europa septentrional', parent: '150' },
  { id: '039', en: 'Southern Europe', es: 'Europa meridional', parent: '150' },
  { id: '155', en: 'Western Europe', es: 'Europa occidental', parent: '150' },
  { id: '053', en: 'Australia and New Zealand', es: 'Australia y Nueva Zelandia', parent: '009' },
  { id: '054', en: 'Melanesia', es: 'Melanesia', parent: '009' },
  { id: '057', en: 'Micronesia', es: 'Micronesia', parent: '009' },
  { id: '061', en: 'Polynesia', es: 'Polinesia', parent: '009' },
];

export const REGION_IDS: ReadonlySet<string> = new Set(M49_AREAS.filter((a) => a.parent === '001').map((a) => a.id));
export const SUBREGION_IDS: ReadonlySet<string> = new Set(
  M49_AREAS.filter((a) => a.parent !== undefined && REGION_IDS.has(a.parent)).map((a) => a.id),
);

/** Areas published by UNODC that ISO 3166-1 does not list. Parents of sub-national areas are fixed. */
export const SUBNATIONAL_AREAS: readonly AreaSpec[] = [
  { id: 'GBR_E_W', en: 'United Kingdom (England and Wales)', es: 'Reino Unido (Inglaterra y Gales)', parent: 'GBR' },
  { id: 'GBR_S', en: 'United Kingdom (Scotland)', es: 'Reino Unido (Escocia)', parent: 'GBR' },
  { id: 'GBR_NI', en: 'United Kingdom (Northern Ireland)', es: 'Reino Unido (Irlanda del Norte)', parent: 'GBR' },
  { id: 'IRQ_C', en: 'Iraq (Central Iraq)', es: 'Iraq (Iraq central)', parent: 'IRQ' },
  { id: 'IRQ_KRI', en: 'Iraq (Kurdistan Region)', es: 'Iraq (Región del Kurdistán)', parent: 'IRQ' },
];

/**
 * Country-level areas outside ISO 3166-1: Kosovo under the code the UN and the EU use (XKX,
 * user-assigned range of ISO 3166), the Channel Islands under their M49 code (830).
 * Their subregion comes from `unodc-area-subregion.csv` like any country's.
 */
export const OTHER_AREAS: readonly AreaSpec[] = [
  {
    id: 'XKX',
    en: 'Kosovo under UNSCR 1244',
    es: 'Kosovo en virtud de la resolución 1244 (1999) del Consejo de Seguridad',
  },
  { id: '830', en: 'Channel Islands', es: 'Islas del Canal' },
];

export interface IsoCountry {
  readonly code: string;
  readonly en: string;
  readonly es: string;
}

export interface AreaSubregion {
  readonly code: string;
  /** M49 code of the UNODC subregion. */
  readonly subregion: string;
}

export function parseIsoCountries(csv: string): IsoCountry[] {
  return parseCsvRecords(csv, ['code', 'name_en', 'name_es'] as const).map((r) => ({
    code: r.code,
    en: r.name_en,
    es: r.name_es,
  }));
}

export function parseAreaSubregions(csv: string): AreaSubregion[] {
  return parseCsvRecords(csv, ['code', 'subregion_m49'] as const).map((r) => ({ code: r.code, subregion: r.subregion_m49 }));
}

/** `unodc-area-names.csv`: every area name spelling of the UNODC files → CL_AREA code. */
export function parseAreaNames(csv: string): Map<string, string> {
  return new Map(parseCsvRecords(csv, ['name', 'code'] as const).map((r) => [r.name, r.code]));
}

export class AreaSourceError extends Error {
  override name = 'AreaSourceError';
}

export function buildAreaCodelist(countries: readonly IsoCountry[], subregions: readonly AreaSubregion[]): Codelist {
  const parentOf = new Map<string, string>();
  for (const s of subregions) {
    if (!SUBREGION_IDS.has(s.subregion)) throw new AreaSourceError(`${s.code}: "${s.subregion}" is not a UNODC subregion`);
    if (parentOf.has(s.code)) throw new AreaSourceError(`${s.code}: listed twice in the subregion table`);
    parentOf.set(s.code, s.subregion);
  }
  const countryLevel: AreaSpec[] = [
    ...countries.map((c) => ({ id: c.code, en: c.en, es: c.es })),
    ...OTHER_AREAS,
  ].map((a) => ({ ...a, parent: parentOf.get(a.id) }));
  const known = new Set(countryLevel.map((a) => a.id));
  for (const code of parentOf.keys()) {
    if (!known.has(code)) throw new AreaSourceError(`${code}: in the subregion table but not a country-level area`);
  }
  // Country-level areas sorted by id, each followed by its sub-national areas.
  countryLevel.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ordered = countryLevel.flatMap((a) => [a, ...SUBNATIONAL_AREAS.filter((s) => s.parent === a.id)]);
  const codes: Code[] = [...M49_AREAS, ...ordered].map((a) => ({
    id: a.id,
    name: text(a.en, a.es),
    ...(a.parent ? { parentID: a.parent } : {}),
  }));
  return codelist({
    id: 'CL_AREA',
    name: { en: 'Reference area', es: 'Zona de referencia' },
    description: {
      en:
        'Countries and territories (ISO 3166-1 alpha-3 codes; names from the Debian iso-codes package), ' +
        'areas UNODC reports separately (England and Wales, Scotland, Northern Ireland, Central Iraq, ' +
        'Kurdistan Region of Iraq, Kosovo under UNSCR 1244, Channel Islands) and the world, regions and ' +
        'subregions UNODC uses (UN M49 numeric codes). Each country sits under its UNODC subregion.',
    },
    codes,
  });
}
