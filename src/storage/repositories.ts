/**
 * The storage contract that services depend on. Implementations (SQLite today, PostgreSQL
 * later) live in their own folders; nothing above this layer knows which one runs.
 * Repositories hold SQL only, no policy: embargo and visibility rules live in the domain layer.
 */
import { ServiceError } from '../errors.js';
import type { Maintainable } from '../sdmx/model.js';
import type { AuditOutcome, ReleaseEventKind, ReleaseState, Role } from './schema.js';

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

/** Artefacts created over the API carry a `source` with this prefix (e.g. `api:correspondence:alice`). */
export const API_SOURCE_PREFIX = 'api:';

/** An artefact's storage identity: (agency, id, version) is unique across classes. */
export interface ArtefactIdentity {
  readonly agencyID: string;
  readonly id: string;
  readonly version: string;
}

/** A change to API-created artefacts, applied whole or not at all. */
export interface ApiArtefactChange {
  /** Added, or replacing the API artefact of the same identity. Sources must start with `api:`. */
  readonly store: readonly ArtefactToStore[];
  readonly remove: readonly ArtefactIdentity[];
}

export interface StructureRepository {
  all(): StoredArtefact[];
  /**
   * Makes the stored set of file artefacts equal to `items`, in one transaction: new artefacts
   * are added, changed ones get a new body and storedAt, missing ones are removed, identical ones
   * keep their storedAt (so Last-Modified only moves when content does). Artefacts whose source
   * starts with `api:` are left alone; an item with the identity of one throws
   * StorageConflictError and changes nothing.
   */
  synchronise(items: readonly ArtefactToStore[], now: string): SyncReport;
  /**
   * Stores and removes API artefacts in one transaction. Storing over a file artefact's
   * identity, or removing a file artefact, throws StorageConflictError and changes nothing.
   * Removing an identity that is not stored is not an error. Unchanged content keeps its storedAt.
   */
  applyApiChange(change: ApiArtefactChange, now: string): void;
}

export interface Release {
  readonly pk: number;
  readonly code: string;
  readonly title: string;
  readonly state: ReleaseState;
  readonly announcedAt: string | null;
  readonly publishedAt: string | null;
  /** The instant first announced (null for releases scheduled before this was recorded: use announcedAt). */
  readonly firstAnnouncedAt: string | null;
  readonly revisesPk: number | null;
  readonly createdAt: string;
  readonly note: string | null;
  readonly dataflows: readonly string[];
}

/** Who and when, for the release's event history. */
export interface ReleaseChange {
  /** ISO-8601 UTC. */
  readonly at: string;
  /** Token id and name, `cli`, or undefined for the demo loader. */
  readonly actor?: string;
}

export interface ReleaseEvent {
  readonly releasePk: number;
  readonly at: string;
  readonly kind: ReleaseEventKind;
  readonly announcedAt: string | null;
  readonly previousAnnouncedAt: string | null;
  readonly reason: string | null;
  readonly actor: string | null;
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
  /** draft → scheduled for `announcedAt` (ISO-8601 UTC); sets firstAnnouncedAt; records a `scheduled` event. */
  schedule(releasePk: number, announcedAt: string, change?: ReleaseChange): Release;
  /** scheduled → scheduled at a new instant; records a `postponed` event with the reason. */
  postpone(releasePk: number, announcedAt: string, reason: string, change: ReleaseChange): Release;
  /** draft or scheduled → cancelled; records a `cancelled` event with the reason. */
  cancel(releasePk: number, reason: string, change: ReleaseChange): Release;
  /** scheduled → published at `at` (ISO-8601 UTC); records a `published` event. */
  markPublished(releasePk: number, at: string, change?: ReleaseChange): Release;
  /** Events of one release (or of all when omitted), oldest first. */
  events(releasePk?: number): ReleaseEvent[];
}

/** A dataflow's disclosure-control rules as stored (the JSON is validated in src/disclosure/rules.ts). */
export interface StoredProtectionRules {
  readonly dataflow: string;
  readonly rules: unknown;
  readonly updatedAt: string;
  readonly updatedBy: string | null;
}

export interface ProtectionRun {
  readonly releasePk: number;
  readonly dataflow: string;
  readonly ranAt: string;
  readonly ranBy: string | null;
  readonly method: string;
  readonly rules: unknown;
  readonly summary: unknown;
  readonly audit: unknown;
  /** Publisher-only: data-quality findings and cells that cannot be protected (true values). */
  readonly findings?: unknown;
  readonly passed: boolean;
}

/** One observation of a release as protection reads it: its true value, even if suppressed. */
export interface ProtectableCell {
  readonly seriesPk: number;
  readonly key: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly timePeriod: string;
  readonly value: number | null;
  /** Attributes without what protection set. */
  readonly attributes: Readonly<Record<string, string>>;
}

export type SuppressionKind = 'primary' | 'secondary' | 'derived';

export interface Suppression {
  readonly seriesPk: number;
  readonly timePeriod: string;
  readonly kind: SuppressionKind;
  /** Attributes the published observation gets on top of its own (CONF_STATUS, OBS_STATUS). */
  readonly set: Readonly<Record<string, string>>;
}

export interface StoredSuppression {
  readonly seriesPk: number;
  readonly key: string;
  readonly timePeriod: string;
  readonly kind: SuppressionKind;
  /** The confidential true value. */
  readonly value: number | null;
}

/**
 * Disclosure control's storage. Suppressed observations are rewritten in place (no value, the
 * confidentiality attributes) so every public read path serves the protected table, and their
 * true values are kept in a table no public route reads.
 */
export interface ProtectionRepository {
  rulesOf(dataflow: string): StoredProtectionRules | undefined;
  setRules(dataflow: string, rules: unknown, at: string, by: string | null): StoredProtectionRules;
  /** The release's observations of a dataflow with true values (suppressions undone in the copy). */
  cellsOf(releasePk: number, dataflow: string): ProtectableCell[];
  /** Dataflows the release holds observations for. */
  dataflowsWithData(releasePk: number): string[];
  /**
   * In one transaction: restores the release's earlier suppressions for the dataflow, applies
   * `suppressions`, and stores the run (replacing the earlier one). Throws ReleaseStateError
   * unless the release is a draft.
   */
  store(run: ProtectionRun, suppressions: readonly Suppression[]): void;
  runsOf(releasePk: number): ProtectionRun[];
  /** The suppression pattern with true values (publishers only). */
  suppressionsOf(releasePk: number, dataflow: string): StoredSuppression[];
}

/**
 * A write the release's state does not allow (re-checked inside the transaction, so a lost race
 * is refused, not half done): the catalogue's `release-state` conflict. Only a name for the
 * storage implementations that throw it; callers catch ServiceError.
 */
export class ReleaseStateError extends ServiceError {
  override name = 'ReleaseStateError';
  constructor(message: string) {
    super('conflict', message, { code: 'release-state' });
  }
}
/**
 * Stored data that clashes with the write (a series of another provider, a file artefact an API
 * write would touch). A storage invariant, not a catalogue error: each caller says what it means
 * for its request (a refused upload, a structure file that cannot load).
 */
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
  /** Dimension id → code. May be made on each read (a catalogue keeps codes in the key): read it once per use. */
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

/**
 * The same row as a tuple, as the data service reads it: a large export reads millions of rows,
 * and an object per row is garbage the process pays for in memory (docs/performance.md).
 * `deleted` is 1 for a withdrawn value. The periods are present only when the scan asked for them.
 */
export type ObservationRow = readonly [
  seriesPk: number,
  releasePk: number,
  timePeriod: string,
  value: number | null,
  attributes: string,
  deleted: number,
  periodStart?: string,
  periodEnd?: string,
];

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
  /** Every series of a dataflow, in key order. */
  seriesOf(dataflow: string): StoredSeries[];
  /** Number of observation rows per series of a dataflow written by the given releases. */
  rowCounts(dataflow: string, releasePks: readonly number[]): ReadonlyMap<number, number>;
  /**
   * Reads observation rows page by page. Pages are plain queries on the shared connection (no
   * open cursor between pages), so concurrent streaming responses interleave freely; rows of a
   * release never change once it is visible, so pages read at different moments agree.
   */
  scan(scan: ObservationScan): Generator<StoredObservation[]>;
  /** What `scan` reads, as tuples (the data service's path: no object per row). */
  scanRows(scan: ObservationScan): Generator<ObservationRow[]>;
}

export interface Repositories {
  readonly structures: StructureRepository;
  readonly releases: ReleaseRepository;
  readonly data: DataRepository;
  readonly tokens: TokenRepository;
  readonly audit: AuditRepository;
  readonly uploads: UploadRepository;
  readonly protection: ProtectionRepository;
  readonly metadataSets: MetadataSetRepository;
  close(): void;
}

/** An API token as stored: never the secret, only its hash. */
export interface StoredToken {
  readonly tokenId: string;
  readonly name: string;
  readonly role: Role;
  readonly secretHash: string;
  /** `AGENCY:ID(VERSION)` a producer may upload to; empty for other roles. */
  readonly dataflows: readonly string[];
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

export type TokenToStore = Omit<StoredToken, 'revokedAt' | 'lastUsedAt'>;

export interface TokenRepository {
  insert(token: TokenToStore): StoredToken;
  bySecretHash(secretHash: string): StoredToken | undefined;
  byTokenId(tokenId: string): StoredToken | undefined;
  /** Every token, oldest first. */
  list(): StoredToken[];
  /** Sets revokedAt unless already set (the first revocation instant is kept); undefined when unknown. */
  revoke(tokenId: string, at: string): StoredToken | undefined;
  touch(tokenId: string, at: string): void;
}

/** One audit event as stored; `id` is the append order, used as the paging cursor. */
export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  /** `tok_…:name`, `cli`, or null for an unauthenticated caller. */
  readonly actor: string | null;
  readonly role: string | null;
  readonly action: string;
  readonly target: string | null;
  readonly outcome: AuditOutcome;
  readonly client: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

export type AuditEntryToStore = Omit<AuditEntry, 'id'>;

export interface AuditQuery {
  /** Inclusive lower and exclusive upper bound on `at` (ISO-8601 UTC). */
  readonly since?: string;
  readonly until?: string;
  /** Exact actor, or a token id matching every name it was recorded with. */
  readonly actor?: string;
  /** Exact action, or a prefix when it ends with `*` (e.g. `auth.*`). */
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  /** Only entries older than this id (the previous page's `next`). */
  readonly before?: number;
  readonly limit: number;
}

/** Append-only: there is deliberately no update or delete. */
export interface AuditRepository {
  append(entry: AuditEntryToStore): AuditEntry;
  /** Newest first. */
  list(query: AuditQuery): AuditEntry[];
}

/** An accepted upload: staged data in a draft release, never public until the release is. */
export interface UploadToStore {
  readonly uploadId: string;
  readonly dataflow: string;
  /** `AGENCY:ID` */
  readonly provider: string;
  readonly format: string;
  /** SHA-256 (hex) of the bytes received. */
  readonly sha256: string;
  readonly bytes: number;
  /** Correspondence table applied, `AGENCY:ID(VERSION)`. */
  readonly mapping?: string;
  /** Token id of the uploader. */
  readonly uploadedBy: string;
  readonly uploadedAt: string;
}

export interface StoredUpload extends UploadToStore {
  readonly releaseCode: string;
  readonly releaseState: ReleaseState;
  readonly series: number;
  readonly observations: number;
}

export interface UploadRepository {
  byId(uploadId: string): StoredUpload | undefined;
  /** The upload of the same bytes to the same dataflow in a release that is still a draft. */
  findDraftByContent(dataflow: string, sha256: string, releasePk?: number): StoredUpload | undefined;
  listForRelease(releasePk: number): StoredUpload[];
  /**
   * In one transaction: creates the draft release when given a new one, adds the series to it
   * and records the upload. Throws like ReleaseRepository.addData; then nothing is written.
   */
  store(release: { readonly pk: number } | { readonly create: NewRelease }, upload: UploadToStore, series: Iterable<SeriesToWrite>): StoredUpload;
}

/** One version of a reference metadata set to store (src/sdmx/metadata/model.ts). */
export interface MetadataSetToStore {
  readonly agencyID: string;
  readonly setID: string;
  /** Semantic version, e.g. `1.0.0`. */
  readonly version: string;
  /** Structure ref key of the metadataflow (`Metadataflow=UNODC:MDF_CRIME_REPORT(1.0)`). */
  readonly metadataflow: string;
  /** `AGENCY:ID(VERSION)` */
  readonly dataflow: string;
  /** The area code of a country note; null for a dataflow report. */
  readonly area: string | null;
  /** The release that makes the version public; it need not exist yet. */
  readonly releaseCode: string | null;
  /** `file:metadata/...` or `api:<token id>`. */
  readonly source: string;
  /** The metadata set as JSON (canonical: the same content gives the same text). */
  readonly body: string;
}

export interface StoredMetadataSet extends MetadataSetToStore {
  readonly pk: number;
  /** SHA-256 (hex) of `body`. */
  readonly sha256: string;
  /** When this exact body was stored (ISO-8601 UTC). */
  readonly createdAt: string;
}

/** What to read: every field given must match; `area: null` means dataflow reports only. */
export interface MetadataSetFilter {
  readonly agencyID?: string;
  readonly setID?: string;
  readonly version?: string;
  readonly metadataflow?: string;
  readonly dataflow?: string;
  readonly area?: string | null;
}

export interface MetadataSyncReport {
  readonly added: number;
  readonly replaced: number;
  readonly unchanged: number;
  /** File rows whose file is gone and which may still change: deleted. */
  readonly removed: number;
  /** File rows whose file is gone but which may not change (already public): kept as they are. */
  readonly kept: readonly StoredMetadataSet[];
}

/** Metadata files prefix their source with this; API writes use API_SOURCE_PREFIX. */
export const FILE_SOURCE_PREFIX = 'file:';

/**
 * Versions of metadata sets, keyed by (agency, set id, version). No policy here: whether a
 * stored version may still change (its release is not public yet) is the caller's to say.
 */
export interface MetadataSetRepository {
  /** Matching versions, in (agency, set id, pk) order. */
  find(filter?: MetadataSetFilter): StoredMetadataSet[];
  /**
   * Makes the stored file versions equal to `items` (sources `file:...`), in one transaction:
   * a new version is added; an identical body is left alone (its createdAt kept); a changed
   * body replaces the stored one when `mayChange(stored)` allows it; a stored file version no
   * item names is deleted when `mayChange` allows it, and kept (and reported) otherwise.
   * Throws StorageConflictError, changing nothing, when a changed body may not replace the
   * stored one or an item has the identity of an API version.
   */
  synchroniseFiles(items: readonly MetadataSetToStore[], now: string, mayChange: (stored: StoredMetadataSet) => boolean): MetadataSyncReport;
  /**
   * Stores one version written over the publisher API (source `api:...`), in one transaction:
   * `guard` is given the stored version of the same identity (undefined when there is none),
   * read inside the transaction, and refuses by throwing, which writes nothing and rethrows.
   * A new identity is inserted; a stored API version is replaced (createdAt kept when the body
   * is unchanged). An item without an `api:` source, or one whose identity is a file version,
   * throws StorageConflictError and changes nothing. Returns the version as stored.
   */
  storeApiVersion(item: MetadataSetToStore, now: string, guard: (stored: StoredMetadataSet | undefined) => void): StoredMetadataSet;
}

/** A changed body for a stored version that may not change (StorageConflictError carries which). */
export class MetadataVersionConflictError extends StorageConflictError {
  override name = 'MetadataVersionConflictError';
  constructor(
    readonly item: MetadataSetToStore,
    readonly stored: StoredMetadataSet,
  ) {
    super(`${item.source} changes ${item.agencyID}:${item.setID}(${item.version}), which may no longer change (stored from ${stored.source})`);
  }
}
