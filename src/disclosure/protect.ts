/**
 * Protects one additive table: primary suppression by the threshold rule, secondary
 * (complementary) suppression by hierarchical hypercubes, and the audit that proves every
 * protected cell keeps its protection interval (docs/disclosure-control.md).
 *
 * For each primary cell, in table order, the cheapest hypercube (fewest published cells added,
 * sharing the cells earlier hypercubes suppressed) that lets it move by its whole protection
 * interval is suppressed (`HypercubeSearch`). Its direction is the cell's proof: checked again
 * against the final pattern and every relation, it gives an interval the attacker cannot
 * narrow. A cell no hypercube protects goes to the LP audit (HiGHS), which computes the
 * attacker's interval, and is repaired until it passes or MAX_ROUNDS run out; with
 * `exactIntervals` every cell's interval is computed by LP, for publishers to read.
 *
 * The verdict is an independent audit of the final pattern, after its last change: it takes
 * nothing on trust, checks every direction (the search's, as witnesses) against the final
 * pattern and every relation, looks for its own within the pattern where they prove nothing, and
 * solves the LP for the rest; what it finds exposed is repaired and the whole pattern audited
 * again. `auditPattern` audits a supplied pattern the same way, with no witnesses. Cells whose
 * state an earlier release settled (`fixed`) are never changed; the ones it suppressed that are
 * small counts stay protected cells of the table.
 */
import { auditCells, componentsOf, componentsWithBrokenRelations, type CellAudit, type AuditStatistics } from './audit.js';
import { stepsAlong, type Direction } from './certificate.js';
import { HypercubeSearch } from './hypercube.js';
import { isPrimary, requiredInterval, type ProtectionRules } from './rules.js';
import { PRIMARY, PUBLISHED, SECONDARY, SuppressionPattern } from './suppression-pattern.js';
import { FIXED_PUBLISHED, FIXED_SUPPRESSED, relationsInUse, type AdditiveTable } from './table.js';

export { PRIMARY, PUBLISHED, SECONDARY };

export const METHOD =
  'Threshold rule (primary); hierarchical hypercube method (GHMITER-style, every additive dimension at once, fewest cells ' +
  'added) for complementary suppression (secondary); each protected cell proven by a direction checked against every ' +
  'relation, or by its attacker interval computed by linear programming (HiGHS).';

export interface ProtectionOptions {
  /** Audit-and-repair rounds for cells no hypercube protects (default MAX_ROUNDS). */
  readonly maxRounds?: number;
  /** performance.now() past which no LP is started (cells not audited in time fail). */
  readonly deadline?: number;
  /** Compute every protected cell's exact attacker interval by LP, not only the unproven ones'. */
  readonly exactIntervals?: boolean;
  /**
   * Once the pattern passes, spend up to this many milliseconds computing exact attacker
   * intervals by LP for publishers to read (cells not reached keep their proven interval).
   */
  readonly exactIntervalsWithinMs?: number;
}

export interface ProtectionOutcome {
  /** Per cell: PUBLISHED, PRIMARY or SECONDARY. */
  readonly status: Uint8Array;
  readonly audits: readonly CellAudit[];
  readonly passed: boolean;
  readonly statistics: AuditStatistics & {
    /** Protected cells whose interval a hypercube's direction proves. */
    readonly provenByHypercube: number;
    /** Protected cells the search's own hypercubes proved (before the independent audit). */
    readonly searchProofs: number;
    readonly rounds: number;
    readonly protectMs: number;
    readonly auditMs: number;
  };
}

interface Target {
  readonly cell: number;
  readonly requiredLower: number;
  readonly requiredUpper: number;
}

/** How many audit-and-repair rounds before giving up (the audit then fails and publication is refused). */
const MAX_ROUNDS = 50;
/** Slack for fractional step lengths. */
const PROOF_TOLERANCE = 1e-6;

/** The threshold rule on the cells this release decides; settled cells keep their state. */
export function primaryPattern(table: AdditiveTable, rules: ProtectionRules): Uint8Array {
  return Uint8Array.from(table.values, (v, cell) => {
    const fixed = table.fixed[cell];
    if (fixed === FIXED_PUBLISHED) return PUBLISHED;
    if (fixed === FIXED_SUPPRESSED) return isPrimary(rules, v) ? PRIMARY : SECONDARY;
    return isPrimary(rules, v) ? PRIMARY : PUBLISHED;
  });
}

export async function protectTable(table: AdditiveTable, rules: ProtectionRules, options: ProtectionOptions = {}): Promise<ProtectionOutcome> {
  const started = performance.now();
  const status = primaryPattern(table, rules);
  const pattern = new SuppressionPattern(table, status, rules.protection.upper);
  const targets = protectedTargets(table, rules, status);
  const proofs = hypercubeProofs(table, targets, pattern.suppressed, Infinity, (cell) => pattern.suppress(cell, SECONDARY));
  let auditMs = 0;
  const audit = async (cells: readonly Target[], how: Pick<ProtectionOptions, 'exactIntervals' | 'deadline'> = options) => {
    const auditStarted = performance.now();
    const result = await auditWithProofs(table, pattern.suppressed, cells, proofs, how);
    auditMs += performance.now() - auditStarted;
    return result;
  };
  const first = await audit(targets);
  let statistics = first.statistics;
  // What no hypercube protects: repaired until the LP audit passes.
  let unsafe = first.audits.filter((a) => !a.safe);
  let rounds = 0;
  if (unsafe.length > 0) pattern.closeExposedRelations();
  while (unsafe.length > 0 && rounds < (options.maxRounds ?? MAX_ROUNDS)) {
    rounds += 1;
    let added = 0;
    for (const a of unsafe) added += pattern.hypercube(a) || pattern.widen(a) ? 1 : 0;
    if (added === 0) break;
    pattern.closeExposedRelations();
    const next = await audit(unsafe);
    statistics = mergeStatistics(statistics, next.statistics);
    unsafe = next.audits.filter((a) => !a.safe);
  }
  // The verdict: the whole final pattern audited from scratch, the search's directions only
  // witnesses. What it finds exposed is repaired too, and the whole pattern audited again.
  const independently = async () => {
    const auditStarted = performance.now();
    const result = await independentAudit(table, targets, pattern.suppressed, options, proofs);
    auditMs += performance.now() - auditStarted;
    statistics = mergeStatistics(statistics, result.statistics);
    return result;
  };
  let verdict = await independently();
  while (verdict.audits.some((a) => !a.safe) && rounds < (options.maxRounds ?? MAX_ROUNDS)) {
    rounds += 1;
    let added = 0;
    pattern.closeExposedRelations();
    for (const a of verdict.audits) if (!a.safe) added += pattern.hypercube(a) || pattern.widen(a) ? 1 : 0;
    if (added === 0) break;
    pattern.closeExposedRelations();
    verdict = await independently();
  }
  const final = new Map(verdict.audits.map((a) => [a.cell, a]));
  if (options.exactIntervalsWithinMs && !options.exactIntervals && verdict.audits.every((a) => a.safe) && targets.length > 0) {
    const refined = await audit(targets, { exactIntervals: true, deadline: performance.now() + options.exactIntervalsWithinMs });
    statistics = mergeStatistics(statistics, refined.statistics);
    for (const a of refined.audits) if (a.safe) final.set(a.cell, union(final.get(a.cell), a)!);
  }
  const audits = targets.map((t) => final.get(t.cell)!);
  const finalComponents = componentsOf(table, pattern.suppressed);
  return {
    status,
    audits,
    passed: audits.every((a) => a.safe),
    statistics: {
      ...statistics,
      components: new Set(audits.map((a) => finalComponents[a.cell])).size,
      provenByHypercube: verdict.proven,
      searchProofs: first.proven,
      rounds,
      protectMs: performance.now() - started - auditMs,
      auditMs,
    },
  };
}

/**
 * The audit that decides, from the final pattern, the published cells and the declared relations
 * alone. It takes nothing on trust: a direction is only a witness, whoever proposed it (`witnesses`,
 * e.g. the search's, or its own search within the pattern for the cells those do not prove), and
 * each is checked again against the final pattern and every relation; the LP decides the rest.
 */
async function independentAudit(
  table: AdditiveTable,
  targets: readonly Target[],
  suppressed: Uint8Array,
  options: Pick<ProtectionOptions, 'exactIntervals' | 'deadline'>,
  witnesses: ReadonlyMap<number, { readonly directions: readonly Direction[] }> = new Map(),
): Promise<{ audits: CellAudit[]; statistics: AuditStatistics; proven: number }> {
  const component = componentsOf(table, suppressed);
  const checkedAgain = (proofs: ReadonlyMap<number, { readonly directions: readonly Direction[] }>) => (cell: number) =>
    checkedSteps(table, suppressed, proofs.get(cell)?.directions);
  const byWitness = provenAudits(table, suppressed, targets, component, checkedAgain(witnesses));
  const proven = new Set(byWitness.filter((a) => a.safe).map((a) => a.cell));
  const unproven = targets.filter((t) => !proven.has(t.cell));
  const ownProofs = hypercubeProofs(table, unproven, suppressed, 0, () => undefined);
  const own = provenAudits(table, suppressed, unproven, component, checkedAgain(ownProofs));
  // Each cell's best proven interval: its own directions are only looked for where the witnesses' fall short.
  const checked = new Map(byWitness.map((a) => [a.cell, a]));
  for (const a of own) checked.set(a.cell, union(checked.get(a.cell), a)!);
  return auditChecked(table, suppressed, targets, [...checked.values()], options, component);
}

/** Audits a given pattern as it is (no repair): what publication checks, and how a weak pattern is refused. */
export async function auditPattern(
  table: AdditiveTable,
  rules: ProtectionRules,
  status: Uint8Array,
  options: Pick<ProtectionOptions, 'exactIntervals' | 'deadline'> = {},
): Promise<{ audits: CellAudit[]; passed: boolean }> {
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
  const { audits } = await independentAudit(table, primaries, suppressed, options);
  return { audits, passed: audits.every((a) => a.safe) };
}

/**
 * A target's hypercubes from the search: their directions, and how far they move the cell as the
 * search checked them against every relation (the check with the pattern of that moment: cells
 * are only ever added to a pattern, so it still holds later; the verdict checks again anyway).
 */
interface SearchProof {
  readonly directions: readonly Direction[];
  readonly up: number;
  readonly down: number;
}

/**
 * For each target, the cheapest hypercubes (at most `budget` cells added each) and their
 * directions; `suppress` is told each cell they add, before the next target is searched.
 */
function hypercubeProofs(
  table: AdditiveTable,
  targets: readonly Target[],
  suppressed: Uint8Array,
  budget: number,
  suppress: (cell: number) => void,
): Map<number, SearchProof> {
  const search = new HypercubeSearch(table);
  const proofs = new Map<number, SearchProof>();
  for (const t of targets) {
    const v = table.values[t.cell]!;
    const cubes = search.find(t.cell, suppressed, t.requiredUpper - v, v - t.requiredLower, budget);
    if (!cubes) continue;
    let up = 0;
    let down = 0;
    for (const cube of cubes) {
      const { cells } = cube.direction;
      for (let i = 0; i < cells.length; i++) if (!suppressed[cells[i]!]) suppress(cells[i]!);
      up = Math.max(up, cube.up);
      down = Math.max(down, cube.down);
    }
    proofs.set(t.cell, { directions: cubes.map((c) => c.direction), up, down });
  }
  return proofs;
}

/**
 * Every target's audit while protecting: the interval the search's hypercubes proved, and, for
 * the cells they leave unsafe (every cell when exact intervals are asked for), the LP's. Both are
 * intervals the attacker cannot narrow, so their union is one too.
 */
async function auditWithProofs(
  table: AdditiveTable,
  suppressed: Uint8Array,
  targets: readonly Target[],
  proofs: ReadonlyMap<number, SearchProof>,
  options: Pick<ProtectionOptions, 'exactIntervals' | 'deadline'>,
): Promise<{ audits: CellAudit[]; statistics: AuditStatistics; proven: number }> {
  const component = componentsOf(table, suppressed);
  const proven = provenAudits(table, suppressed, targets, component, (cell) => proofs.get(cell));
  return auditChecked(table, suppressed, targets, proven, options, component);
}

/** Every target's audit from the intervals its directions proved (`checked`) and, for the rest, the LP's. */
async function auditChecked(
  table: AdditiveTable,
  suppressed: Uint8Array,
  targets: readonly Target[],
  checked: readonly CellAudit[],
  options: Pick<ProtectionOptions, 'exactIntervals' | 'deadline'>,
  component: Int32Array,
): Promise<{ audits: CellAudit[]; statistics: AuditStatistics; proven: number }> {
  const proven = new Map(checked.map((a) => [a.cell, a]));
  const toSolve = options.exactIntervals ? targets : targets.filter((t) => !proven.get(t.cell)?.safe);
  const solved =
    toSolve.length > 0
      ? await auditCells(table, suppressed, toSolve, { component, deadline: options.deadline, exact: options.exactIntervals })
      : { audits: [], statistics: { components: 0, largestComponent: 0, linearProgrammes: 0 } };
  const byCell = new Map(solved.audits.map((a) => [a.cell, a]));
  const audits = targets.map((t) => union(proven.get(t.cell), byCell.get(t.cell))!);
  let provenSafe = 0;
  for (const a of proven.values()) if (a.safe) provenSafe += 1;
  return { audits, statistics: solved.statistics, proven: provenSafe };
}

/** Checks each direction again against this pattern and every relation: how far they move the cell together. */
function checkedSteps(table: AdditiveTable, suppressed: Uint8Array, directions: readonly Direction[] | undefined) {
  if (!directions) return undefined;
  let up = 0;
  let down = 0;
  for (const direction of directions) {
    const steps = stepsAlong(table, direction, suppressed);
    if (!steps) continue;
    up = Math.max(up, steps.up);
    down = Math.max(down, steps.down);
  }
  return { up, down };
}

/** The intervals proven by the steps `stepsOf` gives each target's cell (none: not proven). */
function provenAudits(
  table: AdditiveTable,
  suppressed: Uint8Array,
  targets: readonly Target[],
  component: Int32Array,
  stepsOf: (cell: number) => { readonly up: number; readonly down: number } | undefined,
): CellAudit[] {
  const out: CellAudit[] = [];
  // Where a relation the attacker uses is broken, the true point is not among his solutions and
  // a move from it proves nothing: the LP decides there.
  const untrusted = componentsWithBrokenRelations(table, component, relationsInUse(table, suppressed));
  for (const t of targets) {
    if (untrusted.has(component[t.cell]!)) continue;
    const steps = stepsOf(t.cell);
    if (!steps) continue;
    const v = table.values[t.cell]!;
    out.push(cellAudit(t, v, v - steps.down, v + steps.up, false));
  }
  return out;
}

function union(a: CellAudit | undefined, b: CellAudit | undefined): CellAudit | undefined {
  if (!a || !b) return a ?? b;
  // An exact LP interval contains every proven one.
  return cellAudit(a, a.value, Math.min(a.lower, b.lower), Math.max(a.upper, b.upper), a.exact || b.exact);
}

function cellAudit(t: Target, value: number, lower: number, upper: number, exact: boolean): CellAudit {
  const safe = lower <= t.requiredLower + PROOF_TOLERANCE && upper >= t.requiredUpper - PROOF_TOLERANCE;
  return { cell: t.cell, value, requiredLower: t.requiredLower, requiredUpper: t.requiredUpper, lower, upper, safe, exact };
}

function protectedTargets(table: AdditiveTable, rules: ProtectionRules, status: Uint8Array): Target[] {
  const targets: Target[] = [];
  status.forEach((s, cell) => {
    if (s !== PRIMARY) return;
    const required = requiredInterval(rules, table.values[cell]!);
    targets.push({ cell, requiredLower: required.lower, requiredUpper: required.upper });
  });
  return targets;
}

function mergeStatistics(a: AuditStatistics, b: AuditStatistics): AuditStatistics {
  return {
    components: Math.max(a.components, b.components),
    largestComponent: Math.max(a.largestComponent, b.largestComponent),
    linearProgrammes: a.linearProgrammes + b.linearProgrammes,
  };
}
