/**
 * The VTL item schemes in SDMX-ML 2.1 (SDMXStructureTransformation.xsd): the content written after
 * Annotations/Name/Description of a full scheme. Items carry id and urn; their own content follows
 * their Name/Description in the XSD's extension order. A TransformationScheme, RulesetScheme or
 * UserDefinedOperatorScheme names the schemes it uses after its items, by `Ref`. A VtlMapping
 * names its Dataflow, Codelist or Concept by `Ref`, like every reference we write (the TCK finds
 * children only through `Ref`). `vtlVersion` is an attribute of the scheme element, written by
 * the structure writer (also on stubs: the XSD requires it).
 */
import type { ItemRef, MaintainableRef, Nameable, VtlScheme } from '../model.js';
import { vtlItemUrn } from '../vtl.js';
import type { XmlBuilder } from './xml.js';

/** What the structure writer lends: its shared pieces. */
export interface Ml21WriterKit {
  nameable(w: XmlBuilder, n: Nameable): void;
  maintainableRef(w: XmlBuilder, el: string, r: MaintainableRef): void;
  itemRef(w: XmlBuilder, el: string, r: ItemRef): void;
}

const S = 'structure:';

export function writeVtlContent(w: XmlBuilder, scheme: VtlScheme, kit: Ml21WriterKit): void {
  const item = (el: string, n: Nameable, attrs: Record<string, string | undefined>, content: () => void) => {
    w.open(S + el, { id: n.id, urn: vtlItemUrn(scheme, n.id), ...attrs });
    kit.nameable(w, n);
    content();
    w.close(S + el);
  };
  const ref = (el: string, r: MaintainableRef | undefined) => {
    if (r) kit.maintainableRef(w, S + el, r);
  };
  switch (scheme.class) {
    case 'TransformationScheme':
      for (const t of scheme.items) {
        item('Transformation', t, { isPersistent: String(t.isPersistent) }, () => {
          w.leaf(S + 'Expression', t.expression).leaf(S + 'Result', t.result);
        });
      }
      ref('VtlMappingScheme', scheme.vtlMappingScheme);
      ref('NamePersonalisationScheme', scheme.namePersonalisationScheme);
      ref('CustomTypeScheme', scheme.customTypeScheme);
      for (const r of scheme.rulesetSchemes) ref('RulesetScheme', r);
      for (const r of scheme.userDefinedOperatorSchemes) ref('UserDefinedOperatorScheme', r);
      break;
    case 'RulesetScheme':
      for (const r of scheme.items) {
        item('Ruleset', r, { rulesetType: r.rulesetType, rulesetScope: r.rulesetScope }, () => w.leaf(S + 'RulesetDefinition', r.definition));
      }
      ref('VtlMappingScheme', scheme.vtlMappingScheme);
      break;
    case 'UserDefinedOperatorScheme':
      for (const o of scheme.items) item('UserDefinedOperator', o, {}, () => w.leaf(S + 'OperatorDefinition', o.definition));
      ref('VtlMappingScheme', scheme.vtlMappingScheme);
      for (const r of scheme.rulesetSchemes) ref('RulesetScheme', r);
      break;
    case 'CustomTypeScheme':
      for (const c of scheme.items) {
        item('CustomType', c, {}, () => {
          w.leaf(S + 'VtlScalarType', c.vtlScalarType).leaf(S + 'DataType', c.dataType);
          if (c.vtlLiteralFormat !== undefined) w.leaf(S + 'VtlLiteralFormat', c.vtlLiteralFormat);
          if (c.outputFormat !== undefined) w.leaf(S + 'OutputFormat', c.outputFormat);
          if (c.nullValue !== undefined) w.leaf(S + 'NullValue', c.nullValue);
        });
      }
      break;
    case 'NamePersonalisationScheme':
      for (const p of scheme.items) {
        item('NamePersonalisation', p, { vtlArtefact: p.vtlArtefact }, () => {
          w.leaf(S + 'VtlDefaultName', p.vtlDefaultName).leaf(S + 'PersonalisedName', p.personalisedName);
        });
      }
      break;
    case 'VtlMappingScheme':
      for (const m of scheme.items) {
        item('VtlMapping', m, { alias: m.alias }, () => {
          if (m.dataflow) kit.maintainableRef(w, S + 'Dataflow', m.dataflow);
          else if (m.codelist) kit.maintainableRef(w, S + 'Codelist', m.codelist);
          else if (m.concept) kit.itemRef(w, S + 'Concept', m.concept);
        });
      }
      break;
  }
}
