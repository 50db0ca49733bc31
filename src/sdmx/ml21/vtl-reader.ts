/**
 * Reads the VTL item schemes of an SDMX-ML 2.1 structure message back into the model (the
 * inverse of vtl.ts). The structure reader lends its pieces (`Ml21ReaderKit`) so that errors name
 * the artefact the same way. Not supported, and refused with a message: a VtlMapping to a
 * ConceptScheme or to the GenericDataflow, and To/FromVtlMapping methods (our mappings use the
 * Basic methods, which are the default).
 */
import type {
  CustomType,
  ItemRef,
  MaintainableBase,
  MaintainableClass,
  MaintainableRef,
  NamePersonalisation,
  Nameable,
  Ruleset,
  Transformation,
  UserDefinedOperator,
  VtlMapping,
  VtlScheme,
  VtlSchemeClass,
} from '../model.js';
import { VTL_ITEM_CLASS_OF } from '../model.js';
import { attr, childNames, kid, kids, text, type XNode } from './xml-tree.js';

export interface Ml21ReaderKit {
  fail(where: string, what: string): never;
  base<C extends MaintainableClass>(node: XNode, cls: C): { where: string; head: MaintainableBase & { class: C } };
  nameable(node: XNode, where: string, what: string): Nameable;
  maintainableRef(container: XNode | undefined, where: string, what: string, dflt?: MaintainableClass): MaintainableRef;
  itemRef(container: XNode | undefined, where: string, what: string, dflt: 'Concept'): ItemRef;
}

/** The SDMX-ML 2.1 `Structures` containers of the VTL schemes. */
export const VTL_CONTAINERS_21: Readonly<Record<string, VtlSchemeClass>> = {
  CustomTypes: 'CustomTypeScheme',
  VtlMappings: 'VtlMappingScheme',
  NamePersonalisations: 'NamePersonalisationScheme',
  Rulesets: 'RulesetScheme',
  Transformations: 'TransformationScheme',
  UserDefinedOperators: 'UserDefinedOperatorScheme',
};

const HEAD_ELEMENTS = ['Annotations', 'Name', 'Description'];

export function readVtlScheme(node: XNode, cls: VtlSchemeClass, kit: Ml21ReaderKit): VtlScheme {
  const { where, head } = kit.base(node, cls);
  const itemEl = VTL_ITEM_CLASS_OF[cls];
  const refs = (el: string, to: MaintainableClass) =>
    kids(node, el).map((n) => {
      const r = kit.maintainableRef(n, where, el, to);
      if (r.class !== to) kit.fail(where, `${el} refers to a ${r.class}`);
      return r;
    });
  const one = (el: string, to: MaintainableClass) => {
    const list = refs(el, to);
    if (list.length > 1) kit.fail(where, `more than one ${el}`);
    return list[0];
  };
  const allowed = new Set([...HEAD_ELEMENTS, itemEl, 'VtlMappingScheme', 'NamePersonalisationScheme', 'CustomTypeScheme', 'RulesetScheme', 'UserDefinedOperatorScheme']);
  for (const el of childNames(node)) if (!allowed.has(el)) kit.fail(where, `${el} is not supported`);
  const vtlVersion = attr(node, 'vtlVersion');
  if (cls !== 'VtlMappingScheme' && !vtlVersion) kit.fail(where, 'no vtlVersion attribute');
  const partial = attr(node, 'isPartial') === 'true' ? { isPartial: true } : {};
  const version = cls === 'VtlMappingScheme' ? {} : { vtlVersion: vtlVersion! };
  const leaf = (n: XNode, el: string, id: string): string => {
    const k = kid(n, el);
    if (!k) kit.fail(where, `${itemEl} ${id} has no ${el}`);
    return text(k);
  };
  const optional = (n: XNode, el: string) => (kid(n, el) ? { [el.charAt(0).toLowerCase() + el.slice(1)]: text(kid(n, el)) } : {});
  const items = kids(node, itemEl).map((n) => {
    const nb = kit.nameable(n, where, itemEl);
    switch (cls) {
      case 'TransformationScheme': {
        const persistent = attr(n, 'isPersistent');
        if (persistent !== 'true' && persistent !== 'false') kit.fail(where, `Transformation ${nb.id}: isPersistent is "${persistent}"`);
        return { ...nb, expression: leaf(n, 'Expression', nb.id), result: leaf(n, 'Result', nb.id), isPersistent: persistent === 'true' } satisfies Transformation;
      }
      case 'RulesetScheme': {
        const type = attr(n, 'rulesetType');
        const scope = attr(n, 'rulesetScope');
        if (type !== 'datapoint' && type !== 'hierarchical') kit.fail(where, `Ruleset ${nb.id}: rulesetType "${type}" is not supported`);
        if (scope !== 'variable' && scope !== 'valuedomain') kit.fail(where, `Ruleset ${nb.id}: rulesetScope "${scope}" is not supported`);
        return { ...nb, definition: leaf(n, 'RulesetDefinition', nb.id), rulesetType: type, rulesetScope: scope } satisfies Ruleset;
      }
      case 'UserDefinedOperatorScheme':
        return { ...nb, definition: leaf(n, 'OperatorDefinition', nb.id) } satisfies UserDefinedOperator;
      case 'CustomTypeScheme':
        return {
          ...nb,
          vtlScalarType: leaf(n, 'VtlScalarType', nb.id),
          dataType: leaf(n, 'DataType', nb.id),
          ...optional(n, 'VtlLiteralFormat'),
          ...optional(n, 'OutputFormat'),
          ...optional(n, 'NullValue'),
        } satisfies CustomType;
      case 'NamePersonalisationScheme': {
        const vtlArtefact = attr(n, 'vtlArtefact');
        if (!vtlArtefact) kit.fail(where, `NamePersonalisation ${nb.id} has no vtlArtefact`);
        return { ...nb, vtlArtefact, vtlDefaultName: leaf(n, 'VtlDefaultName', nb.id), personalisedName: leaf(n, 'PersonalisedName', nb.id) } satisfies NamePersonalisation;
      }
      case 'VtlMappingScheme': {
        const alias = attr(n, 'alias');
        if (alias === undefined) kit.fail(where, `VtlMapping ${nb.id} has no alias`);
        for (const el of childNames(n)) {
          if (!['Annotations', 'Name', 'Description', 'Dataflow', 'Codelist', 'Concept'].includes(el)) kit.fail(where, `VtlMapping ${nb.id}: ${el} is not supported`);
        }
        const m: { -readonly [K in keyof VtlMapping]: VtlMapping[K] } = { ...nb, alias };
        if (kid(n, 'Dataflow')) m.dataflow = kit.maintainableRef(kid(n, 'Dataflow'), where, `VtlMapping ${nb.id} Dataflow`, 'Dataflow');
        else if (kid(n, 'Codelist')) m.codelist = kit.maintainableRef(kid(n, 'Codelist'), where, `VtlMapping ${nb.id} Codelist`, 'Codelist');
        else if (kid(n, 'Concept')) m.concept = kit.itemRef(kid(n, 'Concept'), where, `VtlMapping ${nb.id} Concept`, 'Concept');
        else kit.fail(where, `VtlMapping ${nb.id} maps nothing`);
        return m;
      }
    }
  });
  switch (cls) {
    case 'TransformationScheme': {
      const vtlMappingScheme = one('VtlMappingScheme', 'VtlMappingScheme');
      const namePersonalisationScheme = one('NamePersonalisationScheme', 'NamePersonalisationScheme');
      const customTypeScheme = one('CustomTypeScheme', 'CustomTypeScheme');
      return {
        ...head,
        ...partial,
        vtlVersion: vtlVersion!,
        items: items as Transformation[],
        ...(vtlMappingScheme ? { vtlMappingScheme } : {}),
        ...(namePersonalisationScheme ? { namePersonalisationScheme } : {}),
        ...(customTypeScheme ? { customTypeScheme } : {}),
        rulesetSchemes: refs('RulesetScheme', 'RulesetScheme'),
        userDefinedOperatorSchemes: refs('UserDefinedOperatorScheme', 'UserDefinedOperatorScheme'),
      } as VtlScheme;
    }
    case 'RulesetScheme': {
      const vtlMappingScheme = one('VtlMappingScheme', 'VtlMappingScheme');
      return { ...head, ...partial, ...version, items, ...(vtlMappingScheme ? { vtlMappingScheme } : {}) } as VtlScheme;
    }
    case 'UserDefinedOperatorScheme': {
      const vtlMappingScheme = one('VtlMappingScheme', 'VtlMappingScheme');
      return {
        ...head,
        ...partial,
        ...version,
        items,
        ...(vtlMappingScheme ? { vtlMappingScheme } : {}),
        rulesetSchemes: refs('RulesetScheme', 'RulesetScheme'),
      } as VtlScheme;
    }
    default:
      return { ...head, ...partial, ...version, items } as VtlScheme;
  }
}
