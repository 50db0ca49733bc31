/**
 * SDMX-ML 2.1 generic data writers: `message:GenericData` (SDMXMessage.xsd GenericDataType,
 * SDMXDataGenericBase.xsd) and its time-series restriction `message:GenericTimeSeriesData`
 * (SDMXDataGenericTimeSeries.xsd), streamed one series at a time.
 *
 * Layout (SDMXDataGenericBase.xsd):
 * - Header `message:Structure` with `structureID` and `dimensionAtObservation` (no `namespace`:
 *   GenericDataStructureType prohibits it), referencing the dataflow or provision agreement.
 * - One or more `message:DataSet structureRef=…` (with the data set's action, validity dates and
 *   publication year as XML attributes and its `generic:DataProvider`, see data-common.ts), data
 *   set attributes in `generic:Attributes`, then either
 *   `generic:Series` (SeriesKey, Attributes, Obs with ObsDimension / ObsValue / Attributes) or, for
 *   dimensionAtObservation=AllDimensions, flat `generic:Obs` with an ObsKey of every dimension.
 *
 * Choices:
 * - `ObsDimension` carries `id` only in a cross-section (as in the SDMX 2.1 ECB samples); for time
 *   series the id is implied (TimeValueType fixes it to TIME_PERIOD).
 * - A missing value is written `ObsValue value="NaN"`, so an observation whose attributes explain
 *   the gap (OBS_STATUS) stays distinguishable from one without a value element at all.
 * - Empty `Attributes` elements are left out (ValuesType needs at least one Value).
 * - GenericTimeSeriesData allows only TIME_PERIOD at the observation level; asking for another
 *   dimension is a programming error and throws.
 */
import { dataWriter, type DataMessageContext, type DataSetInfo, type DataWriter, type Observation, type Series } from '../data/model.js';
import { NS21 } from './namespaces.js';
import { XmlBuilder } from './xml.js';
import {
  ALL_DIMENSIONS,
  NS21_DATA,
  dataSetInfoAttrs,
  detailRules,
  dimensionOrder,
  formatValue,
  inOrder,
  writeDataHeader,
  writeDataProvider,
  requireTimeSeries,
} from './data-common.js';

const G = 'generic:';

function writeValues(w: XmlBuilder, el: string, values: readonly [string, string][]): void {
  if (values.length === 0) return;
  w.open(G + el);
  for (const [id, value] of values) w.empty(G + 'Value', { id, value });
  w.close(G + el);
}

function makeWriter(ctx: DataMessageContext, root: string): DataWriter {
  const atObs = ctx.dimensionAtObservation;
  const flat = atObs === ALL_DIMENSIONS;
  const timeId = ctx.dsd.timeDimension.id;
  const rules = detailRules(ctx.detail, flat);
  const order = dimensionOrder(ctx.dsd);

  const obsAttributes = (w: XmlBuilder, o: Observation) => {
    if (rules.attributes) writeValues(w, 'Attributes', Object.entries(o.attributes));
  };

  let structureRef = '';
  return dataWriter({
    head() {
      const w = new XmlBuilder().declaration().open(root, {
        'xmlns:message': NS21.message,
        'xmlns:common': NS21.common,
        'xmlns:generic': NS21_DATA.generic,
      });
      structureRef = writeDataHeader(w, ctx, {});
      return w.toString();
    },

    openDataSet(info: DataSetInfo) {
      const w = new XmlBuilder().open('message:DataSet', { structureRef, ...dataSetInfoAttrs(info) });
      writeDataProvider(w, G + 'DataProvider', info);
      if (rules.attributes && ctx.dataSetAttributes) writeValues(w, 'Attributes', Object.entries(ctx.dataSetAttributes));
      return w.toString();
    },

    series(s: Series) {
      const w = new XmlBuilder();
      if (flat) {
        if (!rules.observations) return '';
        for (const o of s.observations) {
          w.open(G + 'Obs');
          writeValues(w, 'ObsKey', inOrder({ ...s.key, ...o.dimensions }, order));
          if (rules.values) w.empty(G + 'ObsValue', { value: formatValue(o.value) });
          obsAttributes(w, o);
          w.close(G + 'Obs');
        }
        return w.toString();
      }
      w.open(G + 'Series');
      writeValues(w, 'SeriesKey', inOrder(s.key, order, atObs));
      if (rules.attributes) writeValues(w, 'Attributes', Object.entries(s.attributes));
      if (rules.observations) {
        const dimId = atObs === timeId ? undefined : atObs;
        for (const o of s.observations) {
          w.open(G + 'Obs').empty(G + 'ObsDimension', { id: dimId, value: o.at ?? o.dimensions?.[atObs] ?? '' });
          if (rules.values) w.empty(G + 'ObsValue', { value: formatValue(o.value) });
          obsAttributes(w, o);
          w.close(G + 'Obs');
        }
      }
      return w.close(G + 'Series').toString();
    },

    closeDataSet: () => '</message:DataSet>',
    tail: () => `</${root}>`,
  });
}

/** `message:GenericData` for any dimensionAtObservation (time series, cross-section, flat). */
export function genericDataWriter(ctx: DataMessageContext): DataWriter {
  return makeWriter(ctx, 'message:GenericData');
}

/** `message:GenericTimeSeriesData`: only TIME_PERIOD (the time dimension) at the observation level. */
export function genericTimeSeriesDataWriter(ctx: DataMessageContext): DataWriter {
  requireTimeSeries(ctx, 'GenericTimeSeriesData');
  return makeWriter(ctx, 'message:GenericTimeSeriesData');
}
