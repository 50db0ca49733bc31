/**
 * Our JSON file form of the SDMX 3.0 artefacts that SDMX-ML 2.1 cannot hold or that our 2.1 reader
 * does not read (HierarchyAssociation, ValueList, StructureMap and the item scheme maps): the model object itself, one per file. Reading checks the shape, so a broken file
 * stops start-up with a message instead of serving a half artefact; references are checked
 * afterwards with every other structure (integrity.ts, registry.ts).
 */
import { ITEM_SCHEME_MAP_CLASSES, MAINTAINABLE_CLASSES, type Maintainable, type MaintainableClass } from './model.js';

/** Classes stored in this form. */
export const JSON_FILE_CLASSES: ReadonlySet<MaintainableClass> = new Set([
  'HierarchyAssociation',
  'ValueList',
  'StructureMap',
  ...ITEM_SCHEME_MAP_CLASSES,
]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown) => isObj(v) && Object.values(v).every((s) => typeof s === 'string') && typeof v.en === 'string';

const isIds = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string');

function checkRef(v: unknown, what: string): void {
  if (!isObj(v) || !MAINTAINABLE_CLASSES.includes(v.class as MaintainableClass)) throw new Error(`${what}: not a reference`);
  for (const k of ['agencyID', 'id', 'version']) if (typeof v[k] !== 'string') throw new Error(`${what}: ${k} missing`);
}

export function readArtefactJson(text: string): Maintainable {
  const a: unknown = JSON.parse(text);
  if (!isObj(a) || !JSON_FILE_CLASSES.has(a.class as MaintainableClass)) throw new Error(`not one of ${[...JSON_FILE_CLASSES].join(', ')}`);
  for (const k of ['agencyID', 'id', 'version']) if (typeof a[k] !== 'string') throw new Error(`${k} missing`);
  if (typeof a.isFinal !== 'boolean') throw new Error('isFinal missing');
  if (!isText(a.name)) throw new Error('name (with English) missing');
  if (a.description !== undefined && !isText(a.description)) throw new Error('description is not localised text');
  switch (a.class) {
    case 'HierarchyAssociation': {
      const lh = a.linkedHierarchy;
      if (!isObj(lh)) throw new Error('linkedHierarchy missing');
      checkRef(lh.hcl, 'linkedHierarchy.hcl');
      if (lh.hierarchyID !== undefined && typeof lh.hierarchyID !== 'string') throw new Error('linkedHierarchy.hierarchyID is not a string');
      const lc = a.linkedComponent;
      if (!isObj(lc) || lc.kind !== 'Dimension' || typeof lc.id !== 'string') throw new Error('linkedComponent is not a dimension');
      checkRef(a.context, 'context');
      break;
    }
    case 'ValueList':
      if (!Array.isArray(a.items)) throw new Error('items missing');
      for (const v of a.items) {
        if (!isObj(v) || typeof v.id !== 'string') throw new Error('a value item has no id');
        if (v.name !== undefined && !isText(v.name)) throw new Error(`value ${v.id}: name is not localised text`);
      }
      break;
    case 'StructureMap':
      checkRef(a.source, 'source');
      checkRef(a.target, 'target');
      if (!Array.isArray(a.componentMaps) || !Array.isArray(a.fixedValueMaps)) throw new Error('componentMaps or fixedValueMaps missing');
      for (const c of a.componentMaps) {
        if (!isObj(c) || !isIds(c.source) || !isIds(c.target)) throw new Error('a component map lacks source or target component ids');
        if (c.representationMap !== undefined) checkRef(c.representationMap, 'componentMap.representationMap');
      }
      for (const f of a.fixedValueMaps) {
        if (!isObj(f) || typeof f.target !== 'string' || typeof f.value !== 'string') throw new Error('a fixed value map lacks target or value');
      }
      break;
    default: // the item scheme maps
      checkRef(a.source, 'source');
      checkRef(a.target, 'target');
      if (!Array.isArray(a.mappings)) throw new Error('mappings missing');
      for (const m of a.mappings) {
        if (!isObj(m) || typeof m.source !== 'string' || typeof m.target !== 'string') throw new Error('a mapping lacks source or target');
      }
  }
  return a as unknown as Maintainable;
}

/** The file text of an artefact: stable key order as built, indented for review. */
export function writeArtefactJson(a: Maintainable): string {
  const { presentation: _p, ...stored } = a;
  return JSON.stringify(stored, null, 2) + '\n';
}
