/**
 * SDMX-ML 3.0 generic reference-metadata message writer (`message:GenericMetadata`,
 * `3.0.1/SDMXMessage.xsd` GenericMetadataType; sets in `3.0.1/SDMXMetadataGeneric.xsd`), for the
 * media type application/vnd.sdmx.metadata+xml;version=3.0.0. Pure: model in, string out. It
 * also holds what the three metadata writers share (the message type, `detail`, the 3.0 URNs of
 * a set and its targets, the header structure ids), so the 2.1 and JSON writers import them
 * from here.
 *
 * Layout:
 * - Header: ID, Test, Prepared, Sender (as the structure writer writes them), then one
 *   `message:Structure` per distinct metadataflow of the sets (GenericMetadataHeaderType wants at
 *   least one), each a `common:StructureUsage` holding the metadataflow's URN. The header
 *   `Structure` is a choice of provision agreement, structure usage or structure
 *   (SDMXCommon.xsd GenericMetadataStructureType); the metadataflow is the usage the sets are
 *   reported against and names its MSD, as the data writers name the dataflow rather than the DSD.
 *   3.0 sets do not refer to the header (SetAttributeGroup has no `structureRef` in 3.0).
 * - Each set is a maintainable (MetadataSetBaseType restricts common:MaintainableType):
 *   attributes `urn` (`metadatastructure.MetadataSet=AGENCY:ID(VERSION)`, MetadataSetUrnType),
 *   `agencyID`, `id`, `version`, `validFrom` (the release instant); `common:Name` per language
 *   (the id in English when the set has no name: Name is required); then `metadata:Metadataflow`
 *   (URN), one `metadata:Target` per object described (the dataflow's URN; for a country note also
 *   the area code's URN) and the `metadata:Attribute`s.
 * - An attribute: `common:Text xml:lang` per language for text, else `metadata:Value` for a code or
 *   number, then its child `metadata:Attribute`s. The schema allows Value or Text, not both, so text
 *   wins when a (malformed) attribute carries both. Never `common:StructuredText`: the XHTML it
 *   holds cannot be validated with the schemas we have (docs/reference-metadata-design.md §1.2).
 *
 * `detail=allstubs` (REST 2.x `metaDetail`) writes each set as a stub: only its identification
 * (urn, agencyID, id, version) and Name(s), REST metadata.md "only containing identification
 * information and the metadataset' name". The XSD allows this: the content sequence
 * (Metadataflow, Target, Attribute) is optional as a whole.
 *
 * The metadata provider is not written: a 3.0 set has no provider element (the provider is
 * named through a MetadataProvisionAgreement or the header's single MetadataProvider, whose URN
 * class would be a MetadataProvider, not the data provider our model holds).
 *
 * URNs: SDMX 3.0 names metadataflows, dataflows and codes as 2.1 does (`urn30`, `itemUrn30`
 * return `urnOf`/`itemUrnOf` for these classes; only maps, hierarchies and constraints change
 * package or class). Versions are written as held: legacy `1.0` for the structures,
 * semantic `1.0.0` for a set; the 3.0 URN patterns accept both.
 */
import type { Header } from '../message.js';
import type { MetadataSet, ReportedAttribute } from '../metadata/model.js';
import { refKey, type MaintainableRef } from '../model.js';
import { itemUrn30, urn30 } from '../urn30.js';
import { localised } from './nameable.js';
import { headerEl } from './structure-writer.js';
import { NS_COMMON_30, NS_MESSAGE_30 } from './namespaces.js';
import { el, renderDocument, textEl, type XmlElement } from './xml-text.js';

/** REST 2.x `detail` for metadata queries (openapi `metaDetail`). */
export type MetadataDetail = 'full' | 'allstubs';

/** A reference-metadata message: a header and the metadata sets it carries, in that order. */
export interface MetadataMessage {
  readonly header: Header;
  readonly sets: readonly MetadataSet[];
  /** `full` when absent. */
  readonly detail?: MetadataDetail;
}

/** The generic metadata namespace of SDMX-ML 3.0 (SDMXMetadataGeneric.xsd targetNamespace). */
export const NS_METADATA_30 = 'http://www.sdmx.org/resources/sdmxml/schemas/v3_0/metadata/generic';

/** The details this writer can express: both (a 3.0 set may be written without content). */
export const METADATA_DETAILS_ML30: readonly MetadataDetail[] = ['full', 'allstubs'];

/**
 * SDMX 3.0 URN of a metadata set. MetadataSet is not a structure class of the model (it is
 * versioned with releases, not held in the registry), so urnOf cannot build it; the package is
 * `metadatastructure` (MetadataSetUrnType, SDMXCommonReferences.xsd).
 */
export function metadataSetUrn30(set: Pick<MetadataSet, 'agencyID' | 'id' | 'version'>): string {
  return `urn:sdmx:org.sdmx.infomodel.metadatastructure.MetadataSet=${set.agencyID}:${set.id}(${set.version})`;
}

/** The SDMX 3.0 `Target` URNs of a set: the dataflow described, then the area code of a country note. */
export function metadataTargetUrns30(set: MetadataSet): string[] {
  const out = [urn30(set.target.dataflow)];
  if (set.target.area) out.push(itemUrn30(set.target.area));
  return out;
}

/**
 * One header structure id (an xs:ID) per distinct metadataflow of the sets, in order of first
 * use, keyed by refKey: the flow's id, made an NCName, with `_2`, `_3`… when two flows (other
 * agency or version) share an id. Throws when there is no set: the header needs a Structure,
 * and a query that matches nothing is answered 404 rather than with an empty message.
 */
export function metadataStructureIds(sets: readonly MetadataSet[]): Map<string, { readonly id: string; readonly flow: MaintainableRef }> {
  if (sets.length === 0) throw new Error('a metadata message needs at least one metadata set (its header names their metadataflows)');
  const out = new Map<string, { id: string; flow: MaintainableRef }>();
  const used = new Set<string>();
  for (const s of sets) {
    const key = refKey(s.metadataflow);
    if (out.has(key)) continue;
    const raw = s.metadataflow.id.replace(/[^A-Za-z0-9_.-]/g, '_');
    const base = /^[A-Za-z_]/.test(raw) ? raw : `_${raw}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    out.set(key, { id, flow: s.metadataflow });
  }
  return out;
}

/** Throws when a writer is asked for a detail it cannot write (the route answers 406 before that). */
export function requireDetail(detail: MetadataDetail, supported: readonly MetadataDetail[], format: string): void {
  if (!supported.includes(detail)) throw new Error(`${format} cannot write metadata with detail=${detail}`);
}

const MD = 'metadata:';

/** The common header, then one Structure per metadataflow of the sets. */
function metadataHeaderEl(h: Header, sets: readonly MetadataSet[]): XmlElement {
  return headerEl(
    h,
    [...metadataStructureIds(sets).values()].map(({ id, flow }) => el('message:Structure', { structureID: id }, textEl('common:StructureUsage', urn30(flow)))),
  );
}

function attributeEl(a: ReportedAttribute): XmlElement {
  const texts = Object.entries(a.text ?? {});
  return el(
    MD + 'Attribute',
    { id: a.id },
    texts.length > 0
      ? texts.map(([lang, value]) => textEl('common:Text', value, { 'xml:lang': lang }))
      : a.value !== undefined && textEl(MD + 'Value', a.value),
    a.children.map(attributeEl),
  );
}

function metadataSetEl(s: MetadataSet, detail: MetadataDetail): XmlElement {
  const full = detail === 'full';
  if (full && s.attributes.length === 0) {
    // Attribute is 1..n inside the content sequence; an empty full set is a loader bug, not a stub.
    throw new Error(`metadata set ${s.agencyID}:${s.id}(${s.version}) has no attributes`);
  }
  return el(
    'message:MetadataSet',
    {
      urn: metadataSetUrn30(s),
      agencyID: s.agencyID,
      id: s.id,
      version: s.version,
      validFrom: full ? s.validFrom : undefined,
      validTo: full ? s.validTo : undefined,
    },
    localised('Name', s.name, s.id),
    full && [
      textEl(MD + 'Metadataflow', urn30(s.metadataflow)),
      metadataTargetUrns30(s).map((urn) => textEl(MD + 'Target', urn)),
      s.attributes.map(attributeEl),
    ],
  );
}

/** `message:GenericMetadata` (SDMX-ML 3.0) for the message's sets; throws when there is none. */
export function writeMetadataMl30(msg: MetadataMessage): string {
  const detail = msg.detail ?? 'full';
  requireDetail(detail, METADATA_DETAILS_ML30, 'SDMX-ML 3.0');
  const root = el(
    'message:GenericMetadata',
    { 'xmlns:message': NS_MESSAGE_30, 'xmlns:common': NS_COMMON_30, 'xmlns:metadata': NS_METADATA_30 },
    metadataHeaderEl(msg.header, msg.sets),
    msg.sets.map((s) => metadataSetEl(s, detail)),
  );
  return renderDocument(root);
}
