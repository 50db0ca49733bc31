/**
 * An attacker on published tables, who knows only what the public API serves: the structures
 * (data structure, dimension codelists, hierarchical codelists declaring additivity) and the
 * data in SDMX-CSV, current and history. Written independently of the disclosure-control engine
 * (nothing from src/disclosure/ or src/services/protection/): it reads the public messages
 * itself, builds the linear relations that the published hierarchies declare, and bounds each
 * suppressed count with HiGHS by linear programming. Tests use it to check that the published
 * tables do not give away what protection meant to hide.
 */
import * as highsPackage from 'highs';
import type { Highs } from 'highs';
import { parseCsv } from './csv.js';

/** The package's types describe a CommonJS default export; under Node's ESM loader the loader is `default`. */
const loadHighs = (highsPackage as unknown as { default: () => Promise<Highs> }).default;
let solver: Promise<Highs> | undefined;
function highs(): Promise<Highs> {
  solver ??= loadHighs();
  return solver;
}

/** Appends `value` to the list at `key`. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export type Get = (url: string) => Promise<string>;

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

// ---------------------------------------------------------------------------------------------
// What the structures say

export interface PublicRelation {
  /** `HCL_ID.HIERARCHY_ID`. */
  readonly hierarchy: string;
  readonly parent: string;
  readonly children: readonly string[];
  readonly exact: boolean;
}

export interface PublicDataflow {
  /** `AGENCY:ID(VERSION)`. */
  readonly ref: string;
  readonly agencyID: string;
  readonly id: string;
  readonly version: string;
  /** Dimensions in key order, TIME_PERIOD excluded, each with its codelist `AGENCY:ID(VERSION)`. */
  readonly dimensions: readonly { readonly id: string; readonly codelist: string | undefined }[];
}

export interface PublicStructures {
  readonly dataflows: readonly PublicDataflow[];
  /** Codelist `AGENCY:ID(VERSION)` → the additive relations declared over its codes. */
  readonly relationsByCodelist: ReadonlyMap<string, readonly PublicRelation[]>;
  /** Every hierarchy read, with what it declares (for messages). */
  readonly hierarchies: readonly { readonly name: string; readonly additivity: string | undefined; readonly codelists: readonly string[] }[];
}

const ADDITIVITY = 'ADDITIVITY';
const EXACT_SUM = 'EXACT_SUM';
const PARTS_AT_MOST_WHOLE = 'PARTS_AT_MOST_WHOLE';

/** `urn:…Codelist=UNODC:CL_AREA(1.0)` → `UNODC:CL_AREA(1.0)`. */
function maintainableOfUrn(urn: string): string {
  const m = /=([^:=]+):([^(]+)\(([^)]+)\)/.exec(urn);
  if (!m) throw new Error(`not a maintainable URN: ${urn}`);
  return `${m[1]}:${m[2]}(${m[3]})`;
}

/** `urn:…Code=UNODC:CL_ICCS(1.0).0101` → [`UNODC:CL_ICCS(1.0)`, `0101`]. */
function codeOfUrn(urn: string): [string, string] {
  const m = /=([^:=]+):([^(]+)\(([^)]+)\)\.(.+)$/.exec(urn);
  if (!m) throw new Error(`not an item URN: ${urn}`);
  return [`${m[1]}:${m[2]}(${m[3]})`, m[4]!];
}

const JSON_STRUCTURE = 'format=jsonstructure';

/** Dataflows, their DSD's dimensions and the hierarchical codelists, in SDMX-JSON 1.0 from the 2.1 REST API. */
export async function readPublicStructures(get: Get): Promise<PublicStructures> {
  const flows = JSON.parse(await get(`/sdmx/2.1/dataflow/all/all/latest?${JSON_STRUCTURE}`)).data.dataflows as J[];
  const dsds = JSON.parse(await get(`/sdmx/2.1/datastructure/all/all/latest?${JSON_STRUCTURE}`)).data.dataStructures as J[];
  const hcls = (JSON.parse(await get(`/sdmx/2.1/hierarchicalcodelist/all/all/latest?${JSON_STRUCTURE}`)).data.hierarchicalCodelists ?? []) as J[];

  const dimensionsOf = new Map<string, PublicDataflow['dimensions']>();
  for (const dsd of dsds) {
    const ref = `${dsd.agencyID}:${dsd.id}(${dsd.version})`;
    const dims = (dsd.dataStructureComponents.dimensionList.dimensions as J[])
      .slice()
      .sort((a, b) => a.position - b.position)
      .map((d) => ({ id: d.id as string, codelist: d.localRepresentation?.enumeration ? maintainableOfUrn(d.localRepresentation.enumeration) : undefined }));
    dimensionsOf.set(ref, dims);
  }
  const dataflows = flows.map((f): PublicDataflow => {
    const dsd = maintainableOfUrn(f.structure);
    const dimensions = dimensionsOf.get(dsd);
    if (!dimensions) throw new Error(`dataflow ${f.id}: data structure ${dsd} is not served`);
    return { ref: `${f.agencyID}:${f.id}(${f.version})`, agencyID: f.agencyID, id: f.id, version: f.version, dimensions };
  });

  const relationsByCodelist = new Map<string, PublicRelation[]>();
  const hierarchies: { name: string; additivity: string | undefined; codelists: string[] }[] = [];
  for (const hcl of hcls) {
    for (const h of (hcl.hierarchies ?? []) as J[]) {
      const name = `${hcl.id}.${h.id}`;
      const title = ((h.annotations ?? []) as J[]).find((a) => a.type === ADDITIVITY)?.title as string | undefined;
      const additivity = title === EXACT_SUM || title === PARTS_AT_MOST_WHOLE ? title : undefined;
      const codelists = new Set<string>();
      const relations: PublicRelation[] = [];
      const walk = (codes: J[]) => {
        for (const hc of codes) {
          const [codelist, code] = codeOfUrn(hc.code);
          codelists.add(codelist);
          const children = (hc.hierarchicalCodes ?? []) as J[];
          if (children.length === 0) continue;
          relations.push({ hierarchy: name, parent: code, children: children.map((c) => codeOfUrn(c.code)[1]), exact: additivity === EXACT_SUM });
          walk(children);
        }
      };
      walk((h.hierarchicalCodes ?? []) as J[]);
      hierarchies.push({ name, additivity, codelists: [...codelists] });
      // A hierarchy states sums only when annotated, and only over the one codelist it codes.
      if (!additivity || codelists.size !== 1) continue;
      const codelist = [...codelists][0]!;
      for (const r of relations) push(relationsByCodelist, codelist, r);
    }
  }
  return { dataflows, relationsByCodelist, hierarchies };
}

// ---------------------------------------------------------------------------------------------
// What the data say

export interface PublicCell {
  /** Dimension codes in key order, dot-separated (the series key), e.g. `A.BLZ.PER_CONVICT._T._T._T.CIT_FOR.NR`. */
  readonly key: string;
  readonly codes: readonly string[];
  readonly period: string;
  /** null when suppressed. */
  readonly value: number | null;
  /** CONF_STATUS of a suppressed cell: A primary, D secondary, C derived. */
  readonly confStatus: string | undefined;
}

export const cellId = (key: string, period: string) => `${key}|${period}`;

function rowsOf(text: string, flow: PublicDataflow): { key: string; codes: string[]; period: string; value: number | null; obsStatus: string; confStatus: string | undefined }[] {
  return parseCsv(text).map((row) => {
    const codes = flow.dimensions.map((d) => {
      const code = row[d.id];
      if (code === undefined) throw new Error(`${flow.ref}: SDMX-CSV without the column ${d.id}`);
      return code;
    });
    const value = row.OBS_VALUE === '' || row.OBS_VALUE === undefined ? null : Number(row.OBS_VALUE);
    if (value !== null && !Number.isFinite(value)) throw new Error(`${flow.ref}: value ${row.OBS_VALUE} is not a number`);
    return { key: codes.join('.'), codes, period: row.TIME_PERIOD!, value, obsStatus: row.OBS_STATUS ?? '', confStatus: row.CONF_STATUS || undefined };
  });
}

export interface PublicTable {
  readonly flow: PublicDataflow;
  /** Count cells (UNIT_MEASURE=NR) of the current public state. */
  readonly cells: readonly PublicCell[];
  /** Suppressed count cell id → values earlier published vintages show for it. */
  readonly history: ReadonlyMap<string, readonly number[]>;
  /** Rows of the current state without a value that are not marked suppressed (not in the table). */
  readonly missingNotSuppressed: number;
}

const UNIT = 'UNIT_MEASURE';
const COUNT = 'NR';

/** The public count table of a dataflow, from SDMX-CSV 1.0: the current state and every published vintage. */
export async function readPublicTable(get: Get, flow: PublicDataflow): Promise<PublicTable> {
  const base = `/sdmx/2.1/data/${flow.agencyID},${flow.id},${flow.version}/all?format=csv`;
  const unit = flow.dimensions.findIndex((d) => d.id === UNIT);
  if (unit < 0) throw new Error(`${flow.ref}: no ${UNIT} dimension`);
  const cells: PublicCell[] = [];
  const seen = new Set<string>();
  let missingNotSuppressed = 0;
  for (const r of rowsOf(await get(base), flow)) {
    if (r.codes[unit] !== COUNT) continue;
    const id = cellId(r.key, r.period);
    if (seen.has(id)) throw new Error(`${flow.ref}: ${id} served twice in the current state`);
    seen.add(id);
    const suppressed = r.value === null && r.obsStatus === 'Q';
    if (r.value === null && !suppressed) {
      missingNotSuppressed += 1;
      continue;
    }
    cells.push({ key: r.key, codes: r.codes, period: r.period, value: r.value, confStatus: suppressed ? r.confStatus : undefined });
  }
  const suppressed = new Set(cells.filter((c) => c.value === null).map((c) => cellId(c.key, c.period)));
  const history = new Map<string, number[]>();
  for (const r of rowsOf(await get(`${base}&includeHistory=true`), flow)) {
    const id = cellId(r.key, r.period);
    if (r.value === null || !suppressed.has(id)) continue;
    push(history, id, r.value);
  }
  return { flow, cells, history, missingNotSuppressed };
}

// ---------------------------------------------------------------------------------------------
// The attack

export interface TableRelation {
  /** Cell indexes: parent (≥ or =) Σ children. */
  readonly parent: number;
  readonly children: readonly number[];
  readonly exact: boolean;
  /**
   * The hierarchy, the group (the other dimensions' codes and the period) and the terms with what
   * the attacker knows of them, e.g.
   * `HCL_DISAGGREGATION.DISAGG_CITIZENSHIP at A.BLZ.PER_CONVICT._T._T._T.*.NR 2020: _T(44) = CIT_NAT(42) + CIT_FOR(?)`.
   */
  readonly label: string;
}

export interface RelationCensus {
  /** Relations with the parent and at least one child in the table. */
  readonly found: number;
  /** Of those, relations holding an unknown that are not visibly broken: what the attack uses. */
  readonly used: number;
  /** Relations skipped because the published children alone exceed the published parent. */
  readonly broken: number;
  /** Used relations per dimension. */
  readonly usedByDimension: Readonly<Record<string, number>>;
}

/**
 * Every relation the declared hierarchies give in the table: within each period and each
 * combination of the other dimensions' codes, along every dimension whose codelist carries
 * declared relations. `known(i)` is the value the attacker knows for cell i, or null.
 */
export function tableRelations(
  cells: readonly PublicCell[],
  flow: PublicDataflow,
  relationsByCodelist: ReadonlyMap<string, readonly PublicRelation[]>,
  known: (i: number) => number | null,
): { relations: TableRelation[]; census: RelationCensus } {
  const relations: TableRelation[] = [];
  let found = 0;
  let broken = 0;
  const usedByDimension: Record<string, number> = {};
  flow.dimensions.forEach((dimension, d) => {
    const declared = dimension.codelist ? relationsByCodelist.get(dimension.codelist) : undefined;
    if (!declared || declared.length === 0) return;
    const byParent = new Map<string, PublicRelation[]>();
    for (const r of declared) push(byParent, r.parent, r);
    // Groups: the other dimensions' codes and the period; within a group, code along d → cell.
    const groups = new Map<string, Map<string, number>>();
    cells.forEach((c, i) => {
      const rest = c.codes.map((code, j) => (j === d ? '*' : code)).join('.');
      const group = `${rest} ${c.period}`;
      let g = groups.get(group);
      if (!g) groups.set(group, (g = new Map()));
      g.set(c.codes[d]!, i);
    });
    for (const [group, byCode] of groups) {
      if (byCode.size < 2) continue;
      for (const [code, parent] of byCode) {
        for (const r of byParent.get(code) ?? []) {
          const children = r.children.map((k) => byCode.get(k)).filter((i): i is number => i !== undefined);
          if (children.length === 0) continue;
          found += 1;
          const exact = r.exact && children.length === r.children.length;
          const members = [parent, ...children];
          if (members.every((i) => known(i) !== null)) continue;
          const parentValue = known(parent);
          const publishedChildren = children.reduce((s, i) => s + (known(i) ?? 0), 0);
          if (parentValue !== null && publishedChildren > parentValue + 1e-9) {
            broken += 1;
            continue;
          }
          usedByDimension[dimension.id] = (usedByDimension[dimension.id] ?? 0) + 1;
          const term = (i: number) => `${cells[i]!.codes[d]}(${known(i) ?? '?'})`;
          relations.push({
            parent,
            children,
            exact,
            label: `${r.hierarchy} at ${group}: ${term(parent)} ${exact ? '=' : '≥'} ${children.map(term).join(' + ')}`,
          });
        }
      }
    }
  });
  return { relations, census: { found, used: relations.length, broken, usedByDimension } };
}

export interface Interval {
  readonly cell: number;
  readonly lower: number;
  readonly upper: number;
}

export interface AttackResult {
  readonly intervals: Interval[];
  /** Components whose programme is infeasible: the relations in them, labelled. */
  readonly infeasible: { readonly cells: number[]; readonly relations: string[] }[];
  readonly components: number;
  readonly largestComponent: number;
  readonly programmes: number;
}

/**
 * The smallest and largest value each target cell can take, over the unknowns (cells with
 * `known(i) === null`) linked to it by relations, all ≥ 0: two linear programmes per target.
 */
export async function attack(
  cellCount: number,
  relations: readonly TableRelation[],
  known: (i: number) => number | null,
  targets: readonly number[],
): Promise<AttackResult> {
  const h = await highs();
  // Components of unknowns linked by relations.
  const parent = Int32Array.from({ length: cellCount }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const relationsOfRoot = new Map<number, number[]>();
  relations.forEach((r) => {
    const unknown = [r.parent, ...r.children].filter((i) => known(i) === null);
    for (const i of unknown.slice(1)) parent[find(i)] = find(unknown[0]!);
  });
  relations.forEach((r, k) => {
    const first = [r.parent, ...r.children].find((i) => known(i) === null);
    if (first === undefined) return;
    const root = find(first);
    push(relationsOfRoot, root, k);
  });
  const targetsOfRoot = new Map<number, number[]>();
  for (const t of targets) {
    if (known(t) !== null) throw new Error(`target ${t} is known`);
    const root = find(t);
    push(targetsOfRoot, root, t);
  }
  const membersOfRoot = new Map<number, number[]>();
  for (let i = 0; i < cellCount; i++) {
    if (known(i) !== null) continue;
    const root = find(i);
    if (targetsOfRoot.has(root)) push(membersOfRoot, root, i);
  }

  const intervals: Interval[] = [];
  const infeasible: AttackResult['infeasible'] = [];
  let programmes = 0;
  let largest = 0;
  for (const [root, ts] of targetsOfRoot) {
    const rows = relationsOfRoot.get(root) ?? [];
    if (rows.length === 0) {
      for (const t of ts) intervals.push({ cell: t, lower: 0, upper: Infinity });
      continue;
    }
    const variables = membersOfRoot.get(root)!;
    largest = Math.max(largest, variables.length);
    const column = new Map(variables.map((c, j) => [c, j]));
    const starts = [0];
    const indices: number[] = [];
    const values: number[] = [];
    const rowLower: number[] = [];
    const rowUpper: number[] = [];
    for (const k of rows) {
      const r = relations[k]!;
      // parent − Σ children (= or ≥) 0, the known part moved to the right.
      let rhs = 0;
      const coefficient = new Map<number, number>();
      [r.parent, ...r.children].forEach((cell, n) => {
        const a = n === 0 ? 1 : -1;
        const v = known(cell);
        if (v === null) coefficient.set(column.get(cell)!, (coefficient.get(column.get(cell)!) ?? 0) + a);
        else rhs -= a * v;
      });
      for (const [j, a] of coefficient) {
        indices.push(j);
        values.push(a);
      }
      starts.push(indices.length);
      rowLower.push(rhs);
      rowUpper.push(r.exact ? rhs : h.infinity);
    }
    const n = variables.length;
    const model = h.createModel({
      numCols: n,
      numRows: rows.length,
      sense: h.constants.objectiveSense.minimize,
      colCost: new Float64Array(n),
      colLower: new Float64Array(n),
      colUpper: new Float64Array(n).fill(h.infinity),
      rowLower: Float64Array.from(rowLower),
      rowUpper: Float64Array.from(rowUpper),
      matrix: { format: 'csr', numRows: rows.length, numCols: n, starts: Int32Array.from(starts), indices: Int32Array.from(indices), values: Float64Array.from(values) },
    });
    try {
      model.options.set({ output_flag: false });
      const status = h.constants.modelStatus;
      const solve = (col: number, sense: 'min' | 'max'): number | 'infeasible' => {
        model.changeColCost(col, 1);
        model.changeObjectiveSense(sense === 'min' ? h.constants.objectiveSense.minimize : h.constants.objectiveSense.maximize);
        model.run();
        programmes += 1;
        const outcome = model.getModelStatus();
        const objective = model.getObjectiveValue();
        model.changeColCost(col, 0);
        if (outcome === status.optimal) return objective;
        // The minimum of a count is bounded below by 0, so "unbounded or infeasible" is infeasible.
        if (outcome === status.infeasible || (sense === 'min' && outcome === status.unboundedOrInfeasible)) return 'infeasible';
        if (sense === 'max' && (outcome === status.unbounded || outcome === status.unboundedOrInfeasible)) return Infinity;
        throw new Error(`attacker LP: ${sense} ended with status ${outcome}`);
      };
      for (const t of ts) {
        const lower = solve(column.get(t)!, 'min');
        if (lower === 'infeasible') {
          infeasible.push({ cells: variables, relations: rows.map((k) => relations[k]!.label) });
          break;
        }
        const upper = solve(column.get(t)!, 'max');
        if (upper === 'infeasible') throw new Error('attacker LP: feasible when minimising, infeasible when maximising');
        intervals.push({ cell: t, lower, upper });
      }
    } finally {
      model.dispose();
    }
  }
  return { intervals, infeasible, components: targetsOfRoot.size, largestComponent: largest, programmes };
}
