/**
 * Disclosure control of a draft release, once per dataflow, stored with the release: reads the
 * release's true values, builds the additive table from the dataflow's codelists, computes the
 * suppression pattern (or audits one a publisher supplies), protects rates and shares derived
 * from suppressed counts, and stores pattern, run and audit in one transaction.
 */
import { fixedClock, type Clock } from '../../clock.js';
import { METHOD, PRIMARY, PUBLISHED, SECONDARY, auditPattern, protectTable } from '../../disclosure/protect.js';
import { isPrimary, rulesFrom, type ProtectionRules } from '../../disclosure/rules.js';
import { buildTable, hierarchiesFor, type TableCell } from '../../disclosure/table.js';
import type { CellAudit } from '../../disclosure/audit.js';
import type { DataStructure } from '../../sdmx/model.js';
import type { ProtectableCell, Release, Repositories, StoredProtectionRules, Suppression } from '../../storage/repositories.js';
import { codelistOf } from '../data/data-service.js';
import { StructureService } from '../structure-service.js';

/** SDMX CONF_STATUS: A primary (small counts), D secondary, C confidential (derived from a suppressed count). */
export const CONF_STATUS = { primary: 'A', secondary: 'D', derived: 'C' } as const;
/** SDMX OBS_STATUS Q: missing value; suppressed. */
export const SUPPRESSED_OBS_STATUS = 'Q';

export interface ProtectionSummary {
  readonly cells: number;
  readonly countCells: number;
  readonly relations: number;
  readonly primary: number;
  readonly secondary: number;
  readonly derived: number;
  readonly secondaryPerPrimary: number | null;
  readonly audit: { readonly protectedCells: number; readonly failed: number; readonly passed: boolean };
  readonly statistics: Readonly<Record<string, number>>;
  /** Whether the pattern was computed here or supplied by the publisher and only audited. */
  readonly pattern: 'computed' | 'supplied';
}

export interface DataflowProtection {
  readonly dataflow: string;
  readonly passed: boolean;
  readonly summary: ProtectionSummary;
}

export interface SuppliedCell {
  readonly key: string;
  readonly period: string;
}

/**
 * Time spent per dataflow, once its pattern passes, computing exact attacker intervals by LP for
 * publishers (a table too large for that keeps the intervals its hypercubes prove).
 */
const EXACT_INTERVALS_WITHIN_MS = 2000;

export class UnknownDataflowError extends Error {
  override name = 'UnknownDataflowError';
}
export class SuppliedPatternError extends Error {
  override name = 'SuppliedPatternError';
}

/** One audited protected cell, as stored for publishers (true values: never public). */
export interface StoredCellAudit {
  readonly key: string;
  readonly period: string;
  readonly value: number;
  readonly required: readonly [number, number];
  /** The attacker's interval; null upper = unbounded. */
  readonly attacker: readonly [number, number | null];
  /** True when computed by LP; false when proven by a hypercube (the attacker's interval contains it). */
  readonly exact: boolean;
  readonly safe: boolean;
}

export class ProtectionService {
  constructor(
    private readonly repositories: Repositories,
    private readonly structures: StructureService,
    private readonly clock: Clock,
  ) {}

  /** Throws UnknownDataflowError for a dataflow whose structure is not held. */
  rulesOf(dataflow: string): { rules: ProtectionRules; stored: StoredProtectionRules | undefined } {
    this.dsdOf(dataflow);
    const stored = this.repositories.protection.rulesOf(dataflow);
    return { rules: rulesFrom(stored?.rules), stored };
  }

  /** Validates (throws InvalidRulesError) and stores a dataflow's rules. */
  setRules(dataflow: string, input: unknown, actor: string | null): ProtectionRules {
    this.dsdOf(dataflow);
    const rules = rulesFrom(input);
    this.repositories.protection.setRules(dataflow, input, this.clock.now().toISOString(), actor);
    return rules;
  }

  /**
   * Protects every dataflow the draft holds data for. With `supplied`, the publisher's pattern
   * for that one dataflow is audited as given instead of computed.
   */
  async protect(release: Release, actor: string | null, supplied?: { dataflow: string; cells: readonly SuppliedCell[] }): Promise<DataflowProtection[]> {
    const flows = this.repositories.protection.dataflowsWithData(release.pk);
    if (supplied && !flows.includes(supplied.dataflow)) throw new SuppliedPatternError(`Release ${release.code} holds no data for ${supplied.dataflow}`);
    const out: DataflowProtection[] = [];
    for (const dataflow of supplied ? [supplied.dataflow] : flows) {
      out.push(await this.protectDataflow(release, dataflow, actor, supplied?.cells));
    }
    return out;
  }

  private async protectDataflow(release: Release, dataflow: string, actor: string | null, supplied?: readonly SuppliedCell[]): Promise<DataflowProtection> {
    const { rules } = this.rulesOf(dataflow);
    const dsd = this.dsdOf(dataflow);
    const cells = this.repositories.protection.cellsOf(release.pk, dataflow);
    const counts: ProtectableCell[] = [];
    const derivedOf = new Map<string, ProtectableCell[]>();
    const countUnits = new Set(rules.countUnits);
    const derivedUnits = new Set(rules.derivedUnits);
    for (const cell of cells) {
      const unit = cell.dimensions[rules.unitDimension];
      if (unit !== undefined && countUnits.has(unit) && cell.value !== null) counts.push(cell);
      else if (unit !== undefined && derivedUnits.has(unit)) {
        const base = coordinates(cell, rules.unitDimension);
        const list = derivedOf.get(base) ?? [];
        list.push(cell);
        derivedOf.set(base, list);
      }
    }
    const tableCells: TableCell[] = counts.map((c) => ({ dimensions: withoutUnit(c.dimensions, rules.unitDimension), timePeriod: c.timePeriod, value: c.value! }));
    const hierarchies = hierarchiesFor(rules.additiveDimensions, rules.totals, rules.notAdditive, (d) => codelistOf(this.structures, dsd, d)?.items);
    const table = buildTable(tableCells, hierarchies);

    let status: Uint8Array;
    let audits: readonly CellAudit[];
    let passed: boolean;
    let statistics: Record<string, number> = {};
    if (supplied) {
      status = suppliedStatus(counts, supplied, rules);
      ({ audits, passed } = await auditPattern(table, rules, status));
    } else {
      const outcome = await protectTable(table, rules, { exactIntervalsWithinMs: EXACT_INTERVALS_WITHIN_MS });
      ({ status, audits, passed } = outcome);
      statistics = { ...outcome.statistics };
    }

    const suppressions: Suppression[] = [];
    let primary = 0;
    let secondary = 0;
    let derived = 0;
    status.forEach((s, i) => {
      if (s === PUBLISHED) return;
      const kind = s === PRIMARY ? 'primary' : 'secondary';
      if (kind === 'primary') primary += 1;
      else secondary += 1;
      const cell = counts[i]!;
      suppressions.push({ seriesPk: cell.seriesPk, timePeriod: cell.timePeriod, kind, set: suppressedAttributes(kind) });
      for (const rate of derivedOf.get(coordinates(cell, rules.unitDimension)) ?? []) {
        if (rate.timePeriod !== cell.timePeriod) continue;
        suppressions.push({ seriesPk: rate.seriesPk, timePeriod: rate.timePeriod, kind: 'derived', set: suppressedAttributes('derived') });
        derived += 1;
      }
    });
    const storedAudit: StoredCellAudit[] = audits.map((a) => ({
      key: counts[a.cell]!.key,
      period: counts[a.cell]!.timePeriod,
      value: a.value,
      required: [a.requiredLower, a.requiredUpper],
      attacker: [round(a.lower), Number.isFinite(a.upper) ? round(a.upper) : null],
      exact: a.exact,
      safe: a.safe,
    }));
    const failed = audits.filter((a) => !a.safe).length;
    const summary: ProtectionSummary = {
      cells: cells.length,
      countCells: counts.length,
      relations: table.relations.length,
      primary,
      secondary,
      derived,
      secondaryPerPrimary: primary === 0 ? null : round(secondary / primary),
      audit: { protectedCells: audits.length, failed, passed },
      statistics,
      pattern: supplied ? 'supplied' : 'computed',
    };
    this.repositories.protection.store(
      { releasePk: release.pk, dataflow, ranAt: this.clock.now().toISOString(), ranBy: actor, method: METHOD, rules, summary, audit: storedAudit, passed },
      suppressions,
    );
    return { dataflow, passed, summary };
  }

  private dsdOf(dataflow: string): DataStructure {
    const match = /^([^:]+):([^(]+)\(([^)]+)\)$/.exec(dataflow);
    const flow = match ? this.structures.registry.get({ class: 'Dataflow', agencyID: match[1]!, id: match[2]!, version: match[3]! }) : undefined;
    if (flow?.class !== 'Dataflow') throw new UnknownDataflowError(`Unknown dataflow ${dataflow} (expected AGENCY:ID(VERSION))`);
    const dsd = this.structures.registry.get(flow.structure);
    if (dsd?.class !== 'DataStructure') throw new UnknownDataflowError(`The structure of ${dataflow} is not held`);
    return dsd;
  }
}

function suppressedAttributes(kind: keyof typeof CONF_STATUS): Record<string, string> {
  return { CONF_STATUS: CONF_STATUS[kind], OBS_STATUS: SUPPRESSED_OBS_STATUS };
}

/** The cell's coordinates with the unit left out: a count and the rates derived from it share them. */
function coordinates(cell: ProtectableCell, unitDimension: string): string {
  let key = '';
  for (const d in cell.dimensions) if (d !== unitDimension) key += `${cell.dimensions[d]}.`;
  return key;
}

function withoutUnit(dimensions: Readonly<Record<string, string>>, unitDimension: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d in dimensions) if (d !== unitDimension) out[d] = dimensions[d]!;
  return out;
}

/** A publisher's pattern over the count cells; primaries it leaves out stay primary (and fail the audit). */
function suppliedStatus(counts: readonly ProtectableCell[], supplied: readonly SuppliedCell[], rules: ProtectionRules): Uint8Array {
  const index = new Map(counts.map((c, i) => [`${c.key} ${c.timePeriod}`, i]));
  const status = new Uint8Array(counts.length);
  for (const s of supplied) {
    const i = index.get(`${s.key} ${s.period}`);
    if (i === undefined) throw new SuppliedPatternError(`The supplied pattern names ${s.key} ${s.period}, which is not a count cell of this release`);
    status[i] = SECONDARY;
  }
  counts.forEach((c, i) => {
    if (status[i] && isPrimary(rules, c.value!)) status[i] = PRIMARY;
  });
  return status;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * For loaders that run outside the app (the demo load in tests and the benchmark build): a
 * protector over the structures in `structuresDir`, stamping runs with the load instant.
 */
export function standaloneProtector(repositories: Repositories, structuresDir: string, now: string): (release: Release) => Promise<DataflowProtection[]> {
  const clock = fixedClock(now);
  const service = new ProtectionService(repositories, StructureService.load(repositories, structuresDir, clock).service, clock);
  return (release) => service.protect(release, 'demo-loader');
}
