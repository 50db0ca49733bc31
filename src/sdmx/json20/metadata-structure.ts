/**
 * Metadata structures (MSD) and metadataflows in SDMX-JSON 2.0 (the SDMX 3.0 shape): an MSD holds
 * one `metadataAttributeList` (the model's first report structure, as in SDMX-ML 3.0); the
 * targets are the metadataflow's `targets` URNs.
 */
import { itemUrnOf, type MetadataAttribute, type MetadataStructure, type Metadataflow } from '../model.js';
import { urn30 } from '../urn30.js';
import { clean, type Localiser } from '../json10/common.js';
import { componentBase } from '../json10/components.js';
import { representation20 } from './components.js';

type Json = Record<string, unknown>;

function attribute20(loc: Localiser, a: MetadataAttribute): Json {
  return clean({
    ...componentBase(loc, a),
    minOccurs: a.minOccurs === 1 ? undefined : a.minOccurs,
    maxOccurs: a.maxOccurs === 1 ? undefined : a.maxOccurs,
    isPresentational: a.isPresentational ? true : undefined,
    conceptIdentity: itemUrnOf(a.conceptIdentity),
    localRepresentation: representation20(a.localRepresentation),
    metadataAttributes: a.children.length > 0 ? a.children.map((c) => attribute20(loc, c)) : undefined,
  });
}

export function metadataStructureContent20(loc: Localiser, msd: MetadataStructure): Json {
  const attributes = msd.reports[0]?.attributes ?? [];
  if (attributes.length === 0) return {};
  return {
    metadataStructureComponents: {
      metadataAttributeList: { id: 'MetadataAttributeDescriptor', metadataAttributes: attributes.map((a) => attribute20(loc, a)) },
    },
  };
}

export function metadataflowContent20(flow: Metadataflow): Json {
  return { structure: urn30(flow.structure), targets: [...flow.targets] };
}
