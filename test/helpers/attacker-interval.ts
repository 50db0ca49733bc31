/**
 * What an attacker can work out about a suppressed cell, computed independently of
 * src/disclosure/: the smallest and largest value the cell can take given the values he can see,
 * the additive relations he has been told hold (written out by the test, from what the
 * structures declare) and that counts are not negative. Each bound is one linear programme,
 * written in CPLEX LP format and solved with HiGHS' one-shot solver (not the model API the audit
 * uses), so a mistake in how the product builds its relations or its programmes cannot hide here.
 */
import * as highsPackage from 'highs';
import type { Highs } from 'highs';

/** A cell of the public table: its value, and whether the attacker sees it. */
export interface AttackerCell {
  readonly value: number;
  readonly known: boolean;
}

/**
 * What the attacker believes: `parent` = Σ `children` when `exact`, else `parent` ≥ Σ `children`
 * (parts that need not exhaust the whole, or an exact sum some of whose parts are not in the table).
 */
export interface AttackerRelation {
  readonly parent: string;
  readonly children: readonly string[];
  readonly exact: boolean;
}

// Under Node's ESM loader the package's loader is the namespace's `default` (as in src/disclosure/audit.ts).
const loadHighs = (highsPackage as unknown as { default: () => Promise<Highs> }).default;
let solver: Promise<Highs> | undefined;

/**
 * [min, max] of `target` over every non-negative assignment of the unknown cells that satisfies
 * every relation holding at least one unknown (max is Infinity when nothing bounds it). Throws
 * when the attacker's beliefs have no solution or a cell is not in `cells`.
 */
export async function attackerInterval(cells: ReadonlyMap<string, AttackerCell>, relations: readonly AttackerRelation[], target: string): Promise<[number, number]> {
  const h = await (solver ??= loadHighs());
  const variable = new Map<string, string>();
  const nameOf = (id: string) => {
    let name = variable.get(id);
    if (!name) variable.set(id, (name = `x${variable.size}`));
    return name;
  };
  const cell = (id: string) => {
    const c = cells.get(id);
    if (!c) throw new Error(`attackerInterval: no cell ${id}`);
    return c;
  };
  if (cell(target).known) return [cell(target).value, cell(target).value];
  const targetName = nameOf(target);
  const rows: string[] = [];
  for (const r of relations) {
    let constant = 0;
    const terms: string[] = [];
    [r.parent, ...r.children].forEach((id, i) => {
      const sign = i === 0 ? 1 : -1;
      const c = cell(id);
      if (c.known) constant += sign * c.value;
      else terms.push(`${sign > 0 ? '+' : '-'} ${nameOf(id)}`);
    });
    if (terms.length === 0) continue; // says nothing about an unknown
    rows.push(` r${rows.length}: ${terms.join(' ')} ${r.exact ? '=' : '>='} ${-constant}`);
  }
  const programme = (sense: 'Minimize' | 'Maximize') =>
    [sense, ` obj: ${targetName}`, 'Subject To', ...(rows.length > 0 ? rows : [` r0: ${targetName} >= 0`]), 'Bounds', ...[...variable.values()].map((v) => ` ${v} >= 0`), 'End'].join('\n');
  const bound = (sense: 'Minimize' | 'Maximize') => {
    const solution = h.solve(programme(sense));
    if (solution.Status === 'Optimal') return solution.ObjectiveValue;
    // The minimum was found first, so there are solutions: a maximum that is not finite is unbounded.
    if (sense === 'Maximize' && (solution.Status === 'Unbounded' || solution.Status === 'Primal infeasible or unbounded')) return Infinity;
    throw new Error(`attackerInterval(${target}): ${sense} ended ${solution.Status}\n${programme(sense)}`);
  };
  const lower = bound('Minimize');
  return [lower, bound('Maximize')];
}
