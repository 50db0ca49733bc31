/**
 * Data messages as a stream of series, shared by every data format writer.
 *
 * The data service reads rows from a database cursor and hands them to a writer one series at
 * a time, so memory does not grow with the result: writers return text chunks and never hold
 * the whole data set. Formats that need value dictionaries (SDMX-JSON) build them as they go
 * and write them after the data sets (JSON member order carries no meaning).
 */
import type { Codelist, DataStructure, Dataflow, MaintainableRef } from '../model.js';
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
  /** Data set level attributes, if any. */
  readonly dataSetAttributes?: Readonly<Record<string, string>>;
  /** Label options some formats take from the media type (CSV `labels`). */
  readonly labels?: 'id' | 'both' | 'name';
}

/**
 * A streaming data writer. The caller calls `start` once, `series` for each series (or, in a
 * flat view, one pseudo-series with an empty key holding every observation), then `end`; each
 * returns the next chunk of the message.
 */
export interface DataWriter {
  start(): string;
  series(s: Series): string;
  end(): string;
}

export type DataWriterFactory = (ctx: DataMessageContext) => DataWriter;
