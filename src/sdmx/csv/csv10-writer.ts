/**
 * SDMX-CSV 1.0.0 data writer (`application/vnd.sdmx.data+csv;version=1.0.0`, the SDMX 2.1
 * REST CSV format; shared/sdmx/csv/1.0/data-message-field-guide.md).
 *
 * Columns ("Design principles"): `DATAFLOW` holding `AGENCY:ID(VERSION)`, then one column per
 * dimension in DSD order (TIME_PERIOD included at its position), `OBS_VALUE`, then one column per
 * DSD attribute in DSD order; series and data set attributes are replicated on every row. Which
 * columns and rows a `detail` gives is decided in csv-layout.ts.
 *
 * Options ("Optional parameters"): `labels=both` writes `ID: Name` for the dataflow, dimension
 * and attribute headers and for coded values; OBS_VALUE is "always the term OBS_VALUE". 1.0 has
 * no `labels=name`; it is written as `both`, the nearest 1.0 form. `timeFormat=normalized` is
 * not supported (support of non-default parameters is not required, same section): periods are
 * written as recorded. Comma separator always (the locale-dependent `;` is optional).
 *
 * Data sets: 1.0 has no column for a data set's action, dates or provider, so the rows of
 * several data sets simply follow each other under the one header.
 */
import { dataWriter, type DataMessageContext, type DataWriter, type Series, type TextSink } from '../data/model.js';
import { CSV_EOL, csvField, csvRecord } from './csv-text.js';
import { CsvNames, csvLayout, csvRows, flowReference, measureText, type CsvLabels } from './csv-layout.js';

export function csv10Writer(ctx: DataMessageContext): DataWriter {
  const labels: CsvLabels = ctx.labels === undefined || ctx.labels === 'id' ? 'id' : 'both';
  const names = new CsvNames(ctx);
  const layout = csvLayout(ctx);
  const flowName = labels === 'both' ? names.text(ctx.dataflow.name) : undefined;
  const flow = flowReference(ctx.dataflow) + (flowName !== undefined ? `: ${flowName}` : '');

  // Ids only, one row per observation of a time series or cross-section: the common case of
  // large exports, written with as few strings per row as possible (each is garbage to collect):
  // the cells that repeat along a series are escaped once per series, a row's attribute cells
  // once per distinct attribute set (sets are shared objects), and with `seriesInto` the pieces
  // go straight to the sink.
  const atObs = ctx.dimensionAtObservation;
  const fastPath = labels === 'id' && layout.perObservation && atObs !== 'AllDimensions';
  const flowCell = csvField(flow);
  const attributeCellsOf = new WeakMap<object, string>();
  const attributeCells = (attributes: Readonly<Record<string, string>>, seriesAttributes: Readonly<Record<string, string>>): string => {
    let cells = '';
    for (const a of layout.attributes) {
      const v = attributes[a.id] ?? seriesAttributes[a.id];
      cells += v === undefined ? ',' : ',' + csvField(v);
    }
    return cells + CSV_EOL;
  };
  const idRows = (s: Series, sink: TextSink): void => {
    let before = flowCell;
    let after = '';
    let pastAt = false;
    for (const d of layout.dimensions) {
      if (d.id === atObs) pastAt = true;
      else if (pastAt) after += ',' + csvField(s.key[d.id] ?? '');
      else before += ',' + csvField(s.key[d.id] ?? '');
    }
    before += ',';
    if (layout.measure) after += ',';
    const seriesAttributes: Readonly<Record<string, string>> = { ...ctx.dataSetAttributes, ...s.attributes };
    // Without series or data set attributes a row's attribute cells depend on its own set only.
    const cellsPerSet = isEmpty(seriesAttributes);
    for (const o of s.observations) {
      sink.put(before);
      sink.put(csvField(o.at ?? ''));
      sink.put(after);
      if (layout.measure) sink.put(measureText(o.value));
      let cells = cellsPerSet ? attributeCellsOf.get(o.attributes) : undefined;
      if (cells === undefined) {
        cells = attributeCells(o.attributes, seriesAttributes);
        if (cellsPerSet) attributeCellsOf.set(o.attributes, cells);
      }
      sink.put(cells);
    }
  };
  const textOf = (s: Series): string => {
    if (fastPath) {
      const pieces: string[] = [];
      idRows(s, { put: (text) => pieces.push(text) });
      return pieces.join('');
    }
    let out = '';
    for (const row of csvRows(ctx, layout, s)) {
      const fields = [flow];
      for (const d of layout.dimensions) fields.push(...names.valueCells(d.id, row.dimensions[d.id], labels));
      if (layout.measure) fields.push(measureText(row.value));
      for (const a of layout.attributes) fields.push(...names.valueCells(a.id, row.attributes[a.id], labels));
      out += csvRecord(fields);
    }
    return out;
  };

  return dataWriter({
    head() {
      const header = ['DATAFLOW'];
      for (const d of layout.dimensions) header.push(...names.headerCells(d.id, labels));
      if (layout.measure) header.push('OBS_VALUE');
      for (const a of layout.attributes) header.push(...names.headerCells(a.id, labels));
      return csvRecord(header);
    },
    series: textOf,
    seriesInto(s: Series, sink: TextSink) {
      if (fastPath) idRows(s, sink);
      else sink.put(textOf(s));
    },
    openDataSet: () => '',
    closeDataSet: () => '',
    tail: () => '',
  });
}

function isEmpty(o: Readonly<Record<string, string>>): boolean {
  for (const _ in o) return false;
  return true;
}
