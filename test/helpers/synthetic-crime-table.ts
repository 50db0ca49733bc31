/**
 * A generated, fully additive table for disclosure-control tests and the benchmark: every offence
 * code of the declared ICCS sums (HCL_OFFENCE: `_T`, the 320 ICCS codes and `0703_OTH`) × areas
 * × sex (_T, F, M) × age (_T, under 18, 18 and over, unknown) × years. The areas are either
 * Western Europe (M49 155) and its nine countries, with the relations HCL_AREA declares (parts
 * of a regional figure), or a synthetic country of N sub-national areas whose national figure is
 * their exact sum (labelled synthetic: no such codes exist). Leaf cells are drawn from a seeded
 * generator with rates that differ by orders of magnitude between offences and areas, so small
 * counts abound along the ICCS tree and in small areas; every total is the exact sum. Codes and
 * the other relations are the real ones the structures in `sdmx/` declare.
 */
import path from 'node:path';
import { readStructureFiles } from '../../src/services/structure-files.js';
import type { Codelist, DataStructure, Maintainable } from '../../src/sdmx/model.js';
import { relationsOfStructure } from '../../src/disclosure/structure-relations.js';
import type { DeclaredRelations, TableCell } from '../../src/disclosure/table.js';
import type { DeclaredRelation } from '../../src/sdmx/additivity.js';
import { PROJECT_ROOT } from '../../src/project-root.js';
import { seeded } from '../../bench/synthetic.js';

export interface SyntheticTable {
  readonly cells: TableCell[];
  readonly relations: DeclaredRelations;
}

let artefacts: Maintainable[] | undefined;
function structureArtefacts(): Maintainable[] {
  artefacts ??= readStructureFiles(path.join(PROJECT_ROOT, 'sdmx')).map((s) => s.artefact);
  return artefacts;
}

export function structureCodelists(): Map<string, Codelist> {
  return new Map(
    structureArtefacts()
      .filter((a): a is Codelist => a.class === 'Codelist')
      .map((c) => [c.id, c]),
  );
}

/** The relations the structures declare for DSD_CTS, by dimension (less the excluded dimensions). */
export function ctsRelations(excludedDimensions: readonly string[] = []): DeclaredRelations {
  const dsd = structureArtefacts().find((a): a is DataStructure => a.class === 'DataStructure' && a.id === 'DSD_CTS')!;
  return relationsOfStructure(structureArtefacts(), dsd, excludedDimensions);
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

/** The codes of the declared offence sums in depth-first order, `_T` first. */
function offenceTree(relations: readonly DeclaredRelation[]): { order: string[]; parentOf: Map<string, string> } {
  const children = new Map(relations.map((r) => [r.parent, r.children]));
  const parentOf = new Map<string, string>();
  const order: string[] = [];
  const walk = (code: string) => {
    order.push(code);
    for (const child of children.get(code) ?? []) {
      parentOf.set(child, code);
      walk(child);
    }
  };
  walk('_T');
  return { order, parentOf };
}

export interface SyntheticOptions {
  readonly years: readonly string[];
  readonly seed?: number;
  readonly scale?: number;
  /** Only the first N offence codes below `_T` (depth first). */
  readonly offences?: number;
  /** A synthetic country of this many sub-national areas instead of Western Europe. */
  readonly subnationalAreas?: number;
}

export function syntheticCrimeTable(options: SyntheticOptions): SyntheticTable {
  const random = seeded(options.seed ?? 20261121);
  const scale = options.scale ?? 1;
  const declared = ctsRelations();
  const tree = offenceTree(declared.get('OFFENCE') ?? []);
  const offenceCodes = tree.order.slice(0, 1 + (options.offences ?? tree.order.length));
  const kept = new Set(offenceCodes);
  const parentOf = new Map<string, string>();
  for (const code of offenceCodes.slice(1)) {
    const parent = tree.parentOf.get(code);
    parentOf.set(code, parent && kept.has(parent) ? parent : '_T');
  }
  const synthetic = options.subnationalAreas !== undefined;
  const areaWeights: Readonly<Record<string, number>> = synthetic ? subnationalAreas(options.subnationalAreas!, random) : COUNTRIES;
  const region = synthetic ? SYNTHETIC_COUNTRY : REGION;
  const childCount = new Map<string, number>();
  for (const p of parentOf.values()) childCount.set(p, (childCount.get(p) ?? 0) + 1);
  const depth = (code: string): number => (code === '_T' ? 0 : 1 + depth(parentOf.get(code)!));

  const areas = [region, ...Object.keys(areaWeights)];
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
            const mean = rateOf.get(code)! * areaWeights[areas[a]!]! * sexShare[sexes[s]!]! * ageShare[ages[g]!]! * scale;
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
  const relations = new Map(declared);
  if (synthetic) {
    relations.set('REF_AREA', [{ hierarchy: 'SYNTHETIC.SUBNATIONAL_AREAS', parent: region, children: areas.slice(1), exact: true }]);
  }
  return { cells, relations };
}

/** Code of the synthetic country whose sub-national areas a large generated table has. */
export const SYNTHETIC_COUNTRY = 'SYNTHETIC';

/** N synthetic areas with population weights (millions) spread like real sub-national units. */
function subnationalAreas(n: number, random: () => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 1; i <= n; i++) out[`SYNTHETIC_${String(i).padStart(3, '0')}`] = Math.exp(Math.log(0.02) + random() * Math.log(2 / 0.02));
  return out;
}
