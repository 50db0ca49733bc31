/**
 * SDMX-ML 3.0 StructureMap and item scheme maps (SDMXStructureStructureMappings.xsd): Source and
 * Target as URNs, one ItemMap (SourceValue, TargetValue) per item pair; a StructureMap's
 * ComponentMaps (source and target component ids, the RepresentationMap its values go through)
 * and FixedValueMaps (a target component and its value). Source and Target are required even in
 * stubs, so stubs keep them.
 */
import type { ItemSchemeMap, StructureMap } from '../model.js';
import { urn30 } from '../urn30.js';
import { maintainableEl } from './nameable.js';
import { el, textEl, type XmlElement } from './xml-text.js';

const ends = (m: ItemSchemeMap | StructureMap) => [textEl('structure:Source', urn30(m.source)), textEl('structure:Target', urn30(m.target))];

export function itemSchemeMapEl(m: ItemSchemeMap): XmlElement {
  return maintainableEl(`structure:${m.class}`, m, {
    urn: urn30(m),
    requiredContent: () => ends(m),
    content: () => [
      ...ends(m),
      ...m.mappings.map((p) => el('structure:ItemMap', {}, textEl('structure:SourceValue', p.source), textEl('structure:TargetValue', p.target))),
    ],
  });
}

export function structureMapEl(m: StructureMap): XmlElement {
  return maintainableEl('structure:StructureMap', m, {
    urn: urn30(m),
    requiredContent: () => ends(m),
    content: () => [
      ...ends(m),
      ...m.componentMaps.map((c) =>
        el(
          'structure:ComponentMap',
          {},
          c.source.map((id) => textEl('structure:Source', id)),
          c.target.map((id) => textEl('structure:Target', id)),
          c.representationMap ? textEl('structure:RepresentationMap', urn30(c.representationMap)) : undefined,
        ),
      ),
      ...m.fixedValueMaps.map((f) => el('structure:FixedValueMap', {}, textEl('structure:Target', f.target), textEl('structure:Value', f.value))),
    ],
  });
}
