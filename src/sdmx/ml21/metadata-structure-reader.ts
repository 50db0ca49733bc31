/**
 * Reads metadata structures (MSD) and metadataflows of an SDMX-ML 2.1 structure message back
 * into the model (the inverse of metadata-structure.ts). The structure reader lends its pieces so
 * errors name the artefact the same way. A 2.1 metadataflow has no targets: the structure loader
 * derives the SDMX 3.0 ones from its MSD (metadataflow-targets.ts), so they are read as empty.
 */
import type {
  Annotation,
  ItemRef,
  MaintainableBase,
  MaintainableClass,
  MaintainableRef,
  MetadataAttribute,
  MetadataStructure,
  MetadataTarget,
  MetadataTargetComponent,
  Metadataflow,
  Representation,
} from '../model.js';
import { attr, kid, kids, type XNode } from './xml-tree.js';

export interface Ml21MetadataReaderKit {
  fail(where: string, what: string): never;
  base<C extends MaintainableClass>(node: XNode, cls: C): { where: string; head: MaintainableBase & { class: C } };
  annotations(node: XNode, where: string): Annotation[] | undefined;
  maintainableRef(container: XNode | undefined, where: string, what: string, dflt?: MaintainableClass): MaintainableRef;
  itemRef(container: XNode | undefined, where: string, what: string, dflt: 'Concept'): ItemRef;
  localId(container: XNode | undefined, where: string, what: string): string;
  representation(node: XNode | undefined, where: string, what: string): Representation | undefined;
}

const TARGET_KINDS: readonly (readonly [string, MetadataTargetComponent['kind']])[] = [
  ['IdentifiableObjectTarget', 'IdentifiableObject'],
  ['ReportPeriodTarget', 'ReportPeriod'],
  ['KeyDescriptorValuesTarget', 'KeyDescriptorValues'],
  ['DataSetTarget', 'DataSet'],
  ['ConstraintContentTarget', 'ConstraintContent'],
];

/** SDMX fixes the id of these target kinds (SDMXStructureMetadataStructure.xsd). */
const FIXED_ID: Partial<Record<MetadataTargetComponent['kind'], string>> = {
  ReportPeriod: 'REPORT_PERIOD_TARGET',
  KeyDescriptorValues: 'DIMENSION_DESCRIPTOR_VALUES_TARGET',
  DataSet: 'DATA_SET_TARGET',
  ConstraintContent: 'CONSTRAINT_CONTENT_TARGET',
};

function occurrences(v: string | undefined, where: string, what: string, kit: Ml21MetadataReaderKit): number | 'unbounded' {
  if (v === undefined) return 1;
  if (v === 'unbounded') return 'unbounded';
  if (!/^\d+$/.test(v)) kit.fail(where, `${what} is ${v}, not a count`);
  return Number(v);
}

function readTarget(node: XNode, where: string, kit: Ml21MetadataReaderKit): MetadataTarget {
  const id = attr(node, 'id') ?? kit.fail(where, 'a MetadataTarget has no id');
  const components: MetadataTargetComponent[] = [];
  for (const [element, kind] of TARGET_KINDS) {
    for (const c of kids(node, element)) {
      const cid = attr(c, 'id') ?? FIXED_ID[kind] ?? kit.fail(where, `an ${element} of MetadataTarget ${id} has no id`);
      const objectType = attr(c, 'objectType');
      if (kind === 'IdentifiableObject' && !objectType) kit.fail(where, `IdentifiableObjectTarget ${cid} has no objectType`);
      const rep = kit.representation(kid(c, 'LocalRepresentation'), where, `${element} ${cid} LocalRepresentation`);
      const ann = kit.annotations(c, where);
      components.push({
        id: cid,
        kind,
        ...(objectType ? { objectType } : {}),
        ...(rep ? { localRepresentation: rep } : {}),
        ...(ann ? { annotations: ann } : {}),
      });
    }
  }
  const ann = kit.annotations(node, where);
  return { id, components, ...(ann ? { annotations: ann } : {}) };
}

function readAttribute(node: XNode, where: string, kit: Ml21MetadataReaderKit): MetadataAttribute {
  const given = attr(node, 'id');
  const conceptIdentity = kit.itemRef(kid(node, 'ConceptIdentity'), where, `MetadataAttribute ${given ?? '?'} ConceptIdentity`, 'Concept');
  // The id may be left out; it is then the concept's (SDMXStructureBase.xsd ComponentType).
  const id = given ?? conceptIdentity.id;
  const rep = kit.representation(kid(node, 'LocalRepresentation'), where, `MetadataAttribute ${id} LocalRepresentation`);
  const ann = kit.annotations(node, where);
  const presentational = attr(node, 'isPresentational');
  if (presentational !== undefined && presentational !== 'true' && presentational !== 'false') {
    kit.fail(where, `MetadataAttribute ${id} isPresentational is ${presentational}`);
  }
  return {
    id,
    conceptIdentity,
    ...(rep ? { localRepresentation: rep } : {}),
    ...(ann ? { annotations: ann } : {}),
    minOccurs: occurrences(attr(node, 'minOccurs'), where, `MetadataAttribute ${id} minOccurs`, kit) as number,
    maxOccurs: occurrences(attr(node, 'maxOccurs'), where, `MetadataAttribute ${id} maxOccurs`, kit),
    isPresentational: presentational === 'true',
    children: kids(node, 'MetadataAttribute').map((c) => readAttribute(c, where, kit)),
  };
}

export function readMetadataStructure(node: XNode, kit: Ml21MetadataReaderKit): MetadataStructure {
  const { where, head } = kit.base(node, 'MetadataStructure');
  const components = kid(node, 'MetadataStructureComponents');
  if (!components) kit.fail(where, 'no MetadataStructureComponents (stubs cannot be loaded)');
  const targets = kids(components, 'MetadataTarget').map((t) => readTarget(t, where, kit));
  const reports = kids(components, 'ReportStructure').map((r) => {
    const id = attr(r, 'id') ?? kit.fail(where, 'a ReportStructure has no id');
    const targetIds = kids(r, 'MetadataTarget').map((t) => kit.localId(t, where, `ReportStructure ${id} MetadataTarget`));
    for (const t of targetIds) {
      if (!targets.some((x) => x.id === t)) kit.fail(where, `ReportStructure ${id} refers to MetadataTarget ${t}, which the MSD does not define`);
    }
    const ann = kit.annotations(r, where);
    return {
      id,
      ...(ann ? { annotations: ann } : {}),
      targets: targetIds,
      attributes: kids(r, 'MetadataAttribute').map((a) => readAttribute(a, where, kit)),
    };
  });
  return { ...head, targets, reports };
}

export function readMetadataflow(node: XNode, kit: Ml21MetadataReaderKit): Metadataflow {
  const { where, head } = kit.base(node, 'Metadataflow');
  const structure = kid(node, 'Structure');
  if (!structure) kit.fail(where, 'no Structure (stubs cannot be loaded)');
  const ref = kit.maintainableRef(structure, where, 'Structure', 'MetadataStructure');
  if (ref.class !== 'MetadataStructure') kit.fail(where, `Structure refers to a ${ref.class}, expected MetadataStructure`);
  return { ...head, structure: ref, targets: [] };
}
