/**
 * A codelist's hierarchy as the JSON API shows it: each code's parent, level (1 = top, by the
 * chain of SDMX parent links) and children, its descendants, and the level names where a
 * levelled hierarchical codelist names them (the ICCS: Section, Division, Group, Class, from
 * HCL_ICCS; a codelist whose codes carry the ICCS_LEVEL annotation, such as CL_OFFENCE, takes the
 * same names, and its ICCS codes are described by CL_ICCS's). Made once per codelist object
 * (the catalogue's objects are immutable).
 */
import type { Code, Codelist, HierarchicalCodelist, HierarchyLevel, Text } from '../../sdmx/model.js';
import type { StructureRegistry } from '../../sdmx/structure-query/registry.js';
import { latest } from './artefacts.js';

export interface CodeHierarchy {
  readonly codelist: Codelist;
  /** True when some code has a parent. */
  readonly hierarchical: boolean;
  code(id: string): Code | undefined;
  parentOf(id: string): string | undefined;
  /** 1 for a code without parent. */
  levelOf(id: string): number;
  childrenOf(id: string): readonly string[];
  /** Codes without parent, in codelist order. */
  readonly roots: readonly string[];
  /** The code and every code under it, in codelist order. */
  withDescendants(id: string): string[];
  /** The code's ancestors, nearest first. */
  ancestorsOf(id: string): string[];
  /** The name of the code's level, when a levelled hierarchy names it (ICCS: Section, Division, Group, Class). */
  levelNameOf(id: string): Text | undefined;
  /** Every named level, top first. */
  readonly levels: readonly { readonly level: number; readonly name: Text }[];
  /**
   * The code whose description (and ICCS notes) tell what this code covers: the code itself when
   * it has a description; an ICCS code of another codelist (ICCS_LEVEL-annotated, as CL_OFFENCE's,
   * which leaves the notes to CL_ICCS) the same code of the agency's CL_ICCS; else the code.
   */
  describedBy(id: string): Code | undefined;
}

const made = new WeakMap<Codelist, CodeHierarchy>();

export function hierarchyOf(codelist: Codelist, registry: StructureRegistry): CodeHierarchy {
  let h = made.get(codelist);
  if (!h) made.set(codelist, (h = build(codelist, registry)));
  return h;
}

function build(codelist: Codelist, registry: StructureRegistry): CodeHierarchy {
  const byId = new Map(codelist.items.map((c) => [c.id, c]));
  const order = new Map(codelist.items.map((c, i) => [c.id, i]));
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const c of codelist.items) {
    const parent = c.parentID !== undefined && byId.has(c.parentID) ? c.parentID : undefined;
    if (parent === undefined) roots.push(c.id);
    else {
      const list = children.get(parent);
      if (list) list.push(c.id);
      else children.set(parent, [c.id]);
    }
  }
  const names = levelNamesOf(codelist, registry);
  const levels = new Map<string, number>();
  const levelOf = (id: string): number => {
    const known = levels.get(id);
    if (known !== undefined) return known;
    // Iterative, and guarded against a cycle (which the structure checks refuse anyway).
    let depth = 1;
    const seen = new Set([id]);
    for (let p = byId.get(id)?.parentID; p !== undefined && byId.has(p) && !seen.has(p); p = byId.get(p)?.parentID) {
      seen.add(p);
      depth += 1;
    }
    levels.set(id, depth);
    return depth;
  };
  const iccs = iccsCodesFor(codelist, registry);
  const parentOf = (id: string) => {
    const p = byId.get(id)?.parentID;
    return p !== undefined && byId.has(p) ? p : undefined;
  };
  return {
    codelist,
    hierarchical: children.size > 0,
    code: (id) => byId.get(id),
    parentOf,
    levelOf,
    childrenOf: (id) => children.get(id) ?? [],
    roots,
    withDescendants(id) {
      const out: string[] = [];
      const stack = [id];
      const seen = new Set<string>();
      while (stack.length) {
        const c = stack.pop()!;
        if (seen.has(c)) continue;
        seen.add(c);
        out.push(c);
        stack.push(...(children.get(c) ?? []));
      }
      return out.sort((a, b) => order.get(a)! - order.get(b)!);
    },
    ancestorsOf(id) {
      const out: string[] = [];
      for (let p = parentOf(id); p !== undefined && !out.includes(p); p = parentOf(p)) out.push(p);
      return out;
    },
    levelNameOf: (id) => (names.onlyAnnotated && !byId.get(id)?.annotations?.some((a) => a.type === 'ICCS_LEVEL') ? undefined : names.byLevel.get(levelOf(id))),
    levels: [...names.byLevel].map(([level, name]) => ({ level, name })),
    describedBy(id) {
      const own = byId.get(id);
      if (!own || own.description || !iccs || !own.annotations?.some((a) => a.type === 'ICCS_LEVEL')) return own;
      return iccs.get(id) ?? own;
    },
  };
}

/** The codes of the agency's CL_ICCS (its latest version) for another ICCS-coded codelist; undefined otherwise. */
function iccsCodesFor(codelist: Codelist, registry: StructureRegistry): Map<string, Code> | undefined {
  if (codelist.id === 'CL_ICCS' || !codelist.items.some((c) => c.annotations?.some((a) => a.type === 'ICCS_LEVEL'))) return undefined;
  const candidates = (registry.ofClass('Codelist') as Codelist[]).filter((c) => c.agencyID === codelist.agencyID && c.id === 'CL_ICCS');
  return candidates.length ? new Map(latest(candidates).items.map((c) => [c.id, c])) : undefined;
}

/**
 * Level names from a levelled hierarchy over this codelist, or over CL_ICCS for a codelist with
 * ICCS-annotated codes (then only those codes are named: CL_OFFENCE's _T is no ICCS section).
 */
function levelNamesOf(codelist: Codelist, registry: StructureRegistry): { byLevel: Map<number, Text>; onlyAnnotated: boolean } {
  const hcls = registry.ofClass('HierarchicalCodelist') as HierarchicalCodelist[];
  const over = (agency: string, id: string) =>
    hcls.flatMap((h) => (h.includedCodelists.some((c) => c.ref.agencyID === agency && c.ref.id === id) ? h.hierarchies : [])).find((x) => x.levels?.length);
  const iccsCoded = codelist.items.some((c) => c.annotations?.some((a) => a.type === 'ICCS_LEVEL'));
  const own = over(codelist.agencyID, codelist.id);
  const hierarchy = own ?? (iccsCoded ? over(codelist.agencyID, 'CL_ICCS') : undefined);
  return { byLevel: new Map((hierarchy?.levels ?? []).map((l: HierarchyLevel, i) => [i + 1, l.name])), onlyAnnotated: !own };
}
