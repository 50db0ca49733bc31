/**
 * SDMX-ML 2.1 generic reference-metadata message writer (`message:GenericMetadata`,
 * `2.1/SDMXMessage.xsd` GenericMetadataType; sets in `2.1/SDMXMetadataGeneric.xsd`), for the
 * media type application/vnd.sdmx.genericmetadata+xml;version=2.1. Pure: model in, string out.
 * The message type and the helpers shared with the other metadata writers are in
 * ../ml30/metadata-writer.ts.
 *
 * Layout (the element order of Eurostat's `ESTAT/esms.xml` sample, which is the XSD's):
 * - Header (GenericMetadataHeaderType): ID, Test, Prepared, Sender, then one `message:Structure`
 *   per distinct metadataflow, `structureID` = the flow's id, holding `common:StructureUsage` with
 *   a `Ref` to the metadataflow (class Metadataflow, package metadatastructure). The XSD gives
 *   each header Structure a choice of provision agreement, usage or structure, so it cannot name
 *   both the flow and the MSD; the flow is the usage the sets are reported against and names its
 *   MSD (as the data writers name the dataflow, not the DSD). ESMS references its MSD instead
 *   (`common:Structure`); both are valid.
 * - `message:MetadataSet structureRef=<that structureID> setID=<set id>
 *   validFromDate=<release instant>`: `common:Name` per language, `metadata:DataProvider` (a
 *   `Ref` to the data provider) when the set names one, then one `metadata:Report id=<report
 *   structure>`, whose `metadata:Target id=<metadata target>` holds one `metadata:ReferenceValue`
 *   per target component: `DATAFLOW` with an `ObjectReference` to the dataflow URN and, for a
 *   country note, `REF_AREA` with the area code's URN (component ids from CRIME_METADATA), as
 *   ESMS writes its `DATA_PROVIDER` and `CATEGORY` references (URN only, unqualified `URN`
 *   element); then `metadata:AttributeSet`.
 * - `metadata:ReportedAttribute id=..`: a code or number in `value="..."`, text as one
 *   `common:Text xml:lang=..` per language (the XSD allows both on one attribute, so both are
 *   written when present), children in a nested `metadata:AttributeSet`. Never
 *   `common:StructuredText`: its XHTML cannot be validated with the schemas we have
 *   (docs/reference-metadata-design.md §1.2).
 *
 * A 2.1 metadata set is not maintainable: its version and agency are not written (setID is the
 * set id; the version is implied by validFromDate). There is no stub form: Report, Target and a
 * non-empty AttributeSet are required, so `detail=allstubs` is refused
 * (METADATA_DETAILS_ML21; the route answers 406 before calling this), and a set without
 * attributes throws.
 */
import { CRIME_METADATA, type MetadataSet, type ReportedAttribute } from '../metadata/model.js';
import type { Header } from '../message.js';
import { PACKAGE_OF, itemUrnOf, refKey, urnOf, type Text } from '../model.js';
import { metadataStructureIds, requireDetail, type MetadataDetail, type MetadataMessage } from '../ml30/metadata-writer.js';
import { NS21 } from './namespaces.js';
import { writeSender } from './data-common.js';
import { XmlBuilder } from './xml.js';

/** The generic metadata namespace of SDMX-ML 2.1 (SDMXMetadataGeneric.xsd targetNamespace). */
export const NS_METADATA_21 = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/metadata/generic';

/** The details this writer can express: full only (see the module comment). */
export const METADATA_DETAILS_ML21: readonly MetadataDetail[] = ['full'];

const M = 'metadata:';

function writeTexts(w: XmlBuilder, el: string, text: Text | undefined): void {
  for (const [lang, value] of Object.entries(text ?? {})) w.leaf(el, value, { 'xml:lang': lang });
}

function writeHeader(w: XmlBuilder, h: Header, structures: ReturnType<typeof metadataStructureIds>): void {
  w.open('message:Header').leaf('message:ID', h.id).leaf('message:Test', String(h.test)).leaf('message:Prepared', h.prepared);
  writeSender(w, h.sender);
  for (const { id, flow } of structures.values()) {
    w.open('message:Structure', { structureID: id })
      .open('common:StructureUsage')
      .empty('Ref', { agencyID: flow.agencyID, id: flow.id, version: flow.version, class: flow.class, package: PACKAGE_OF[flow.class] })
      .close('common:StructureUsage')
      .close('message:Structure');
  }
  w.close('message:Header');
}

function writeReferenceValue(w: XmlBuilder, id: string, urn: string): void {
  w.open(M + 'ReferenceValue', { id }).open(M + 'ObjectReference').leaf('URN', urn).close(M + 'ObjectReference').close(M + 'ReferenceValue');
}

function writeAttributeSet(w: XmlBuilder, attributes: readonly ReportedAttribute[]): void {
  w.open(M + 'AttributeSet');
  for (const a of attributes) {
    const hasText = Object.keys(a.text ?? {}).length > 0;
    if (!hasText && a.children.length === 0) {
      w.empty(M + 'ReportedAttribute', { id: a.id, value: a.value });
      continue;
    }
    w.open(M + 'ReportedAttribute', { id: a.id, value: a.value });
    writeTexts(w, 'common:Text', a.text);
    if (a.children.length > 0) writeAttributeSet(w, a.children);
    w.close(M + 'ReportedAttribute');
  }
  w.close(M + 'AttributeSet');
}

function writeMetadataSet(w: XmlBuilder, s: MetadataSet, structureRef: string): void {
  if (s.attributes.length === 0) throw new Error(`metadata set ${s.agencyID}:${s.id}(${s.version}) has no attributes`);
  w.open('message:MetadataSet', { structureRef, setID: s.id, validFromDate: s.validFrom, validToDate: s.validTo });
  writeTexts(w, 'common:Name', s.name);
  if (s.provider) {
    const p = s.provider;
    w.open(M + 'DataProvider')
      .empty('Ref', {
        agencyID: p.scheme.agencyID,
        maintainableParentID: p.scheme.id,
        maintainableParentVersion: p.scheme.version,
        id: p.id,
        class: 'DataProvider',
        package: PACKAGE_OF.DataProvider,
      })
      .close(M + 'DataProvider');
  }
  w.open(M + 'Report', { id: s.reportID }).open(M + 'Target', { id: s.targetID });
  writeReferenceValue(w, CRIME_METADATA.dataflowComponent, urnOf(s.target.dataflow));
  if (s.target.area) writeReferenceValue(w, CRIME_METADATA.areaComponent, itemUrnOf(s.target.area));
  w.close(M + 'Target');
  writeAttributeSet(w, s.attributes);
  w.close(M + 'Report').close('message:MetadataSet');
}

/** `message:GenericMetadata` (SDMX-ML 2.1) for the message's sets; throws when there is none. */
export function writeGenericMetadataMl21(msg: MetadataMessage): string {
  requireDetail(msg.detail ?? 'full', METADATA_DETAILS_ML21, 'SDMX-ML 2.1 generic metadata');
  const structures = metadataStructureIds(msg.sets);
  const w = new XmlBuilder().declaration().open('message:GenericMetadata', {
    'xmlns:message': NS21.message,
    'xmlns:common': NS21.common,
    'xmlns:metadata': NS_METADATA_21,
  });
  writeHeader(w, msg.header, structures);
  for (const s of msg.sets) writeMetadataSet(w, s, structures.get(refKey(s.metadataflow))!.id);
  return w.close('message:GenericMetadata').toString();
}
