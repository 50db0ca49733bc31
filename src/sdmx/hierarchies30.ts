/**
 * How an SDMX 2.1 HierarchicalCodelist of our model becomes SDMX 3.0 `Hierarchy` artefacts,
 * shared by SDMX-ML 3.0 (ml30/hierarchy.ts) and SDMX-JSON 2.0 (json20/structure-writer.ts) so
 * that both formats of the 3.0 API publish the same artefacts under the same URNs.
 *
 * - One hierarchy: one Hierarchy with the HCL's id, name and description, so that a reference
 *   to the HCL (`urn30`) resolves to it. Its annotations are the HCL's followed by the model
 *   hierarchy's: the hierarchy's own (e.g. ADDITIVITY, src/sdmx/additivity.ts) are not lost.
 * - Several hierarchies: one Hierarchy per model hierarchy, with the hierarchy's id, name,
 *   description and annotations (hierarchy ids are unique across our HCLs, so these ids are
 *   too). Agency, version and validity are always the HCL's. An HCL cut down by a query to
 *   some of its hierarchies (`isPartial`) keeps these ids, even with one hierarchy left, so an
 *   artefact has the same URN whichever query returns it.
 */
import type { HierarchicalCodelist, Hierarchy, Nameable } from './model.js';

export interface Hierarchy30 {
  /** Identity of the 3.0 Hierarchy artefact. */
  readonly identity: Nameable;
  /** The model hierarchy it publishes (levels and codes). */
  readonly hierarchy: Hierarchy;
}

export function hierarchies30(hcl: HierarchicalCodelist): Hierarchy30[] {
  if (hcl.hierarchies.length !== 1 || hcl.isPartial) return hcl.hierarchies.map((h) => ({ identity: h, hierarchy: h }));
  const h = hcl.hierarchies[0];
  const annotations = [...(hcl.annotations ?? []), ...(h.annotations ?? [])];
  const identity: Nameable = {
    id: hcl.id,
    name: hcl.name,
    ...(hcl.description ? { description: hcl.description } : {}),
    ...(annotations.length > 0 ? { annotations } : {}),
  };
  return [{ identity, hierarchy: h }];
}
