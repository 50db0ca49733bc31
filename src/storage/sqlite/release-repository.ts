/**
 * SQLite implementation of the release repository: drafts, their data, and the state moves of
 * the release workflow. Data is written into a draft only, in one transaction per call, so a
 * failed load leaves nothing behind and published vintages are never rewritten.
 */
import { asc, eq } from 'drizzle-orm';
import {
  ReleaseStateError,
  StorageConflictError,
  type DataWriteReport,
  type NewRelease,
  type Release,
  type ReleaseRepository,
  type SeriesToWrite,
} from '../repositories.js';
import { releaseDataflows, releases } from '../schema.js';
import type { ReleaseState } from '../schema.js';
import type { OpenedDatabase, SqliteDb } from './database.js';

export class SqliteReleaseRepository implements ReleaseRepository {
  private readonly db: SqliteDb;
  private readonly sqlite: OpenedDatabase['sqlite'];
  /**
   * Every data request asks for the release list (visibility is decided per request, by the
   * clock): it is kept in memory and dropped on every write, since this process is the only
   * writer of its database.
   */
  private listed: Release[] | undefined;

  constructor(opened: OpenedDatabase) {
    this.db = opened.db;
    this.sqlite = opened.sqlite;
  }

  createDraft(release: NewRelease, now: string): Release {
    this.listed = undefined;
    return this.db.transaction((tx) => {
      const row = tx
        .insert(releases)
        .values({
          code: release.code,
          title: release.title,
          state: 'draft',
          revisesPk: release.revisesPk ?? null,
          note: release.note ?? null,
          createdAt: now,
        })
        .returning()
        .get();
      for (const dataflow of release.dataflows) {
        tx.insert(releaseDataflows).values({ releasePk: row.pk, dataflow }).run();
      }
      return { ...row, dataflows: [...release.dataflows] };
    });
  }

  byCode(code: string): Release | undefined {
    const row = this.db.select().from(releases).where(eq(releases.code, code)).get();
    return row ? { ...row, dataflows: this.dataflowsOf(row.pk) } : undefined;
  }

  list(): Release[] {
    this.listed ??= this.db
      .select()
      .from(releases)
      .orderBy(asc(releases.pk))
      .all()
      .map((row) => Object.freeze({ ...row, dataflows: Object.freeze(this.dataflowsOf(row.pk)) }));
    return [...this.listed];
  }

  addData(releasePk: number, input: Iterable<SeriesToWrite>): DataWriteReport {
    this.listed = undefined;
    // Prepared once per call; raw statements because this is the hot path of every upload.
    const findSeries = this.sqlite.prepare('SELECT pk, provider FROM series WHERE dataflow = ? AND series_key = ?');
    const insertSeries = this.sqlite.prepare('INSERT INTO series (dataflow, provider, series_key, dimensions) VALUES (?, ?, ?, ?)');
    const insertObservation = this.sqlite.prepare(
      `INSERT INTO observations (series_pk, release_pk, time_period, period_start, period_end, value, attributes, deleted)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const write = this.sqlite.transaction(() => {
      this.requireState(releasePk, 'draft', 'add data to');
      const flows = new Set(this.dataflowsOf(releasePk));
      let seriesCount = 0;
      let newSeries = 0;
      let observations = 0;
      for (const s of input) {
        if (!flows.has(s.dataflow)) throw new StorageConflictError(`Release ${releasePk} does not cover dataflow ${s.dataflow}`);
        const key = Object.values(s.dimensions).join('.');
        const existing = findSeries.get(s.dataflow, key) as { pk: number; provider: string } | undefined;
        let seriesPk: number;
        if (existing) {
          if (existing.provider !== s.provider) {
            throw new StorageConflictError(`Series ${s.dataflow} ${key} belongs to provider ${existing.provider}, not ${s.provider}`);
          }
          seriesPk = existing.pk;
        } else {
          seriesPk = Number(insertSeries.run(s.dataflow, s.provider, key, JSON.stringify(s.dimensions)).lastInsertRowid);
          newSeries += 1;
        }
        seriesCount += 1;
        for (const o of s.observations) {
          const attributes = Object.keys(o.attributes).length === 0 ? '{}' : JSON.stringify(o.attributes);
          insertObservation.run(seriesPk, releasePk, o.timePeriod, o.periodStart, o.periodEnd, o.value, attributes, o.deleted ? 1 : 0);
          observations += 1;
        }
      }
      return { series: seriesCount, newSeries, observations };
    });
    return write.immediate();
  }

  schedule(releasePk: number, announcedAt: string): Release {
    return this.move(releasePk, 'draft', 'scheduled', { announcedAt });
  }

  markPublished(releasePk: number, at: string): Release {
    return this.move(releasePk, 'scheduled', 'published', { publishedAt: at });
  }

  private move(pk: number, from: ReleaseState, to: ReleaseState, set: { announcedAt?: string; publishedAt?: string }): Release {
    this.listed = undefined;
    return this.db.transaction((tx) => {
      this.requireState(pk, from, `move to ${to}`);
      tx.update(releases).set({ state: to, ...set }).where(eq(releases.pk, pk)).run();
      const row = tx.select().from(releases).where(eq(releases.pk, pk)).get()!;
      return { ...row, dataflows: this.dataflowsOf(pk) };
    });
  }

  private requireState(pk: number, state: ReleaseState, action: string): void {
    const row = this.db.select({ state: releases.state }).from(releases).where(eq(releases.pk, pk)).get();
    if (!row) throw new ReleaseStateError(`Release ${pk} does not exist`);
    if (row.state !== state) throw new ReleaseStateError(`Cannot ${action} release ${pk}: it is ${row.state}, not ${state}`);
  }

  private dataflowsOf(pk: number): string[] {
    return this.db
      .select({ dataflow: releaseDataflows.dataflow })
      .from(releaseDataflows)
      .where(eq(releaseDataflows.releasePk, pk))
      .all()
      .map((r) => r.dataflow);
  }
}
