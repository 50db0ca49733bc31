/**
 * SDMX-ML 3.0 structure-specific data writer (`application/vnd.sdmx.data+xml;version=3.0.0`;
 * structure-specific is the only XML data format of SDMX 3.0, REST digest §B6).
 *
 * Message (SDMXMessage.xsd `StructureSpecificData`, `StructureSpecificDataHeaderType`): Header
 * with ID, Test, Prepared, Sender and one `Structure` (SDMXCommon.xsd
 * `StructureSpecificDataStructureType`) carrying `structureID`, `dimensionAtObservation`, and
 * `namespace` = the Dataflow URN + `:ObsLevelDim:{dimensionAtObservation}`, the namespace of the
 * dataflow-specific schema that types the data set (the convention of the official 3.0 sample
 * `ECB_EXR.xml` and of REST schema queries; it starts with the Dataflow URN, which is what
 * clients parse for the data set identity, conformance kit §2.4). Its child is the
 * `common:StructureUsage` URN of the dataflow.
 *
 * Data sets (SDMXDataStructureSpecific.xsd), one or more: `<message:DataSet xsi:type="ns1:DataSetType"
 * ss:structureRef=.. ss:action="Information">` (the action given to beginDataSet, Information by
 * default, plus `ss:validFromDate`, `ss:validToDate`, `ss:publicationYear` when given), data set
 * attributes as XML attributes, and a `DataProvider` child (the provider's URN) when given;
 * `Series` (dimension XML attributes first, in DSD order, then series attributes: the TCK reads
 * key parts positionally) holding `Obs` (observation dimension(s), OBS_VALUE, observation
 * attributes); in a flat view `Obs` sit directly in the data set with every dimension. A
 * missing value is `OBS_VALUE="NaN"` (xs:double).
 *
 * detail: dataonly drops every attribute; serieskeysonly writes Series with their key only and
 * nodata Series with key and attributes, both without Obs; in a flat view, which has no series,
 * they write each Obs with its key (plus, for nodata, its non-observation attributes) and no
 * OBS_VALUE. Only components of the DSD are written, so the output fits the DSD-specific schema.
 *
 * Streaming (call order in ../data/model.ts): the head writes up to the Header end, each data
 * set opening its start tag, `series` one Series, `end` closes.
 */
import { itemUrnOf, urnOf, type Component } from '../model.js';
import {
  dataProviderRef,
  dataWriter,
  type DataMessageContext,
  type DataSetInfo,
  type DataWriter,
  type Observation,
  type Series,
} from '../data/model.js';
import { structureIdOf } from '../ml21/data-common.js';
import { escapeAttr, escapeText } from './xml-text.js';
import { NS_COMMON_30, NS_MESSAGE_30 } from './namespaces.js';

export const NS_STRUCTURE_SPECIFIC_DATA_30 = 'http://www.sdmx.org/resources/sdmxml/schemas/v3_0/data/structurespecific';
const NS_XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** The data set namespace written in the header (see the module comment). */
export function dataSetNamespace30(ctx: DataMessageContext): string {
  return `${urnOf({ class: 'Dataflow', agencyID: ctx.dataflow.agencyID, id: ctx.dataflow.id, version: ctx.dataflow.version })}:ObsLevelDim:${ctx.dimensionAtObservation}`;
}

/** `structureID` (an xs:ID) is the DSD's id, as in SDMX-ML 2.1 (see ../ml21/data-common.ts). */
const structureId = (ctx: DataMessageContext): string => structureIdOf(ctx.dsd);

/** xs:double text: the shortest round-trip form; NaN for a missing value (module comment). */
function doubleText(v: number | null): string {
  if (v === null || Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'INF';
  if (v === -Infinity) return '-INF';
  return String(v);
}

function attrs(list: readonly (readonly [string, string])[]): string {
  let out = '';
  for (const [k, v] of list) out += ` ${k}="${escapeAttr(v)}"`;
  return out;
}

export function ml30DataWriter(ctx: DataMessageContext): DataWriter {
  const { dsd, detail } = ctx;
  const atObs = ctx.dimensionAtObservation;
  const flat = atObs === 'AllDimensions';
  const withAttributes = detail === 'full' || detail === 'nodata';
  const withObservations = detail === 'full' || detail === 'dataonly';
  const dimensions: readonly Component[] = [...dsd.dimensions, dsd.timeDimension].sort(
    (a, b) => (a as { position: number }).position - (b as { position: number }).position,
  );
  // nodata keeps the attributes that are not attached to observations (REST 4_4 `detail`).
  const attributeIds = dsd.attributes
    .filter((a) => detail === 'full' || (detail === 'nodata' && a.relationship.kind !== 'Observation'))
    .map((a) => a.id);
  const measure = dsd.primaryMeasure.id;

  const dimensionPairs = (values: Readonly<Record<string, string>>) =>
    dimensions.filter((d) => values[d.id] !== undefined).map((d) => [d.id, values[d.id]!] as const);
  const attributePairs = (values: Readonly<Record<string, string>> | undefined) =>
    withAttributes && values ? attributeIds.filter((id) => values[id] !== undefined).map((id) => [id, values[id]!] as const) : [];

  function obs(o: Observation, seriesKey: Readonly<Record<string, string>>, indent: string): string {
    const key: Record<string, string> = { ...o.dimensions };
    if (o.at !== undefined && !flat) key[atObs] = o.at;
    // in a flat view the pseudo-series key is empty; a caller may still put shared dimensions there
    const all = flat ? { ...seriesKey, ...key } : key;
    const list: (readonly [string, string])[] = dimensionPairs(all);
    if (withObservations) list.push([measure, doubleText(o.value)]);
    list.push(...attributePairs(o.attributes));
    return `${indent}<Obs${attrs(list)}/>\n`;
  }

  return dataWriter({
    head() {
      const h = ctx.header;
      const senderNames = Object.entries(h.sender.name ?? {})
        .map(([lang, v]) => `\n      <common:Name xml:lang="${escapeAttr(lang)}">${escapeText(v)}</common:Name>`)
        .join('');
      const sender = senderNames
        ? `<message:Sender id="${escapeAttr(h.sender.id)}">${senderNames}\n    </message:Sender>`
        : `<message:Sender id="${escapeAttr(h.sender.id)}"/>`;
      return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<message:StructureSpecificData xmlns:message="${NS_MESSAGE_30}" xmlns:common="${NS_COMMON_30}"` +
        ` xmlns:ss="${NS_STRUCTURE_SPECIFIC_DATA_30}" xmlns:xsi="${NS_XSI}" xmlns:ns1="${escapeAttr(dataSetNamespace30(ctx))}">\n` +
        '  <message:Header>\n' +
        `    <message:ID>${escapeText(h.id)}</message:ID>\n` +
        `    <message:Test>${h.test}</message:Test>\n` +
        `    <message:Prepared>${escapeText(h.prepared)}</message:Prepared>\n` +
        `    ${sender}\n` +
        `    <message:Structure${attrs([
          ['structureID', structureId(ctx)],
          ['namespace', dataSetNamespace30(ctx)],
          ['dimensionAtObservation', atObs],
        ])}>\n` +
        `      <common:StructureUsage>${escapeText(urnOf({ class: 'Dataflow', agencyID: ctx.dataflow.agencyID, id: ctx.dataflow.id, version: ctx.dataflow.version }))}</common:StructureUsage>\n` +
        '    </message:Structure>\n' +
        '  </message:Header>\n'
      );
    },
    openDataSet(info: DataSetInfo) {
      const provider = dataProviderRef(info);
      const optional: [string, string | undefined][] = [
        ['ss:validFromDate', info.validFromDate],
        ['ss:validToDate', info.validToDate],
        ['ss:publicationYear', info.publicationYear],
      ];
      return (
        `  <message:DataSet${attrs([
          ['ss:structureRef', structureId(ctx)],
          ['ss:action', info.action ?? 'Information'],
          ...optional.filter((a): a is [string, string] => a[1] !== undefined),
          ['xsi:type', 'ns1:DataSetType'],
          ...attributePairs(ctx.dataSetAttributes),
        ])}>\n` + (provider ? `    <DataProvider>${escapeText(itemUrnOf(provider))}</DataProvider>\n` : '')
      );
    },
    series(s: Series) {
      if (flat) {
        // a pseudo-series (one of possibly many per data set): observations directly under the data set
        let out = '';
        for (const o of s.observations) out += obs(o, s.key, '    ');
        return out;
      }
      const open = `    <Series${attrs([...dimensionPairs(s.key), ...attributePairs(s.attributes)])}`;
      if (!withObservations || s.observations.length === 0) return `${open}/>\n`;
      let out = `${open}>\n`;
      for (const o of s.observations) out += obs(o, s.key, '      ');
      return `${out}    </Series>\n`;
    },
    closeDataSet: () => '  </message:DataSet>\n',
    tail: () => '</message:StructureSpecificData>\n',
  });
}
