/**
 * The relations disclosure control applies to a dataflow, read from its structures: for each
 * dimension of the DSD, the relations the additive hierarchical codelists declare over the
 * dimension's codelist (src/sdmx/additivity.ts). A dataflow's rules may leave a dimension out,
 * with a reason the publisher sees; nothing else decides what adds up.
 */
import { declaredRelations, type DeclaredRelation } from '../sdmx/additivity.js';
import type { DataStructure, HierarchicalCodelist, Maintainable } from '../sdmx/model.js';
import type { DeclaredRelations } from './table.js';

export function relationsOfStructure(artefacts: readonly Maintainable[], dsd: DataStructure, excludedDimensions: readonly string[] = []): DeclaredRelations {
  const hcls = artefacts.filter((a): a is HierarchicalCodelist => a.class === 'HierarchicalCodelist');
  const out = new Map<string, DeclaredRelation[]>();
  for (const dimension of dsd.dimensions) {
    const codelist = dimension.localRepresentation?.enumeration;
    if (!codelist || excludedDimensions.includes(dimension.id)) continue;
    const relations = declaredRelations(hcls, codelist);
    if (relations.length > 0) out.set(dimension.id, relations);
  }
  return out;
}

/** How many relations of each hierarchy a table holds, and how many of them the true values break. */
export function relationCounts(relations: readonly { readonly hierarchy: string; readonly broken: boolean }[]): Record<string, { relations: number; broken: number }> {
  const out: Record<string, { relations: number; broken: number }> = {};
  for (const r of relations) {
    const entry = (out[r.hierarchy] ??= { relations: 0, broken: 0 });
    entry.relations += 1;
    if (r.broken) entry.broken += 1;
  }
  return out;
}
