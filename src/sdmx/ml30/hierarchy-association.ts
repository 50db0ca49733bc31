/**
 * SDMX-ML 3.0 `HierarchyAssociation` (SDMXStructureHierarchicalCodelist.xsd): the linked
 * Hierarchy by the URN it is published under (../hierarchies30.ts), the linked component by its
 * URN inside the context structure, and the context structure. LinkedHierarchy and LinkedObject
 * are required by the XSD, so stubs keep them.
 */
import type { HierarchyAssociation } from '../model.js';
import { hierarchyAssociationRefs30 } from '../urn30.js';
import { maintainableEl } from './nameable.js';
import { textEl, type XmlElement } from './xml-text.js';

export function hierarchyAssociationEl(a: HierarchyAssociation): XmlElement {
  const refs = hierarchyAssociationRefs30(a);
  const required = () => [textEl('structure:LinkedHierarchy', refs.hierarchy), textEl('structure:LinkedObject', refs.object)];
  return maintainableEl('structure:HierarchyAssociation', a, {
    urn: refs.self,
    content: () => [...required(), textEl('structure:ContextObject', refs.context)],
    requiredContent: required,
  });
}
