/**
 * Disclosure control of a draft release, once per dataflow, stored with the release: reads the
 * table as the public will see it (the release's true values with the earlier releases it does
 * not revise, public-table.ts), relates its cells by the additive hierarchies the structures
 * declare, computes the suppression pattern (or audits one a publisher supplies), protects rates
 * and shares derived from suppressed counts, and stores pattern, run, audit and the publisher's
 * findings in one transaction.
 */
import { fixedClock, type Clock } from '../../clock.js';
import { METHOD, PRIMARY, PUBLISHED, SECONDARY, auditPattern, primaryPattern, protectTable } from '../../disclosure/protect.js';
import { isPrimary, rulesFrom, type ProtectionRules } from '../../disclosure/rules.js';
import { relationCounts, relationsOfStructure } from '../../disclosure/structure-relations.js';
import { buildTable, FIXED_PUBLISHED, type AdditiveTable } from '../../disclosure/table.js';
import type { CellAudit } from '../../disclosure/audit.js';
import type { DataStructure } from '../../sdmx/model.js';
import type { Release, Repositories, StoredProtectionRules, Suppression } from '../../storage/repositories.js';
import { StructureService } from '../structure-service.js';
import { findingsOf } from './findings.js';
import { coordinates, publicTable, type PublicTable } from './public-table.js';

/** SDMX CONF_STATUS: A primary (small counts), D secondary, C confidential (derived from a suppressed count). */
export const CONF_STATUS = { primary: 'A', secondary: 'D', derived: 'C' } as const;
/** SDMX OBS_STATUS Q: missing value; suppressed. */
export const SUPPRESSED_OBS_STATUS = 'Q';

export interface ProtectionSummary {
  /** Observations of the release in the dataflow, and how many are counts. */
  readonly cells: number;
  readonly countCells: number;
  /** Count cells of earlier visible releases that this one does not revise, protected with it. */
  readonly earlierCells: number;
  readonly earlierReleases: readonly string[];
  readonly relations: number;
  /** Per declaring hierarchy: relations in the table, and how many the true values break. */
  readonly relationsByHierarchy: Readonly<Record<string, { relations: number; broken: number }>>;
  readonly excludedDimensions: ProtectionRules['excludedDimensions'];
  readonly primary: number;
  readonly secondary: number;
  readonly derived: number;
  readonly secondaryPerPrimary: number | null;
  readonly audit: { readonly protectedCells: number; readonly failed: number; readonly passed: boolean };
  /** Counts only (the cells and values are in the run's publisher-only findings). */
  readonly dataQuality: { readonly brokenRelations: number; readonly unprotectable: number };
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
  /** The attacker's interval; null = unbounded (or, for a lower end, none: his beliefs have no solution). */
  readonly attacker: readonly [number | null, number | null];
  /** True when computed by LP; false when proven by a hypercube (the attacker's interval contains it). */
  readonly exact: boolean;
  readonly safe: boolean;
  /** A small count an earlier release suppressed and this one does not revise: it must stay protected. */
  readonly earlierRelease?: boolean;
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
    const source = publicTable(this.repositories, release, dataflow, rules);
    const excluded = rules.excludedDimensions.map((e) => e.dimension);
    const table = buildTable(source.cells, relationsOfStructure(this.structures.registry.artefacts, dsd, excluded));
    const own = source.releaseCells.length;

    let status: Uint8Array;
    let audits: readonly CellAudit[];
    let passed: boolean;
    let statistics: Record<string, number> = {};
    if (supplied) {
      status = suppliedStatus(table, source, supplied, rules);
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
    for (let i = 0; i < own; i++) {
      const s = status[i]!;
      if (s === PUBLISHED) continue;
      const kind = s === PRIMARY ? 'primary' : 'secondary';
      if (kind === 'primary') primary += 1;
      else secondary += 1;
      const cell = source.releaseCells[i]!;
      suppressions.push({ seriesPk: cell.seriesPk, timePeriod: cell.timePeriod, kind, set: suppressedAttributes(kind) });
      for (const rate of source.derivedOf.get(coordinates(cell, rules.unitDimension)) ?? []) {
        if (rate.timePeriod !== cell.timePeriod) continue;
        suppressions.push({ seriesPk: rate.seriesPk, timePeriod: rate.timePeriod, kind: 'derived', set: suppressedAttributes('derived') });
        derived += 1;
      }
    }
    const storedAudit: StoredCellAudit[] = audits.map((a) => ({
      ...source.names[a.cell]!,
      value: a.value,
      required: [a.requiredLower, a.requiredUpper],
      attacker: [finite(a.lower), finite(a.upper)],
      exact: a.exact,
      safe: a.safe,
      ...(a.cell >= own ? { earlierRelease: true } : {}),
    }));
    const findings = findingsOf(table, source, rules);
    const failed = audits.filter((a) => !a.safe).length;
    const summary: ProtectionSummary = {
      cells: source.allReleaseCells,
      countCells: own,
      earlierCells: source.cells.length - own,
      earlierReleases: source.earlierReleases,
      relations: table.relations.length,
      relationsByHierarchy: relationCounts(table.relations),
      excludedDimensions: rules.excludedDimensions,
      primary,
      secondary,
      derived,
      secondaryPerPrimary: primary === 0 ? null : round(secondary / primary),
      audit: { protectedCells: audits.length, failed, passed },
      dataQuality: { brokenRelations: findings.brokenRelations.length, unprotectable: findings.unprotectable.length },
      statistics,
      pattern: supplied ? 'supplied' : 'computed',
    };
    this.repositories.protection.store(
      { releasePk: release.pk, dataflow, ranAt: this.clock.now().toISOString(), ranBy: actor, method: METHOD, rules, summary, audit: storedAudit, findings, passed },
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

/**
 * A publisher's pattern over the release's count cells; primaries it leaves out stay primary (and
 * fail the audit). Cells settled by earlier releases keep their state.
 */
function suppliedStatus(table: AdditiveTable, source: PublicTable, supplied: readonly SuppliedCell[], rules: ProtectionRules): Uint8Array {
  const own = source.releaseCells.length;
  const index = new Map(source.releaseCells.map((c, i) => [`${c.key} ${c.timePeriod}`, i]));
  const status = primaryPattern(table, rules);
  for (let i = 0; i < own; i++) if (status[i] === PRIMARY) status[i] = PUBLISHED;
  for (const s of supplied) {
    const i = index.get(`${s.key} ${s.period}`);
    if (i === undefined) throw new SuppliedPatternError(`The supplied pattern names ${s.key} ${s.period}, which is not a count cell of this release`);
    if (table.fixed[i] === FIXED_PUBLISHED) continue;
    status[i] = isPrimary(rules, table.values[i]!) ? PRIMARY : SECONDARY;
  }
  return status;
}

/** A bound as stored: null for an unbounded end (JSON has no infinity). */
function finite(x: number): number | null {
  return Number.isFinite(x) ? round(x) : null;
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
