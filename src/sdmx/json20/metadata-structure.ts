/**
 * Metadata structures (MSD) and metadataflows in SDMX-JSON 2.0 (the SDMX 3.0 shape): an MSD holds
 * one `metadataAttributeList` (the model's first report structure, as in SDMX-ML 3.0); the
 * targets are the metadataflow's `targets` URNs.
 */
import type { MetadataStructure, Metadataflow } from '../model.js';
import { urn30 } from '../urn30.js';
import type { Localiser } from '../json10/common.js';
import { metadataAttributeJson } from '../json10/metadata-structure.js';
import { representation20 } from './components.js';

type Json = Record<string, unknown>;

export function metadataStructureContent20(loc: Localiser, msd: MetadataStructure): Json {
  const attributes = msd.reports[0]?.attributes ?? [];
  if (attributes.length === 0) return {};
  return {
    metadataStructureComponents: {
      metadataAttributeList: { id: 'MetadataAttributeDescriptor', metadataAttributes: attributes.map((a) => metadataAttributeJson(loc, a, representation20)) },
    },
  };
}

export function metadataflowContent20(flow: Metadataflow): Json {
  return { structure: urn30(flow.structure), targets: [...flow.targets] };
}
