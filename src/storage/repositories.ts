/**
 * The storage contract that services depend on. Implementations (SQLite today, PostgreSQL
 * later) live in their own folders; nothing above this layer knows which one runs.
 * Repositories hold SQL only, no policy: embargo and visibility rules live in the domain layer.
 */
import type { Maintainable } from '../sdmx/model.js';
import type { ReleaseState } from './schema.js';

export interface StoredArtefact {
  readonly artefact: Maintainable;
  readonly source: string;
  /** When this exact content was first stored (ISO-8601 UTC). */
  readonly storedAt: string;
  readonly sha256: string;
}

export interface ArtefactToStore {
  readonly artefact: Maintainable;
  readonly source: string;
}

export interface SyncReport {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly unchanged: number;
}

export interface StructureRepository {
  all(): StoredArtefact[];
  /**
   * Makes the stored set equal to `items`, in one transaction: new artefacts are added, changed
   * ones get a new body and storedAt, missing ones are removed, identical ones keep their
   * storedAt (so Last-Modified only moves when content does).
   */
  synchronise(items: readonly ArtefactToStore[], now: string): SyncReport;
}

export interface Release {
  readonly pk: number;
  readonly code: string;
  readonly title: string;
  readonly state: ReleaseState;
  readonly announcedAt: string | null;
  readonly publishedAt: string | null;
  readonly revisesPk: number | null;
  readonly createdAt: string;
  readonly note: string | null;
  readonly dataflows: readonly string[];
}

export interface NewRelease {
  readonly code: string;
  readonly title: string;
  readonly dataflows: readonly string[];
  readonly revisesPk?: number;
  readonly note?: string;
}

export interface ReleaseRepository {
  createDraft(release: NewRelease, now: string): Release;
  byCode(code: string): Release | undefined;
  list(): Release[];
  /**
   * Adds series and their observations to a draft release, in one transaction: either all of
   * `series` is stored or nothing is. Series are created on first use (identity: dataflow and
   * key); a series keeps its provider for life. Throws ReleaseStateError unless the release is
   * a draft, StorageConflictError when a key already belongs to another provider.
   */
  addData(releasePk: number, series: Iterable<SeriesToWrite>): DataWriteReport;
  /** draft → scheduled for `announcedAt` (ISO-8601 UTC). */
  schedule(releasePk: number, announcedAt: string): Release;
  /** scheduled → published at `at` (ISO-8601 UTC). */
  markPublished(releasePk: number, at: string): Release;
}

export class ReleaseStateError extends Error {
  override name = 'ReleaseStateError';
}
export class StorageConflictError extends Error {
  override name = 'StorageConflictError';
}

export interface ObservationToWrite {
  /** SDMX time period as published, e.g. `2019`. */
  readonly timePeriod: string;
  /** First and last instant of the period (ISO-8601 UTC with milliseconds). */
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly value: number | null;
  readonly attributes: Readonly<Record<string, string>>;
  /** The release withdraws this observation (a revision that deletes). */
  readonly deleted?: boolean;
}

export interface SeriesToWrite {
  /** `AGENCY:ID(VERSION)` */
  readonly dataflow: string;
  /** Data provider as `AGENCY:ID` (the provider scheme is always DATA_PROVIDERS). */
  readonly provider: string;
  /** Dimension id → code, in DSD order, time excluded. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly observations: readonly ObservationToWrite[];
}

export interface DataWriteReport {
  readonly series: number;
  readonly newSeries: number;
  readonly observations: number;
}

/** A series as stored: the catalogue the data service filters keys against. */
export interface StoredSeries {
  readonly pk: number;
  readonly dataflow: string;
  readonly provider: string;
  /** Codes joined by `.`, in DSD order. */
  readonly key: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** One stored observation row (every vintage; visibility is decided above storage). */
export interface StoredObservation {
  readonly seriesPk: number;
  readonly releasePk: number;
  readonly timePeriod: string;
  /** Empty unless the scan asked for periods (`withPeriods`). */
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly value: number | null;
  /** JSON object text, `{}` when none. */
  readonly attributes: string;
  readonly deleted: boolean;
}

export interface ObservationScan {
  /**
   * The series to read, cut into pages by the caller (a few thousand rows each): each page is
   * read with one query and comes out whole, so memory is bounded by the page, not the result.
   * Rows come out page by page, in the order of the series within the page, then by period,
   * then by release.
   */
  readonly pages: readonly (readonly number[])[];
  /** Only rows written by these releases. */
  readonly releasePks: readonly number[];
  /** Only periods ending at or after / starting at or before these instants. */
  readonly periodEndFrom?: string;
  readonly periodStartTo?: string;
  /** Read period_start/period_end too (for period tests above SQL); skipped otherwise, to save work. */
  readonly withPeriods?: boolean;
}

export interface DataRepository {
  /** Every series of a dataflow, in pk order. */
  seriesOf(dataflow: string): StoredSeries[];
  /** Number of observation rows per series of a dataflow written by the given releases. */
  rowCounts(dataflow: string, releasePks: readonly number[]): Map<number, number>;
  /**
   * Reads observation rows page by page. Pages are plain queries on the shared connection (no
   * open cursor between pages), so concurrent streaming responses interleave freely; rows of a
   * release never change once it is visible, so pages read at different moments agree.
   */
  scan(scan: ObservationScan): Generator<StoredObservation[]>;
}

export interface Repositories {
  readonly structures: StructureRepository;
  readonly releases: ReleaseRepository;
  readonly data: DataRepository;
  close(): void;
}
