/**
 * Item-level integrity of a set of structures, beyond maintainable references: concepts, codes,
 * categories and providers that references point at must exist; a code's parent must be in its
 * codelist; a constraint may only name components of the constrained DSD and codes of their
 * codelists; a representation map may only map codes of its source codelist to codes of its
 * target codelist; a hierarchy association must link a hierarchy of its HCL to a dimension of its
 * context DSD whose codelist holds every code of the hierarchy; a value list holds each value
 * once. Returns readable problems; empty means consistent.
 */
import {
  isItemScheme,
  refKey,
  refOf,
  type Codelist,
  type DataStructure,
  type HierarchicalCode,
  type ItemRef,
  type Maintainable,
  type MaintainableRef,
  type ItemSchemeMap,
  type MaintainableClass,
  type StructureMap,
} from '../model.js';
import type { StructureRegistry } from './registry.js';

export function itemReferenceProblems(registry: StructureRegistry): string[] {
  const problems: string[] = [];
  const itemExists = (r: ItemRef) => {
    const scheme = registry.get(r.scheme);
    return !scheme || (isItemScheme(scheme) && scheme.items.some((i) => i.id === r.id));
  };
  const check = (owner: Maintainable, r: ItemRef | undefined, what: string) => {
    if (r && !itemExists(r)) problems.push(`${refKey(refOf(owner))}: ${what} ${r.id} is not in ${refKey(r.scheme)}`);
  };
  for (const a of registry.artefacts) {
    const self = refKey(refOf(a));
    if (isItemScheme(a)) {
      const ids = new Set<string>();
      for (const item of a.items) {
        if (ids.has(item.id)) problems.push(`${self}: item ${item.id} appears twice`);
        ids.add(item.id);
      }
      for (const item of a.items as readonly { id: string; parentID?: string }[]) {
        if (item.parentID && !ids.has(item.parentID)) problems.push(`${self}: item ${item.id} has unknown parent ${item.parentID}`);
      }
    }
    switch (a.class) {
      case 'DataStructure':
        for (const c of [...a.dimensions, a.timeDimension, ...a.attributes, a.primaryMeasure]) {
          check(a, c.conceptIdentity, `component ${c.id} uses concept`);
          for (const role of c.conceptRoles ?? []) check(a, role, `component ${c.id} has role`);
        }
        break;
      case 'Categorisation':
        check(a, a.target, 'target category');
        break;
      case 'ProvisionAgreement':
        check(a, a.dataProvider, 'data provider');
        break;
      case 'HierarchicalCodelist': {
        const walk = (codes: readonly HierarchicalCode[]) => {
          for (const hc of codes) {
            check(a, hc.code, 'hierarchical code');
            walk(hc.children);
          }
        };
        for (const h of a.hierarchies) walk(h.hierarchicalCodes);
        break;
      }
      case 'HierarchyAssociation': {
        const hcl = registry.get(a.linkedHierarchy.hcl);
        const dsd = registry.get(a.context);
        if (hcl?.class !== 'HierarchicalCodelist' || dsd?.class !== 'DataStructure') break; // dangling: reported elsewhere
        const wanted = a.linkedHierarchy.hierarchyID;
        const h = wanted === undefined ? (hcl.hierarchies.length === 1 ? hcl.hierarchies[0] : undefined) : hcl.hierarchies.find((x) => x.id === wanted);
        if (!h) {
          problems.push(`${self}: ${refKey(refOf(hcl))} has no hierarchy ${wanted ?? '(it has several: name one)'}`);
          break;
        }
        const dim = dsd.dimensions.find((d) => d.id === a.linkedComponent.id);
        const cl = dim?.localRepresentation?.enumeration;
        if (!dim || !cl) {
          problems.push(`${self}: ${a.linkedComponent.id} is not a coded dimension of ${refKey(refOf(dsd))}`);
          break;
        }
        const walk = (codes: readonly HierarchicalCode[]): void => {
          for (const hc of codes) {
            if (refKey(hc.code.scheme) !== refKey(cl)) problems.push(`${self}: code ${hc.code.id} of ${h.id} is not of ${refKey(cl)}, the codelist of ${dim.id}`);
            walk(hc.children);
          }
        };
        walk(h.hierarchicalCodes);
        break;
      }
      case 'VtlMappingScheme': {
        // Aliases are unique within the scheme (SDMXStructure.xsd VtlMappingScheme_UniqueVtlAlias).
        const aliases = new Set<string>();
        for (const m of a.items) {
          check(a, m.concept, `VTL mapping ${m.id} maps concept`);
          if (aliases.has(m.alias)) problems.push(`${self}: alias ${m.alias} appears twice`);
          aliases.add(m.alias);
        }
        break;
      }
      case 'ValueList': {
        const seen = new Set<string>();
        for (const v of a.items) {
          if (seen.has(v.id)) problems.push(`${self}: value ${v.id} appears twice`);
          seen.add(v.id);
        }
        break;
      }
      case 'RepresentationMap':
        for (const m of a.mappings) {
          check(a, { class: 'Code', scheme: a.source, id: m.source }, 'source code');
          check(a, { class: 'Code', scheme: a.target, id: m.target }, 'target code');
        }
        break;
      case 'ConceptSchemeMap':
      case 'CategorySchemeMap':
      case 'OrganisationSchemeMap':
      case 'ReportingTaxonomyMap':
        problems.push(...itemSchemeMapProblems(registry, a));
        break;
      case 'StructureMap':
        problems.push(...structureMapProblems(registry, a));
        break;
      case 'ContentConstraint':
        for (const target of a.constraintAttachment) {
          const dsd = dsdOf(registry, target);
          if (!dsd) continue;
          for (const region of a.cubeRegions) {
            for (const kv of region.keyValues) {
              const comp = [...dsd.dimensions, ...dsd.attributes].find((c) => c.id === kv.id);
              if (!comp) {
                if (kv.id !== dsd.timeDimension.id) problems.push(`${self}: ${kv.id} is not a component of ${refKey(refOf(dsd))}`);
                continue;
              }
              const enumRef = comp.localRepresentation?.enumeration;
              const cl = enumRef ? (registry.get(enumRef) as Codelist | undefined) : undefined;
              for (const v of kv.values) {
                if (cl && !cl.items.some((c) => c.id === v)) problems.push(`${self}: ${kv.id}=${v} is not in ${refKey(refOf(cl))}`);
              }
            }
          }
        }
        break;
      default:
        break;
    }
  }
  return problems;
}

/**
 * An item scheme map joins two schemes of the kind its class names (concept schemes, category
 * schemes, organisation schemes, reporting taxonomies), and each pair names items of them; a
 * nested item by its dotted path from the top of its scheme.
 */
function itemSchemeMapProblems(registry: StructureRegistry, m: ItemSchemeMap): string[] {
  const self = refKey(refOf(m));
  const kinds: Record<ItemSchemeMap['class'], readonly MaintainableClass[]> = {
    ConceptSchemeMap: ['ConceptScheme'],
    CategorySchemeMap: ['CategoryScheme'],
    OrganisationSchemeMap: ['AgencyScheme', 'DataProviderScheme', 'DataConsumerScheme', 'OrganisationUnitScheme'],
    ReportingTaxonomyMap: ['ReportingTaxonomy'],
  };
  const problems: string[] = [];
  for (const [end, r] of [['source', m.source], ['target', m.target]] as const) {
    if (!kinds[m.class].includes(r.class)) problems.push(`${self}: its ${end} ${refKey(r)} is not a ${kinds[m.class].join(' or ')}`);
  }
  const pathExists = (r: MaintainableRef, path: string) => {
    const scheme = registry.get(r);
    if (!scheme || !isItemScheme(scheme)) return true; // dangling: reported elsewhere
    const items = scheme.items as readonly { id: string; parentID?: string }[];
    let parent: string | undefined;
    for (const id of path.split('.')) {
      if (!items.some((i) => i.id === id && i.parentID === parent)) return false;
      parent = id;
    }
    return true;
  };
  for (const p of m.mappings) {
    if (!pathExists(m.source, p.source)) problems.push(`${self}: source item ${p.source} is not in ${refKey(m.source)}`);
    if (!pathExists(m.target, p.target)) problems.push(`${self}: target item ${p.target} is not in ${refKey(m.target)}`);
  }
  return problems;
}

/**
 * A structure map joins two structures (dataflows or DSDs); its component maps name components of
 * each side, and a representation map's codelists are those of the components it joins; a fixed
 * value is a code of its target component's codelist.
 */
function structureMapProblems(registry: StructureRegistry, m: StructureMap): string[] {
  const self = refKey(refOf(m));
  const source = dsdOf(registry, m.source);
  const target = dsdOf(registry, m.target);
  if (!source || !target) return []; // dangling: reported elsewhere
  const componentOf = (dsd: DataStructure, id: string) =>
    [...dsd.dimensions, dsd.timeDimension, ...dsd.attributes, dsd.primaryMeasure].find((c) => c.id === id);
  const problems: string[] = [];
  const codelistOf = (dsd: DataStructure, id: string, end: string) => {
    const c = componentOf(dsd, id);
    if (!c) problems.push(`${self}: ${end} component ${id} is not in ${refKey(refOf(dsd))}`);
    return c?.localRepresentation?.enumeration;
  };
  for (const cm of m.componentMaps) {
    const from = cm.source.map((id) => codelistOf(source, id, 'source'));
    const to = cm.target.map((id) => codelistOf(target, id, 'target'));
    if (!cm.representationMap) continue;
    const rm = registry.get(cm.representationMap);
    if (rm?.class !== 'RepresentationMap') continue;
    if (from.length === 1 && (!from[0] || refKey(from[0]) !== refKey(rm.source))) problems.push(`${self}: ${refKey(refOf(rm))} does not map the codelist of ${cm.source[0]}`);
    if (to.length === 1 && (!to[0] || refKey(to[0]) !== refKey(rm.target))) problems.push(`${self}: ${refKey(refOf(rm))} does not map to the codelist of ${cm.target[0]}`);
  }
  for (const f of m.fixedValueMaps) {
    const cl = codelistOf(target, f.target, 'target');
    const codes = cl ? (registry.get(cl) as Codelist | undefined) : undefined;
    if (codes && !codes.items.some((c) => c.id === f.value)) problems.push(`${self}: fixed value ${f.target}=${f.value} is not in ${refKey(cl!)}`);
  }
  return problems;
}

/** The DSD behind a constrained artefact (a DSD, a dataflow, or a provision agreement). */
export function dsdOf(registry: StructureRegistry, target: MaintainableRef): DataStructure | undefined {
  const a = registry.get(target);
  if (!a) return undefined;
  if (a.class === 'DataStructure') return a;
  if (a.class === 'Dataflow') return registry.get(a.structure) as DataStructure | undefined;
  if (a.class === 'ProvisionAgreement') return dsdOf(registry, a.structureUsage);
  return undefined;
}
