/**
 * Metadata structures (MSD) and metadataflows in SDMX-JSON 1.0 (the SDMX 2.1 shape: schema
 * MetadataStructureComponentsType with `metadataTargets` and `reportStructures`). Report
 * structures name their targets by URN, as the schema asks.
 */
import { itemUrnOf, type MetadataAttribute, type MetadataStructure, type MetadataTargetComponent, type Representation } from '../model.js';
import { clean, type Localiser } from './common.js';
import { componentBase, representation10 } from './components.js';

type Json = Record<string, unknown>;

/** The schema's array member of each target component kind. */
const TARGET_ARRAY: Readonly<Record<MetadataTargetComponent['kind'], string>> = {
  IdentifiableObject: 'identifiableObjectTargets',
  ReportPeriod: 'reportPeriodTargets',
  KeyDescriptorValues: 'keyDescriptorValuesTargets',
  DataSet: 'dataSetTargets',
  ConstraintContent: 'constraintContentTargets',
};

function targetComponent(loc: Localiser, c: MetadataTargetComponent): Json {
  const rep = c.localRepresentation?.enumeration || c.localRepresentation?.textFormat ? c.localRepresentation : undefined;
  return clean({
    ...componentBase(loc, c),
    objectType: c.objectType,
    // Every target component requires a representation; a reference is the SDMX default.
    localRepresentation: representation10(rep) ?? {
      textFormat: { textType: c.kind === 'ReportPeriod' ? 'ObservationalTimePeriod' : 'IdentifiableReference' },
    },
  });
}

/** A metadata attribute and its children; the two versions differ only in how a representation is written. */
export function metadataAttributeJson(loc: Localiser, a: MetadataAttribute, representation: (r: Representation | undefined) => Json | undefined): Json {
  return clean({
    ...componentBase(loc, a),
    minOccurs: a.minOccurs === 1 ? undefined : a.minOccurs,
    maxOccurs: a.maxOccurs === 1 ? undefined : a.maxOccurs,
    isPresentational: a.isPresentational ? true : undefined,
    conceptIdentity: itemUrnOf(a.conceptIdentity),
    localRepresentation: representation(a.localRepresentation),
    metadataAttributes: a.children.length > 0 ? a.children.map((c) => metadataAttributeJson(loc, c, representation)) : undefined,
  });
}

export function metadataStructureComponents10(loc: Localiser, msd: MetadataStructure): Json {
  const key = `${msd.agencyID}:${msd.id}(${msd.version})`;
  return {
    metadataTargets: msd.targets.map((t) => {
      const out: Json = { ...componentBase(loc, t) };
      for (const c of t.components) ((out[TARGET_ARRAY[c.kind]] ??= []) as Json[]).push(targetComponent(loc, c));
      return clean(out);
    }),
    reportStructures: msd.reports.map((r) =>
      clean({
        ...componentBase(loc, r),
        metadataAttributes: r.attributes.map((a) => metadataAttributeJson(loc, a, representation10)),
        metadataTargets: r.targets.map((t) => `urn:sdmx:org.sdmx.infomodel.metadatastructure.MetadataTarget=${key}.${t}`),
      }),
    ),
  };
}
