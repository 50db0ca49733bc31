/**
 * Metadata structures (MSD) and metadataflows in SDMX-ML 2.1 (SDMXStructureMetadataStructure.xsd,
 * SDMXStructureMetadataflow.xsd): the content written after Annotations/Name/Description.
 * An MSD holds its MetadataTargets, then its ReportStructures; a report structure lists its
 * (nested) MetadataAttributes and then the targets it may describe, by local `Ref`. Component URNs
 * follow the 2.1 pattern `...metadatastructure.<Class>=AGENCY:MSD(VERSION).<path>`.
 */
import type {
  Annotation,
  ItemRef,
  MaintainableRef,
  MetadataAttribute,
  MetadataStructure,
  MetadataTargetComponent,
  Metadataflow,
  Representation,
} from '../model.js';
import type { XmlBuilder } from './xml.js';

/** What the structure writer lends: its shared pieces. */
export interface Ml21MetadataKit {
  annotations(w: XmlBuilder, annotations: readonly Annotation[] | undefined): void;
  maintainableRef(w: XmlBuilder, el: string, r: MaintainableRef): void;
  itemRef(w: XmlBuilder, el: string, r: ItemRef): void;
  localRef(w: XmlBuilder, el: string, id: string): void;
  representation(w: XmlBuilder, el: string, rep: Representation | undefined): void;
}

const S = 'structure:';

/** The element of each target component kind. */
const TARGET_ELEMENT: Readonly<Record<MetadataTargetComponent['kind'], string>> = {
  IdentifiableObject: 'IdentifiableObjectTarget',
  ReportPeriod: 'ReportPeriodTarget',
  KeyDescriptorValues: 'KeyDescriptorValuesTarget',
  DataSet: 'DataSetTarget',
  ConstraintContent: 'ConstraintContentTarget',
};

/** The XSD requires a LocalRepresentation on every target component: the SDMX default of each kind. */
function targetRepresentation(c: MetadataTargetComponent): Representation {
  if (c.localRepresentation?.enumeration || c.localRepresentation?.textFormat) return c.localRepresentation;
  if (c.kind === 'ReportPeriod') return { textFormat: { textType: 'ObservationalTimePeriod' } };
  return { textFormat: { textType: 'IdentifiableReference' } };
}

export function writeMetadataStructureContent(w: XmlBuilder, msd: MetadataStructure, kit: Ml21MetadataKit): void {
  const urn = (cls: string, path: string) =>
    `urn:sdmx:org.sdmx.infomodel.metadatastructure.${cls}=${msd.agencyID}:${msd.id}(${msd.version}).${path}`;
  w.open(S + 'MetadataStructureComponents');
  for (const t of msd.targets) {
    w.open(S + 'MetadataTarget', { id: t.id, urn: urn('MetadataTarget', t.id) });
    kit.annotations(w, t.annotations);
    for (const c of t.components) {
      const el = TARGET_ELEMENT[c.kind];
      w.open(S + el, { id: c.id, urn: urn(el, `${t.id}.${c.id}`), objectType: c.objectType });
      kit.annotations(w, c.annotations);
      kit.representation(w, S + 'LocalRepresentation', targetRepresentation(c));
      w.close(S + el);
    }
    w.close(S + 'MetadataTarget');
  }
  for (const r of msd.reports) {
    w.open(S + 'ReportStructure', { id: r.id, urn: urn('ReportStructure', r.id) });
    kit.annotations(w, r.annotations);
    const writeAttribute = (a: MetadataAttribute, path: string): void => {
      w.open(S + 'MetadataAttribute', {
        id: a.id,
        urn: urn('MetadataAttribute', path),
        // Defaults (1, 1, false) are left out, as SDMX writers usually do.
        minOccurs: a.minOccurs === 1 ? undefined : String(a.minOccurs),
        maxOccurs: a.maxOccurs === 1 ? undefined : String(a.maxOccurs),
        isPresentational: a.isPresentational ? 'true' : undefined,
      });
      kit.annotations(w, a.annotations);
      kit.itemRef(w, S + 'ConceptIdentity', a.conceptIdentity);
      kit.representation(w, S + 'LocalRepresentation', a.localRepresentation);
      for (const child of a.children) writeAttribute(child, `${path}.${child.id}`);
      w.close(S + 'MetadataAttribute');
    };
    for (const a of r.attributes) writeAttribute(a, `${r.id}.${a.id}`);
    for (const target of r.targets) kit.localRef(w, S + 'MetadataTarget', target);
    w.close(S + 'ReportStructure');
  }
  w.close(S + 'MetadataStructureComponents');
}

export function writeMetadataflowContent(w: XmlBuilder, flow: Metadataflow, kit: Ml21MetadataKit): void {
  kit.maintainableRef(w, S + 'Structure', flow.structure);
}
