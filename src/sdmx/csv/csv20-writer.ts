/**
 * SDMX-CSV 2.0.0 data writer (`application/vnd.sdmx.data+csv;version=2.0.0`, the SDMX 3.0
 * REST CSV format; shared/sdmx/csv/2.0.0/data-message-field-guide.md).
 *
 * Columns ("Columns", "Column headers"): `STRUCTURE` (`dataflow`), `STRUCTURE_ID`
 * (`AGENCY:ID(VERSION)`), with `labels=name` a `STRUCTURE_NAME` column, `ACTION` (the action of
 * the row's data set: `I` information unless the caller opened a data set with another action;
 * several data sets follow each other under one header, each row saying its own), then `SERIES_KEY` and/or `OBS_KEY` as `keys` asks,
 * then the dimensions in DSD order, the measure, and the attributes in DSD order. Which columns
 * and rows a `detail` gives is decided in csv-layout.ts.
 *
 * Options ("Optional parameters"): `labels=id|both|name` (both = `ID: Name` in one column,
 * name = an extra name column right after each id column; uncoded values get an empty name);
 * `keys=none|obs|series|both` (keys are ids joined by `.` in DSD order; a series row has no
 * OBS_KEY). `timeFormat=normalized` is not supported: periods are written as recorded. No
 * multi-valued or multi-lingual components exist in our DSDs, so the header is plain
 * `STRUCTURE` (no `[;]` sub-field separator).
 */
import { dataWriter, type DataMessageContext, type DataSetAction, type DataSetInfo, type DataWriter, type Series } from '../data/model.js';
import { csvRecord } from './csv-text.js';
import { CsvNames, csvLayout, csvRows, flowReference, measureText, type CsvLabels } from './csv-layout.js';

/** The ACTION column's codes ("Columns": I, A, R, D). */
const ACTION_CODE: Readonly<Record<DataSetAction, string>> = { Information: 'I', Append: 'A', Replace: 'R', Delete: 'D' };

export type CsvKeys = 'none' | 'obs' | 'series' | 'both';

export interface Csv20Options {
  readonly keys?: CsvKeys;
}

export function csv20Writer(ctx: DataMessageContext, options: Csv20Options = {}): DataWriter {
  const labels: CsvLabels = ctx.labels ?? 'id';
  const keys = options.keys ?? 'none';
  const seriesKey = keys === 'series' || keys === 'both';
  const obsKey = keys === 'obs' || keys === 'both';
  const names = new CsvNames(ctx);
  const layout = csvLayout(ctx);
  const allDimensions = [...ctx.dsd.dimensions, ctx.dsd.timeDimension]
    .sort((a, b) => a.position - b.position)
    .map((d) => d.id);

  const flowName = labels === 'id' ? undefined : (names.text(ctx.dataflow.name) ?? '');
  const structure = ['dataflow'];
  if (labels === 'both' && flowName) structure.push(`${flowReference(ctx.dataflow)}: ${flowName}`);
  else structure.push(flowReference(ctx.dataflow));
  if (labels === 'name') structure.push(flowName ?? '');
  /** ACTION of the rows being written: the code of the open data set's action. */
  let action = 'I';

  const keyOf = (ids: readonly string[], dims: Readonly<Record<string, string>>) =>
    ids.map((id) => dims[id] ?? '').join('.');

  return dataWriter({
    head() {
      const header = ['STRUCTURE', 'STRUCTURE_ID'];
      if (labels === 'name') header.push('STRUCTURE_NAME');
      header.push('ACTION');
      if (seriesKey) header.push('SERIES_KEY');
      if (obsKey) header.push('OBS_KEY');
      for (const d of layout.dimensions) header.push(...names.headerCells(d.id, labels));
      if (layout.measure) header.push(...names.headerCells(layout.measure.id, labels));
      for (const a of layout.attributes) header.push(...names.headerCells(a.id, labels));
      return csvRecord(header);
    },
    series(s: Series) {
      let out = '';
      for (const row of csvRows(ctx, layout, s)) {
        const fields = [...structure, action];
        if (seriesKey) fields.push(keyOf(layout.seriesKeyDimensions, row.dimensions));
        if (obsKey) fields.push(row.isObservation ? keyOf(allDimensions, row.dimensions) : '');
        for (const d of layout.dimensions) fields.push(...names.valueCells(d.id, row.dimensions[d.id], labels));
        if (layout.measure) {
          const v = measureText(row.value);
          fields.push(...names.valueCells(layout.measure.id, v === '' ? undefined : v, labels));
        }
        for (const a of layout.attributes) fields.push(...names.valueCells(a.id, row.attributes[a.id], labels));
        out += csvRecord(fields);
      }
      return out;
    },
    openDataSet(info: DataSetInfo) {
      action = ACTION_CODE[info.action ?? 'Information'];
      return '';
    },
    closeDataSet: () => '',
    tail: () => '',
  });
}
