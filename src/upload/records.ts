/**
 * What every upload reader yields, whatever the file format: observations as flat records of
 * component id → value exactly as written in the file, each with a location a statistician can
 * find again (a CSV line, an XML element, a JSON path). Validation against the DSD happens
 * later, on these records only, so every format is checked by the same rules.
 */

export type UploadFormat =
  | 'sdmx-csv-1.0'
  | 'sdmx-csv-2.0'
  | 'sdmx-ml-2.1-generic'
  | 'sdmx-ml-2.1-structure-specific'
  | 'sdmx-ml-3.0'
  | 'sdmx-json-1.0'
  | 'sdmx-json-2.0'
  | 'csv-national';

/** SDMX data actions; `D` withdraws the observation. Absent means Information/Append/Replace. */
export type UploadAction = 'I' | 'A' | 'R' | 'D';

export interface UploadRecord {
  /**
   * Component id → value as written in the file: dimensions, TIME_PERIOD, OBS_VALUE and
   * attributes at any attachment level (series/group attributes are copied onto each of their
   * observations), plus any column or attribute the file has that the DSD may not know.
   * Empty cells are omitted.
   */
  readonly values: Readonly<Record<string, string>>;
  /** Where the record is, e.g. `line 12`, `Series 3, Obs 2`, `dataSets[0].series["0:1"].observations["4"]`. */
  readonly at: string;
  readonly action?: UploadAction;
  /** The dataflow/DSD the record declares (CSV DATAFLOW/STRUCTURE_ID column, dataset structure ref), if any. */
  readonly structure?: string;
}

/** A file that cannot be read as its format at all (not a DSD problem): malformed XML, bad CSV quoting... */
export class UploadFormatError extends Error {
  override name = 'UploadFormatError';
  constructor(
    message: string,
    /** Where reading stopped, same style as UploadRecord.at. */
    readonly at: string,
  ) {
    super(message);
  }
}
