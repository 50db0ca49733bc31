/**
 * Additive relations declared as SDMX hierarchical codelists. A Hierarchy annotated with
 * `ADDITIVITY` says how every parent code in it relates to its direct children, within any
 * table that holds both along the dimension the codelist codes:
 * - `EXACT_SUM`: the parent is the sum of its children (sex `_T` = F + M, ICCS section = its
 *   divisions, citizenship `_T` = nationals + foreigners);
 * - `PARTS_AT_MOST_WHOLE`: the children are parts of the parent that need not exhaust it (the
 *   cyber-related part of an offence count, detention under 6 months within under 12 months, the
 *   reporting countries of an M49 region whose figure is a regional estimate).
 * Hierarchies without the annotation (e.g. HCL_ICCS, a classification tree over CL_ICCS) state
 * nothing about sums. Disclosure control reads exactly these relations (src/disclosure/), so what
 * readers are told adds up is what protection assumes an attacker knows.
 */
import type { HierarchicalCode, HierarchicalCodelist, Hierarchy, MaintainableRef } from './model.js';

export const ADDITIVITY_ANNOTATION = 'ADDITIVITY';
export const EXACT_SUM = 'EXACT_SUM';
export const PARTS_AT_MOST_WHOLE = 'PARTS_AT_MOST_WHOLE';
export type Additivity = typeof EXACT_SUM | typeof PARTS_AT_MOST_WHOLE;

/** One declared relation: `parent` = Σ `children` (exact) or `parent` ≥ Σ `children`. */
export interface DeclaredRelation {
  /** `HCL_ID.HIERARCHY_ID` (agency and version are those of the HCL), for messages and findings. */
  readonly hierarchy: string;
  readonly parent: string;
  readonly children: readonly string[];
  readonly exact: boolean;
}

/** The additivity a hierarchy declares, or undefined when it declares none. */
export function additivityOf(hierarchy: Hierarchy): Additivity | undefined {
  const annotation = hierarchy.annotations?.find((a) => a.type === ADDITIVITY_ANNOTATION);
  const title = annotation?.title;
  return title === EXACT_SUM || title === PARTS_AT_MOST_WHOLE ? title : undefined;
}

const sameCodelist = (a: MaintainableRef, b: MaintainableRef) => a.agencyID === b.agencyID && a.id === b.id && a.version === b.version;

/**
 * Every relation that the additive hierarchies of `hcls` declare between codes of `codelist`: one
 * per parent code with children. A hierarchy counts only when all its codes come from that
 * codelist.
 */
export function declaredRelations(hcls: readonly HierarchicalCodelist[], codelist: MaintainableRef): DeclaredRelation[] {
  const out: DeclaredRelation[] = [];
  for (const hcl of hcls) {
    for (const hierarchy of hcl.hierarchies) {
      const additivity = additivityOf(hierarchy);
      if (!additivity || !everyCode(hierarchy.hierarchicalCodes, (hc) => sameCodelist(hc.code.scheme, codelist))) continue;
      const name = `${hcl.id}.${hierarchy.id}`;
      const walk = (codes: readonly HierarchicalCode[]) => {
        for (const hc of codes) {
          if (hc.children.length > 0) {
            out.push({ hierarchy: name, parent: hc.code.id, children: hc.children.map((c) => c.code.id), exact: additivity === EXACT_SUM });
            walk(hc.children);
          }
        }
      };
      walk(hierarchy.hierarchicalCodes);
    }
  }
  return out;
}

function everyCode(codes: readonly HierarchicalCode[], test: (hc: HierarchicalCode) => boolean): boolean {
  return codes.every((hc) => test(hc) && everyCode(hc.children, test));
}
