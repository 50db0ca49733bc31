/**
 * Which REF_AREA code each map shape stands for. world-atlas keys its countries by ISO 3166-1
 * numeric code ('484'); CL_AREA uses alpha-3 ('MEX'). Our structures already publish that pairing:
 * RM_AREA_SDG maps every CL_AREA country to the SDG codelist of areas, whose ids are the numeric
 * (M49) codes without leading zeros. Reading it from the catalogue keeps one source of truth (the
 * committed iso3166-1-numeric.csv the structure build reads) instead of a second copy from an npm
 * package, and it gives Kosovo (XKX → 412), which ISO lists have no numeric code for.
 */
import type { Maintainable, RepresentationMap } from '../../../sdmx/model.js';
import { compareVersions } from '../../../sdmx/structure-query/versions.js';

/** The representation map read (the newest version of UNODC:RM_AREA_SDG in the catalogue). */
export const AREA_NUMERIC_MAP = { agencyID: 'UNODC', id: 'RM_AREA_SDG' } as const;

/** Country-level REF_AREA codes: ISO alpha-3 and XKX; regions (M49 '419') and sub-national areas ('GBR_E_W') are not. */
export const COUNTRY_CODE = /^[A-Z]{3}$/;

/** What areaCodesByIsoNumeric reads: a structure registry (StructureService#registry). */
export interface RepresentationMapSource {
  ofClass(c: 'RepresentationMap'): readonly Maintainable[];
}

// Per registry object: a new one is built when the structures change, so nothing goes stale.
const kept = new WeakMap<RepresentationMapSource, ReadonlyMap<string, string>>();

/**
 * ISO 3166-1 numeric code with three digits ('004') → country-level REF_AREA code ('AFG'), from
 * RM_AREA_SDG. Empty when the catalogue has no such map: every country is then drawn without data
 * and the map lists the countries with data as not shown.
 */
export function areaCodesByIsoNumeric(registry: RepresentationMapSource): ReadonlyMap<string, string> {
  let codes = kept.get(registry);
  if (!codes) {
    codes = fromRepresentationMap(newestAreaMap(registry));
    kept.set(registry, codes);
  }
  return codes;
}

function newestAreaMap(registry: RepresentationMapSource): RepresentationMap | undefined {
  const maps = registry
    .ofClass('RepresentationMap')
    .filter((a): a is RepresentationMap => a.class === 'RepresentationMap' && a.agencyID === AREA_NUMERIC_MAP.agencyID && a.id === AREA_NUMERIC_MAP.id);
  return maps.sort((a, b) => compareVersions(b.version, a.version))[0];
}

/** The country pairs of the map, keyed as world-atlas writes its ids (three digits). */
export function fromRepresentationMap(map: RepresentationMap | undefined): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const { source, target } of map?.mappings ?? []) {
    if (!COUNTRY_CODE.test(source) || !/^\d{1,3}$/.test(target)) continue;
    const key = target.padStart(3, '0');
    // A numeric code is one country; should two sources share one, the first listed keeps it.
    if (!out.has(key)) out.set(key, source);
  }
  return out;
}
