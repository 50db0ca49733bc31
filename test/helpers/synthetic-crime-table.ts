/**
 * A generated, fully additive table for disclosure-control tests and the benchmark: every ICCS
 * code (320, with the `_T` total) × Western Europe (M49 155) and its nine countries × sex (_T, F,
 * M) × age (_T, under 18, 18 and over, unknown) × years. Leaf cells are drawn from a seeded
 * generator with rates that differ by orders of magnitude between offences and countries, so
 * small counts abound along the ICCS tree and in small countries; every total is the exact sum.
 * Codes and hierarchies are the real ones from the structures in `sdmx/`.
 */
import path from 'node:path';
import { readStructureFiles } from '../../src/services/structure-files.js';
import type { Codelist } from '../../src/sdmx/model.js';
import { DEFAULT_RULES } from '../../src/disclosure/rules.js';
import { hierarchiesFor, type Hierarchy, type TableCell } from '../../src/disclosure/table.js';
import { PROJECT_ROOT } from '../../src/project-root.js';
import { seeded } from '../../bench/synthetic.js';

export interface SyntheticTable {
  readonly cells: TableCell[];
  readonly hierarchies: Map<string, Hierarchy>;
}

let codelists: Map<string, Codelist> | undefined;
export function structureCodelists(): Map<string, Codelist> {
  codelists ??= new Map(
    readStructureFiles(path.join(PROJECT_ROOT, 'sdmx'))
      .map((s) => s.artefact)
      .filter((a): a is Codelist => a.class === 'Codelist')
      .map((c) => [c.id, c]),
  );
  return codelists;
}

/** Dimension → codelist the DSD_CTS uses for it. */
export const CTS_CODELISTS: Readonly<Record<string, string>> = {
  OFFENCE: 'CL_OFFENCE',
  REF_AREA: 'CL_AREA',
  SEX: 'CL_SEX',
  AGE: 'CL_AGE',
  DISAGGREGATION: 'CL_DISAGGREGATION',
};

export function ctsHierarchies(): Map<string, Hierarchy> {
  const lists = structureCodelists();
  return hierarchiesFor(DEFAULT_RULES.additiveDimensions, DEFAULT_RULES.totals, DEFAULT_RULES.notAdditive, (d) =>
    CTS_CODELISTS[d] ? lists.get(CTS_CODELISTS[d]!)?.items : undefined,
  );
}

/** A Poisson draw (Knuth for small means, normal approximation above 30). */
function poisson(mean: number, random: () => number): number {
  if (mean > 30) {
    const normal = Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
}

/** Population weights of the nine countries of Western Europe (rough relative sizes). */
const COUNTRIES: Readonly<Record<string, number>> = { AUT: 9, BEL: 11.6, CHE: 8.7, DEU: 83, FRA: 68, LIE: 0.04, LUX: 0.65, MCO: 0.04, NLD: 17.8 };
const REGION = '155';

export function syntheticCrimeTable(options: { years: readonly string[]; seed?: number; scale?: number; offences?: number }): SyntheticTable {
  const random = seeded(options.seed ?? 20261121);
  const scale = options.scale ?? 1;
  const iccs = structureCodelists().get('CL_ICCS')!.items;
  const offenceCodes = ['_T', ...iccs.slice(0, options.offences ?? iccs.length).map((c) => c.id)];
  const kept = new Set(offenceCodes);
  const parentOf = new Map<string, string>();
  for (const c of iccs) if (kept.has(c.id)) parentOf.set(c.id, c.parentID && kept.has(c.parentID) ? c.parentID : '_T');
  const childCount = new Map<string, number>();
  for (const p of parentOf.values()) childCount.set(p, (childCount.get(p) ?? 0) + 1);
  const depth = (code: string): number => (code === '_T' ? 0 : 1 + depth(parentOf.get(code)!));

  const areas = [REGION, ...Object.keys(COUNTRIES)];
  const sexes = ['_T', 'F', 'M'];
  const ages = ['_T', 'Y_LT18', 'Y_GE18', '_U'];
  const rateOf = new Map(offenceCodes.map((o) => [o, Math.exp(Math.log(0.05) + random() * Math.log(500 / 0.05))]));
  const sexShare: Readonly<Record<string, number>> = { F: 0.2, M: 0.8 };
  const ageShare: Readonly<Record<string, number>> = { Y_LT18: 0.12, Y_GE18: 0.83, _U: 0.05 };

  const O = offenceCodes.length;
  const A = areas.length;
  const S = sexes.length;
  const G = ages.length;
  const at = (o: number, a: number, s: number, g: number) => ((o * A + a) * S + s) * G + g;
  const cells: TableCell[] = [];
  // Children before parents: deepest codes first.
  const bottomUp = offenceCodes.map((code, i) => ({ code, i, depth: depth(code) })).sort((x, y) => y.depth - x.depth);
  const index = new Map(offenceCodes.map((c, i) => [c, i]));
  for (const year of options.years) {
    const v = new Float64Array(O * A * S * G);
    offenceCodes.forEach((code, o) => {
      if (childCount.has(code)) return;
      for (let a = 1; a < A; a++) {
        for (let s = 1; s < S; s++) {
          for (let g = 1; g < G; g++) {
            const mean = rateOf.get(code)! * COUNTRIES[areas[a]!]! * sexShare[sexes[s]!]! * ageShare[ages[g]!]! * scale;
            v[at(o, a, s, g)] = poisson(mean, random);
          }
        }
      }
    });
    for (const { code, i } of bottomUp) {
      const parent = parentOf.get(code);
      if (parent === undefined) continue;
      const p = index.get(parent)!;
      for (let a = 1; a < A; a++) for (let s = 1; s < S; s++) for (let g = 1; g < G; g++) v[at(p, a, s, g)]! += v[at(i, a, s, g)]!;
    }
    for (let o = 0; o < O; o++) {
      for (let s = 1; s < S; s++) for (let g = 1; g < G; g++) for (let a = 1; a < A; a++) v[at(o, 0, s, g)]! += v[at(o, a, s, g)]!;
      for (let a = 0; a < A; a++) for (let g = 1; g < G; g++) v[at(o, a, 0, g)] = v[at(o, a, 1, g)]! + v[at(o, a, 2, g)]!;
      for (let a = 0; a < A; a++) for (let s = 0; s < S; s++) v[at(o, a, s, 0)] = v[at(o, a, s, 1)]! + v[at(o, a, s, 2)]! + v[at(o, a, s, 3)]!;
    }
    for (let o = 0; o < O; o++) {
      for (let a = 0; a < A; a++) {
        for (let s = 0; s < S; s++) {
          for (let g = 0; g < G; g++) {
            cells.push({ dimensions: { REF_AREA: areas[a]!, OFFENCE: offenceCodes[o]!, SEX: sexes[s]!, AGE: ages[g]! }, timePeriod: year, value: v[at(o, a, s, g)]! });
          }
        }
      }
    }
  }
  return { cells, hierarchies: ctsHierarchies() };
}
