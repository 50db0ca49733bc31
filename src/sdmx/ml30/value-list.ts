/**
 * SDMX-ML 3.0 `ValueList` (SDMXStructureCodelist.xsd): one `ValueItem` per value, the value as
 * its `id` (any string, unlike a code id), with its names. ValueItems are optional in the XSD,
 * so stubs have none; a list cut by an item query carries no isPartial (ValueListType has none).
 */
import type { ValueList } from '../model.js';
import { urnOf, refOf } from '../model.js';
import { localised, annotationsEl, maintainableEl } from './nameable.js';
import { el, type XmlElement } from './xml-text.js';

export function valueListEl(v: ValueList): XmlElement {
  return maintainableEl('structure:ValueList', v, {
    urn: urnOf(refOf(v)),
    content: () =>
      v.items.map((i) => el('structure:ValueItem', { id: i.id }, annotationsEl(i.annotations), localised('Name', i.name), localised('Description', i.description))),
  });
}
