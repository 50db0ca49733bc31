/**
 * SQLite reads of series and observations for the data service. Key filtering happens above,
 * on the (small) series catalogue; this layer reads observation rows for chosen series, in
 * pages, with the release and period filters pushed into SQL.
 */
import type Database from 'better-sqlite3';
import type { DataRepository, ObservationRow, ObservationScan, StoredObservation, StoredSeries } from '../repositories.js';

/** Up to this many releases are bound as parameters; more go in one JSON list. */
const MAX_LISTED_RELEASES = 16;

interface ScanShape {
  readonly oneSeries: boolean;
  readonly releases: number | 'list';
  readonly withPeriods: boolean;
  readonly bounded: boolean;
}

export class SqliteDataRepository implements DataRepository {
  /** Prepared once per shape: preparing costs more than a small query itself. */
  private readonly scans = new Map<string, Database.Statement>();

  constructor(private readonly sqlite: Database.Database) {}

  // The catalogue of a large dataflow is tens of thousands of series, read once and kept (the
  // peak memory of a large export showed each of these choices, docs/performance.md): rows are
  // read one at a time (iterate, not all) so that the text they arrive in dies young instead of
  // being promoted with the catalogue, in index order so that SQLite needs no temporary b-tree,
  // and an entry holds its codes once, in its key.

  seriesOf(dataflow: string): StoredSeries[] {
    const rows = this.sqlite
      // Key order is the order of the (dataflow, series_key) index: no sort in a temporary b-tree.
      .prepare('SELECT pk, provider, series_key, dimensions FROM series WHERE dataflow = ? ORDER BY series_key')
      .raw()
      .iterate(dataflow) as IterableIterator<[pk: number, provider: string, key: string, dimensions: string]>;
    const providers = new Map<string, string>();
    let ids: readonly string[] | undefined;
    const series: StoredSeries[] = [];
    for (const [pk, provider, key, dimensions] of rows) {
      const codes = JSON.parse(dimensions) as Record<string, string>;
      ids ??= Object.keys(codes);
      let shared = providers.get(provider);
      if (shared === undefined) providers.set(provider, (shared = provider));
      // Every series of a dataflow has the same dimensions, and its key is their codes in that
      // order: the key alone then holds them. A series that differs keeps its own object.
      series.push(keyHoldsCodes(key, codes, ids) ? new CatalogueSeries(pk, dataflow, shared, key, ids) : { pk, dataflow, provider: shared, key, dimensions: codes });
    }
    return series;
  }

  rowCounts(dataflow: string, releasePks: readonly number[]): ReadonlyMap<number, number> {
    const rows = this.sqlite
      .prepare(
        // Grouped by key (one series per key in a dataflow): the groups then come in index order,
        // where grouping by pk would collect a million rows in a temporary b-tree first; only
        // the groups are then sorted by pk.
        `SELECT s.pk, count(*) FROM series s JOIN observations o ON o.series_pk = s.pk
         WHERE s.dataflow = ? AND o.release_pk IN (SELECT value FROM json_each(?))
         GROUP BY s.series_key ORDER BY s.pk`,
      )
      .raw()
      .iterate(dataflow, JSON.stringify(releasePks)) as IterableIterator<[number, number]>;
    let pks: Float64Array = new Float64Array(1024);
    let counts: Float64Array = new Float64Array(1024);
    let n = 0;
    for (const [pk, count] of rows) {
      if (n === pks.length) {
        pks = grown(pks);
        counts = grown(counts);
      }
      pks[n] = pk;
      counts[n] = count;
      n += 1;
    }
    return new CountsByPk(pks.subarray(0, n), counts.subarray(0, n));
  }

  /**
   * The scan statement for a page shape, prepared once. Small queries are dominated by fixed
   * costs, and a `json_each` list costs far more than plain parameters (about 45 µs against 5 µs
   * per query in a loaded server): one series is `= ?`, a few releases are `IN (?, ?…)`, and the
   * period bounds are only there when given.
   */
  private scanStatement(shape: ScanShape): Database.Statement {
    const key = `${shape.oneSeries}|${shape.releases}|${shape.withPeriods}|${shape.bounded}`;
    let statement = this.scans.get(key);
    if (!statement) {
      // Every column costs a slot per row and every string column a string: periods are read
      // only when asked for, and come last so the row layout is the same either way.
      const periods = shape.withPeriods ? ', period_start, period_end' : '';
      const series = shape.oneSeries ? 'series_pk = ?' : 'series_pk IN (SELECT value FROM json_each(?))';
      const releases = shape.releases === 'list' ? 'release_pk IN (SELECT value FROM json_each(?))' : `release_pk IN (${new Array(shape.releases).fill('?').join(', ')})`;
      const bounds = shape.bounded ? ' AND period_end >= ? AND period_start <= ?' : '';
      statement = this.sqlite
        .prepare(
          `SELECT series_pk, release_pk, time_period, value, attributes, deleted${periods}
           FROM observations
           WHERE ${series} AND ${releases}${bounds}
           ORDER BY series_pk, time_period, release_pk`,
        )
        .raw();
      this.scans.set(key, statement);
    }
    return statement;
  }

  *scanRows(scan: ObservationScan): Generator<ObservationRow[]> {
    const few = scan.releasePks.length > 0 && scan.releasePks.length <= MAX_LISTED_RELEASES;
    const releases: unknown[] = few ? [...scan.releasePks] : [JSON.stringify(scan.releasePks)];
    const bounded = scan.periodEndFrom !== undefined || scan.periodStartTo !== undefined;
    const bounds = bounded ? [scan.periodEndFrom ?? '', scan.periodStartTo ?? '\uffff'] : [];
    const shape = { releases: few ? scan.releasePks.length : ('list' as const), withPeriods: scan.withPeriods === true, bounded };
    for (const page of scan.pages) {
      if (page.length === 0) continue;
      const oneSeries = page.length === 1;
      const statement = this.scanStatement({ ...shape, oneSeries });
      const rows = statement.all(oneSeries ? page[0] : JSON.stringify(page), ...releases, ...bounds) as ObservationRow[];
      yield inPageOrder(page, rows);
    }
  }

  *scan(scan: ObservationScan): Generator<StoredObservation[]> {
    for (const rows of this.scanRows(scan)) yield rows.map(toObservation);
  }
}

/**
 * A catalogue entry whose dimension codes are read from its key when asked for: a large
 * dataflow's catalogue stays in memory, and an object of codes per series was half of it.
 * Each read of `dimensions` makes a new object (see StoredSeries).
 */
class CatalogueSeries implements StoredSeries {
  constructor(
    readonly pk: number,
    readonly dataflow: string,
    readonly provider: string,
    readonly key: string,
    private readonly ids: readonly string[],
  ) {}

  get dimensions(): Record<string, string> {
    // Made on each read, not kept: kept objects of a large export's series were promoted by
    // the thousand even when only the last few dozen were kept (docs/performance.md).
    const codes = this.key.split('.');
    const out: Record<string, string> = {};
    for (let i = 0; i < this.ids.length; i++) out[this.ids[i]!] = codes[i]!;
    return out;
  }
}

function keyHoldsCodes(key: string, codes: Readonly<Record<string, string>>, ids: readonly string[]): boolean {
  const present = Object.keys(codes);
  if (present.length !== ids.length || present.some((id, i) => id !== ids[i])) return false;
  return Object.values(codes).every((c) => !c.includes('.')) && Object.values(codes).join('.') === key;
}

function grown(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Row counts by series pk in two sorted typed arrays: kept with a dataflow's catalogue, where a
 * Map of tens of thousands of entries weighed several times as much.
 */
class CountsByPk implements ReadonlyMap<number, number> {
  constructor(
    private readonly pks: Float64Array,
    private readonly counts: Float64Array,
  ) {}

  get size(): number {
    return this.pks.length;
  }

  private indexOf(pk: number): number {
    let lo = 0;
    let hi = this.pks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.pks[mid]!;
      if (at === pk) return mid;
      if (at < pk) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  get(pk: number): number | undefined {
    const i = this.indexOf(pk);
    return i < 0 ? undefined : this.counts[i];
  }

  has(pk: number): boolean {
    return this.indexOf(pk) >= 0;
  }

  *entries(): MapIterator<[number, number]> {
    for (let i = 0; i < this.pks.length; i++) yield [this.pks[i]!, this.counts[i]!];
  }

  keys(): MapIterator<number> {
    return this.pks.values();
  }

  values(): MapIterator<number> {
    return this.counts.values();
  }

  forEach(callback: (value: number, key: number, map: ReadonlyMap<number, number>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.pks.length; i++) callback.call(thisArg, this.counts[i]!, this.pks[i]!, this);
  }

  [Symbol.iterator](): MapIterator<[number, number]> {
    return this.entries();
  }
}

/** SQL returns a page by series pk; the caller asked for its own series order. */
function inPageOrder(page: readonly number[], rows: ObservationRow[]): ObservationRow[] {
  let ascending = true;
  for (let i = 1; i < page.length && ascending; i++) ascending = page[i - 1]! < page[i]!;
  if (ascending) return rows;
  const position = new Map(page.map((pk, i) => [pk, i]));
  // Array.prototype.sort is stable: rows of one series keep their period/release order.
  return rows.sort((a, b) => position.get(a[0])! - position.get(b[0])!);
}

function toObservation(r: ObservationRow): StoredObservation {
  return {
    seriesPk: r[0],
    releasePk: r[1],
    timePeriod: r[2],
    value: r[3],
    attributes: r[4],
    deleted: r[5] === 1,
    periodStart: r[6] ?? '',
    periodEnd: r[7] ?? '',
  };
}
