/**
 * A DataStructure in SDMX-ML 3.0 (SDMXStructureDataStructure.xsd): DimensionList (dimensions in
 * key order, then the time dimension), Groups, AttributeList, MeasureList.
 *
 * Mapping from our 2.1-shaped model:
 * - ConceptIdentity, ConceptRole and Enumeration are URNs (3.0 has no `<Ref>`).
 * - `assignmentStatus` becomes `usage`: Mandatory → mandatory, Conditional → optional.
 * - Attribute relationships: DataSet → `<Dataflow/>` (3.0's name for data-set level),
 *   Dimensions → one `<Dimension>` each, Group → `<Group>`, Observation → `<Observation/>`.
 *   No MeasureRelationship: it is optional, and with a single measure an observation-level
 *   attribute already relates to it.
 * - The 2.1 primary measure becomes the only Measure of the MeasureList (id OBS_VALUE); its
 *   `usage` is left at the XSD default (optional), as 2.1 allowed a missing OBS_VALUE.
 * - The time dimension has no `position` (prohibited) and no ConceptRole (not in
 *   TimeDimensionType); its representation is required, so it defaults to ObservationalTimePeriod.
 * - AttributeList is omitted when there are no attributes (it needs at least one).
 */
import type { Component, DataAttribute, DataStructure } from '../model.js';
import { annotationsEl, maintainableEl } from './nameable.js';
import { representationEl, type FormatContext } from './representation.js';
import { dsdPartUrn, itemUrn30, urn30 } from '../urn30.js';
import { el, textEl, type Child, type XmlElement } from './xml-text.js';

function componentBody(c: Component, ctx: FormatContext, withRoles: boolean): Child[] {
  return [
    annotationsEl(c.annotations),
    textEl('structure:ConceptIdentity', itemUrn30(c.conceptIdentity)),
    representationEl('structure:LocalRepresentation', c.localRepresentation, ctx),
    withRoles && (c.conceptRoles ?? []).map((r) => textEl('structure:ConceptRole', itemUrn30(r))),
  ];
}

function relationshipEl(a: DataAttribute): XmlElement {
  const r = a.relationship;
  switch (r.kind) {
    case 'DataSet':
      return el('structure:AttributeRelationship', {}, el('structure:Dataflow'));
    case 'Dimensions':
      return el('structure:AttributeRelationship', {}, r.dimensions.map((d) => textEl('structure:Dimension', d)));
    case 'Group':
      return el('structure:AttributeRelationship', {}, textEl('structure:Group', r.group));
    case 'Observation':
      return el('structure:AttributeRelationship', {}, el('structure:Observation'));
  }
}

function componentsEl(d: DataStructure): XmlElement {
  const dims = [...d.dimensions].sort((a, b) => a.position - b.position);
  const dimensionList = el(
    'structure:DimensionList',
    { urn: dsdPartUrn('DimensionDescriptor', d, 'DimensionDescriptor'), id: 'DimensionDescriptor' },
    dims.map((dim) =>
      el(
        'structure:Dimension',
        { urn: dsdPartUrn('Dimension', d, dim.id), id: dim.id, position: dim.position },
        componentBody(dim, 'simple', true),
      ),
    ),
    el(
      'structure:TimeDimension',
      { urn: dsdPartUrn('TimeDimension', d, d.timeDimension.id), id: d.timeDimension.id },
      componentBody(d.timeDimension, 'time', false),
    ),
  );
  const groups = (d.groups ?? []).map((g) =>
    el(
      'structure:Group',
      { urn: dsdPartUrn('GroupDimensionDescriptor', d, g.id), id: g.id },
      annotationsEl(g.annotations),
      g.dimensions.map((id) => el('structure:GroupDimension', {}, textEl('structure:DimensionReference', id))),
    ),
  );
  const attributeList =
    d.attributes.length > 0 &&
    el(
      'structure:AttributeList',
      { urn: dsdPartUrn('AttributeDescriptor', d, 'AttributeDescriptor'), id: 'AttributeDescriptor' },
      d.attributes.map((a) =>
        el(
          'structure:Attribute',
          {
            urn: dsdPartUrn('DataAttribute', d, a.id),
            id: a.id,
            usage: a.assignmentStatus === 'Mandatory' ? 'mandatory' : 'optional',
          },
          componentBody(a, 'basic', true),
          relationshipEl(a),
        ),
      ),
    );
  const m = d.primaryMeasure;
  const measureList = el(
    'structure:MeasureList',
    { urn: dsdPartUrn('MeasureDescriptor', d, 'MeasureDescriptor'), id: 'MeasureDescriptor' },
    el('structure:Measure', { urn: dsdPartUrn('Measure', d, m.id), id: m.id }, componentBody(m, 'basic', true)),
  );
  return el('structure:DataStructureComponents', {}, dimensionList, groups, attributeList, measureList);
}

export function dataStructureEl(d: DataStructure): XmlElement {
  return maintainableEl('structure:DataStructure', d, { urn: urn30(d), content: () => [componentsEl(d)] });
}
