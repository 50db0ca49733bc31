/**
 * The table a release's disclosure control protects: the dataflow as the public will see it
 * once the release is out. That is the release's own count cells, which protection decides, and
 * the cells of earlier visible releases (scheduled or published) that it does not revise, whose
 * state is settled: published, or suppressed by the release that holds them. What earlier
 * vintages published counts too: a cell of this release whose value an earlier release already
 * published is known to the public (`includeHistory`, `asOf` and the permalinks serve it), so it
 * is a published cell here, whatever this release does with it.
 */
import type { ProtectionRules } from '../../disclosure/rules.js';
import type { TableCell } from '../../disclosure/table.js';
import type { ProtectableCell, Release, Repositories } from '../../storage/repositories.js';

export interface PublicTable {
  /** The release's count cells first (indexes 0 .. releaseCells.length − 1), then the settled ones. */
  readonly cells: readonly TableCell[];
  /** Per table cell, its series key (with the unit) and period: how findings and audits name it. */
  readonly names: readonly { readonly key: string; readonly period: string }[];
  /** The release's own count cells, in table order. */
  readonly releaseCells: readonly ProtectableCell[];
  /** Rates and shares of the release, by the coordinates of the count they derive from. */
  readonly derivedOf: ReadonlyMap<string, readonly ProtectableCell[]>;
  /** Every cell of the release (counts, rates, anything else). */
  readonly allReleaseCells: number;
  /** The earlier releases whose cells are in the table, oldest first. */
  readonly earlierReleases: readonly string[];
}

/** The cell's coordinates with the unit left out: a count and the rates derived from it share them. */
export function coordinates(cell: ProtectableCell, unitDimension: string): string {
  let key = '';
  for (const d in cell.dimensions) if (d !== unitDimension) key += `${cell.dimensions[d]}.`;
  return key;
}

function withoutUnit(dimensions: Readonly<Record<string, string>>, unitDimension: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d in dimensions) if (d !== unitDimension) out[d] = dimensions[d]!;
  return out;
}

const cellId = (c: { readonly seriesPk: number; readonly timePeriod: string }) => `${c.seriesPk} ${c.timePeriod}`;

export function publicTable(repositories: Repositories, release: Release, dataflow: string, rules: ProtectionRules): PublicTable {
  const countUnits = new Set(rules.countUnits);
  const derivedUnits = new Set(rules.derivedUnits);
  const isCount = (c: ProtectableCell) => {
    const unit = c.dimensions[rules.unitDimension];
    return unit !== undefined && countUnits.has(unit) && c.value !== null;
  };
  const own = repositories.protection.cellsOf(release.pk, dataflow);
  const releaseCells: ProtectableCell[] = [];
  const derivedOf = new Map<string, ProtectableCell[]>();
  for (const cell of own) {
    const unit = cell.dimensions[rules.unitDimension];
    if (isCount(cell)) releaseCells.push(cell);
    else if (unit !== undefined && derivedUnits.has(unit)) {
      const base = coordinates(cell, rules.unitDimension);
      const list = derivedOf.get(base) ?? [];
      list.push(cell);
      derivedOf.set(base, list);
    }
  }

  // Earlier visible vintages, oldest first: the latest one of each cell is its public state.
  const earlier = repositories.releases
    .list()
    .filter((r) => r.pk !== release.pk && (r.state === 'published' || r.state === 'scheduled') && r.dataflows.includes(dataflow))
    .sort((a, b) => (a.announcedAt ?? '').localeCompare(b.announcedAt ?? '') || a.pk - b.pk);
  const latest = new Map<string, { cell: ProtectableCell; suppressed: boolean }>();
  const publishedValues = new Map<string, Set<number>>();
  const used: string[] = [];
  for (const r of earlier) {
    const cells = repositories.protection.cellsOf(r.pk, dataflow).filter(isCount);
    if (cells.length === 0) continue;
    used.push(r.code);
    const hidden = new Set(repositories.protection.suppressionsOf(r.pk, dataflow).map((s) => cellId(s)));
    for (const cell of cells) {
      const id = cellId(cell);
      const suppressed = hidden.has(id);
      latest.set(id, { cell, suppressed });
      if (!suppressed) {
        let values = publishedValues.get(id);
        if (!values) publishedValues.set(id, (values = new Set()));
        values.add(cell.value!);
      }
    }
  }

  const cells: TableCell[] = [];
  const names: { key: string; period: string }[] = [];
  const revised = new Set<string>();
  for (const cell of releaseCells) {
    const id = cellId(cell);
    revised.add(id);
    const known = publishedValues.get(id)?.has(cell.value!) ?? false;
    cells.push({ dimensions: withoutUnit(cell.dimensions, rules.unitDimension), timePeriod: cell.timePeriod, value: cell.value!, ...(known ? { fixed: 'published' as const } : {}) });
    names.push({ key: cell.key, period: cell.timePeriod });
  }
  for (const [id, { cell, suppressed }] of latest) {
    if (revised.has(id)) continue;
    cells.push({ dimensions: withoutUnit(cell.dimensions, rules.unitDimension), timePeriod: cell.timePeriod, value: cell.value!, fixed: suppressed ? 'suppressed' : 'published' });
    names.push({ key: cell.key, period: cell.timePeriod });
  }
  return { cells, names, releaseCells, derivedOf, allReleaseCells: own.length, earlierReleases: used };
}
