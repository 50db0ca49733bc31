/**
 * Protects one additive table: primary suppression by the threshold rule, then secondary
 * (complementary) suppression, then the LP audit, repairing until every protected cell keeps its
 * protection interval.
 *
 * Method (docs/disclosure-control.md): a greedy hypercube-style heuristic in the spirit of
 * τ-ARGUS's modular method. Every relation with exactly one suppressed cell would give that
 * cell away, so a partner in the relation is suppressed too, chosen to close the pattern (a cell
 * whose other relations already hold a suppressed cell creates no new exposure) and to be able
 * to absorb the protection interval (its value at least the protection level), then smallest
 * value. Closing these "singletons" across every dimension builds the rectangles and hypercubes
 * of classical cell suppression; the exact LP audit then checks the intervals and, for each
 * protected cell still too exposed, adds the cheapest further partner and audits again.
 * Suppressing more never narrows another cell's interval (it only removes known values), so
 * cells once safe stay safe and only the exposed ones are audited again.
 */
import { auditCells, componentsOf, type CellAudit, type AuditStatistics } from './audit.js';
import { isPrimary, requiredInterval, type ProtectionRules } from './rules.js';
import type { AdditiveTable } from './table.js';

export const PUBLISHED = 0;
export const PRIMARY = 1;
export const SECONDARY = 2;

export const METHOD =
  'Threshold rule (primary); greedy hypercube-style complementary suppression closing every exposed relation across all ' +
  'additive dimensions at once, repaired until the LP audit passes (secondary); attacker intervals by linear programming (HiGHS).';

export interface ProtectionOutcome {
  /** Per cell: PUBLISHED, PRIMARY or SECONDARY. */
  readonly status: Uint8Array;
  readonly audits: readonly CellAudit[];
  readonly passed: boolean;
  readonly statistics: AuditStatistics & { readonly rounds: number; readonly protectMs: number; readonly auditMs: number };
}

/** How many audit-and-repair rounds before giving up (the audit then fails and publication is refused). */
const MAX_ROUNDS = 50;

export function primaryPattern(table: AdditiveTable, rules: ProtectionRules): Uint8Array {
  return Uint8Array.from(table.values, (v) => (isPrimary(rules, v) ? PRIMARY : PUBLISHED));
}

export async function protectTable(table: AdditiveTable, rules: ProtectionRules, options: { maxRounds?: number; deadline?: number } = {}): Promise<ProtectionOutcome> {
  const maxRounds = options.maxRounds ?? MAX_ROUNDS;
  const started = performance.now();
  const status = primaryPattern(table, rules);
  const pattern = new SuppressionPattern(table, status, rules.protection.upper);
  pattern.closeExposedRelations();
  let auditMs = 0;
  let rounds = 0;
  const targets = protectedTargets(table, rules, status);
  let unsafe = targets;
  const latest = new Map<number, CellAudit>();
  let statistics: AuditStatistics = { components: 0, largestComponent: 0, linearProgrammes: 0 };
  while (unsafe.length > 0 && rounds < maxRounds) {
    rounds += 1;
    const auditStarted = performance.now();
    const result = await auditCells(table, pattern.suppressed, unsafe, undefined, options.deadline);
    auditMs += performance.now() - auditStarted;
    statistics = merge(statistics, result.statistics);
    for (const a of result.audits) latest.set(a.cell, a);
    const exposed = result.audits.filter((a) => !a.safe);
    unsafe = targets.filter((t) => !latest.get(t.cell)!.safe);
    if (exposed.length === 0) break;
    let added = 0;
    for (const a of exposed) added += pattern.hypercube(a) || pattern.widen(a) ? 1 : 0;
    if (added === 0) break;
    pattern.closeExposedRelations();
  }
  const audits = targets.map((t) => latest.get(t.cell)!);
  const finalComponents = componentsOf(table, pattern.suppressed);
  return {
    status,
    audits,
    passed: audits.every((a) => a.safe),
    statistics: {
      ...statistics,
      components: new Set(audits.map((a) => finalComponents[a.cell])).size,
      rounds,
      protectMs: performance.now() - started - auditMs,
      auditMs,
    },
  };
}

/** Audits a given pattern as it is (no repair): what publication checks, and how a weak pattern is refused. */
export async function auditPattern(table: AdditiveTable, rules: ProtectionRules, status: Uint8Array): Promise<{ audits: CellAudit[]; passed: boolean }> {
  const suppressed = Uint8Array.from(status, (s) => (s === PUBLISHED ? 0 : 1));
  const primaries = protectedTargets(table, rules, primaryPattern(table, rules));
  for (const t of primaries) {
    if (!suppressed[t.cell]) {
      return {
        audits: primaries.map((p) => ({ ...p, value: table.values[p.cell]!, lower: table.values[p.cell]!, upper: table.values[p.cell]!, safe: false, exact: true })),
        passed: false,
      };
    }
  }
  const { audits } = await auditCells(table, suppressed, primaries);
  return { audits, passed: audits.every((a) => a.safe) };
}

function protectedTargets(table: AdditiveTable, rules: ProtectionRules, status: Uint8Array) {
  const targets: { cell: number; requiredLower: number; requiredUpper: number }[] = [];
  status.forEach((s, cell) => {
    if (s !== PRIMARY) return;
    const required = requiredInterval(rules, table.values[cell]!);
    targets.push({ cell, requiredLower: required.lower, requiredUpper: required.upper });
  });
  return targets;
}

function merge(a: AuditStatistics, b: AuditStatistics): AuditStatistics {
  return {
    components: Math.max(a.components, b.components),
    largestComponent: Math.max(a.largestComponent, b.largestComponent),
    linearProgrammes: a.linearProgrammes + b.linearProgrammes,
  };
}

/** The growing set of suppressed cells, with the count of suppressed cells per relation. */
class SuppressionPattern {
  readonly suppressed: Uint8Array;
  private readonly inRelation: Int32Array;
  private readonly exposed: number[] = [];
  private readonly valueScale: number;

  constructor(
    private readonly table: AdditiveTable,
    private readonly status: Uint8Array,
    private readonly protectionLevel: number,
  ) {
    this.suppressed = new Uint8Array(status.length);
    this.inRelation = new Int32Array(table.relations.length);
    let max = 0;
    for (const v of table.values) max = Math.max(max, v);
    this.valueScale = max + 1;
    status.forEach((s, cell) => {
      if (s !== PUBLISHED) this.suppress(cell, s);
    });
  }

  /** Suppresses partners until no equality relation holds exactly one suppressed cell. */
  closeExposedRelations(): void {
    while (this.exposed.length > 0) {
      const r = this.exposed.pop()!;
      if (this.inRelation[r] !== 1) continue;
      const relation = this.table.relations[r]!;
      const partner = this.cheapest(relation.cells, this.protectionLevel, r);
      if (partner >= 0) this.suppress(partner, SECONDARY);
    }
  }

  /**
   * Suppresses the hypercube around an exposed cell: in every dimension where the cell is a child
   * in an exact relation, one sibling (able to absorb the protection level, then already
   * suppressed, then largest); every combination of the cell's and the siblings' codes is a
   * corner. Moving the corners alternately up and down keeps every relation through them, so
   * the cell can move as far as the smallest corner on the decreasing side allows. False when no
   * new cell was suppressed.
   */
  hypercube(audit: CellAudit): boolean {
    const p = audit.cell;
    const need = Math.max(audit.requiredUpper - audit.value, audit.value - audit.requiredLower, 1);
    const axes: { dimension: string; code: string }[] = [];
    for (const r of this.table.relationsOf[p]!) {
      const relation = this.table.relations[r]!;
      if (!relation.equality || relation.cells[0] === p) continue;
      let best = -1;
      let bestRank = Infinity;
      for (const s of relation.cells.subarray(1)) {
        if (s === p) continue;
        const v = this.table.values[s]!;
        const rank = (v >= need ? 0 : 2) + (this.suppressed[s] ? 0 : 1) - v / this.valueScale;
        if (rank < bestRank) {
          bestRank = rank;
          best = s;
        }
      }
      if (best >= 0) axes.push({ dimension: relation.dimension, code: this.table.cells[best]!.dimensions[relation.dimension]! });
    }
    if (axes.length === 0 || axes.length > 6) return false;
    const origin = this.table.cells[p]!;
    let added = false;
    for (let mask = 1; mask < 1 << axes.length; mask++) {
      const dimensions = { ...origin.dimensions };
      axes.forEach((axis, i) => {
        if (mask & (1 << i)) dimensions[axis.dimension] = axis.code;
      });
      const corner = this.table.locate(dimensions, origin.timePeriod);
      if (corner !== undefined && !this.suppressed[corner]) {
        this.suppress(corner, SECONDARY);
        added = true;
      }
    }
    return added;
  }

  /** Adds the cheapest partner that can widen an exposed cell's interval; false when none is left. */
  widen(audit: CellAudit): boolean {
    const gap = Math.max(audit.requiredUpper - audit.upper, audit.lower - audit.requiredLower, 1);
    const near: number[] = [];
    for (const r of this.table.relationsOf[audit.cell]!) for (const c of this.table.relations[r]!.cells) near.push(c);
    let partner = this.cheapest(near, gap, -1);
    if (partner < 0) {
      // Every neighbour is suppressed already: reach out from the whole component.
      const component = componentsOf(this.table, this.suppressed);
      const around: number[] = [];
      for (let c = 0; c < component.length; c++) {
        if (component[c] !== component[audit.cell]) continue;
        for (const r of this.table.relationsOf[c]!) for (const x of this.table.relations[r]!.cells) around.push(x);
      }
      partner = this.cheapest(around, gap, -1);
    }
    if (partner < 0) return false;
    this.suppress(partner, SECONDARY);
    return true;
  }

  private suppress(cell: number, as: number): void {
    if (this.suppressed[cell]) return;
    this.suppressed[cell] = 1;
    this.status[cell] = as;
    for (const r of this.table.relationsOf[cell]!) {
      this.inRelation[r] += 1;
      if (this.inRelation[r] === 1 && this.table.relations[r]!.equality) this.exposed.push(r);
    }
  }

  /**
   * The published candidate that costs least: first the relations it would newly expose (each
   * needs a partner of its own), then whether its value can absorb `need`, then its value.
   */
  private cheapest(candidates: Iterable<number>, need: number, via: number): number {
    let best = -1;
    let bestCost = Infinity;
    for (const c of candidates) {
      if (this.suppressed[c]) continue;
      let newlyExposed = 0;
      for (const r of this.table.relationsOf[c]!) {
        if (r !== via && this.inRelation[r] === 0 && this.table.relations[r]!.equality) newlyExposed += 1;
      }
      const value = this.table.values[c]!;
      const cost = newlyExposed + (value < need ? 2 : 0) + (0.25 * value) / this.valueScale;
      if (cost < bestCost) {
        bestCost = cost;
        best = c;
      }
    }
    return best;
  }
}
