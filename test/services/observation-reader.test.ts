/**
 * The observation reader (src/services/data/observation-reader.ts), over a storage fake that
 * keeps the scan contract (rows of a page in its series order, then by period, then by release
 * pk; only the releases asked for): the vintage rule by rank, withdrawals skipped or kept, a
 * release's own rows (permalinks), updatedAfter, firstN/lastN, and the page loop (lazy, one
 * query per page, pages of whole series).
 */
import t from 'tap';
import { readPages, readSeries, type ObservationRead, type ReadRelease, type SeriesRows } from '../../src/services/data/observation-reader.js';
import type { ObservationTest } from '../../src/services/data/selection.js';
import type { DataRepository, ObservationRow, ObservationScan, StoredSeries } from '../../src/storage/repositories.js';

const series = (pk: number, key: string): StoredSeries => ({ pk, dataflow: 'F', provider: 'P', key, dimensions: { K: key } });
const A = series(1, 'A');
const B = series(2, 'B');
const C = series(3, 'C');
const D = series(4, 'D');

/** Releases whose rank order is not their pk order: the rank decides, not storage order. */
const OLD: ReadRelease = { pk: 30, rank: 0, announcedAt: '2020-01-01T00:00:00.000Z' };
const MID: ReadRelease = { pk: 10, rank: 1, announcedAt: '2021-01-01T00:00:00.000Z' };
const NEW: ReadRelease = { pk: 20, rank: 2, announcedAt: '2022-01-01T00:00:00.000Z' };

/** [series, release, period, value, attributes, deleted] */
const row = (s: number, r: number, period: string, value: number | null, deleted = 0, attributes = '{}'): ObservationRow => [s, r, period, value, attributes, deleted];

function storage(rows: readonly ObservationRow[]) {
  const scans: ObservationScan[] = [];
  const repository: DataRepository = {
    seriesOf: () => [],
    rowCounts: () => new Map(),
    scan: () => {
      throw new Error('not used');
    },
    *scanRows(scan) {
      scans.push(scan);
      for (const page of scan.pages) {
        const out: ObservationRow[] = [];
        for (const pk of page) {
          out.push(
            ...rows
              .filter((r) => r[0] === pk && scan.releasePks.includes(r[1]))
              .sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : a[1] - b[1])),
          );
        }
        yield out;
      }
    },
  };
  return { repository, scans };
}

const everything: ObservationTest = { isTrivial: true, accepts: () => true };
const valuesAbove = (n: number): ObservationTest => ({ isTrivial: false, accepts: (r) => r[3] !== null && r[3] > n });

function read(overrides: Partial<ObservationRead> & Pick<ObservationRead, 'pages'>): ObservationRead {
  return { releases: [OLD, MID, NEW], test: everything, ...overrides };
}

/** key → [period, value, release pk, withdrawn] per value. */
function flat(data: DataRepository, r: ObservationRead): Record<string, [string, number | null, number, boolean][]> {
  const out: Record<string, [string, number | null, number, boolean][]> = {};
  for (const { series: s, rows } of readSeries(data, r)) out[s.key] = rows.map((x) => [x[2], x[3], x[1], x[5] === 1]);
  return out;
}

const VINTAGES = [
  // A: 2000 revised by MID then NEW; 2001 only OLD; 2002 NEW withdrew what MID wrote.
  row(1, OLD.pk, '2000', 1),
  row(1, MID.pk, '2000', 2),
  row(1, NEW.pk, '2000', 3),
  row(1, OLD.pk, '2001', 10),
  row(1, MID.pk, '2002', 20),
  row(1, NEW.pk, '2002', null, 1),
  // B: MID outranks OLD although OLD has the larger pk; 2003 withdrawn, then written again.
  row(2, MID.pk, '2000', 5),
  row(2, OLD.pk, '2000', 4),
  row(2, OLD.pk, '2003', 7),
  row(2, MID.pk, '2003', null, 1),
  row(2, NEW.pk, '2003', 8),
  // C: everything it had was withdrawn.
  row(3, OLD.pk, '2000', 9),
  row(3, NEW.pk, '2000', null, 1),
];

t.test('per (series, period) the vintage of the highest-ranked release, naming the release that wrote it', async (t) => {
  const { repository } = storage(VINTAGES);
  t.same(flat(repository, read({ pages: [[A, B, C]] })), {
    A: [
      ['2000', 3, NEW.pk, false],
      ['2001', 10, OLD.pk, false],
    ],
    B: [
      ['2000', 5, MID.pk, false],
      ['2003', 8, NEW.pk, false],
    ],
  }, 'withdrawn values are no values; a series left with none does not come out');
  t.same(flat(repository, read({ pages: [[A, B, C]], releases: [OLD, MID] })), {
    A: [
      ['2000', 2, MID.pk, false],
      ['2001', 10, OLD.pk, false],
      ['2002', 20, MID.pk, false],
    ],
    B: [['2000', 5, MID.pk, false]],
    C: [['2000', 9, OLD.pk, false]],
  }, 'over fewer releases (asOf, or right after a release) the older vintages are current');
});

t.test('withdrawals kept: marked, for history and permalinks', async (t) => {
  const { repository } = storage(VINTAGES);
  t.same(flat(repository, read({ pages: [[A, B, C]], withdrawals: 'keep' })), {
    A: [
      ['2000', 3, NEW.pk, false],
      ['2001', 10, OLD.pk, false],
      ['2002', null, NEW.pk, true],
    ],
    B: [
      ['2000', 5, MID.pk, false],
      ['2003', 8, NEW.pk, false],
    ],
    C: [['2000', null, NEW.pk, true]],
  });
  t.same(flat(repository, read({ pages: [[A, B, C]], releases: [MID], withdrawals: 'keep' })), {
    A: [
      ['2000', 2, MID.pk, false],
      ['2002', 20, MID.pk, false],
    ],
    B: [
      ['2000', 5, MID.pk, false],
      ['2003', null, MID.pk, true],
    ],
  }, "one release's own rows (a permalink): every row it wrote, withdrawals included");
});

t.test('updatedAfter judges the current value, never resurrects an older one', async (t) => {
  const { repository } = storage(VINTAGES);
  t.same(flat(repository, read({ pages: [[A, B, C]], changedAfter: MID.announcedAt })), {
    A: [['2000', 3, NEW.pk, false]],
    B: [['2003', 8, NEW.pk, false]],
  });
  t.same(flat(repository, read({ pages: [[A, B, C]], changedAfter: OLD.announcedAt, withdrawals: 'keep' })), {
    A: [
      ['2000', 3, NEW.pk, false],
      ['2002', null, NEW.pk, true],
    ],
    B: [
      ['2000', 5, MID.pk, false],
      ['2003', 8, NEW.pk, false],
    ],
    C: [['2000', null, NEW.pk, true]],
  });
});

t.test('the observation test applies to the current value; firstN/lastN to what passes it', async (t) => {
  const years = Array.from({ length: 10 }, (_, i) => String(2000 + i));
  const rows = [
    ...years.map((y, i) => row(1, OLD.pk, y, i)),
    // NEW revises the even years down to 0: the filter sees the revision, not the old value.
    ...years.filter((_, i) => i % 2 === 0).map((y) => row(1, NEW.pk, y, 0)),
  ];
  const { repository, scans } = storage(rows);
  const periods = (r: Partial<ObservationRead>) => (flat(repository, read({ pages: [[A]], ...r })).A ?? []).map(([p, v]) => `${p}=${v}`);
  t.same(periods({ test: valuesAbove(2) }), ['2003=3', '2005=5', '2007=7', '2009=9']);
  t.equal(scans.at(-1)?.withPeriods, true, 'a non-trivial test reads the periods');
  t.same(periods({ firstN: 3 }), ['2000=0', '2001=1', '2002=0']);
  t.same(periods({ lastN: 2 }), ['2008=0', '2009=9']);
  t.same(periods({ firstN: 4, lastN: 2 }), ['2002=0', '2003=3'], 'both: the first N, then the last N of those');
  t.same(periods({ test: valuesAbove(2), firstN: 1 }), ['2003=3'], 'firstN counts values that pass the test');
  t.same(periods({ test: valuesAbove(2), lastN: 1 }), ['2009=9']);
  t.same(periods({ firstN: 100, lastN: 100 }).length, 10);
});

t.test('the page loop: one query per page, read as the consumer pulls, pages of whole series', async (t) => {
  const rows = [A, B, C, D].flatMap((s) => [row(s.pk, OLD.pk, '2000', s.pk), row(s.pk, NEW.pk, '2000', s.pk * 10), row(s.pk, OLD.pk, '2001', s.pk)]);
  const { repository, scans } = storage(rows);
  const pages = [[A, B], [C], [D]];
  const values = readSeries(repository, read({ pages, releases: [OLD, NEW] }));
  t.equal(scans.length, 0, 'nothing is read before the first pull');
  t.equal(values.next().value?.series.key, 'A');
  t.equal(scans.length, 1);
  t.same(scans[0]!.pages, [[1, 2]], 'one page per query, its series in order');
  t.same(scans[0]!.releasePks, [OLD.pk, NEW.pk]);
  t.equal(scans[0]!.withPeriods, false, 'a trivial test does not read the periods');
  t.equal(values.next().value?.series.key, 'B');
  t.equal(scans.length, 1, 'the second series of the page needs no other read');
  const c = values.next().value;
  t.equal(scans.length, 2, 'the next page is read when the consumer gets to it');
  t.same(c ? c.rows.map((r: ObservationRow) => r[3]) : undefined, [30, 3]);
  t.equal(values.next().value?.series.key, 'D');
  t.ok(values.next().done);
  t.equal(scans.length, 3);

  const { repository: again, scans: scansAgain } = storage(rows);
  const byPage = readPages(again, read({ pages, releases: [OLD, NEW] }));
  t.same((byPage.next().value ?? []).map((s: SeriesRows) => s.series.key), ['A', 'B'], 'readPages: one array per storage page');
  t.equal(scansAgain.length, 1);
  t.same([...byPage].map((p) => p.map((s) => s.series.key)), [['C'], ['D']]);
});

t.test('series without rows are passed over; a row outside its page is a storage fault', async (t) => {
  const { repository } = storage([row(2, OLD.pk, '2000', 1), row(4, OLD.pk, '2000', 2)]);
  t.same(Object.keys(flat(repository, read({ pages: [[A, B, C, D]] }))), ['B', 'D']);
  const broken: DataRepository = { ...repository, *scanRows() { yield [row(9, OLD.pk, '2000', 1)]; } };
  t.throws(() => [...readSeries(broken, read({ pages: [[A]] }))], /series 9 outside its page/);
});

t.test('period bounds of the test are pushed into the scan', async (t) => {
  const { repository, scans } = storage([]);
  const bounded: ObservationTest = { isTrivial: false, periodEndFrom: '2001-01-01', periodStartTo: '2005-12-31', accepts: () => true };
  t.same([...readSeries(repository, read({ pages: [[A]], test: bounded }))], []);
  t.match(scans[0], { periodEndFrom: '2001-01-01', periodStartTo: '2005-12-31', withPeriods: true });
});
