/**
 * Pieces shared by the SDMX-ML 2.1 data writers (generic and structure-specific) and the
 * DSD-specific schema writer: namespaces, the data message header, the structure-specific
 * namespace URN, value formatting and the `detail` rules.
 *
 * Choices:
 * - The header `message:Structure` points at the dataflow (`common:StructureUsage`) or, when the
 *   query named a data provider, at the provision agreement (`common:ProvisionAgrement`, the
 *   XSD's spelling). The two are a choice in `PayloadStructureType` (SDMXCommon.xsd), so the
 *   provision agreement replaces the dataflow reference; the dataflow identity stays in the
 *   structure-specific `namespace`, which is where the SDMX TCK reads it (conformance kit §2.4,
 *   D4 in §3.2).
 * - `structureID`, which the DataSet's `structureRef` (xs:IDREF) repeats, is the DSD's id, as
 *   ECB and Eurostat write it: clients such as R `rsdmx` (`readSDMX(..., dsd = TRUE)`) take
 *   `structureRef` for the DSD id and fetch `/datastructure/{agency}/{structureRef}/latest`. It
 *   must be an NCName (xs:ID), so an id that is not one is prefixed with `_`.
 * - A data set's own information (action, validity dates, publication year) goes in the XML
 *   attributes of `SetAttributeGroup` (unqualified in generic data, `ss:` in structure-specific
 *   data) and its provider in a `DataProvider` child, the first child the DataSetType allows.
 * - Numbers use the shortest round-trip form (`String(n)`); a missing value (null) and NaN are
 *   `NaN`, infinities `INF`/`-INF` (xs:double lexical space), and -0 keeps its sign.
 */
import { dataProviderRef, type DataDetail, type DataMessageContext, type DataSetInfo, type ObservationDimension } from '../data/model.js';
import type { DataStructure, Dataflow, Text } from '../model.js';
import type { Header } from '../message.js';
import { PACKAGE_OF, refOf, urnOf } from '../model.js';
import type { Attrs, XmlBuilder } from './xml.js';

export const NS21_DATA = {
  generic: 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic',
  structureSpecific: 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

export const ALL_DIMENSIONS = 'AllDimensions';

/**
 * Namespace of the structure-specific schema and message for a flow (or a DSD when no flow is
 * given): the URN followed by `:ObsLevelDim:` and the observation dimension (SDMX 2.1 Section 3B;
 * conformance kit §6.8).
 */
export function structureSpecificNamespace(
  dsd: DataStructure,
  dataflow: Dataflow | undefined,
  dimensionAtObservation: ObservationDimension,
): string {
  return `${urnOf(refOf(dataflow ?? dsd))}:ObsLevelDim:${dimensionAtObservation}`;
}

/** The header `structureID` and data sets' `structureRef` (SDMX-ML 2.1 and 3.0): the DSD's id, as an NCName. */
export function structureIdOf(dsd: DataStructure): string {
  const raw = dsd.id.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(raw) ? raw : `_${raw}`;
}

/** What a `detail` value keeps. */
export interface DetailRules {
  readonly observations: boolean;
  readonly values: boolean;
  readonly attributes: boolean;
}

/**
 * REST 1.5 `detail`: full keeps everything; dataonly drops attributes; serieskeysonly keeps the
 * keys only; nodata keeps series and their attributes without observations. In a flat view the
 * "series" are the observations, so nodata keeps their keys and attributes without the value and
 * serieskeysonly keeps their keys only.
 */
export function detailRules(detail: DataDetail, flat: boolean): DetailRules {
  switch (detail) {
    case 'dataonly':
      return { observations: true, values: true, attributes: false };
    case 'serieskeysonly':
      return { observations: flat, values: false, attributes: false };
    case 'nodata':
      return { observations: flat, values: false, attributes: true };
    default:
      return { observations: true, values: true, attributes: true };
  }
}

/** An observation value as SDMX-ML writes it. */
export function formatValue(v: number | null): string {
  if (v === null || Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'INF';
  if (v === -Infinity) return '-INF';
  if (v === 0 && Object.is(v, -0)) return '-0';
  return String(v);
}

/**
 * Dimension ids in key order: the non-time dimensions by position, then the time dimension. The
 * TCK compares key parts with the XML attributes of `Series` positionally (conformance kit §2.4).
 */
export function dimensionOrder(dsd: DataStructure): string[] {
  const dims = [...dsd.dimensions].sort((a, b) => a.position - b.position).map((d) => d.id);
  return [...dims, dsd.timeDimension.id];
}

/**
 * The entries of `values` in DSD order (`order`), followed by any entries the DSD does not know
 * (kept rather than dropped, so nothing the caller passes is silently lost).
 */
export function inOrder(values: Readonly<Record<string, string>>, order: readonly string[], skip?: string): [string, string][] {
  const out: [string, string][] = [];
  for (const id of order) {
    if (id !== skip && values[id] !== undefined) out.push([id, values[id]]);
  }
  for (const id of Object.keys(values)) {
    if (id !== skip && !order.includes(id)) out.push([id, values[id]]);
  }
  return out;
}

/** `message:Sender`, with its names when it has any (data and metadata message headers). */
export function writeSender(w: XmlBuilder, sender: Header['sender']): void {
  if (sender.name && Object.keys(sender.name).length > 0) {
    w.open('message:Sender', { id: sender.id });
    writeTexts(w, 'common:Name', sender.name);
    w.close('message:Sender');
  } else {
    w.empty('message:Sender', { id: sender.id });
  }
}

function writeTexts(w: XmlBuilder, el: string, text: Text | undefined): void {
  if (!text) return;
  for (const [lang, value] of Object.entries(text)) w.leaf(el, value, { 'xml:lang': lang });
}

/**
 * `message:Header` of a data message (SDMXMessage.xsd BaseHeaderType and its data restrictions):
 * ID, Test, Prepared, Sender, then one `message:Structure`. `namespace` is required for
 * structure-specific messages and prohibited for generic ones. Returns the `structureID`, which
 * the DataSet's `structureRef` must repeat.
 */
export function writeDataHeader(w: XmlBuilder, ctx: DataMessageContext, opts: { namespace?: string }): string {
  const h = ctx.header;
  const structureID = structureIdOf(ctx.dsd);
  w.open('message:Header').leaf('message:ID', h.id).leaf('message:Test', String(h.test)).leaf('message:Prepared', h.prepared);
  writeSender(w, h.sender);
  w.open('message:Structure', {
    structureID,
    namespace: opts.namespace,
    dimensionAtObservation: ctx.dimensionAtObservation,
  });
  const pa = ctx.provisionAgreement;
  const target = pa ?? refOf(ctx.dataflow);
  const el = pa ? 'common:ProvisionAgrement' : 'common:StructureUsage';
  w.open(el)
    .empty('Ref', {
      agencyID: target.agencyID,
      id: target.id,
      version: target.version,
      class: target.class,
      package: PACKAGE_OF[target.class],
    })
    .close(el);
  w.close('message:Structure').close('message:Header');
  return structureID;
}

/** The `SetAttributeGroup` XML attributes of a data set (`prefix` `ss:` in structure-specific data). */
export function dataSetInfoAttrs(info: DataSetInfo, prefix = ''): Attrs {
  return {
    [`${prefix}action`]: info.action,
    [`${prefix}validFromDate`]: info.validFromDate,
    [`${prefix}validToDate`]: info.validToDate,
    [`${prefix}publicationYear`]: info.publicationYear,
  };
}

/** `DataProvider` (DataProviderReferenceType) of a data set, when it names one. */
export function writeDataProvider(w: XmlBuilder, el: string, info: DataSetInfo): void {
  const ref = dataProviderRef(info);
  if (!ref) return;
  w.open(el)
    .empty('Ref', {
      agencyID: ref.scheme.agencyID,
      maintainableParentID: ref.scheme.id,
      maintainableParentVersion: ref.scheme.version,
      id: ref.id,
      class: ref.class,
      package: PACKAGE_OF[ref.class],
    })
    .close(el);
}

/** The time-series message variants allow only the time dimension at the observation level. */
export function requireTimeSeries(ctx: DataMessageContext, message: string): void {
  if (ctx.dimensionAtObservation !== ctx.dsd.timeDimension.id) {
    throw new Error(`${message} needs dimensionAtObservation=${ctx.dsd.timeDimension.id}, not ${ctx.dimensionAtObservation}`);
  }
}
