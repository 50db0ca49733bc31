/**
 * The global SDG data structure of the IAEG-SDGs (`sdmx/sources/sdg/`), published as it is: the
 * DSD `IAEG-SDGs:SDG(1.4)`, its concept scheme and codelists, and the three SDMX cross-domain
 * codelists it uses. They are the targets of the maps that say how our homicide figures become
 * SDG 16.1.1 series (sdg-maps.ts).
 *
 * Choices: the message's own agency scheme is not published (ours is `SDMX:AGENCIES` too); its
 * IAEG-SDGs agency joins ours with the name the message gives it. The artefacts keep their
 * agencies, versions and English-only names, since they are someone else's; each gains one
 * annotation saying where it comes from (`PROVENANCE_ANNOTATION`). That is useful to a reader, and
 * it gives the codelists that have no description something a complete stub can show (the
 * conformance kit takes a stub with neither description nor annotations for a plain stub).
 */
import type { Agency, Annotation, Maintainable } from '../../sdmx/model.js';
import { readStructureMl21 } from '../../sdmx/ml21/structure-reader.js';

export const SDG_SOURCE_FILE = 'sdg/IAEG-SDGs_SDG_DSD_1.4.xml';
export const SDG_AGENCY_ID = 'IAEG-SDGs';

export const PROVENANCE_ANNOTATION: Annotation = {
  type: 'PROVENANCE',
  title: 'IAEG-SDGs global SDG DSD, SDMX Global Registry message of 2021-06-24',
  text: {
    en: 'Republished unchanged (but for this note) from the structure message of the global SDG data structure definition IAEG-SDGs:SDG(1.4), so that the maps from our structures to it resolve here.',
  },
};

export interface SdgStructures {
  /** The IAEG-SDGs agency as the message names it. */
  readonly agency: Agency;
  /** Every artefact of the message but its agency scheme. */
  readonly artefacts: readonly Maintainable[];
}

export function parseSdgStructures(xml: string): SdgStructures {
  const all = readStructureMl21(xml);
  const agencies = all.find((a) => a.class === 'AgencyScheme');
  const agency = agencies?.class === 'AgencyScheme' ? agencies.items.find((i) => i.id === SDG_AGENCY_ID) : undefined;
  if (!agency) throw new Error(`${SDG_SOURCE_FILE}: no agency ${SDG_AGENCY_ID} in its agency scheme`);
  const artefacts = all
    .filter((a) => a.class !== 'AgencyScheme')
    .map((a): Maintainable => ({ ...a, annotations: [...(a.annotations ?? []), PROVENANCE_ANNOTATION] }));
  if (!artefacts.some((a) => a.class === 'DataStructure' && a.agencyID === SDG_AGENCY_ID && a.id === 'SDG')) {
    throw new Error(`${SDG_SOURCE_FILE}: no DSD ${SDG_AGENCY_ID}:SDG`);
  }
  return { agency: { id: agency.id, name: agency.name, ...(agency.description ? { description: agency.description } : {}) }, artefacts };
}
