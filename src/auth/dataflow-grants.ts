/**
 * Which dataflows a producer may upload to. A grant names one dataflow exactly, as
 * `AGENCY:ID(VERSION)`: no wildcards and no "latest", so a new version of a dataflow needs a
 * new grant and nobody gains access by a structure change.
 */
import type { Maintainable } from '../sdmx/model.js';
import type { Principal } from './principal.js';

export function mayUploadTo(principal: Principal | null, dataflow: string): boolean {
  return principal !== null && principal.role === 'producer' && principal.dataflows.includes(dataflow);
}

/** The `AGENCY:ID(VERSION)` of every dataflow among the artefacts. */
export function dataflowReferences(artefacts: Iterable<Maintainable>): Set<string> {
  const refs = new Set<string>();
  for (const a of artefacts) if (a.class === 'Dataflow') refs.add(`${a.agencyID}:${a.id}(${a.version})`);
  return refs;
}
