/**
 * `dataStructureComponents` of an SDMX-JSON 2.0.0 data structure (field guide "dataStructure",
 * schema DataStructureComponentsType), i.e. our SDMX 2.1 DSD seen as an SDMX 3.0 one.
 *
 * Choices:
 * - `position` is 0-based (2.0.0 field guide "dimension": "starting at 0"); the time dimension
 *   is the single `timeDimension` object, which has no position in 2.0.0;
 * - the 2.1 primary measure becomes the one entry of `measures`; `usage: "optional"` because in
 *   2.1 an observation value may be missing;
 * - attribute relationships: data set → `{ dataflow: {} }`, observation → `{ observation: {} }`;
 *   `assignmentStatus` Mandatory/Conditional → `usage` mandatory/optional (SDMX 3.0 replaced the one by the other);
 * - representations are `{ enumeration }` or `{ format: { dataType, ... } }`, never both (the
 *   schema's oneOf).
 */
import {
  itemUrnOf,
  urnOf,
  type AttributeRelationship,
  type DataStructure,
  type Representation,
} from '../model.js';
import { clean, type Localiser } from '../json10/common.js';
import { componentBase, roles, textFormat } from '../json10/components.js';

type Json = Record<string, unknown>;

export function representation20(r: Representation | undefined): Json | undefined {
  if (!r) return undefined;
  if (r.enumeration) return { enumeration: urnOf(r.enumeration) };
  if (r.textFormat) return { format: textFormat(r.textFormat, 'dataType') };
  return undefined;
}

function relationship20(rel: AttributeRelationship): Json {
  switch (rel.kind) {
    case 'DataSet':
      return { dataflow: {} };
    case 'Dimensions':
      return { dimensions: [...rel.dimensions] };
    case 'Group':
      return { group: rel.group };
    case 'Observation':
      return { observation: {} };
  }
}

export function dataStructureComponents20(loc: Localiser, dsd: DataStructure): Json {
  const dims = [...dsd.dimensions].sort((a, b) => a.position - b.position);
  const td = dsd.timeDimension;
  const out: Json = {
    dimensionList: {
      id: 'DimensionDescriptor',
      dimensions: dims.map((d) =>
        clean({
          ...componentBase(loc, d),
          position: d.position - 1,
          conceptIdentity: itemUrnOf(d.conceptIdentity),
          conceptRoles: roles(d),
          localRepresentation: representation20(d.localRepresentation),
        }),
      ),
      timeDimension: clean({
        ...componentBase(loc, td),
        conceptIdentity: itemUrnOf(td.conceptIdentity),
        localRepresentation: {
          format: td.localRepresentation?.textFormat
            ? textFormat(td.localRepresentation.textFormat, 'dataType')
            : { dataType: 'ObservationalTimePeriod' },
        },
      }),
    },
  };
  if (dsd.groups && dsd.groups.length > 0) {
    out.groups = dsd.groups.map((g) => clean({ ...componentBase(loc, g), groupDimensions: [...g.dimensions] }));
  }
  if (dsd.attributes.length > 0) {
    out.attributeList = {
      id: 'AttributeDescriptor',
      attributes: dsd.attributes.map((a) =>
        clean({
          ...componentBase(loc, a),
          usage: a.assignmentStatus === 'Mandatory' ? 'mandatory' : 'optional',
          attributeRelationship: relationship20(a.relationship),
          conceptIdentity: itemUrnOf(a.conceptIdentity),
          conceptRoles: roles(a),
          localRepresentation: representation20(a.localRepresentation),
        }),
      ),
    };
  }
  const pm = dsd.primaryMeasure;
  out.measureList = {
    id: 'MeasureDescriptor',
    measures: [
      clean({
        ...componentBase(loc, pm),
        usage: 'optional',
        conceptIdentity: itemUrnOf(pm.conceptIdentity),
        conceptRoles: roles(pm),
        localRepresentation: representation20(pm.localRepresentation),
      }),
    ],
  };
  return out;
}
