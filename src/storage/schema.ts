/**
 * The database schema (drizzle, SQLite dialect). Migrations in `migrations/` are generated from
 * this file by `npm run db:generate` and committed; never edit them by hand.
 *
 * Structures are versioned maintainable artefacts, stored whole (the model object as JSON) and
 * unique by (agency, id, version) across all classes, as SDMX REST clients assume.
 *
 * Data belongs to releases. A release has a state and an announced instant; observations are
 * written per release, so a later release revises a value by adding a row, and the earlier row
 * stays retrievable as a vintage (includeHistory, asOf, permalinks to a release).
 */
import { sqliteTable, text, integer, real, primaryKey, uniqueIndex, index } from 'drizzle-orm/sqlite-core';

export const structureArtefacts = sqliteTable(
  'structure_artefacts',
  {
    pk: integer('pk').primaryKey({ autoIncrement: true }),
    class: text('class').notNull(),
    agencyId: text('agency_id').notNull(),
    artefactId: text('artefact_id').notNull(),
    version: text('version').notNull(),
    isFinal: integer('is_final', { mode: 'boolean' }).notNull(),
    /** The model object (src/sdmx/model.ts) as JSON. */
    body: text('body').notNull(),
    /** SHA-256 of `body`: tells whether a reload changed anything. */
    sha256: text('sha256').notNull(),
    /** Where it came from, e.g. `sdmx/codelists/UNODC-CL_ICCS-1.0.xml`. */
    source: text('source').notNull(),
    /** When this exact body was first stored (ISO-8601 UTC); feeds Last-Modified. */
    storedAt: text('stored_at').notNull(),
  },
  (t) => [uniqueIndex('structure_artefacts_identity').on(t.agencyId, t.artefactId, t.version)],
);

export const RELEASE_STATES = ['draft', 'scheduled', 'published', 'cancelled'] as const;
export type ReleaseState = (typeof RELEASE_STATES)[number];

export const releases = sqliteTable(
  'releases',
  {
    pk: integer('pk').primaryKey({ autoIncrement: true }),
    /** Stable public identifier, e.g. `2024-CTS-01`. */
    code: text('code').notNull(),
    title: text('title').notNull(),
    state: text('state', { enum: RELEASE_STATES }).notNull(),
    /** The announced instant (ISO-8601 UTC, millisecond precision); null while a draft. */
    announcedAt: text('announced_at'),
    /** When it actually became public; null until published. */
    publishedAt: text('published_at'),
    /** The instant first announced when scheduled; postponements move announcedAt only (punctuality). */
    firstAnnouncedAt: text('first_announced_at'),
    /** The release this one revises, if any. */
    revisesPk: integer('revises_pk'),
    createdAt: text('created_at').notNull(),
    note: text('note'),
  },
  (t) => [uniqueIndex('releases_code').on(t.code), index('releases_state_announced').on(t.state, t.announcedAt)],
);

export const releaseDataflows = sqliteTable(
  'release_dataflows',
  {
    releasePk: integer('release_pk')
      .notNull()
      .references(() => releases.pk),
    /** Dataflow as `AGENCY:ID(VERSION)`. */
    dataflow: text('dataflow').notNull(),
  },
  (t) => [primaryKey({ columns: [t.releasePk, t.dataflow] })],
);

export const RELEASE_EVENT_KINDS = ['created', 'scheduled', 'postponed', 'cancelled', 'published'] as const;
export type ReleaseEventKind = (typeof RELEASE_EVENT_KINDS)[number];

/**
 * The public history of a release on the calendar: when it was scheduled, postponed (with the
 * reason), cancelled or published. Append-only, like the audit log, which also records who.
 */
export const releaseEvents = sqliteTable(
  'release_events',
  {
    pk: integer('pk').primaryKey({ autoIncrement: true }),
    releasePk: integer('release_pk')
      .notNull()
      .references(() => releases.pk),
    at: text('at').notNull(),
    kind: text('kind', { enum: RELEASE_EVENT_KINDS }).notNull(),
    /** The announced instant after this event (null for drafts and cancellations). */
    announcedAt: text('announced_at'),
    /** The announced instant before it (postponements). */
    previousAnnouncedAt: text('previous_announced_at'),
    reason: text('reason'),
    /** Token id and name of who did it (never shown publicly). */
    actor: text('actor'),
  },
  (t) => [index('release_events_release').on(t.releasePk)],
);

export const series = sqliteTable(
  'series',
  {
    pk: integer('pk').primaryKey({ autoIncrement: true }),
    dataflow: text('dataflow').notNull(),
    /** Data provider as `AGENCY:ID`; a series belongs to one provider. */
    provider: text('provider').notNull(),
    /** Dimension values in DSD order joined by `.`, time excluded (SDMX series key). */
    seriesKey: text('series_key').notNull(),
    /** Dimension id → value, as JSON, for filtering without reparsing the key. */
    dimensions: text('dimensions').notNull(),
  },
  (t) => [uniqueIndex('series_identity').on(t.dataflow, t.seriesKey)],
);

export const observations = sqliteTable(
  'observations',
  {
    seriesPk: integer('series_pk')
      .notNull()
      .references(() => series.pk),
    releasePk: integer('release_pk')
      .notNull()
      .references(() => releases.pk),
    /** SDMX time period as published, e.g. `2019`, `2019-Q1`, `2019-03`. */
    timePeriod: text('time_period').notNull(),
    /** First and last instant the period covers (ISO dates), for period-aware filters. */
    periodStart: text('period_start').notNull(),
    periodEnd: text('period_end').notNull(),
    /** null with `deleted` = a release withdrew the value; null alone = a missing value. */
    value: real('value'),
    /** Observation-level attributes, id → value, as JSON. */
    attributes: text('attributes').notNull().default('{}'),
    deleted: integer('deleted', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.seriesPk, t.timePeriod, t.releasePk] }),
    index('observations_release').on(t.releasePk),
  ],
);

/** Disclosure-control rules of a dataflow (JSON, src/disclosure/rules.ts); absent = the default rules. */
export const protectionRules = sqliteTable('protection_rules', {
  /** `AGENCY:ID(VERSION)` */
  dataflow: text('dataflow').primaryKey(),
  rules: text('rules').notNull(),
  updatedAt: text('updated_at').notNull(),
  updatedBy: text('updated_by'),
});

/**
 * The last disclosure-control run of a release for one dataflow: rules applied, summary and
 * the LP audit of every protected cell. A release cannot be scheduled unless each of its
 * dataflows with data has a run that passed and is not stale (data added after it).
 */
export const protectionRuns = sqliteTable(
  'protection_runs',
  {
    releasePk: integer('release_pk')
      .notNull()
      .references(() => releases.pk),
    dataflow: text('dataflow').notNull(),
    ranAt: text('ran_at').notNull(),
    ranBy: text('ran_by'),
    method: text('method').notNull(),
    rules: text('rules').notNull(),
    /** Counts and timings (JSON). */
    summary: text('summary').notNull(),
    /** Per protected cell: value, required and attacker intervals (JSON array). */
    audit: text('audit').notNull(),
    /**
     * Publisher-only notes of the run (JSON object): relations the true values break (with the
     * cells and their true values) and small counts published earlier with the same value.
     */
    findings: text('findings').notNull().default('{}'),
    passed: integer('passed', { mode: 'boolean' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.releasePk, t.dataflow] })],
);

/**
 * Confidential: the true value and attributes of every observation the protection suppressed.
 * The observation row itself carries no value and CONF_STATUS/OBS_STATUS, so every public read
 * path serves the protected table; no public route reads this table (nothing is lost, and a
 * new protection run restores these before computing again).
 */
export const suppressedCells = sqliteTable(
  'suppressed_cells',
  {
    releasePk: integer('release_pk')
      .notNull()
      .references(() => releases.pk),
    seriesPk: integer('series_pk')
      .notNull()
      .references(() => series.pk),
    timePeriod: text('time_period').notNull(),
    /** primary | secondary | derived (a rate or share of a suppressed count). */
    kind: text('kind').notNull(),
    value: real('value'),
    attributes: text('attributes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.releasePk, t.seriesPk, t.timePeriod] })],
);

export const ROLES = ['producer', 'publisher', 'admin', 'preview'] as const;
export type Role = (typeof ROLES)[number];

/**
 * API tokens. The secret is never stored: only its SHA-256 (tokens are 256-bit random, so a
 * fast hash is enough; there is nothing to brute-force). `tokenId` is the public handle used to
 * list and revoke, and is printed in the audit log instead of the secret.
 */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    pk: integer('pk').primaryKey({ autoIncrement: true }),
    tokenId: text('token_id').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    /** SHA-256 (hex) of the secret. */
    secretHash: text('secret_hash').notNull(),
    /** Dataflows a producer may upload to, as a JSON array of `AGENCY:ID(VERSION)`. */
    dataflows: text('dataflows').notNull().default('[]'),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by'),
    expiresAt: text('expires_at'),
    revokedAt: text('revoked_at'),
    lastUsedAt: text('last_used_at'),
  },
  (t) => [uniqueIndex('api_tokens_token_id').on(t.tokenId), uniqueIndex('api_tokens_secret_hash').on(t.secretHash)],
);

export const AUDIT_OUTCOMES = ['success', 'failure', 'refused'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Append-only: rows are inserted, never updated or deleted (no repository method does). */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    pk: integer('pk').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    /** Token id and name (`tok_…:name`), or null for an anonymous or unauthenticated caller. */
    actor: text('actor'),
    role: text('role'),
    /** What was attempted, e.g. `upload.create`, `token.revoke`, `auth.failed`. */
    action: text('action').notNull(),
    /** What it was attempted on, e.g. a dataflow or token id. */
    target: text('target'),
    outcome: text('outcome', { enum: AUDIT_OUTCOMES }).notNull(),
    /** Client address as seen by the server. */
    client: text('client'),
    /** Extra facts as JSON (never secrets). */
    detail: text('detail').notNull().default('{}'),
  },
  (t) => [index('audit_events_at').on(t.at), index('audit_events_actor').on(t.actor)],
);

/**
 * One accepted file of staged data in a draft release. The content hash makes a second
 * upload of the same file to the same release a no-op that returns the first upload.
 */
export const uploads = sqliteTable(
  'uploads',
  {
    pk: integer('pk').primaryKey({ autoIncrement: true }),
    uploadId: text('upload_id').notNull(),
    releasePk: integer('release_pk')
      .notNull()
      .references(() => releases.pk),
    dataflow: text('dataflow').notNull(),
    provider: text('provider').notNull(),
    format: text('format').notNull(),
    /** SHA-256 (hex) of the bytes received. */
    sha256: text('sha256').notNull(),
    bytes: integer('bytes').notNull(),
    series: integer('series').notNull(),
    observations: integer('observations').notNull(),
    /** Correspondence table applied to national codes, if any. */
    mapping: text('mapping'),
    uploadedBy: text('uploaded_by').notNull(),
    uploadedAt: text('uploaded_at').notNull(),
  },
  (t) => [uniqueIndex('uploads_upload_id').on(t.uploadId), uniqueIndex('uploads_content').on(t.releasePk, t.dataflow, t.sha256)],
);

/**
 * Reported reference metadata (src/sdmx/metadata/model.ts): one row per version of a metadata
 * set, a dataflow report or a country note. Versioned with releases like data: a version is
 * public exactly when the release named by `releaseCode` is (services/visibility.ts), decided
 * at query time by joining on the code, so a set may name a release that does not exist yet.
 * Rows of a version that is public are never rewritten; a new version is a new row.
 */
export const metadataSets = sqliteTable(
  'metadata_sets',
  {
    pk: integer('pk').primaryKey({ autoIncrement: true }),
    setId: text('set_id').notNull(),
    agencyId: text('agency_id').notNull(),
    /** Semantic version, e.g. `1.0.0`. */
    version: text('version').notNull(),
    /** The metadataflow, as a structure ref key (`Metadataflow=UNODC:MDF_CRIME_REPORT(1.0)`). */
    metadataflow: text('metadataflow').notNull(),
    /** The dataflow described, `AGENCY:ID(VERSION)`. */
    dataflow: text('dataflow').notNull(),
    /** The reference area of a country note (a code of the area codelist); null for a dataflow report. */
    area: text('area'),
    /** Code of the release that makes this version public. */
    releaseCode: text('release_code'),
    /** Where it came from: `file:metadata/...` or `api:<token id>`. */
    source: text('source').notNull(),
    /** The metadata set as JSON, without validFrom (that is its release's instant). */
    body: text('body').notNull(),
    /** SHA-256 of `body`: tells whether a reload changed anything. */
    sha256: text('sha256').notNull(),
    /** When this exact body was stored (ISO-8601 UTC). */
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('metadata_sets_identity').on(t.agencyId, t.setId, t.version), index('metadata_sets_target').on(t.dataflow, t.area)],
);
