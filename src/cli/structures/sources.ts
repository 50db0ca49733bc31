/**
 * Reads the committed source tables in `sdmx/sources/` (the only files the structure build
 * depends on, so a fresh clone can rebuild them). Everything else in this folder is pure.
 */
import { parseSimsSources, type SimsSources } from './metadata.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../project-root.js';
import { type AreaSubregion, type IsoCountry, parseAreaNames, parseAreaSubregions, parseIsoCountries } from './areas.js';
import { type CtsCategoryRow, parseCtsCategoryCsv } from './cts-categories.js';
import { parseCsvRecords } from './csv.js';
import { type IccsRow, parseIccsCsv } from './iccs.js';
import { type IccsNotes, parseIccsNotes } from './iccs-notes.js';
import { SDG_SOURCE_FILE, type SdgStructures, parseSdgStructures } from './sdg.js';

export const SDMX_DIR = path.join(PROJECT_ROOT, 'sdmx');
export const SOURCES_DIR = path.join(SDMX_DIR, 'sources');

export interface StructureSources {
  readonly iccs: readonly IccsRow[];
  /** The ICCS's descriptions, inclusions and exclusions, checked against `iccs`. */
  readonly iccsNotes: IccsNotes;
  readonly countries: readonly IsoCountry[];
  readonly subregions: readonly AreaSubregion[];
  readonly ctsCategories: readonly CtsCategoryRow[];
  /** ISO 3166-1 alpha-3 → numeric (= UN M49) code. */
  readonly numericCodes: ReadonlyMap<string, string>;
  readonly sdg: SdgStructures;
  /** The reference-metadata concepts and their codes (metadata.ts). */
  readonly sims: SimsSources;
}

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

export function readStructureSources(dir: string = SOURCES_DIR): StructureSources {
  const iccs = parseIccsCsv(read(dir, 'iccs/iccs-codelist.csv'));
  return {
    iccs,
    iccsNotes: parseIccsNotes(read(dir, 'iccs/iccs-notes.json'), iccs),
    countries: parseIsoCountries(read(dir, 'areas/iso3166-1.csv')),
    subregions: parseAreaSubregions(read(dir, 'areas/unodc-area-subregion.csv')),
    ctsCategories: parseCtsCategoryCsv(read(dir, 'iccs/cts-category-to-iccs.csv')),
    numericCodes: parseNumericCodes(read(dir, 'areas/iso3166-1-numeric.csv')),
    sdg: parseSdgStructures(read(dir, SDG_SOURCE_FILE)),
    sims: parseSimsSources(read(dir, 'sims/concepts.csv'), read(dir, 'sims/codelists.csv')),
  };
}

function parseNumericCodes(csv: string): Map<string, string> {
  return new Map(parseCsvRecords(csv, ['code', 'numeric'] as const).map((r) => [r.code, r.numeric]));
}

/** Area name spellings of the UNODC files → CL_AREA code (for loading the GSH 2019 tables). */
export function readUnodcAreaNames(dir: string = SOURCES_DIR): Map<string, string> {
  return parseAreaNames(read(dir, 'areas/unodc-area-names.csv'));
}
