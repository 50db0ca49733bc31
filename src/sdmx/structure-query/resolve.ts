/**
 * Resolves a structure query against the registry: which artefacts match, which related
 * artefacts come with them (`references`), and how each is presented (`detail`).
 *
 * Semantics follow SDMX REST 1.5 4_3_structural_queries.md and 2.0 structures.md, read the way
 * the SDMX conformance kit checks them (shared design notes, conformance-kit.md §3.1 S8–S17):
 * - a specific `references=<type>` returns artefacts of that type among the direct parents and
 *   children only, never deeper descendants;
 * - parents of a category scheme cut down by an item query are only the categorisations that
 *   target a remaining category;
 * - item queries return exactly the requested items (categories keep their ancestors so the
 *   nesting survives), flagged isPartial; on an HCL the items are its hierarchies, on a value
 *   list its values;
 * - on the 3.0 API an id also names a Hierarchy that SDMX 3.0 publishes for one hierarchy of an
 *   HCL with several (`matchHierarchyIds`): the HCL comes with that hierarchy only.
 */
import {
  NESTED_ITEM_SCHEMES,
  childRefs,
  isItemScheme,
  isVtlScheme,
  refKey,
  refOf,
  type Category,
  type Categorisation,
  type Code,
  type Codelist,
  type ConceptScheme,
  type ContentConstraint,
  type DataStructure,
  type ItemScheme,
  type Maintainable,
  type Nameable,
  type Presentation,
} from '../model.js';
import type { StructureQuery, VersionSelector, IdSelector } from './query.js';
import { StructureRegistry } from './registry.js';
import { compareVersions, isLatestPattern, isStable, matchesVersionPattern } from './versions.js';
import { allowedConstraintsOn, allowedValuesOf } from '../allowed-content.js';

const idMatches = (sel: IdSelector, value: string) => sel === 'all' || sel.includes(value);

function selectVersions(candidates: Maintainable[], sel: VersionSelector): Maintainable[] {
  if (sel.kind === 'all') return candidates;
  // Group by class + agency + id: "latest" is per artefact, not per query.
  const groups = new Map<string, Maintainable[]>();
  for (const a of candidates) {
    const k = `${a.class}|${a.agencyID}|${a.id}`;
    const g = groups.get(k) ?? [];
    g.push(a);
    groups.set(k, g);
  }
  const out: Maintainable[] = [];
  const highest = (list: Maintainable[]) =>
    list.length ? [list.reduce((best, a) => (compareVersions(a.version, best.version) > 0 ? a : best))] : [];
  for (const g of groups.values()) {
    if (sel.kind === 'latest') out.push(...highest(g));
    else if (sel.kind === 'latestStable') out.push(...highest(g.filter((a) => isStable(a.version))));
    else {
      for (const p of sel.patterns) {
        const matching = g.filter((a) => matchesVersionPattern(a.version, p));
        out.push(...(isLatestPattern(p) ? highest(matching) : matching));
      }
    }
  }
  // Keep registry order, drop duplicates from overlapping patterns.
  return candidates.filter((a) => out.includes(a));
}

/** Keeps the requested items; (reporting) categories keep their ancestors so nesting stays intact. */
function restrictItems(a: Maintainable, items: IdSelector): Maintainable | undefined {
  if (items === 'all') return a;
  if (a.class === 'HierarchicalCodelist') {
    const hierarchies = a.hierarchies.filter((h) => items.includes(h.id));
    if (hierarchies.length === a.hierarchies.length) return a;
    return hierarchies.length ? { ...a, hierarchies, isPartial: true } : undefined;
  }
  if (a.class === 'ValueList') {
    const values = a.items.filter((v) => items.includes(v.id));
    if (values.length === a.items.length) return a;
    return values.length ? { ...a, items: values, isPartial: true } : undefined;
  }
  if (isVtlScheme(a)) {
    // VTL items are unnested: the requested ones, in scheme order.
    const kept = (a.items as readonly Nameable[]).filter((i) => items.includes(i.id));
    if (kept.length === a.items.length) return a;
    return kept.length ? ({ ...a, items: kept, isPartial: true } as unknown as Maintainable) : undefined;
  }
  if (!isItemScheme(a)) return a;
  const wanted = new Set<string>();
  for (const requested of items) {
    // Nested (reporting) category ids (JUSTICE.COURTS) address the last part.
    const nested = NESTED_ITEM_SCHEMES.has(a.class);
    const id = nested ? (requested.split('.').pop() as string) : requested;
    if ((a.items as readonly Nameable[]).some((i) => i.id === id)) wanted.add(id);
  }
  if (wanted.size === 0) return undefined;
  if (NESTED_ITEM_SCHEMES.has(a.class)) {
    const byId = new Map((a.items as readonly (Nameable & { parentID?: string })[]).map((c) => [c.id, c]));
    for (const id of [...wanted]) {
      for (let p = byId.get(id)?.parentID; p; p = byId.get(p)?.parentID) wanted.add(p);
    }
  }
  return withItems(a, (i) => wanted.has(i.id));
}

/**
 * SDMX 3.0 publishes each hierarchy of an HCL with several as a Hierarchy under the hierarchy's
 * id (src/sdmx/hierarchies30.ts): the HCL cut down to the hierarchies `ids` name, if any.
 */
function selectHierarchies(a: Maintainable, ids: IdSelector): Maintainable | undefined {
  if (a.class !== 'HierarchicalCodelist' || a.hierarchies.length < 2 || ids === 'all') return undefined;
  const hierarchies = a.hierarchies.filter((h) => ids.includes(h.id));
  return hierarchies.length ? { ...a, hierarchies, isPartial: true } : undefined;
}

function withItems(a: ItemScheme, keep: (item: Nameable & { parentID?: string }) => boolean): ItemScheme {
  const items = (a.items as readonly (Nameable & { parentID?: string })[]).filter(keep);
  if (items.length === a.items.length) return a;
  return { ...a, items, isPartial: true } as ItemScheme;
}

function present(a: Maintainable, p: Presentation): Maintainable {
  return p === 'full' ? a : { ...a, presentation: p };
}

export class StructureResolver {
  constructor(private readonly registry: StructureRegistry) {}

  resolve(q: StructureQuery): Maintainable[] {
    const reg = this.registry;
    const classes = new Set(q.classes);
    const candidates = reg.artefacts.flatMap((a): Maintainable[] => {
      if (!classes.has(a.class) || !idMatches(q.agencies, a.agencyID)) return [];
      if (q.constraintType && !(a.class === 'ContentConstraint' && a.constraintType === q.constraintType)) return [];
      if (idMatches(q.ids, a.id)) return [a];
      const byHierarchy = q.matchHierarchyIds ? selectHierarchies(a, q.ids) : undefined;
      return byHierarchy ? [byHierarchy] : [];
    });
    const matches = selectVersions(candidates, q.versions)
      .map((a) => restrictItems(a, q.items))
      .filter((a): a is Maintainable => a !== undefined);
    if (matches.length === 0) return [];

    const matchKeys = new Set(matches.map((a) => refKey(refOf(a))));
    const related = new Map<string, Maintainable>();
    const add = (a: Maintainable) => {
      const k = refKey(refOf(a));
      if (!matchKeys.has(k) && !related.has(k)) related.set(k, a);
    };
    for (const sel of q.references) {
      for (const m of matches) {
        switch (sel.kind) {
          case 'none':
            break;
          case 'children':
            reg.childrenOf(m).forEach(add);
            break;
          case 'descendants':
            this.descendants(m).forEach(add);
            break;
          case 'parents':
            this.parents(m).forEach(add);
            break;
          case 'ancestors':
            this.ancestors(m).forEach(add);
            break;
          case 'parentsandsiblings':
            this.parentsAndSiblings(m).forEach(add);
            break;
          case 'all':
            this.descendants(m).forEach(add);
            this.parentsAndSiblings(m).forEach(add);
            break;
          case 'class': {
            const wanted = new Set(sel.classes);
            for (const r of [...this.parents(m), ...reg.childrenOf(m)]) {
              if (!wanted.has(r.class)) continue;
              if (sel.constraintType && r.class === 'ContentConstraint' && r.constraintType !== sel.constraintType) continue;
              add(r);
            }
            break;
          }
        }
      }
    }

    const refs = [...related.values()];
    const matchPresentation: Presentation =
      q.detail === 'allstubs' ? 'stub' : q.detail === 'allcompletestubs' ? 'completestub' : 'full';
    const refPresentation: Presentation =
      q.detail === 'allstubs' || q.detail === 'referencestubs'
        ? 'stub'
        : q.detail === 'allcompletestubs' || q.detail === 'referencecompletestubs'
          ? 'completestub'
          : 'full';
    const shownRefs =
      q.detail === 'referencepartial' ? refs.map((r) => this.partial(r, [...matches, ...refs])) : refs;
    return [...matches.map((a) => present(a, matchPresentation)), ...shownRefs.map((a) => present(a, refPresentation))];
  }

  /** Parents, except that a category scheme cut down by an item query keeps only the
   * categorisations targeting its remaining categories (TCK S9). */
  private parents(m: Maintainable): Maintainable[] {
    const parents = [...this.registry.parentsOf(m)];
    if (m.class !== 'CategoryScheme' || !m.isPartial) return parents;
    const kept = new Set((m.items as readonly Category[]).map((c) => c.id));
    return parents.filter((p) => p.class !== 'Categorisation' || kept.has((p as Categorisation).target.id));
  }

  private parentsAndSiblings(m: Maintainable): Maintainable[] {
    const out: Maintainable[] = [];
    for (const p of this.parents(m)) {
      out.push(p);
      out.push(...this.registry.childrenOf(p));
    }
    return out;
  }

  private descendants(m: Maintainable): Maintainable[] {
    return this.closure(m, (a) => this.registry.childrenOf(a));
  }

  private ancestors(m: Maintainable): Maintainable[] {
    return this.closure(m, (a) => this.parents(a));
  }

  private closure(start: Maintainable, next: (a: Maintainable) => readonly Maintainable[]): Maintainable[] {
    const seen = new Map<string, Maintainable>([[refKey(refOf(start)), start]]);
    const queue = [start];
    while (queue.length) {
      for (const n of next(queue.shift() as Maintainable)) {
        const k = refKey(refOf(n));
        if (!seen.has(k)) {
          seen.set(k, n);
          queue.push(n);
        }
      }
    }
    seen.delete(refKey(refOf(start)));
    return [...seen.values()];
  }

  /**
   * `detail=referencepartial`: item schemes keep only the items the other artefacts of the
   * message use. Concept schemes keep the concepts of the DSDs; codelists keep the codes the
   * Allowed constraints of the flows (or DSDs, provision agreements) let through, plus their
   * ancestors so hierarchies stay whole, and the codes the representation maps of the message map
   * from or to (only those when maps are its only users); category schemes keep categorised
   * categories; provider schemes keep the providers of the provision agreements.
   */
  private partial(a: Maintainable, context: readonly Maintainable[]): Maintainable {
    if (!isItemScheme(a)) return a;
    const key = refKey(refOf(a));
    switch (a.class) {
      case 'ConceptScheme': {
        const used = new Set<string>();
        for (const dsd of context.filter((c): c is DataStructure => c.class === 'DataStructure')) {
          for (const comp of [...dsd.dimensions, dsd.timeDimension, ...dsd.attributes, dsd.primaryMeasure]) {
            if (refKey(comp.conceptIdentity.scheme) === key) used.add(comp.conceptIdentity.id);
            for (const role of comp.conceptRoles ?? []) if (refKey(role.scheme) === key) used.add(role.id);
          }
        }
        return used.size ? withItems(a as ConceptScheme, (i) => used.has(i.id)) : a;
      }
      case 'Codelist':
        return this.partialCodelist(a, context);
      case 'CategoryScheme': {
        const used = new Set(
          context
            .filter((c): c is Categorisation => c.class === 'Categorisation' && refKey(c.target.scheme) === key)
            .map((c) => c.target.id),
        );
        return used.size ? restrictItems(a, [...used]) ?? a : a;
      }
      case 'DataProviderScheme': {
        const used = new Set(
          context.flatMap((c) => (c.class === 'ProvisionAgreement' && refKey(c.dataProvider.scheme) === key ? [c.dataProvider.id] : [])),
        );
        return used.size ? withItems(a, (i) => used.has(i.id)) : a;
      }
      default:
        return a;
    }
  }

  private partialCodelist(cl: Codelist, context: readonly Maintainable[]): Maintainable {
    const key = refKey(refOf(cl));
    const mapped = new Set<string>();
    for (const m of context) {
      if (m.class !== 'RepresentationMap') continue;
      if (refKey(m.source) === key) m.mappings.forEach((p) => mapped.add(p.source));
      if (refKey(m.target) === key) m.mappings.forEach((p) => mapped.add(p.target));
    }
    const byConstraints = this.constrainedCodes(cl, context);
    if (mapped.size === 0) return byConstraints ? withItems(cl, (i) => byConstraints.has(i.id)) : cl;
    const otherUsers = context.some((c) => c.class !== 'RepresentationMap' && childRefs(c).some((r) => refKey(r) === key));
    if (otherUsers && !byConstraints) return cl;
    const byId = new Map(cl.items.map((c) => [c.id, c] as [string, Code]));
    const keep = new Set(byConstraints ?? []);
    for (const id of mapped) {
      for (let c: string | undefined = id; c !== undefined && !keep.has(c); c = byId.get(c)?.parentID) keep.add(c);
    }
    return withItems(cl, (i) => keep.has(i.id));
  }

  /**
   * Codes the Allowed constraints let through (with ancestors); undefined = all. Constraints are
   * read per chain (provision agreement → dataflow → DSD) of the message: along a chain they
   * narrow each other (allowed-content.ts), across chains the codes add up. Each provision
   * agreement in the message is a chain; so is each dataflow that none of them covers, and each
   * DSD that no dataflow of the message uses.
   */
  private constrainedCodes(cl: Codelist, context: readonly Maintainable[]): Set<string> | undefined {
    const reg = this.registry;
    const key = refKey(refOf(cl));
    const inContext = new Set(context.map((c) => refKey(refOf(c))));
    const chains: Maintainable[][] = [];
    const covered = new Set<string>();
    const dsdOfFlow = (f: Maintainable) => (f.class === 'Dataflow' ? reg.get(f.structure) : undefined);
    for (const pa of context) {
      if (pa.class !== 'ProvisionAgreement') continue;
      const flow = reg.get(pa.structureUsage);
      const dsd = flow && dsdOfFlow(flow);
      chains.push([pa, ...(flow ? [flow] : []), ...(dsd ? [dsd] : [])]);
      if (flow) covered.add(refKey(refOf(flow)));
      if (dsd) covered.add(refKey(refOf(dsd)));
    }
    for (const flow of context) {
      if (flow.class !== 'Dataflow' || covered.has(refKey(refOf(flow)))) continue;
      const dsd = dsdOfFlow(flow);
      chains.push([flow, ...(dsd ? [dsd] : [])]);
      if (dsd) covered.add(refKey(refOf(dsd)));
    }
    for (const dsd of context) if (dsd.class === 'DataStructure' && !covered.has(refKey(refOf(dsd)))) chains.push([dsd]);

    const byId = new Map(cl.items.map((c) => [c.id, c] as [string, Code]));
    const keep = new Set<string>();
    let constrained = false;
    for (const chain of chains) {
      const dsd = chain.find((a): a is DataStructure => a.class === 'DataStructure');
      // Only DSDs of the message say which components use the codelist.
      if (!dsd || !inContext.has(refKey(refOf(dsd)))) continue;
      const components = [...dsd.dimensions, ...dsd.attributes].filter(
        (c) => c.localRepresentation?.enumeration && refKey(c.localRepresentation.enumeration) === key,
      );
      if (components.length === 0) continue;
      const constraints = allowedConstraintsOn(reg, chain);
      const allowed = allowedValuesOf(constraints, (id) => (components.some((c) => c.id === id) ? cl : undefined));
      for (const comp of components) {
        const values = allowed(comp.id);
        if (values === undefined) return undefined; // this chain lets every code through
        constrained = true;
        // Ancestors keep the hierarchy whole, except those a constraint excludes.
        const excluded = new Set(
          constraints.flatMap((c) =>
            c.cubeRegions.filter((r) => !r.include && r.keyValues.length === 1 && r.keyValues[0]!.id === comp.id).flatMap((r) => r.keyValues[0]!.values),
          ),
        );
        for (const v of values) {
          if (!byId.has(v)) continue;
          keep.add(v);
          for (let p = byId.get(v)?.parentID; p && !keep.has(p) && !excluded.has(p); p = byId.get(p)?.parentID) keep.add(p);
        }
      }
    }
    return constrained ? keep : undefined;
  }
}
