/**
 * A RepresentationMap in SDMX-ML 3.0 (SDMXStructureStructureMappings.xsd RepresentationMapType):
 * one SourceCodelist, one TargetCodelist, and one RepresentationMapping per code pair, each with
 * one SourceValue and one TargetValue (a 1→n mapping is n RepresentationMappings; several
 * TargetValues in one mapping would mean several target representations, which we do not have).
 * Source and target codelists are required by the XSD even in stubs, so stubs keep them.
 */
import type { RepresentationMap } from '../model.js';
import { urn30 } from '../urn30.js';
import { maintainableEl } from './nameable.js';
import { el, textEl, type XmlElement } from './xml-text.js';

export function representationMapEl(map: RepresentationMap): XmlElement {
  const codelists = () => [textEl('structure:SourceCodelist', urn30(map.source)), textEl('structure:TargetCodelist', urn30(map.target))];
  return maintainableEl('structure:RepresentationMap', map, {
    urn: urn30(map),
    requiredContent: codelists,
    content: () => [
      ...codelists(),
      ...map.mappings.map((m) =>
        el('structure:RepresentationMapping', {}, textEl('structure:SourceValue', m.source), textEl('structure:TargetValue', m.target)),
      ),
    ],
  });
}
