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
  type ReleaseChange,
  type ReleaseEvent,
  type ReleaseRepository,
  type SeriesToWrite,
} from '../repositories.js';
import { releaseDataflows, releaseEvents, releases, protectionRuns } from '../schema.js';
import type { ReleaseEventKind, ReleaseState } from '../schema.js';
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
      tx.insert(releaseEvents).values({ releasePk: row.pk, at: now, kind: 'created' }).run();
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
      // New data makes any disclosure-control run of this release stale: it must run again.
      this.db.delete(protectionRuns).where(eq(protectionRuns.releasePk, releasePk)).run();
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

  schedule(releasePk: number, announcedAt: string, change?: ReleaseChange): Release {
    return this.move(releasePk, ['draft'], 'scheduled', { announcedAt, firstAnnouncedAt: announcedAt }, {
      kind: 'scheduled',
      at: change?.at ?? announcedAt,
      actor: change?.actor,
      announcedAt,
    });
  }

  postpone(releasePk: number, announcedAt: string, reason: string, change: ReleaseChange): Release {
    const previous = this.db.select({ announcedAt: releases.announcedAt }).from(releases).where(eq(releases.pk, releasePk)).get();
    return this.move(releasePk, ['scheduled'], 'scheduled', { announcedAt }, {
      kind: 'postponed',
      at: change.at,
      actor: change.actor,
      announcedAt,
      previousAnnouncedAt: previous?.announcedAt ?? null,
      reason,
    });
  }

  cancel(releasePk: number, reason: string, change: ReleaseChange): Release {
    return this.move(releasePk, ['draft', 'scheduled'], 'cancelled', {}, { kind: 'cancelled', at: change.at, actor: change.actor, reason });
  }

  markPublished(releasePk: number, at: string, change?: ReleaseChange): Release {
    return this.move(releasePk, ['scheduled'], 'published', { publishedAt: at }, { kind: 'published', at, actor: change?.actor });
  }

  events(releasePk?: number): ReleaseEvent[] {
    const query = this.db.select().from(releaseEvents);
    const rows = (releasePk === undefined ? query : query.where(eq(releaseEvents.releasePk, releasePk))).orderBy(asc(releaseEvents.pk)).all();
    return rows.map(({ pk: _pk, ...event }) => event);
  }

  private move(
    pk: number,
    from: readonly ReleaseState[],
    to: ReleaseState,
    set: { announcedAt?: string; publishedAt?: string; firstAnnouncedAt?: string },
    event: { kind: ReleaseEventKind; at: string; actor?: string | undefined; announcedAt?: string; previousAnnouncedAt?: string | null; reason?: string },
  ): Release {
    this.listed = undefined;
    return this.db.transaction((tx) => {
      this.requireState(pk, from, `move to ${to}`);
      tx.update(releases).set({ state: to, ...set }).where(eq(releases.pk, pk)).run();
      const row = tx.select().from(releases).where(eq(releases.pk, pk)).get()!;
      tx.insert(releaseEvents)
        .values({
          releasePk: pk,
          at: event.at,
          kind: event.kind,
          announcedAt: event.announcedAt ?? row.announcedAt,
          previousAnnouncedAt: event.previousAnnouncedAt ?? null,
          reason: event.reason ?? null,
          actor: event.actor ?? null,
        })
        .run();
      return { ...row, dataflows: this.dataflowsOf(pk) };
    });
  }

  private requireState(pk: number, states: ReleaseState | readonly ReleaseState[], action: string): void {
    const allowed: readonly ReleaseState[] = typeof states === 'string' ? [states] : states;
    const row = this.db.select({ state: releases.state }).from(releases).where(eq(releases.pk, pk)).get();
    if (!row) throw new ReleaseStateError(`Release ${pk} does not exist`);
    if (!allowed.includes(row.state)) throw new ReleaseStateError(`Cannot ${action} release ${pk}: it is ${row.state}, not ${allowed.join(' or ')}`);
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
