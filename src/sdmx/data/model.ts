/**
 * Data messages as a stream of series, shared by every data format writer.
 *
 * The data service reads rows from a database cursor and hands them to a writer one series at
 * a time, so memory does not grow with the result: writers return text chunks and never hold
 * the whole data set. Formats that need value dictionaries (SDMX-JSON) build them as they go
 * and write them after the data sets (JSON member order carries no meaning). A message may hold
 * several data sets (one per release for `includeHistory`); `dataWriter()` keeps the call order
 * the same for every format.
 */
import type { Codelist, DataStructure, Dataflow, ItemRef, MaintainableRef, Text } from '../model.js';
import type { Header } from '../message.js';

/** `dimensionAtObservation`: the time dimension, another dimension, or a flat view. */
export type ObservationDimension = string | 'AllDimensions';

/** SDMX 2.1 `detail` (3.0 expresses the same with `attributes` and `measures`). */
export type DataDetail = 'full' | 'dataonly' | 'serieskeysonly' | 'nodata';

export interface Observation {
  /**
   * The value of the observation-level dimension: the time period for time series, the value
   * of `dimensionAtObservation` otherwise. Absent in a flat (AllDimensions) view.
   */
  readonly at?: string;
  /** In a flat view or a cross-section: the other dimensions not in the series key. */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** null = a missing value (attributes such as OBS_STATUS say why). */
  readonly value: number | null;
  /** Observation-level attributes, id → code or text. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface Series {
  /** Series-level dimension values, id → code, in DSD order (all dimensions but the one at observation). */
  readonly key: Readonly<Record<string, string>>;
  /** Series-level attributes. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly observations: readonly Observation[];
}

export interface DataMessageContext {
  readonly header: Header;
  readonly dataflow: Dataflow;
  readonly dsd: DataStructure;
  /** Provision agreement, when the query named a data provider. */
  readonly provisionAgreement?: MaintainableRef;
  readonly dimensionAtObservation: ObservationDimension;
  readonly detail: DataDetail;
  /** Codelist of a coded component, for labels (CSV labels=both, JSON names). */
  codelistOf(componentId: string): Codelist | undefined;
  /**
   * The concept name of a dimension, attribute or measure, for writers that show component names
   * (CSV labels=both|name headers, SDMX-JSON component names). Without it (or when it returns
   * undefined) a coded component is named after its codelist and an uncoded one by its id.
   */
  componentName?(componentId: string): Text | undefined;
  /** Data set level attributes, if any. */
  readonly dataSetAttributes?: Readonly<Record<string, string>>;
  /** Label options some formats take from the media type (CSV `labels`). */
  readonly labels?: 'id' | 'both' | 'name';
}

export type DataSetAction = 'Information' | 'Append' | 'Replace' | 'Delete';

/**
 * What a data set says about itself (SDMX `SetAttributeGroup`; e.g. one data set per release for
 * `includeHistory=true`). Absent fields are not written, except that SDMX-ML 3.0, SDMX-JSON and
 * SDMX-CSV 2.0 always state an action and write `Information` when none is given.
 */
export interface DataSetInfo {
  readonly action?: DataSetAction;
  /** xs:dateTime; SDMX-JSON requires a time zone (RFC 3339 date-time). */
  readonly validFromDate?: string;
  readonly validToDate?: string;
  /** provider as AGENCY:ID */
  readonly dataProvider?: string;
  /** xs:gYear, e.g. 2024 */
  readonly publicationYear?: string;
}

export interface StartOptions {
  /**
   * true (default): `start()` also opens a default data set, so start/series/end write a
   * one-data-set message. false: `start()` writes the message head only and the caller opens
   * each data set with `beginDataSet()` (a `series()` before any data set still opens a default one).
   */
  readonly openDefaultDataSet?: boolean;
}

/**
 * A streaming data writer; each call returns the next chunk of the message. Calls:
 * - `start(options?)` once, first;
 * - `beginDataSet(info)` opens a data set; only when none is open (after `start({
 *   openDefaultDataSet: false })` or after `endDataSet()`);
 * - `series(s)` any number of times, into the open data set; if no data set was ever opened it
 *   opens a default one first. In a flat view (AllDimensions) each call is a pseudo-series with
 *   an empty key holding some of the data set's observations: a data set may take many such
 *   calls, and the writer joins them as if they were one. No key may repeat within a data set;
 * - `endDataSet()` closes the open data set;
 * - `end()` once, last: closes an open data set (writing an empty default one if there was none
 *   at all, so every message holds at least one) and the message.
 * Any other order (series after endDataSet without beginDataSet, two beginDataSet in a row,
 * anything after end or before start) throws an Error.
 * Value dictionaries (SDMX-JSON) are shared by all the data sets of a message.
 */
export interface DataWriter {
  start(options?: StartOptions): string;
  beginDataSet(info: DataSetInfo): string;
  series(s: Series): string;
  /**
   * Optional: the same as `sink.put(series(s))`, in the same call order, but written piece by
   * piece into `sink` without building the series' text first. Offered by writers of large
   * exports (SDMX-CSV), where every string built per row is garbage the process pays for.
   */
  seriesInto?(s: Series, sink: TextSink): void;
  endDataSet(): string;
  end(): string;
}

/** Where `seriesInto` puts text: the pieces, in order, make the message. */
export interface TextSink {
  put(text: string): void;
}

export type DataWriterFactory = (ctx: DataMessageContext) => DataWriter;

/** What a format writes; `dataWriter()` turns it into a DataWriter that enforces the call order. */
export interface DataSetFormat {
  /** The message up to the first data set. */
  head(): string;
  /** Opens data set number `index` (0-based); `info` is {} for a default data set. */
  openDataSet(info: DataSetInfo, index: number): string;
  series(s: Series): string;
  /** Optional: `series` written into a sink (see DataWriter.seriesInto). */
  seriesInto?(s: Series, sink: TextSink): void;
  closeDataSet(): string;
  /** The message after its last data set; `count` data sets were written (at least one). */
  tail(count: number): string;
}

type WriterState = 'new' | 'between' | 'open' | 'ended';

/** The DataWriter call protocol (see DataWriter) around a format. */
export function dataWriter(format: DataSetFormat): DataWriter {
  let state: WriterState = 'new';
  let count = 0;
  const misuse = (call: string) =>
    new Error(`DataWriter: ${call} is not allowed ${{ new: 'before start()', between: 'when no data set is open', open: 'while a data set is open', ended: 'after end()' }[state]}`);
  const open = (info: DataSetInfo) => {
    const out = format.openDataSet(info, count);
    count++;
    state = 'open';
    return out;
  };
  return {
    start(options = {}) {
      if (state !== 'new') throw misuse('start()');
      state = 'between';
      const head = format.head();
      return options.openDefaultDataSet === false ? head : head + open({});
    },
    beginDataSet(info) {
      if (state !== 'between') throw misuse('beginDataSet()');
      return open(info);
    },
    series(s) {
      if (state === 'open') return format.series(s);
      // only the very first data set may be opened implicitly: after endDataSet() the caller decides
      if (state === 'between' && count === 0) return open({}) + format.series(s);
      throw misuse('series()');
    },
    ...(format.seriesInto && {
      seriesInto(s: Series, sink: TextSink) {
        if (state === 'between' && count === 0) sink.put(open({}));
        else if (state !== 'open') throw misuse('seriesInto()');
        format.seriesInto!(s, sink);
      },
    }),
    endDataSet() {
      if (state !== 'open') throw misuse('endDataSet()');
      state = 'between';
      return format.closeDataSet();
    },
    end() {
      if (state === 'new' || state === 'ended') throw misuse('end()');
      let out = state === 'between' && count === 0 ? open({}) : '';
      if (state === 'open') out += format.closeDataSet();
      state = 'ended';
      return out + format.tail(count);
    },
  };
}

/** The data provider of a data set as an item reference (scheme DATA_PROVIDERS 1.0, fixed by SDMX). */
export function dataProviderRef(info: DataSetInfo): ItemRef | undefined {
  if (info.dataProvider === undefined) return undefined;
  const m = /^([^:]+):([^:]+)$/.exec(info.dataProvider);
  if (!m) throw new Error(`data provider must be AGENCY:ID, not ${info.dataProvider}`);
  return {
    class: 'DataProvider',
    scheme: { class: 'DataProviderScheme', agencyID: m[1], id: 'DATA_PROVIDERS', version: '1.0' },
    id: m[2],
  };
}
