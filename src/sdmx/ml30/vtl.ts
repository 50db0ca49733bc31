/**
 * The VTL item schemes in SDMX-ML 3.0 (SDMXStructureTransformation.xsd 3.0): as in 2.1, but every
 * reference is a URN text element (a VtlMapping's Dataflow, Codelist or Concept; the schemes a
 * TransformationScheme, RulesetScheme or UserDefinedOperatorScheme uses, after its items).
 * `vtlVersion` is required on the definition schemes even in stubs; `isPartial` is written on
 * full schemes cut by an item query.
 */
import type { MaintainableRef, Nameable, VtlScheme } from '../model.js';
import { itemUrn30, urn30 } from '../urn30.js';
import { vtlItemUrn30 } from '../vtl.js';
import { maintainableEl, nameableContent } from './nameable.js';
import { el, textEl, type AttrValue, type Child, type XmlElement } from './xml-text.js';

const TAG: Readonly<Record<VtlScheme['class'], string>> = {
  TransformationScheme: 'structure:TransformationScheme',
  RulesetScheme: 'structure:RulesetScheme',
  UserDefinedOperatorScheme: 'structure:UserDefinedOperatorScheme',
  CustomTypeScheme: 'structure:CustomTypeScheme',
  NamePersonalisationScheme: 'structure:NamePersonalisationScheme',
  VtlMappingScheme: 'structure:VtlMappingScheme',
};

/** The SDMXStructure.xsd 3.0 container of each VTL scheme. */
export const VTL_CONTAINERS_30: readonly (readonly [string, VtlScheme['class']])[] = [
  ['CustomTypeSchemes', 'CustomTypeScheme'],
  ['NamePersonalisationSchemes', 'NamePersonalisationScheme'],
  ['RulesetSchemes', 'RulesetScheme'],
  ['TransformationSchemes', 'TransformationScheme'],
  ['UserDefinedOperatorSchemes', 'UserDefinedOperatorScheme'],
  ['VtlMappingSchemes', 'VtlMappingScheme'],
];

function contentOf(s: VtlScheme): Child[] {
  const item = (tag: string, n: Nameable, attrs: Record<string, AttrValue>, ...content: Child[]) =>
    el(`structure:${tag}`, { urn: vtlItemUrn30(s, n), id: n.id, ...attrs }, nameableContent(n), ...content);
  const ref = (tag: string, r: MaintainableRef | undefined) => r && textEl(`structure:${tag}`, urn30(r));
  switch (s.class) {
    case 'TransformationScheme':
      return [
        s.items.map((t) =>
          item('Transformation', t, { isPersistent: t.isPersistent }, textEl('structure:Expression', t.expression), textEl('structure:Result', t.result)),
        ),
        ref('VtlMappingScheme', s.vtlMappingScheme),
        ref('NamePersonalisationScheme', s.namePersonalisationScheme),
        ref('CustomTypeScheme', s.customTypeScheme),
        s.rulesetSchemes.map((r) => ref('RulesetScheme', r)),
        s.userDefinedOperatorSchemes.map((r) => ref('UserDefinedOperatorScheme', r)),
      ];
    case 'RulesetScheme':
      return [
        s.items.map((r) =>
          item('Ruleset', r, { rulesetType: r.rulesetType, rulesetScope: r.rulesetScope }, textEl('structure:RulesetDefinition', r.definition)),
        ),
        ref('VtlMappingScheme', s.vtlMappingScheme),
      ];
    case 'UserDefinedOperatorScheme':
      return [
        s.items.map((o) => item('UserDefinedOperator', o, {}, textEl('structure:OperatorDefinition', o.definition))),
        ref('VtlMappingScheme', s.vtlMappingScheme),
        s.rulesetSchemes.map((r) => ref('RulesetScheme', r)),
      ];
    case 'CustomTypeScheme':
      return s.items.map((c) =>
        item(
          'CustomType',
          c,
          {},
          textEl('structure:VtlScalarType', c.vtlScalarType),
          textEl('structure:DataType', c.dataType),
          c.vtlLiteralFormat !== undefined && textEl('structure:VtlLiteralFormat', c.vtlLiteralFormat),
          c.outputFormat !== undefined && textEl('structure:OutputFormat', c.outputFormat),
          c.nullValue !== undefined && textEl('structure:NullValue', c.nullValue),
        ),
      );
    case 'NamePersonalisationScheme':
      return s.items.map((p) =>
        item(
          'NamePersonalisation',
          p,
          { vtlArtefact: p.vtlArtefact },
          textEl('structure:VtlDefaultName', p.vtlDefaultName),
          textEl('structure:PersonalisedName', p.personalisedName),
        ),
      );
    case 'VtlMappingScheme':
      return s.items.map((m) =>
        item(
          'VtlMapping',
          m,
          { alias: m.alias },
          ref('Dataflow', m.dataflow),
          ref('Codelist', m.codelist),
          m.concept && textEl('structure:Concept', itemUrn30(m.concept)),
        ),
      );
  }
}

export function vtlSchemeEl(s: VtlScheme): XmlElement {
  const full = (s.presentation ?? 'full') === 'full';
  return maintainableEl(TAG[s.class], s, {
    urn: urn30(s),
    attrs: { isPartial: full && s.isPartial ? true : undefined, vtlVersion: 'vtlVersion' in s ? s.vtlVersion : undefined },
    content: () => contentOf(s),
  });
}
