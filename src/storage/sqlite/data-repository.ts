/**
 * SQLite reads of series and observations for the data service. Key filtering happens above,
 * on the (small) series catalogue; this layer reads observation rows for chosen series, in
 * pages, with the release and period filters pushed into SQL.
 */
import type Database from 'better-sqlite3';
import type { DataRepository, ObservationScan, StoredObservation, StoredSeries } from '../repositories.js';

type Row = [seriesPk: number, releasePk: number, timePeriod: string, periodStart: string, periodEnd: string, value: number | null, attributes: string, deleted: number];

export class SqliteDataRepository implements DataRepository {
  /** Prepared once per column set: preparing costs more than a small query itself. */
  private readonly scans = new Map<boolean, Database.Statement>();

  constructor(private readonly sqlite: Database.Database) {}

  seriesOf(dataflow: string): StoredSeries[] {
    const rows = this.sqlite
      .prepare('SELECT pk, dataflow, provider, series_key AS key, dimensions FROM series WHERE dataflow = ? ORDER BY pk')
      .all(dataflow) as { pk: number; dataflow: string; provider: string; key: string; dimensions: string }[];
    return rows.map((r) => ({ ...r, dimensions: JSON.parse(r.dimensions) as Record<string, string> }));
  }

  rowCounts(dataflow: string, releasePks: readonly number[]): Map<number, number> {
    const rows = this.sqlite
      .prepare(
        `SELECT o.series_pk, count(*) FROM observations o JOIN series s ON s.pk = o.series_pk
         WHERE s.dataflow = ? AND o.release_pk IN (SELECT value FROM json_each(?)) GROUP BY o.series_pk`,
      )
      .raw()
      .all(dataflow, JSON.stringify(releasePks)) as [number, number][];
    return new Map(rows);
  }

  private scanStatement(withPeriods: boolean): Database.Statement {
    let statement = this.scans.get(withPeriods);
    if (!statement) {
      // Every string column costs a string per row: periods are read only when asked for.
      const periods = withPeriods ? 'period_start, period_end' : "'', ''";
      statement = this.sqlite
        .prepare(
          `SELECT series_pk, release_pk, time_period, ${periods}, value, attributes, deleted
           FROM observations
           WHERE series_pk IN (SELECT value FROM json_each(?))
             AND release_pk IN (SELECT value FROM json_each(?))
             AND period_end >= ? AND period_start <= ?
           ORDER BY series_pk, time_period, release_pk`,
        )
        .raw();
      this.scans.set(withPeriods, statement);
    }
    return statement;
  }

  *scan(scan: ObservationScan): Generator<StoredObservation[]> {
    const statement = this.scanStatement(scan.withPeriods === true);
    const releases = JSON.stringify(scan.releasePks);
    const from = scan.periodEndFrom ?? '';
    const to = scan.periodStartTo ?? '\uffff';
    for (const page of scan.pages) {
      if (page.length === 0) continue;
      const rows = statement.all(JSON.stringify(page), releases, from, to) as Row[];
      yield inPageOrder(page, rows).map(toObservation);
    }
  }
}

/** SQL returns a page by series pk; the caller asked for its own series order. */
function inPageOrder(page: readonly number[], rows: Row[]): Row[] {
  let ascending = true;
  for (let i = 1; i < page.length && ascending; i++) ascending = page[i - 1]! < page[i]!;
  if (ascending) return rows;
  const position = new Map(page.map((pk, i) => [pk, i]));
  // Array.prototype.sort is stable: rows of one series keep their period/release order.
  return rows.sort((a, b) => position.get(a[0])! - position.get(b[0])!);
}

function toObservation(r: Row): StoredObservation {
  return {
    seriesPk: r[0],
    releasePk: r[1],
    timePeriod: r[2],
    periodStart: r[3],
    periodEnd: r[4],
    value: r[5],
    attributes: r[6],
    deleted: r[7] === 1,
  };
}
