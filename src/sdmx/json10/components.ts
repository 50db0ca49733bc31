/**
 * `dataStructureComponents` of an SDMX-JSON 1.0 data structure (field guide "dataStructure",
 * schema DataStructureComponentsType), i.e. the SDMX 2.1 DSD: dimensionList (dimensions and
 * timeDimensions), groups, attributeList and measureList with its one primaryMeasure.
 *
 * Choices:
 * - `position` is 0-based: the 1.0 field guide ("dimension") says positions start at 0, unlike
 *   SDMX-ML where they start at 1; the model's 1-based position is shifted by one;
 * - an attribute attached to the data set is written `{ "none": {} }`, one attached to the
 *   observation `{ "primaryMeasure": "<measure id>" }` (field guide "attributeRelationship");
 * - a representation is an `enumeration` URN when coded, else a `textFormat`; facets the schema
 *   bounds (minLength/maxLength ≥ 1) are left out when out of range.
 * The 2.0.0 writer reuses `textFormat`, `componentBase` and `roles`.
 */
import {
  itemUrnOf,
  urnOf,
  type AttributeRelationship,
  type Component,
  type DataStructure,
  type Identifiable,
  type Representation,
  type TextFormat,
} from '../model.js';
import { annotations, clean, type Localiser } from './common.js';

type Json = Record<string, unknown>;

/** TextFormat facets shared by both SDMX-JSON versions; `typeKey` is textType (1.0) or dataType (2.0). */
export function textFormat(tf: TextFormat, typeKey: 'textType' | 'dataType'): Json {
  return clean({
    [typeKey]: tf.textType,
    minLength: tf.minLength !== undefined && tf.minLength >= 1 ? tf.minLength : undefined,
    maxLength: tf.maxLength !== undefined && tf.maxLength >= 1 ? tf.maxLength : undefined,
    pattern: tf.pattern,
    minValue: tf.minValue,
    maxValue: tf.maxValue,
  });
}

export function representation10(r: Representation | undefined): Json | undefined {
  if (!r) return undefined;
  if (r.enumeration) return { enumeration: urnOf(r.enumeration) };
  if (r.textFormat) return { textFormat: textFormat(r.textFormat, 'textType') };
  return undefined;
}

export function componentBase(loc: Localiser, c: Identifiable): Json {
  return clean({
    id: c.id,
    annotations: annotations(loc, c.annotations),
  });
}

export function roles(c: Component): string[] | undefined {
  return c.conceptRoles && c.conceptRoles.length > 0 ? c.conceptRoles.map(itemUrnOf) : undefined;
}

function relationship10(rel: AttributeRelationship, measureID: string): Json {
  switch (rel.kind) {
    case 'DataSet':
      return { none: {} };
    case 'Dimensions':
      return { dimensions: [...rel.dimensions] };
    case 'Group':
      return { group: rel.group };
    case 'Observation':
      return { primaryMeasure: measureID };
  }
}

export function dataStructureComponents10(loc: Localiser, dsd: DataStructure): Json {
  const dims = [...dsd.dimensions].sort((a, b) => a.position - b.position);
  const td = dsd.timeDimension;
  const dimensionList = {
    id: 'DimensionDescriptor',
    dimensions: dims.map((d) =>
      clean({
        ...componentBase(loc, d),
        position: d.position - 1,
        type: 'Dimension',
        conceptIdentity: itemUrnOf(d.conceptIdentity),
        conceptRoles: roles(d),
        localRepresentation: representation10(d.localRepresentation),
      }),
    ),
    timeDimensions: [
      clean({
        ...componentBase(loc, td),
        position: td.position - 1,
        type: 'TimeDimension',
        conceptIdentity: itemUrnOf(td.conceptIdentity),
        // Required by the schema; the time dimension's format is always a time type.
        localRepresentation: {
          textFormat: td.localRepresentation?.textFormat
            ? textFormat(td.localRepresentation.textFormat, 'textType')
            : { textType: 'ObservationalTimePeriod' },
        },
      }),
    ],
  };
  const pm = dsd.primaryMeasure;
  const out: Json = { dimensionList };
  if (dsd.groups && dsd.groups.length > 0) {
    out.groups = dsd.groups.map((g) =>
      clean({ ...componentBase(loc, g), groupDimensions: [...g.dimensions] }),
    );
  }
  if (dsd.attributes.length > 0) {
    out.attributeList = {
      id: 'AttributeDescriptor',
      attributes: dsd.attributes.map((a) =>
        clean({
          ...componentBase(loc, a),
          assignmentStatus: a.assignmentStatus,
          attributeRelationship: relationship10(a.relationship, pm.id),
          conceptIdentity: itemUrnOf(a.conceptIdentity),
          conceptRoles: roles(a),
          localRepresentation: representation10(a.localRepresentation),
        }),
      ),
    };
  }
  out.measureList = {
    id: 'MeasureDescriptor',
    primaryMeasure: clean({
      ...componentBase(loc, pm),
      conceptIdentity: itemUrnOf(pm.conceptIdentity),
      localRepresentation: representation10(pm.localRepresentation),
    }),
  };
  return out;
}
