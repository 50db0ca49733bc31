/**
 * What Allowed content constraints let into a dataflow: the constraints attached along a chain
 * (provision agreement → dataflow → DSD), the allowed codes per component (for schemas), and the
 * exact test of one key against the cube regions (for validating uploads).
 */
import { refKey, refOf, type Codelist, type ContentConstraint, type Maintainable } from './model.js';
import type { StructureRegistry } from './structure-query/registry.js';

/** The Allowed constraints attached to any artefact of `chain`. */
export function allowedConstraintsOn(registry: StructureRegistry, chain: readonly Maintainable[]): ContentConstraint[] {
  const keys = new Set(chain.map((a) => refKey(refOf(a))));
  return (registry.ofClass('ContentConstraint') as ContentConstraint[]).filter(
    (c) => c.constraintType === 'Allowed' && c.constraintAttachment.some((r) => keys.has(refKey(r))),
  );
}

/**
 * Allowed codes per component: each Allowed constraint along the chain narrows them (an
 * intersection); within one constraint the included regions add up. Excluded regions count only
 * when they name one component, because several KeyValues exclude combinations, not codes.
 */
export function allowedValuesOf(constraints: readonly ContentConstraint[], codelist: (id: string) => Codelist | undefined) {
  const included = new Map<string, Set<string>>();
  const excluded = new Map<string, Set<string>>();
  for (const c of constraints) {
    const regions = c.cubeRegions.filter((r) => r.include);
    for (const id of new Set(regions.flatMap((r) => r.keyValues.map((kv) => kv.id)))) {
      // A region that leaves the component out allows all of its codes.
      if (!regions.every((r) => r.keyValues.some((kv) => kv.id === id))) continue;
      const values = new Set(regions.flatMap((r) => r.keyValues.filter((kv) => kv.id === id).flatMap((kv) => kv.values)));
      const before = included.get(id);
      included.set(id, before ? new Set([...before].filter((v) => values.has(v))) : values);
    }
    for (const r of c.cubeRegions) {
      if (r.include || r.keyValues.length !== 1) continue;
      const kv = r.keyValues[0]!;
      const set = excluded.get(kv.id) ?? new Set<string>();
      kv.values.forEach((v) => set.add(v));
      excluded.set(kv.id, set);
    }
  }
  return (id: string): string[] | undefined => {
    const inc = included.get(id);
    const exc = excluded.get(id);
    if (!inc && !exc) return undefined;
    const base = inc ? [...inc] : (codelist(id)?.items.map((i) => i.id) ?? []);
    return base.filter((v) => !exc?.has(v));
  };
}

/** Why a key is outside the allowed content: the component to blame when one can be named. */
export interface RegionRefusal {
  readonly component?: string;
  readonly value?: string;
}

interface CompiledRegion {
  readonly values: ReadonlyMap<string, ReadonlySet<string>>;
}

const compile = (keyValues: ContentConstraint['cubeRegions'][number]['keyValues']): CompiledRegion => ({
  values: new Map(keyValues.map((kv) => [kv.id, new Set(kv.values)])),
});

function regionHolds(region: CompiledRegion, values: Readonly<Record<string, string>>): boolean {
  for (const [id, allowed] of region.values) {
    const v = values[id];
    // A component the record does not carry (an optional attribute) is not restricted by it.
    if (v !== undefined && !allowed.has(v)) return false;
  }
  return true;
}

/**
 * The exact test of a key (and its attribute values) against Allowed constraints: every
 * constraint must have an included region holding it (a constraint without included regions
 * allows everything) and no excluded region holding it. Returns the first component that no
 * included region of a failing constraint allows, for the message, or undefined when allowed.
 */
export function regionChecker(constraints: readonly ContentConstraint[]) {
  const compiled = constraints.map((c) => ({
    include: c.cubeRegions.filter((r) => r.include).map((r) => compile(r.keyValues)),
    exclude: c.cubeRegions.filter((r) => !r.include).map((r) => compile(r.keyValues)),
  }));
  return (values: Readonly<Record<string, string>>): RegionRefusal | undefined => {
    for (const c of compiled) {
      if (c.include.length && !c.include.some((r) => regionHolds(r, values))) {
        // Name a component whose value no included region allows; fall back to the combination.
        for (const r of c.include) {
          for (const [id, allowed] of r.values) {
            const v = values[id];
            if (v !== undefined && !allowed.has(v) && c.include.every((o) => !o.values.get(id) || !o.values.get(id)!.has(v))) return { component: id, value: v };
          }
        }
        return {};
      }
      if (c.exclude.some((r) => regionHolds(r, values))) return {};
    }
    return undefined;
  };
}
