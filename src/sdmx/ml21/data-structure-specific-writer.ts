/**
 * SDMX-ML 2.1 structure-specific data writers: `message:StructureSpecificData` (SDMXMessage.xsd
 * StructureSpecificDataType, SDMXDataStructureSpecificBase.xsd) and its time-series restriction
 * `message:StructureSpecificTimeSeriesData`, streamed one series at a time. The message is valid
 * against the official XSDs together with the DSD-specific schema of dsd-schema-writer.ts, whose
 * target namespace is the header `namespace` used here.
 *
 * Layout:
 * - Header `message:Structure structureID=… namespace=… dimensionAtObservation=…`; the namespace
 *   is the Dataflow URN + `:ObsLevelDim:` + the observation dimension (conformance kit §6.8), the
 *   only place the SDMX TCK reads the flow identity from (§2.4).
 * - One or more `message:DataSet ss:structureRef=… ss:dataScope="Dataflow" xsi:type="ns1:DataSetType"`
 *   (plus the data set's `ss:action`, validity dates and publication year when given), data set
 *   attributes as XML attributes, and a `DataProvider` child when the data set names one.
 * - `Series` (unqualified) whose XML attributes are the key dimensions first, in DSD order (the TCK
 *   compares key parts positionally), then the series attributes; `Obs` with the observation
 *   dimension, OBS_VALUE and the observation attributes. Flat view (AllDimensions): `Obs` directly
 *   under DataSet with every dimension.
 *
 * Choices:
 * - A missing value is `OBS_VALUE="NaN"` (valid for an xs:double measure).
 * - `dataScope` is `Dataflow`: the namespace and schema are those of the dataflow.
 * - StructureSpecificTimeSeriesData allows only TIME_PERIOD at the observation level; asking for
 *   another dimension throws.
 */
import { dataWriter, type DataMessageContext, type DataSetInfo, type DataWriter, type Series } from '../data/model.js';
import { NS21 } from './namespaces.js';
import { XmlBuilder, type AttrValue } from './xml.js';
import {
  ALL_DIMENSIONS,
  NS21_DATA,
  dataSetInfoAttrs,
  detailRules,
  dimensionOrder,
  formatValue,
  inOrder,
  structureSpecificNamespace,
  writeDataHeader,
  writeDataProvider,
  requireTimeSeries,
} from './data-common.js';

/** Prefix of the DSD-specific namespace in the message. */
const DSD_PREFIX = 'ns1';

function makeWriter(ctx: DataMessageContext, root: string): DataWriter {
  const atObs = ctx.dimensionAtObservation;
  const flat = atObs === ALL_DIMENSIONS;
  const rules = detailRules(ctx.detail, flat);
  const order = dimensionOrder(ctx.dsd);
  const primary = ctx.dsd.primaryMeasure.id;
  const namespace = structureSpecificNamespace(ctx.dsd, ctx.dataflow, atObs);

  let structureRef = '';
  return dataWriter({
    head() {
      const w = new XmlBuilder().declaration().open(root, {
        'xmlns:message': NS21.message,
        'xmlns:common': NS21.common,
        'xmlns:ss': NS21_DATA.structureSpecific,
        'xmlns:xsi': NS21_DATA.xsi,
        [`xmlns:${DSD_PREFIX}`]: namespace,
      });
      structureRef = writeDataHeader(w, ctx, { namespace });
      return w.toString();
    },

    openDataSet(info: DataSetInfo) {
      const attrs: Record<string, AttrValue> = {
        'ss:structureRef': structureRef,
        'ss:dataScope': 'Dataflow',
        'xsi:type': `${DSD_PREFIX}:DataSetType`,
        ...dataSetInfoAttrs(info, 'ss:'),
      };
      if (rules.attributes && ctx.dataSetAttributes) Object.assign(attrs, ctx.dataSetAttributes);
      const w = new XmlBuilder().open('message:DataSet', attrs);
      writeDataProvider(w, 'DataProvider', info);
      return w.toString();
    },

    series(s: Series) {
      const w = new XmlBuilder();
      if (flat) {
        if (!rules.observations) return '';
        for (const o of s.observations) {
          const attrs: Record<string, AttrValue> = Object.fromEntries(inOrder({ ...s.key, ...o.dimensions }, order));
          if (rules.values) attrs[primary] = formatValue(o.value);
          if (rules.attributes) Object.assign(attrs, o.attributes);
          w.empty('Obs', attrs);
        }
        return w.toString();
      }
      const seriesAttrs: Record<string, AttrValue> = Object.fromEntries(inOrder(s.key, order, atObs));
      if (rules.attributes) Object.assign(seriesAttrs, s.attributes);
      if (!rules.observations || s.observations.length === 0) return w.empty('Series', seriesAttrs).toString();
      w.open('Series', seriesAttrs);
      for (const o of s.observations) {
        const attrs: Record<string, AttrValue> = { [atObs]: o.at ?? o.dimensions?.[atObs] ?? '' };
        if (rules.values) attrs[primary] = formatValue(o.value);
        if (rules.attributes) Object.assign(attrs, o.attributes);
        w.empty('Obs', attrs);
      }
      return w.close('Series').toString();
    },

    closeDataSet: () => '</message:DataSet>',
    tail: () => `</${root}>`,
  });
}

/** `message:StructureSpecificData` for any dimensionAtObservation (time series, cross-section, flat). */
export function structureSpecificDataWriter(ctx: DataMessageContext): DataWriter {
  return makeWriter(ctx, 'message:StructureSpecificData');
}

/** `message:StructureSpecificTimeSeriesData`: only TIME_PERIOD at the observation level. */
export function structureSpecificTimeSeriesDataWriter(ctx: DataMessageContext): DataWriter {
  requireTimeSeries(ctx, 'StructureSpecificTimeSeriesData');
  return makeWriter(ctx, 'message:StructureSpecificTimeSeriesData');
}
