/**
 * What the browse pages (a country's, an ICCS category's, the search) read of the services, all of
 * it public at the request instant: every dataflow's detail from the JSON API's catalogue (its
 * codes with data per dimension, the same answer as `/api/v1/dataflows/{id}`), and the codelists
 * of areas and of the ICCS as the JSON API's codelist route gives them (names, parents, levels,
 * the ICCS's notes), walked as trees.
 *
 * Nothing here reads storage: the catalogue counts each dataflow's visible state once
 * (flow-stats.ts) and every later request finds the counts, so reading every dataflow's detail
 * costs a few milliseconds per page.
 */
import type { Codelist, Dataflow } from '../../../sdmx/model.js';
import { exactName, pathNameOf } from '../../../services/catalogue/artefacts.js';
import type { CodelistHead, FlatCode } from '../../../services/catalogue/codelists.js';
import type { CodeWithData, DataflowDetail, DimensionDetail, TreeNode } from '../../../services/catalogue/dataflows.js';
import type { PortalLanguage } from '../i18n.js';
import type { PortalServices } from '../scope.js';

/** The dimension of areas (countries, regions, parts of countries), and of offences (ICCS codes). */
export const AREA_DIMENSION = 'REF_AREA';
export const OFFENCE_DIMENSION = 'OFFENCE';
/** The official ICCS list: its codes are the ICCS pages, with their descriptions and notes. */
export const ICCS_CODELIST = 'CL_ICCS';

export interface PublicFlow {
  readonly detail: DataflowDetail;
  /** `AGENCY:ID(VERSION)`, what the services are asked with. */
  readonly ref: string;
  /** Its name in paths (`/{lang}/dataflows/{path}`): the bare id unless another agency or version has it. */
  readonly path: string;
}

/** Every dataflow, in id order, with its codes that hold public data now. */
export async function publicFlows(services: PortalServices, lang: PortalLanguage): Promise<PublicFlow[]> {
  const registry = services.structures.registry;
  const flows = [...(registry.ofClass('Dataflow') as readonly Dataflow[])].sort((a, b) => cmp(a.id, b.id) || cmp(a.agencyID, b.agencyID) || cmp(a.version, b.version));
  // Concurrent: a flow whose counts are not made yet is scanned while the others are answered.
  const details = await Promise.all(flows.map((f) => services.catalogue.detail(exactName(f), undefined, undefined, lang)));
  return details.map(({ body }, i) => ({ detail: body.dataflow, ref: exactName(flows[i]!), path: pathNameOf(registry, flows[i]!) }));
}

export function dimensionOf(flow: DataflowDetail, id: string): DimensionDetail | undefined {
  return flow.dimensions.find((d) => d.id === id);
}

/** The codes of a dimension that hold data in a dataflow (none when it has no such dimension). */
export function codesWithData(flow: DataflowDetail, dimension: string): readonly CodeWithData[] {
  return dimensionOf(flow, dimension)?.codes ?? [];
}

/** Every area code that holds data in some dataflow. */
export function areasWithData(flows: readonly PublicFlow[]): Set<string> {
  const out = new Set<string>();
  for (const f of flows) for (const c of codesWithData(f.detail, AREA_DIMENSION)) out.add(c.id);
  return out;
}

/** A codelist as a tree of the JSON API's flat entries (names in the page's language, parents, levels, notes). */
export interface CodeTree {
  readonly head: CodelistHead;
  /** Every code in codelist order. */
  readonly codes: readonly FlatCode[];
  code(id: string): FlatCode | undefined;
  childrenOf(id: string): readonly FlatCode[];
  /** Nearest first. */
  ancestorsOf(id: string): FlatCode[];
  /** The code and every code under it. */
  subtreeOf(id: string): string[];
}

/** Trees per codelist object (structures are immutable: a structure write makes new objects) and language. */
const trees = new WeakMap<Codelist, Map<PortalLanguage, CodeTree>>();

/** A codelist named as the JSON API names it (`CL_ICCS`, `UNODC:CL_AREA(1.0)`), or null when the structures have none of that name. */
export function codeTree(services: PortalServices, idText: string, lang: PortalLanguage): CodeTree | null {
  let codelist: Codelist;
  try {
    codelist = services.codelists.resolve(idText);
  } catch {
    return null;
  }
  let byLang = trees.get(codelist);
  if (!byLang) trees.set(codelist, (byLang = new Map()));
  const known = byLang.get(lang);
  if (known) return known;
  const { answer } = services.codelists.codes({ idText: exactName(codelist), lang, descendants: false, view: 'flat' });
  const codes = answer.codes ?? [];
  const byId = new Map(codes.map((c) => [c.id, c]));
  const children = new Map<string, FlatCode[]>();
  for (const c of codes) {
    if (c.parent === null) continue;
    const list = children.get(c.parent);
    if (list) list.push(c);
    else children.set(c.parent, [c]);
  }
  const tree: CodeTree = {
    head: answer.codelist,
    codes,
    code: (id) => byId.get(id),
    childrenOf: (id) => children.get(id) ?? [],
    ancestorsOf(id) {
      const out: FlatCode[] = [];
      for (let p = byId.get(id)?.parent ?? null; p !== null && !out.some((a) => a.id === p); p = byId.get(p)?.parent ?? null) {
        const code = byId.get(p);
        if (!code) break;
        out.push(code);
      }
      return out;
    },
    subtreeOf(id) {
      const out: string[] = [];
      const stack = [id];
      while (stack.length) {
        const c = stack.pop()!;
        if (out.includes(c)) continue;
        out.push(c);
        for (const k of children.get(c) ?? []) stack.push(k.id);
      }
      return out;
    },
  };
  byLang.set(lang, tree);
  return tree;
}

/** The codelist of the areas, as the dataflows' REF_AREA dimension names it (all of ours share one). */
export function areaTree(services: PortalServices, flows: readonly PublicFlow[], lang: PortalLanguage): CodeTree | null {
  const ref = flows.map((f) => dimensionOf(f.detail, AREA_DIMENSION)?.codelist).find((c) => c !== null && c !== undefined);
  return ref ? codeTree(services, ref, lang) : null;
}

export function iccsTree(services: PortalServices, lang: PortalLanguage): CodeTree | null {
  return codeTree(services, ICCS_CODELIST, lang);
}

/** A code's node in a dimension's tree (the codes with data and their ancestors, as the catalogue nests them). */
export function nodeOf(nodes: readonly TreeNode[], id: string): TreeNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const inside = nodeOf(n.children, id);
    if (inside) return inside;
  }
  return undefined;
}

/** The nodes of a subtree that hold data themselves. */
export function nodesWithData(node: TreeNode): TreeNode[] {
  const out: TreeNode[] = [];
  const visit = (n: TreeNode) => {
    if (n.holdsData) out.push(n);
    n.children.forEach(visit);
  };
  visit(node);
  return out;
}

/** Text without accents, in lower case: what search compares (`México` and `mexico` are the same word). */
export function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
