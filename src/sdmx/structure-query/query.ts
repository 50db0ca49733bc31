/**
 * A parsed structure query, independent of the REST API version that produced it.
 * SDMX REST 1.5 (4_3_structural_queries.md) and 2.0 (structures.md) map onto this one shape.
 */
import type { MaintainableClass } from '../model.js';

export type StructureDetail =
  | 'full'
  | 'allstubs'
  | 'referencestubs'
  | 'allcompletestubs'
  | 'referencecompletestubs'
  | 'referencepartial'
  | 'raw';

export const STRUCTURE_DETAILS: readonly StructureDetail[] = [
  'full',
  'allstubs',
  'referencestubs',
  'allcompletestubs',
  'referencecompletestubs',
  'referencepartial',
  'raw',
];

/** `references`: a relation keyword, or a concrete class of referenced/referencing artefacts. */
export type ReferencesSelector =
  | { readonly kind: 'none' | 'parents' | 'parentsandsiblings' | 'ancestors' | 'children' | 'descendants' | 'all' }
  | { readonly kind: 'class'; readonly classes: readonly MaintainableClass[]; readonly constraintType?: 'Allowed' | 'Actual' };

/**
 * Version selection. `latest` is SDMX 2.1 `latest` and 3.0 `~` (the highest version, stable or
 * not); `latestStable` is 3.0 `+`; `patterns` are explicit versions, possibly with 3.0
 * wildcards (`1.*`, `1.2+.0`).
 */
export type VersionSelector =
  | { readonly kind: 'all' }
  | { readonly kind: 'latest' }
  | { readonly kind: 'latestStable' }
  | { readonly kind: 'patterns'; readonly patterns: readonly string[] };

export type IdSelector = 'all' | readonly string[];

export interface StructureQuery {
  /** Classes the resource covers (`structure` / `*` covers all). */
  readonly classes: readonly MaintainableClass[];
  /** For `allowedconstraint` / `actualconstraint` resources. */
  readonly constraintType?: 'Allowed' | 'Actual';
  readonly agencies: IdSelector;
  readonly ids: IdSelector;
  readonly versions: VersionSelector;
  readonly items: IdSelector;
  readonly references: readonly ReferencesSelector[];
  readonly detail: StructureDetail;
  /**
   * SDMX 3.0 only: `ids` also select the Hierarchy artefacts SDMX 3.0 publishes, one per
   * hierarchy, for an HCL with several hierarchies (src/sdmx/hierarchies30.ts); the HCL is then
   * returned with those hierarchies only.
   */
  readonly matchHierarchyIds?: boolean;
}
