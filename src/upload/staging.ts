/**
 * A scratch SQLite file per upload, outside the main database: checked observations are
 * written here as the file streams in, so memory stays flat for any file size, duplicates are
 * found by the primary key, and the main database is only touched once the whole file is
 * known to be valid. Closing deletes the file; nothing of a refused upload survives.
 *
 * Observations mapped from national codes keep their national code (`source`), so two national
 * offences that map to one ICCS code add up, while the same national row twice is a duplicate.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SeriesToWrite } from '../storage/repositories.js';
import type { CheckedObservation } from './validation/dsd-checker.js';
import type { ProblemLog } from './validation/problems.js';

export interface StagedObservation {
  readonly observation: CheckedObservation;
  /** The national code it was mapped from; '' when the file used the DSD's own codes. */
  readonly source: string;
}

interface GroupRow {
  series_key: string;
  dimensions: string;
  time_period: string;
  period_start: string;
  period_end: string;
  value: number | null;
  attributes: string;
  deleted: number;
}

export class StagingArea {
  private readonly dir: string;
  private readonly db: Database.Database;
  private readonly insertObservation: Database.Statement;
  private readonly insertSeries: Database.Statement;
  private readonly firstAt: Database.Statement;
  private rows = 0;

  constructor(tmpDir: string = os.tmpdir()) {
    this.dir = mkdtempSync(path.join(tmpDir, 'iccs-upload-'));
    this.db = new Database(path.join(this.dir, 'staging.sqlite'));
    // Scratch data: a crash loses nothing of value, so no journal and no fsync.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec(`
      CREATE TABLE staged (
        series_key TEXT NOT NULL, time_period TEXT NOT NULL, source TEXT NOT NULL,
        period_start TEXT NOT NULL, period_end TEXT NOT NULL, value REAL, attributes TEXT NOT NULL,
        deleted INTEGER NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (series_key, time_period, source)
      ) WITHOUT ROWID;
      CREATE TABLE series (series_key TEXT PRIMARY KEY, dimensions TEXT NOT NULL) WITHOUT ROWID;
    `);
    this.insertObservation = this.db.prepare(
      'INSERT OR IGNORE INTO staged (series_key, time_period, source, period_start, period_end, value, attributes, deleted, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertSeries = this.db.prepare('INSERT OR IGNORE INTO series (series_key, dimensions) VALUES (?, ?)');
    this.firstAt = this.db.prepare('SELECT at FROM staged WHERE series_key = ? AND time_period = ? AND source = ?');
  }

  /** Stages a batch in one transaction; a second observation of the same key and period is a problem. */
  add(batch: readonly StagedObservation[], log: ProblemLog): void {
    this.db.transaction(() => {
      for (const { observation: o, source } of batch) {
        const attributes = JSON.stringify(o.attributes);
        const written = this.insertObservation.run(o.seriesKey, o.timePeriod, source, o.periodStart, o.periodEnd, o.value, attributes, o.deleted ? 1 : 0, o.at);
        if (written.changes === 0) {
          const first = this.firstAt.get(o.seriesKey, o.timePeriod, source) as { at: string };
          log.add({
            at: o.at,
            rule: 'duplicate-observation',
            value: `${o.seriesKey} ${o.timePeriod}${source ? ` (national code ${source})` : ''}`,
            message: `A second observation for series ${o.seriesKey}, period ${o.timePeriod}${source ? `, national code ${source}` : ''}; the first is at ${first.at}`,
          });
          continue;
        }
        this.rows += 1;
        this.insertSeries.run(o.seriesKey, JSON.stringify(o.dimensions));
      }
    })();
  }

  get observations(): number {
    return this.rows;
  }

  /**
   * Observations that several national codes map onto must agree on everything but the value
   * (which adds up): differing attributes, a missing or a withdrawn part cannot be summed
   * without guessing, so they are reported.
   */
  checkAggregates(log: ProblemLog): void {
    const conflicts = this.db
      .prepare(
        `SELECT series_key, time_period, group_concat(source, ', ') AS sources, min(at) AS at FROM staged
         GROUP BY series_key, time_period
         HAVING count(*) > 1 AND (count(DISTINCT attributes) > 1 OR count(value) <> count(*) OR max(deleted) = 1)`,
      )
      .iterate() as IterableIterator<{ series_key: string; time_period: string; sources: string; at: string }>;
    for (const c of conflicts) {
      log.add({
        at: c.at,
        rule: 'aggregation-conflict',
        value: `${c.series_key} ${c.time_period}`,
        message: `National codes ${c.sources} all map to series ${c.series_key}, period ${c.time_period}, but differ in attributes or include a missing or withdrawn value, so they cannot be added up`,
      });
    }
  }

  /** Number of distinct series staged. */
  seriesCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM series').get() as { n: number }).n;
  }

  /**
   * The staged data as storage writes it, series by series in key order, national parts added
   * up. Read through a cursor, so only one series is in memory at a time.
   */
  *seriesToWrite(dataflow: string, provider: string): Generator<SeriesToWrite> {
    const rows = this.db
      .prepare(
        `SELECT g.series_key, s.dimensions, g.time_period, g.period_start, g.period_end, g.value, g.attributes, g.deleted
         FROM (SELECT series_key, time_period, min(period_start) AS period_start, min(period_end) AS period_end,
                      CASE WHEN count(value) = count(*) THEN sum(value) END AS value,
                      min(attributes) AS attributes, max(deleted) AS deleted
               FROM staged GROUP BY series_key, time_period) g
         JOIN series s ON s.series_key = g.series_key
         ORDER BY g.series_key, g.time_period`,
      )
      .iterate() as IterableIterator<GroupRow>;
    let current: { key: string; dimensions: Record<string, string>; observations: SeriesToWrite['observations'][number][] } | undefined;
    for (const r of rows) {
      if (current?.key !== r.series_key) {
        if (current) yield { dataflow, provider, dimensions: current.dimensions, observations: current.observations };
        current = { key: r.series_key, dimensions: JSON.parse(r.dimensions) as Record<string, string>, observations: [] };
      }
      current.observations.push({
        timePeriod: r.time_period,
        periodStart: r.period_start,
        periodEnd: r.period_end,
        value: r.value,
        attributes: JSON.parse(r.attributes) as Record<string, string>,
        deleted: r.deleted === 1,
      });
    }
    if (current) yield { dataflow, provider, dimensions: current.dimensions, observations: current.observations };
  }

  close(): void {
    if (this.db.open) this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
