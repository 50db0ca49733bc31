/**
 * Completeness (ESS QPI R1, "Data completeness – rate"; SIMS 2.0 S.12.3): the share of the
 * cells a dataflow may hold that hold data now.
 *
 * The allowed cube is what the structures allow, exactly as uploads are checked against it
 * (upload-service.ts): per provision agreement of the dataflow, the Allowed content constraints
 * along agreement → dataflow → DSD (sdmx/allowed-content.ts) narrow each dimension's codelist;
 * a dimension no constraint restricts takes its whole codelist. Its series keys are the product
 * of those code sets (united over the agreements, so a key two providers may report counts
 * once), and its time axis is every year from the first to the last year the dataflow holds
 * data for (all areas together, so areas are measured against the same years). Scoped to a
 * reference area, REF_AREA is fixed to it.
 *
 * A cell holds data when its current value (the highest-ranked visible vintage) is a value or a
 * cell withheld by disclosure control (cells.ts): the data exist, and R1 does not count
 * confidentiality as missing. The share the public can read is given beside it. Cells holding
 * data outside the cube (a key the constraints exclude, a period that is not a year) are
 * counted apart, never in the share. Per dimension: how many of its allowed codes hold data.
 *
 * The product counts combinations no country reports (every age group of every offence, for
 * example), so the cube share of a wide dataflow is small by construction; the per-dimension
 * shares and the fill of the series that exist say where the gaps are.
 */
import type { Maintainable, ProvisionAgreement } from '../../sdmx/model.js';
import { allowedConstraintsOn, allowedValuesOf } from '../../sdmx/allowed-content.js';
import { codelistOf } from '../data/data-service.js';
import type { DataTarget } from '../data/target.js';
import type { StructureService } from '../structure-service.js';
import { percent, type Percent } from './measures.js';

/** The codes one provision agreement (or the dataflow alone, without agreements) allows. */
interface Chain {
  /** `AGENCY:ID` of the agreement's data provider; undefined for the dataflow alone. */
  readonly provider?: string;
  /** Per dimension (DSD order): the allowed codes, or undefined when the dimension is not coded. */
  readonly allowed: readonly (ReadonlySet<string> | undefined)[];
}

/** Beyond this many provision agreements the union of their cubes is not counted. */
const MAX_CHAINS = 12;

export class AllowedCube {
  private constructor(
    /** DSD dimension ids, in key order (time excluded). */
    readonly dimensions: readonly string[],
    private readonly chains: readonly Chain[],
  ) {}

  static of(structures: StructureService, target: DataTarget): AllowedCube {
    const registry = structures.registry;
    const { dataflow, dsd } = target;
    const agreements = (registry.ofClass('ProvisionAgreement') as ProvisionAgreement[]).filter(
      (pa) => pa.structureUsage.agencyID === dataflow.agencyID && pa.structureUsage.id === dataflow.id && pa.structureUsage.version === dataflow.version,
    );
    const codelist = (id: string) => codelistOf(structures, dsd, id);
    const chainOf = (artefacts: readonly Maintainable[], provider?: string): Chain => {
      const values = allowedValuesOf(allowedConstraintsOn(registry, artefacts), codelist);
      return {
        provider,
        allowed: dsd.dimensions.map((d) => {
          const codes = values(d.id) ?? codelist(d.id)?.items.map((i) => i.id);
          return codes ? new Set(codes) : undefined;
        }),
      };
    };
    const chains: Chain[] = agreements.length
      ? agreements.map((pa) => chainOf([pa, dataflow, dsd], `${pa.dataProvider.scheme.agencyID}:${pa.dataProvider.id}`))
      : [chainOf([dataflow, dsd])];
    return new AllowedCube(
      dsd.dimensions.map((d) => d.id),
      chains,
    );
  }

  /** Whether a series (its codes in DSD order, its provider) lies in the cube of its provider's agreement. */
  holds(codes: readonly string[], provider: string): boolean {
    const chain = this.chains.find((c) => c.provider === undefined || c.provider === provider);
    if (!chain) return false;
    for (let i = 0; i < codes.length; i++) {
      const allowed = chain.allowed[i];
      if (allowed && !allowed.has(codes[i]!)) return false;
    }
    return true;
  }

  /** The codes a dimension may take (united over the agreements), narrowed to `only` when given. */
  allowedCodes(dimension: number, only?: string): ReadonlySet<string> | undefined {
    const out = new Set<string>();
    for (const chain of this.chains) {
      const allowed = chain.allowed[dimension];
      if (!allowed) return undefined;
      for (const code of allowed) if (only === undefined || code === only) out.add(code);
    }
    return out;
  }

  /**
   * How many series keys the cube holds, with one dimension fixed to one code when given: the
   * size of the union of the agreements' products (inclusion–exclusion: the intersection of two
   * products is the product of the intersections). Null when a dimension is not coded (its codes
   * cannot be counted) or there are too many agreements to count the union.
   */
  keys(fixed?: { readonly dimension: number; readonly code: string }): number | null {
    const n = this.chains.length;
    if (n > MAX_CHAINS) return null;
    if (this.chains.some((c) => c.allowed.some((a) => a === undefined))) return null;
    let total = 0;
    for (let subset = 1; subset < 1 << n; subset++) {
      const members = this.chains.filter((_, i) => (subset & (1 << i)) !== 0);
      let product = 1;
      for (let d = 0; d < this.dimensions.length && product > 0; d++) {
        let common = 0;
        for (const code of members[0]!.allowed[d]!) {
          if (fixed && fixed.dimension === d && code !== fixed.code) continue;
          if (members.every((m) => m.allowed[d]!.has(code))) common += 1;
        }
        product *= common;
      }
      total += members.length % 2 === 1 ? product : -product;
    }
    return total;
  }
}

/** A reporting year: `2019` or `2019-A1`. */
const YEAR = /^(\d{4})(?:-A1)?$/;

/** The year a period is, when it is one (NaN otherwise): annual periods are the cube's time axis. */
export function yearOf(period: string): number {
  const year = YEAR.exec(period);
  return year ? Number(year[1]) : Number.NaN;
}

/** The current cells of one scope (the dataflow, or one of its areas) that hold data. */
export class CompletenessCounter {
  cellsWithValue = 0;
  cellsWithheld = 0;
  cellsOutside = 0;
  /** Current cells present with no value and not withheld (reported missing at the source). */
  cellsMissing = 0;
  firstYear = Infinity;
  lastYear = -Infinity;
  /** Series with a cell in the cube holding data. */
  readonly series = new Set<number>();
  /** Per dimension: the codes of the current cells holding data (in the cube or not). */
  readonly codes: Set<string>[];
  /** The series whose codes were added last (a series' cells come together). */
  private codesOf = -1;

  constructor(dimensions: number) {
    this.codes = Array.from({ length: dimensions }, () => new Set<string>());
  }

  /**
   * The current vintage of a cell, when it holds data: its series (pk, codes in DSD order,
   * whether the cube allows its key), its year (NaN when the period is not a year), and whether
   * it is withheld.
   */
  current(seriesPk: number, codes: readonly string[], inCube: boolean, year: number, withheld: boolean): void {
    if (seriesPk !== this.codesOf) {
      this.codesOf = seriesPk;
      for (let d = 0; d < codes.length; d++) this.codes[d]!.add(codes[d]!);
    }
    if (!inCube || Number.isNaN(year)) {
      this.cellsOutside += 1;
      return;
    }
    if (year < this.firstYear) this.firstYear = year;
    if (year > this.lastYear) this.lastYear = year;
    this.series.add(seriesPk);
    if (withheld) this.cellsWithheld += 1;
    else this.cellsWithValue += 1;
  }
}

export interface DimensionCompleteness {
  readonly dimension: string;
  /** Codes the cube allows for it (1 for REF_AREA scoped to an area it allows); null when not coded. */
  readonly allowed: number | null;
  /** Allowed codes that some current cell holding data takes. */
  readonly withData: number;
  /** withData / allowed. */
  readonly share: Percent | null;
  /** Codes of cells holding data that the cube does not allow. */
  readonly outside: number;
}

export interface CompletenessIndicator {
  /** The cube's time axis: the dataflow's first to last year with data. Null without data. */
  readonly years: { readonly first: string; readonly last: string; readonly count: number } | null;
  /** Series keys the cube allows in the scope; null when they cannot be counted. */
  readonly allowedKeys: number | null;
  /** allowedKeys × years: the cells the cube allows. */
  readonly allowedCells: number | null;
  /** Cells of the cube holding data: cellsWithValue + cellsWithheld. */
  readonly cellsWithData: number;
  readonly cellsWithValue: number;
  /** Withheld by disclosure control (they hold data the public cannot read). */
  readonly cellsWithheld: number;
  /** Cells holding data outside the cube; not in any share. */
  readonly cellsOutside: number;
  /** Current cells with neither a value nor a confidentiality status (missing at the source): no data. */
  readonly cellsMissing: number;
  /** cellsWithData / allowedCells (R1). */
  readonly share: Percent | null;
  /** cellsWithValue / allowedCells: what the public can read. */
  readonly valueShare: Percent | null;
  /** Series keys with a cell of the cube holding data. */
  readonly seriesWithData: number;
  /** cellsWithData / (seriesWithData × years): how full the series that exist are. */
  readonly seriesFill: Percent | null;
  readonly dimensions: readonly DimensionCompleteness[];
}

/**
 * Completeness of a scope. `years` is the dataflow's time axis (from the dataflow's counter);
 * `area` fixes REF_AREA (at `areaDimension`) to one code.
 */
export function completenessOf(
  cube: AllowedCube,
  counter: CompletenessCounter,
  years: { readonly first: number; readonly last: number } | null,
  area?: { readonly dimension: number; readonly code: string },
): CompletenessIndicator {
  const yearCount = years ? years.last - years.first + 1 : 0;
  const allowedKeys = cube.keys(area);
  const allowedCells = allowedKeys === null ? null : allowedKeys * yearCount;
  const cellsWithData = counter.cellsWithValue + counter.cellsWithheld;
  const dimensions = cube.dimensions.map((dimension, d): DimensionCompleteness => {
    const allowed = cube.allowedCodes(d, area?.dimension === d ? area.code : undefined);
    const codes = counter.codes[d]!;
    let withData = 0;
    for (const code of codes) if (!allowed || allowed.has(code)) withData += 1;
    return {
      dimension,
      allowed: allowed ? allowed.size : null,
      withData,
      share: allowed ? percent(withData, allowed.size) : null,
      outside: codes.size - withData,
    };
  });
  return {
    years: years ? { first: String(years.first), last: String(years.last), count: yearCount } : null,
    allowedKeys,
    allowedCells,
    cellsWithData,
    cellsWithValue: counter.cellsWithValue,
    cellsWithheld: counter.cellsWithheld,
    cellsOutside: counter.cellsOutside,
    cellsMissing: counter.cellsMissing,
    share: allowedCells === null ? null : percent(cellsWithData, allowedCells),
    valueShare: allowedCells === null ? null : percent(counter.cellsWithValue, allowedCells),
    seriesWithData: counter.series.size,
    seriesFill: percent(cellsWithData, counter.series.size * yearCount),
    dimensions,
  };
}
