/**
 * One pass over every visible vintage of a dataflow, feeding each indicator family's counter,
 * for the whole dataflow and for each reference area at once (the country notes ask per area;
 * one scan serves them all).
 *
 * The releases read are those of the dataflow's view (flow-views.ts, from the release calendar's
 * gate in visibility.ts): nothing embargoed, drafted or cancelled is ever read. The rows are
 * read through the same storage scan and in the same pages as the one observation reader
 * (observation-reader.ts), and the current vintage of a cell is the reader's: the row of the
 * highest-ranked release, no value when it is a withdrawal. The reader yields only that row;
 * revisions need every vintage, so the cells are grouped here. A test holds the current cells
 * equal to what the reader yields.
 *
 * Written as a pausable computation (turns.ts): it yields between storage pages, so run in
 * turns it never holds the event loop for long.
 */
import type { DataRepository, ObservationRow, StoredSeries } from '../../storage/repositories.js';
import type { FlowView } from '../data/flow-views.js';
import { paginate } from '../data/pages.js';
import type { Pausable } from '../turns.js';
import { holdsData, isWithdrawal, withheldBy } from './cells.js';
import { CompletenessCounter, yearOf, type AllowedCube } from './completeness.js';
import { RevisionCounter } from './revisions.js';
import { SuppressionCounter } from './suppression.js';
import { TimelinessCounter } from './timeliness.js';

export const AREA_DIMENSION = 'REF_AREA';
export const UNIT_DIMENSION = 'UNIT_MEASURE';

/** Every family's counter for one scope. */
export class ScopeCounters {
  readonly completeness: CompletenessCounter;
  readonly revisions = new RevisionCounter();
  readonly timeliness = new TimelinessCounter();
  readonly suppression = new SuppressionCounter();

  constructor(dimensions: number) {
    this.completeness = new CompletenessCounter(dimensions);
  }
}

export interface FlowFacts {
  readonly cube: AllowedCube;
  readonly flow: ScopeCounters;
  /** Per REF_AREA code with any visible row. */
  readonly areas: ReadonlyMap<string, ScopeCounters>;
  /** Storage rows read, and storage pages (between which the scan pauses). */
  readonly rows: number;
  readonly pages: number;
}

/** What the scan needs of a series, made once per series. */
interface SeriesFacts {
  readonly codes: readonly string[];
  readonly inCube: boolean;
  readonly unit: string;
  readonly scopes: readonly ScopeCounters[];
}

export function* scanVintages(data: DataRepository, view: FlowView, cube: AllowedCube): Pausable<FlowFacts> {
  const dimensions = cube.dimensions;
  const areaAt = dimensions.indexOf(AREA_DIMENSION);
  const unitAt = dimensions.indexOf(UNIT_DIMENSION);
  const flow = new ScopeCounters(dimensions.length);
  const areas = new Map<string, ScopeCounters>();
  const rankOf = new Map(view.releases.map((r) => [r.pk, r.rank]));
  const releasePks = view.releases.map((r) => r.pk);
  const factsOf = (s: StoredSeries): SeriesFacts => {
    const named = s.dimensions;
    const codes = dimensions.map((id) => named[id] ?? '');
    const scopes = [flow];
    if (areaAt >= 0) {
      const area = codes[areaAt]!;
      let scope = areas.get(area);
      if (!scope) areas.set(area, (scope = new ScopeCounters(dimensions.length)));
      scopes.push(scope);
    }
    return { codes, inCube: cube.holds(codes, s.provider), unit: unitAt >= 0 ? codes[unitAt]! : '', scopes };
  };

  let rows = 0;
  const years = new Map<string, number>();
  const yearOfPeriod = (period: string) => {
    let y = years.get(period);
    if (y === undefined) years.set(period, (y = yearOf(period)));
    return y;
  };
  // Reused for every cell: the ranks of its vintages and what each row says.
  const ranks: number[] = [];
  const statuses: (string | undefined)[] = [];
  const pages = releasePks.length ? paginate(view.series, view.rowCounts, undefined) : [];
  for (const page of pages) {
    const series = new Map(page.map((s) => [s.pk, s]));
    for (const read of data.scanRows({ pages: [page.map((s) => s.pk)], releasePks })) {
      rows += read.length;
      let facts: SeriesFacts | undefined;
      let factsPk = -1;
      let i = 0;
      while (i < read.length) {
        const first = read[i]!;
        let j = i + 1;
        // Vintages of one (series, period) are adjacent.
        while (j < read.length && read[j]![0] === first[0] && read[j]![2] === first[2]) j += 1;
        if (first[0] !== factsPk) {
          factsPk = first[0];
          facts = factsOf(series.get(factsPk)!);
        }
        const vintages = j - i === 1 ? read.slice(i, j) : read.slice(i, j).sort((a, b) => rankOf.get(a[1])! - rankOf.get(b[1])!);
        ranks.length = 0;
        statuses.length = 0;
        for (const row of vintages) {
          ranks.push(rankOf.get(row[1])!);
          statuses.push(withheldBy(row));
        }
        cell(facts!, first[2], yearOfPeriod(first[2]), vintages, ranks, statuses);
        i = j;
      }
    }
    yield;
  }
  return { cube, flow, areas, rows, pages: pages.length };
}

/**
 * One cell's vintages (oldest first, with their releases' ranks and the CONF_STATUS withholding
 * each, if any) into every scope its series belongs to.
 */
function cell(
  facts: SeriesFacts,
  period: string,
  year: number,
  vintages: readonly ObservationRow[],
  ranks: readonly number[],
  statuses: readonly (string | undefined)[],
): void {
  const last = vintages.length - 1;
  const current = vintages[last]!;
  const currentWithdrawn = isWithdrawal(current);
  const currentHolds = holdsData(current, statuses[last]);
  for (const scope of facts.scopes) {
    if (currentHolds) scope.completeness.current(current[0], facts.codes, facts.inCube, year, statuses[last] !== undefined);
    else if (!currentWithdrawn) scope.completeness.cellsMissing += 1;
    if (vintages.length > 1) scope.revisions.cell(facts.unit, vintages, ranks);
    for (let v = 0; v <= last; v++) {
      const row = vintages[v]!;
      if (isWithdrawal(row)) continue;
      scope.suppression.cell(ranks[v]!, statuses[v]);
      if (holdsData(row, statuses[v])) scope.timeliness.row(ranks[v]!, period);
    }
  }
}
