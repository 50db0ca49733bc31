/**
 * The VTL item schemes in SDMX-JSON 2.0.0 (CustomTypeSchemeType ... VtlMappingSchemeType): the
 * members a full scheme adds to its maintainable head. Items carry their names like other items
 * (best-match and all languages) and a self link by URN; references are URNs. `vtlVersion` is
 * written on every definition scheme (the schema wants it unless the scheme is a stub, so stubs
 * keep it too: it costs nothing); arrays with no entries are left out (minItems 1).
 */
import type { Nameable, VtlScheme } from '../model.js';
import { annotations, clean, selfLink, type Localiser } from '../json10/common.js';
import { itemUrn30, urn30 } from '../urn30.js';
import { vtlItemUrn30 } from '../vtl.js';

type Json = Record<string, unknown>;

/** `data` member of each VTL scheme class. */
export const VTL_ARRAYS_20: Readonly<Record<VtlScheme['class'], string>> = {
  CustomTypeScheme: 'customTypeSchemes',
  VtlMappingScheme: 'vtlMappingSchemes',
  NamePersonalisationScheme: 'namePersonalisationSchemes',
  RulesetScheme: 'rulesetSchemes',
  TransformationScheme: 'transformationSchemes',
  UserDefinedOperatorScheme: 'userDefinedOperatorSchemes',
};

const some = <T>(list: readonly T[]): T[] | undefined => (list.length > 0 ? [...list] : undefined);

/** Members of a VTL scheme beyond its head; `full` false gives only what stubs keep. */
export function vtlSchemeContent(loc: Localiser, s: VtlScheme, full: boolean): Json {
  const version = 'vtlVersion' in s ? { vtlVersion: s.vtlVersion } : {};
  if (!full) return version;
  const item = (n: Nameable, members: Json): Json =>
    clean({ id: n.id, ...loc.nameable(n), annotations: annotations(loc, n.annotations), links: selfLink(vtlItemUrn30(s, n)), ...members });
  const partial = s.isPartial ? { isPartial: true } : {};
  switch (s.class) {
    case 'TransformationScheme':
      return clean({
        ...partial,
        ...version,
        transformations: some(s.items.map((t) => item(t, { expression: t.expression, result: t.result, isPersistent: t.isPersistent }))),
        vtlMappingScheme: s.vtlMappingScheme && urn30(s.vtlMappingScheme),
        namePersonalisationScheme: s.namePersonalisationScheme && urn30(s.namePersonalisationScheme),
        customTypeScheme: s.customTypeScheme && urn30(s.customTypeScheme),
        rulesetSchemes: some(s.rulesetSchemes.map(urn30)),
        userDefinedOperatorSchemes: some(s.userDefinedOperatorSchemes.map(urn30)),
      });
    case 'RulesetScheme':
      return clean({
        ...partial,
        ...version,
        rulesets: some(
          s.items.map((r) => item(r, { rulesetDefinition: r.definition, rulesetType: r.rulesetType, rulesetScope: r.rulesetScope })),
        ),
        vtlMappingScheme: s.vtlMappingScheme && urn30(s.vtlMappingScheme),
      });
    case 'UserDefinedOperatorScheme':
      return clean({
        ...partial,
        ...version,
        userDefinedOperators: some(s.items.map((o) => item(o, { operatorDefinition: o.definition }))),
        vtlMappingScheme: s.vtlMappingScheme && urn30(s.vtlMappingScheme),
        rulesetSchemes: some(s.rulesetSchemes.map(urn30)),
      });
    case 'CustomTypeScheme':
      return clean({
        ...partial,
        ...version,
        customTypes: some(
          s.items.map((c) =>
            item(
              c,
              clean({
                vtlScalarType: c.vtlScalarType,
                dataType: c.dataType,
                vtlLiteralFormat: c.vtlLiteralFormat,
                outputFormat: c.outputFormat,
                nullValue: c.nullValue,
              }),
            ),
          ),
        ),
      });
    case 'NamePersonalisationScheme':
      return clean({
        ...partial,
        ...version,
        namePersonalisations: some(
          s.items.map((p) => item(p, { vtlArtefact: p.vtlArtefact, vtlDefaultName: p.vtlDefaultName, personalisedName: p.personalisedName })),
        ),
      });
    case 'VtlMappingScheme':
      return clean({
        ...partial,
        vtlMappings: some(
          s.items.map((m) =>
            item(
              m,
              clean({
                alias: m.alias,
                dataflow: m.dataflow && urn30(m.dataflow),
                codelist: m.codelist && urn30(m.codelist),
                concept: m.concept && itemUrn30(m.concept),
              }),
            ),
          ),
        ),
      });
  }
}
