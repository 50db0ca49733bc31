/**
 * SDMX 3.0 HierarchyAssociations: which dimension of DSD_CTS each additive hierarchy applies to
 * (one association per hierarchy and dimension, in the context of the DSD), so a 3.0 client can
 * find, from the DSD, how the codes of a dimension add up: the relations disclosure control
 * assumes (src/sdmx/additivity.ts).
 *
 * Derived, never typed: a hierarchy is associated with every DSD dimension whose codelist holds
 * all the hierarchy's codes; only hierarchies that declare ADDITIVITY count (HCL_ICCS is a
 * classification tree over CL_ICCS, which no dimension uses: it gets none). The id is
 * `HA_<hierarchy id>` (hierarchy ids are unique across our HCLs); the linked Hierarchy is the one
 * SDMX 3.0 publishes (the HCL's id for a one-hierarchy HCL, else the hierarchy's own id).
 */
import { additivityOf, EXACT_SUM, PARTS_AT_MOST_WHOLE, type Additivity } from '../../sdmx/additivity.js';
import {
  refOf,
  sameRef,
  type DataStructure,
  type HierarchicalCode,
  type HierarchicalCodelist,
  type HierarchyAssociation,
  type Maintainable,
  type Text,
} from '../../sdmx/model.js';
import { ADDITIVITY_TEXT } from './additive.js';
import { AGENCY, VERSION } from './common.js';

const codesOf = (codes: readonly HierarchicalCode[]): HierarchicalCode[] => codes.flatMap((c) => [c, ...codesOf(c.children)]);

const KIND_TEXT: Readonly<Record<Additivity, Text>> = {
  [EXACT_SUM]: { en: 'exact sums', es: 'sumas exactas' },
  [PARTS_AT_MOST_WHOLE]: { en: 'parts of a whole', es: 'partes de un todo' },
};

export function buildHierarchyAssociations(artefacts: readonly Maintainable[]): HierarchyAssociation[] {
  const dsds = artefacts.filter((a): a is DataStructure => a.class === 'DataStructure');
  const out: HierarchyAssociation[] = [];
  for (const hcl of artefacts.filter((a): a is HierarchicalCodelist => a.class === 'HierarchicalCodelist')) {
    for (const h of hcl.hierarchies) {
      const kind = additivityOf(h);
      if (!kind) continue;
      const codes = codesOf(h.hierarchicalCodes);
      for (const dsd of dsds) {
        for (const dim of dsd.dimensions) {
          const cl = dim.localRepresentation?.enumeration;
          if (!cl || !codes.every((c) => sameRef(c.code.scheme, cl))) continue;
          const hierarchy30 = hcl.hierarchies.length === 1 ? hcl.id : h.id;
          const what = `${dim.id} (${dsd.id})`;
          out.push({
            class: 'HierarchyAssociation',
            agencyID: AGENCY,
            id: `HA_${h.id}`,
            version: VERSION,
            isFinal: true,
            name: {
              en: `${h.name.en} → ${what}`,
              ...(h.name.es ? { es: `${h.name.es} → ${what}` } : {}),
            },
            description: {
              en:
                `The codes of dimension ${dim.id} of ${dsd.id} (codelist ${cl.id}) relate as the hierarchy ${hierarchy30} says ` +
                `(${KIND_TEXT[kind].en}): ${ADDITIVITY_TEXT[kind].en} Disclosure control assumes these relations when it protects the data.`,
              es:
                `Los códigos de la dimensión ${dim.id} de ${dsd.id} (lista de códigos ${cl.id}) se relacionan como indica la jerarquía ` +
                `${hierarchy30} (${KIND_TEXT[kind].es}): ${ADDITIVITY_TEXT[kind].es} El control de divulgación supone estas relaciones al proteger los datos.`,
            },
            linkedHierarchy: { hcl: refOf(hcl), ...(hcl.hierarchies.length === 1 ? {} : { hierarchyID: h.id }) },
            linkedComponent: { kind: 'Dimension', id: dim.id },
            context: refOf(dsd),
          });
        }
      }
    }
  }
  return out;
}
