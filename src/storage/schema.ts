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
