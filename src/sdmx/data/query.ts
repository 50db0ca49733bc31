/**
 * Data and availability queries as the service executes them, independent of the REST API
 * version that carried them. The REST parsers (`src/sdmx/rest/data-request.ts`) check syntax
 * only and produce these; the data service resolves the dataflow, checks the key against the
 * DSD (arity, dimension ids) and runs them.
 */
import type { DataDetail } from './model.js';

/** The structure a data query targets (REST 2.x `context`; REST 1.x always `dataflow`). */
export type DataContext = 'dataflow' | 'datastructure' | 'provisionagreement' | '*';

/**
 * Which artefact(s): agency and id are an exact id or `*`; version is an exact version, `*`
 * (any), `~` or `latest` (the latest), or a REST 2.x semantic-version wildcard (`1.2+.0`).
 */
export interface ArtefactSelector {
  readonly agencyId: string;
  readonly id: string;
  readonly version: string;
}

/**
 * One key: one entry per key position, in the order given. `undefined` is a wildcard; an array
 * lists the accepted codes (REST 1.x `+`, a single code otherwise). The parser keeps the length
 * as written (REST 2.x pads missing trailing positions later, when the DSD is known).
 */
export type KeyPattern = readonly (readonly string[] | undefined)[];

export interface ProviderSelector {
  /** Agency of the data provider scheme; undefined = any. */
  readonly agencyId?: string;
  readonly id: string;
}

export const FILTER_OPERATORS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'co', 'nc', 'sw', 'ew'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface Condition {
  readonly op: FilterOperator;
  readonly value: string;
}

/** REST 2.x `c[COMPONENT]=...`: a disjunction (`,`) of conjunctions (`+`) of conditions. */
export interface ComponentFilter {
  readonly component: string;
  readonly anyOf: readonly (readonly Condition[])[];
}

/** REST 2.x `attributes`: which attributes to return. */
export type AttributeSelection =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  /** `dsd`: the DSD's attributes (all of ours); `msd` gives none (we hold no metadata attributes). */
  | { readonly kind: 'dsd' }
  | { readonly kind: 'levels'; readonly levels: readonly ('dataset' | 'series' | 'obs')[] }
  | { readonly kind: 'ids'; readonly ids: readonly string[] };

/** REST 2.x `measures`. */
export type MeasureSelection = { readonly kind: 'all' } | { readonly kind: 'none' } | { readonly kind: 'ids'; readonly ids: readonly string[] };

/** What both data and availability queries select. */
export interface DataSelection {
  readonly api: '2.1' | '3.0';
  readonly context: DataContext;
  readonly flow: ArtefactSelector;
  /** Alternative keys (REST 2.x allows several, comma-separated); undefined = every key. */
  readonly keys?: readonly KeyPattern[];
  /** undefined = every provider. */
  readonly providers?: readonly ProviderSelector[];
  /** REST 2.x `c[...]` (TIME_PERIOD included); empty on REST 1.x. */
  readonly filters: readonly ComponentFilter[];
  /** REST 1.x startPeriod / endPeriod, as given (validated). */
  readonly startPeriod?: string;
  readonly endPeriod?: string;
  /** Normalised ISO-8601 UTC instant (`2020-01-01T00:00:00.000Z`). */
  readonly updatedAfter?: string;
  /** REST 2.x `asOf` (v2.2): the data as it was visible at that instant, normalised like updatedAfter. */
  readonly asOf?: string;
}

export interface DataQuery extends DataSelection {
  readonly firstNObservations?: number;
  readonly lastNObservations?: number;
  /** undefined = the default (TIME_PERIOD when the DSD has a time dimension). */
  readonly dimensionAtObservation?: string;
  readonly detail: DataDetail;
  /** REST 2.x only; REST 1.x derives everything from `detail`. */
  readonly attributes?: AttributeSelection;
  readonly measures?: MeasureSelection;
  readonly includeHistory: boolean;
}

export const AVAILABILITY_REFERENCES = ['none', 'all', 'datastructure', 'conceptscheme', 'codelist', 'dataproviderscheme', 'dataflow'] as const;
export type AvailabilityReference = (typeof AVAILABILITY_REFERENCES)[number];

export interface AvailabilityQuery extends DataSelection {
  /** undefined = every dimension (path value `all` or absent). */
  readonly componentId?: string;
  readonly mode: 'exact' | 'available';
  /** Never empty: `['none']` by default. */
  readonly references: readonly AvailabilityReference[];
}
