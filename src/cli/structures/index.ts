/**
 * All the structures we publish, built from the committed sources in `sdmx/sources/`.
 * `buildStructuresFrom` is pure; `buildStructures` reads the sources first.
 *
 * Order: organisation schemes, codelists, hierarchical codelists (the ICCS tree, then the
 * additive hierarchies in dimension order), concept scheme, category
 * scheme, DSD, dataflows, constraints (per flow, on the DSD, per agreement; then the attachment
 * constraints), categorisations, provision agreements, the UN-CTS reporting taxonomy, the
 * UN-CTS → ICCS map, the reference-metadata structures (metadata.ts), the SDG representation maps, targets and indicators (sdg-maps.ts), and
 * last the publication process, which references the others
 * (dependencies before dependants; writers regroup by class anyway).
 */
import type { Codelist, Maintainable } from '../../sdmx/model.js';
import { buildAdditiveHierarchies } from './additive.js';
import { buildAreaCodelist } from './areas.js';
import { FIXED_CODELISTS, buildOffenceCodelist } from './codelists.js';
import type { DimensionId } from './common.js';
import { buildConceptScheme } from './concepts.js';
import { buildAgreementConstraint, buildDsdConstraint, buildSdgAttachmentConstraints } from './constraints.js';
import { buildCtsCategoryArtefacts } from './cts-categories.js';
import { buildDataConsumerScheme, buildOrganisationUnitScheme } from './organisations.js';
import { buildPublicationProcess } from './process.js';
import { buildReportingTaxonomy } from './taxonomy.js';
import { buildSdgArtefacts } from './sdg-maps.js';
import { buildVtlStructures } from './vtl.js';
import { buildReferenceMetadataStructures } from './metadata.js';
import { buildDataStructure } from './dsd.js';
import { buildFlowArtefacts } from './flows.js';
import { buildIccsCodelist, buildIccsHierarchy } from './iccs.js';
import { buildAgencyScheme, buildCategoryScheme, buildDataProviderScheme } from './schemes.js';
import { type StructureSources, readStructureSources } from './sources.js';

export function buildStructuresFrom(sources: StructureSources): Maintainable[] {
  const byId = (id: string) => FIXED_CODELISTS.find((c) => c.id === id)!;
  const area = buildAreaCodelist(sources.countries, sources.subregions);
  const offence = buildOffenceCodelist(sources.iccs);
  const codelists: Codelist[] = [buildIccsCodelist(sources.iccs, sources.iccsNotes), offence, area, ...FIXED_CODELISTS];
  const dimensionCodelists = new Map<DimensionId, Codelist>([
    ['FREQ', byId('CL_FREQ')],
    ['REF_AREA', area],
    ['INDICATOR', byId('CL_CJ_INDICATOR')],
    ['OFFENCE', offence],
    ['SEX', byId('CL_SEX')],
    ['AGE', byId('CL_AGE')],
    ['DISAGGREGATION', byId('CL_DISAGGREGATION')],
    ['UNIT_MEASURE', byId('CL_UNIT_MEASURE')],
  ]);
  const flows = buildFlowArtefacts(dimensionCodelists);
  const [ctsCategories, ctsToIccs] = buildCtsCategoryArtefacts(sources.ctsCategories, sources.iccs);
  const built: Maintainable[] = [
    buildAgencyScheme([sources.sdg.agency]),
    buildDataProviderScheme(),
    buildDataConsumerScheme(),
    buildOrganisationUnitScheme(),
    ...codelists,
    ...sources.sdg.artefacts,
    ctsCategories,
    buildIccsHierarchy(sources.iccs),
    ...buildAdditiveHierarchies({
      area,
      indicator: byId('CL_CJ_INDICATOR'),
      offence,
      sex: byId('CL_SEX'),
      age: byId('CL_AGE'),
      disaggregation: byId('CL_DISAGGREGATION'),
    }),
    buildConceptScheme(),
    buildCategoryScheme(),
    buildDataStructure(),
    ...flows.dataflows,
    ...flows.constraints,
    buildDsdConstraint(flows.constraints, (id) => dimensionCodelists.get(id as DimensionId)),
    ...flows.provisionAgreements.map((pa) => buildAgreementConstraint(pa, area)),
    ...buildSdgAttachmentConstraints(),
    ...flows.categorisations,
    ...flows.provisionAgreements,
    buildReportingTaxonomy(),
    ctsToIccs,
    ...buildReferenceMetadataStructures(sources.sims),
  ];
  built.push(...buildSdgArtefacts({ artefacts: built, numericCodes: sources.numericCodes }));
  // The VTL artefacts (vtl.ts) are derived from the others, hierarchies and constraints above all.
  return [...built, buildPublicationProcess(built), ...buildVtlStructures(built)];
}

export function buildStructures(): Maintainable[] {
  return buildStructuresFrom(readStructureSources());
}

export { readStructureSources, readUnodcAreaNames, SDMX_DIR, SOURCES_DIR } from './sources.js';
export type { StructureSources } from './sources.js';
