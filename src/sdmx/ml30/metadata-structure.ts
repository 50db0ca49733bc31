/**
 * Metadata structures (MSD) and metadataflows in SDMX-ML 3.0 (SDMXStructureMetadataStructure.xsd,
 * SDMXStructureMetadataflow.xsd).
 *
 * A 3.0 MSD has no targets and a single `MetadataAttributeList` (id fixed
 * `MetadataAttributeDescriptor`): we write the attributes of the model's first report structure
 * (ours have exactly one; see model.ts). The targets live on the metadataflow as `Target` URNs,
 * required by the XSD even in stubs, so they are written in every presentation.
 */
import type { MetadataAttribute, MetadataStructure, Metadataflow } from '../model.js';
import { itemUrn30, urn30 } from '../urn30.js';
import { annotationsEl, maintainableEl } from './nameable.js';
import { representationEl } from './representation.js';
import { el, textEl, type XmlElement } from './xml-text.js';

function attributeEl(msd: MetadataStructure, a: MetadataAttribute, path: string): XmlElement {
  return el(
    'structure:MetadataAttribute',
    {
      urn: `urn:sdmx:org.sdmx.infomodel.metadatastructure.MetadataAttribute=${msd.agencyID}:${msd.id}(${msd.version}).${path}`,
      id: a.id,
      minOccurs: a.minOccurs === 1 ? undefined : a.minOccurs,
      maxOccurs: a.maxOccurs === 1 ? undefined : a.maxOccurs,
      isPresentational: a.isPresentational ? true : undefined,
    },
    annotationsEl(a.annotations),
    textEl('structure:ConceptIdentity', itemUrn30(a.conceptIdentity)),
    representationEl('structure:LocalRepresentation', a.localRepresentation, 'basic'),
    a.children.map((c) => attributeEl(msd, c, `${path}.${c.id}`)),
  );
}

export function metadataStructureEl(msd: MetadataStructure): XmlElement {
  const attributes = msd.reports[0]?.attributes ?? [];
  return maintainableEl('structure:MetadataStructure', msd, {
    urn: urn30(msd),
    content: () =>
      attributes.length === 0
        ? []
        : [
            el(
              'structure:MetadataStructureComponents',
              {},
              el(
                'structure:MetadataAttributeList',
                // No urn: the XSD types it as a VtlMappingScheme URN (an erratum), and it is optional.
                { id: 'MetadataAttributeDescriptor' },
                attributes.map((a) => attributeEl(msd, a, a.id)),
              ),
            ),
          ],
  });
}

export function metadataflowEl(flow: Metadataflow): XmlElement {
  const targets = () => flow.targets.map((t) => textEl('structure:Target', t));
  return maintainableEl('structure:Metadataflow', flow, {
    urn: urn30(flow),
    content: () => [textEl('structure:Structure', urn30(flow.structure)), targets()],
    requiredContent: () => [targets()],
  });
}
