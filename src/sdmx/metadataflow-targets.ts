/**
 * The SDMX 3.0 `Target`s of a metadataflow, derived from its MSD's SDMX 2.1 metadata targets.
 *
 * SDMX 2.1 puts what a report may describe in the MSD (MetadataTarget components), SDMX 3.0 on
 * the metadataflow (Target URNs, required). Our structure files are SDMX-ML 2.1, which cannot
 * hold the 3.0 targets, so they are derived when a registry is built: an IdentifiableObject
 * target component of object type T becomes a wildcard URN of class T (any agency, id and
 * version), narrowed to the items of its enumeration when it has one (e.g. every code of
 * CL_AREA). Other component kinds (report periods, data keys) have no 3.0 counterpart and are
 * left out. A metadataflow that states its own targets keeps them.
 */
import { PACKAGE_OF, refKey, urnOf, type ItemClass, type Maintainable, type MaintainableClass, type MetadataStructure, type Metadataflow } from './model.js';

const PREFIX = 'urn:sdmx:org.sdmx.infomodel.';

/** Wildcard URNs for one MSD's IdentifiableObject target components, in order, without repeats. */
export function targetsOfMsd(msd: MetadataStructure): string[] {
  const out: string[] = [];
  for (const target of msd.targets) {
    for (const c of target.components) {
      if (c.kind !== 'IdentifiableObject' || !c.objectType) continue;
      const pkg = PACKAGE_OF[c.objectType as MaintainableClass | ItemClass];
      if (!pkg) continue;
      const e = c.localRepresentation?.enumeration;
      // An item of an enumerated scheme: `<scheme URN with the item class>.*`.
      const urn = e
        ? `${urnOf(e).replace(/\.[A-Za-z]+=/, `.${c.objectType}=`)}.*`
        : `${PREFIX}${pkg}.${c.objectType}=*:*(*)`;
      if (!out.includes(urn)) out.push(urn);
    }
  }
  return out;
}

/** The artefacts with each target-less metadataflow given the targets of its MSD (when present). */
export function withMetadataflowTargets(artefacts: readonly Maintainable[]): readonly Maintainable[] {
  if (!artefacts.some((a) => a.class === 'Metadataflow' && a.targets.length === 0)) return artefacts;
  const msds = new Map(artefacts.filter((a): a is MetadataStructure => a.class === 'MetadataStructure').map((m) => [refKey(m), m]));
  return artefacts.map((a) => {
    if (a.class !== 'Metadataflow' || a.targets.length > 0) return a;
    const msd = msds.get(refKey(a.structure));
    return msd ? ({ ...a, targets: targetsOfMsd(msd) } satisfies Metadataflow) : a;
  });
}
