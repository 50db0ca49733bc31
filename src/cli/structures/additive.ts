/**
 * The additive relations of the UN-CTS tables, declared as SDMX hierarchical codelists: one HCL
 * per codelist whose codes add up (CL_AREA, CL_CJ_INDICATOR, CL_OFFENCE, CL_SEX, CL_AGE,
 * CL_DISAGGREGATION), each Hierarchy annotated `ADDITIVITY` (src/sdmx/additivity.ts) with
 * `EXACT_SUM` (every parent is the sum of its direct children) or `PARTS_AT_MOST_WHOLE` (the
 * children are parts of the parent that need not add up to it). Readers are told what adds up;
 * disclosure control assumes exactly these relations.
 *
 * Choices:
 * - A hierarchical code's id is its code's id. Codes appear at most once in a hierarchy, so the
 *   ids are unique within the whole Hierarchy as SDMX-ML 3.0 wants, not only within the parent.
 * - Hierarchy ids are unique across all our HCLs: SDMX 3.0 publishes each Hierarchy of a
 *   several-hierarchy HCL as a maintainable artefact of its own, under the hierarchy's id.
 * - No levels: an additive tree is not levelled (0703_OTH sits between an ICCS division and its
 *   groups; the age tree mixes totals, age groups and unknown).
 * - The offence and area trees are derived from the codelists' parent links, never typed twice;
 *   the small trees are written out here and every code is checked to exist in its codelist.
 */
import type { Annotation, Codelist, HierarchicalCode, HierarchicalCodelist, Hierarchy, Text } from '../../sdmx/model.js';
import { refOf } from '../../sdmx/model.js';
import { ADDITIVITY_ANNOTATION, EXACT_SUM, PARTS_AT_MOST_WHOLE, type Additivity } from '../../sdmx/additivity.js';
import { AGENCY, VERSION } from './common.js';

export class AdditiveHierarchyError extends Error {
  override name = 'AdditiveHierarchyError';
}

/** What the annotation tells a reader, per kind. */
export const ADDITIVITY_TEXT: Readonly<Record<Additivity, Text>> = {
  [EXACT_SUM]: {
    en: 'Each figure equals the sum of the figures directly below it.',
    es: 'Cada cifra es igual a la suma de las cifras que están directamente debajo de ella.',
  },
  [PARTS_AT_MOST_WHOLE]: {
    en: 'The figures below are parts of the figure above; they need not add up to it.',
    es: 'Las cifras de abajo son partes de la cifra de arriba; su suma no tiene por qué ser igual a ella.',
  },
};

export function additivityAnnotation(kind: Additivity): Annotation {
  return { type: ADDITIVITY_ANNOTATION, title: kind, text: ADDITIVITY_TEXT[kind] };
}

/** A tree written out: parent code → its direct children, in order. Roots are the parents no one lists. */
export type Tree = readonly (readonly [parent: string, children: readonly string[]])[];

interface HierarchySpec {
  readonly id: string;
  readonly name: Text;
  readonly description: Text;
  readonly kind: Additivity;
  readonly tree: Tree;
}

/** The hierarchy `spec` over `cl`: every code must exist in `cl` and appear once. */
export function additiveHierarchy(cl: Codelist, spec: HierarchySpec): Hierarchy {
  const known = new Set(cl.items.map((c) => c.id));
  const childrenOf = new Map<string, readonly string[]>();
  const isChild = new Set<string>();
  for (const [parent, children] of spec.tree) {
    if (childrenOf.has(parent)) throw new AdditiveHierarchyError(`${spec.id}: ${parent} is listed twice as a parent`);
    if (children.length === 0) throw new AdditiveHierarchyError(`${spec.id}: ${parent} has no children`);
    childrenOf.set(parent, children);
    children.forEach((c) => isChild.add(c));
  }
  const scheme = refOf(cl);
  const placed = new Set<string>();
  const node = (id: string): HierarchicalCode => {
    if (!known.has(id)) throw new AdditiveHierarchyError(`${spec.id}: ${id} is not a code of ${cl.id}`);
    if (placed.has(id)) throw new AdditiveHierarchyError(`${spec.id}: ${id} appears twice`);
    placed.add(id);
    return { id, code: { class: 'Code', scheme, id }, children: (childrenOf.get(id) ?? []).map(node) };
  };
  const roots = spec.tree.map(([parent]) => parent).filter((p) => !isChild.has(p));
  const hierarchicalCodes = roots.map(node);
  for (const parent of childrenOf.keys()) {
    if (!placed.has(parent)) throw new AdditiveHierarchyError(`${spec.id}: ${parent} is caught in a cycle`);
  }
  return {
    id: spec.id,
    name: spec.name,
    description: spec.description,
    annotations: [additivityAnnotation(spec.kind)],
    hierarchicalCodes,
  };
}

interface HclSpec {
  readonly id: string;
  readonly alias: string;
  readonly name: Text;
  readonly description: Text;
  readonly hierarchies: readonly HierarchySpec[];
}

function additiveHcl(cl: Codelist, spec: HclSpec): HierarchicalCodelist {
  return {
    class: 'HierarchicalCodelist',
    agencyID: AGENCY,
    id: spec.id,
    version: VERSION,
    isFinal: true,
    name: spec.name,
    description: spec.description,
    includedCodelists: [{ alias: spec.alias, ref: refOf(cl) }],
    hierarchies: spec.hierarchies.map((h) => additiveHierarchy(cl, h)),
  };
}

/** Parent → children from a codelist's parent links, in codelist order. */
function parentLinks(cl: Codelist): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of cl.items) {
    if (c.parentID === undefined) continue;
    out.set(c.parentID, [...(out.get(c.parentID) ?? []), c.id]);
  }
  return out;
}

const NOT_EXACT_IN_PRACTICE =
  'Real UN-CTS national figures often do not add up exactly, because countries report some categories and not others ' +
  'or do not record the breakdown for every person;';

// ---------------------------------------------------------------------------------------------
// Offence

/** UN-CTS residual under ICCS 0703 Corruption: 0703 minus 07031 Bribery. */
export const CORRUPTION = '0703';
export const BRIBERY = '07031';
export const CORRUPTION_OTHER_ID = '0703_OTH';

/**
 * `HCL_OFFENCE`: `_T` → the ICCS sections → the ICCS tree of CL_OFFENCE's parent links, with
 * 0703 → 07031, 0703_OTH and 0703_OTH → the other groups of 0703. `_Z` is in no relation.
 */
export function buildOffenceHierarchy(offence: Codelist): HierarchicalCodelist {
  const links = parentLinks(offence);
  const underCorruption = links.get(CORRUPTION) ?? [];
  if (!underCorruption.includes(BRIBERY) || !underCorruption.includes(CORRUPTION_OTHER_ID)) {
    throw new AdditiveHierarchyError(`CL_OFFENCE: ${CORRUPTION} must have ${BRIBERY} and ${CORRUPTION_OTHER_ID} as children`);
  }
  const otherCorruption = underCorruption.filter((c) => c !== BRIBERY && c !== CORRUPTION_OTHER_ID);
  if (otherCorruption.length === 0) throw new AdditiveHierarchyError(`CL_OFFENCE: ${CORRUPTION} has no group besides ${BRIBERY}`);
  links.set(CORRUPTION, [BRIBERY, CORRUPTION_OTHER_ID]);
  links.set(CORRUPTION_OTHER_ID, otherCorruption);
  const sections = offence.items.filter((c) => c.parentID === undefined && c.id !== '_T' && c.id !== '_Z').map((c) => c.id);
  const tree: [string, readonly string[]][] = [['_T', sections]];
  // Depth-first from the sections, so the tree lists parents in codelist (ICCS) order.
  const visit = (id: string) => {
    const children = links.get(id);
    if (!children) return;
    tree.push([id, children]);
    children.forEach(visit);
  };
  sections.forEach(visit);
  return additiveHcl(offence, {
    id: 'HCL_OFFENCE',
    alias: 'OFFENCE',
    name: { en: 'Offence totals (ICCS)', es: 'Totales por delito (ICCS)' },
    description: {
      en:
        'Which offence figures add up, over the codelist CL_OFFENCE. The total of all criminal offences (_T) is the ' +
        `sum of the ${sections.length} ICCS sections, and every ICCS section, division and group is the sum of the ` +
        'categories directly below it, because the ICCS categories of each level do not overlap and together cover ' +
        'the category above them. Corruption is split as the UN-CTS reports it: 0703 = 07031 (bribery) + 0703_OTH ' +
        '(other acts of corruption), and 0703_OTH = 07032 + … + 07039 by definition. _Z (not applicable) is in no ' +
        `relation. ${NOT_EXACT_IN_PRACTICE} national offence definitions also differ from the ICCS, so a country's ` +
        'total often differs from the sum of the categories it reports.',
    },
    hierarchies: [
      {
        id: 'OFFENCE_ICCS_SUMS',
        name: { en: 'Total offences by ICCS category', es: 'Total de delitos por categoría de la ICCS' },
        description: {
          en:
            'All criminal offences (_T) → ICCS sections → divisions → groups → classes, as in the ICCS, except that ' +
            'Corruption (0703) holds Bribery (07031) and Other acts of corruption (0703_OTH), which holds the other ' +
            'groups of 0703. Each figure is the sum of the figures directly below it.',
        },
        kind: EXACT_SUM,
        tree,
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Area

/** `HCL_AREA`: the CL_AREA tree (world → regions → subregions → countries → sub-national areas). */
export function buildAreaHierarchy(area: Codelist): HierarchicalCodelist {
  const links = parentLinks(area);
  const tree: [string, readonly string[]][] = [];
  const visit = (id: string) => {
    const children = links.get(id);
    if (!children) return;
    tree.push([id, children]);
    children.forEach(visit);
  };
  // Roots: codes without a parent that have children (countries no UNODC file places are left out).
  area.items.filter((c) => c.parentID === undefined).forEach((c) => visit(c.id));
  return additiveHcl(area, {
    id: 'HCL_AREA',
    alias: 'AREA',
    name: { en: 'Areas within the UN M49 regions', es: 'Zonas dentro de las regiones M49 de las Naciones Unidas' },
    description: {
      en:
        'The world, the UN M49 regions and subregions UNODC uses, the countries and territories of each subregion, and ' +
        'the areas UNODC reports within a country (England and Wales, Scotland and Northern Ireland within the United ' +
        'Kingdom; Central Iraq and the Kurdistan Region within Iraq), over the codelist CL_AREA. Each area is part of ' +
        'the one above it, but the figures need not add up: UNODC regional and world figures are estimates that ' +
        'account for the countries that did not report, not sums of the published country figures, so the countries ' +
        'are parts that need not add up to their region. Countries that no UNODC file places in a subregion are left out.',
    },
    hierarchies: [
      {
        id: 'AREA_M49',
        name: { en: 'World, regions, subregions and countries', es: 'Mundo, regiones, subregiones y países' },
        description: {
          en:
            'World (001) → UN M49 regions → subregions → countries and territories → areas reported within a country. ' +
            'The figures below are parts of the figure above and need not add up to it: regional and world figures ' +
            'are UNODC estimates, not sums of the countries.',
        },
        kind: PARTS_AT_MOST_WHOLE,
        tree,
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Indicator, sex, age

export function buildIndicatorHierarchy(indicator: Codelist): HierarchicalCodelist {
  return additiveHcl(indicator, {
    id: 'HCL_CJ_INDICATOR',
    alias: 'CJ_INDICATOR',
    name: { en: 'Criminal-justice indicator totals', es: 'Totales por indicador de justicia penal' },
    description: {
      en:
        'Which indicators add up, over the codelist CL_CJ_INDICATOR: persons held in prisons (PRIS_HELD) are the sum ' +
        'of persons held sentenced (PRIS_SENT) and unsentenced (PRIS_UNSENT), since every person held either has ' +
        'been sentenced or has not. The other indicators count different stages of the criminal-justice process and ' +
        `are not parts of one another. ${NOT_EXACT_IN_PRACTICE} a country may report persons held without saying how ` +
        'many of them are sentenced.',
    },
    hierarchies: [
      {
        id: 'INDICATOR_PRISON_POPULATION',
        name: { en: 'Persons held by sentencing status', es: 'Personas recluidas según su situación procesal' },
        description: {
          en: 'Persons held in prisons (PRIS_HELD) = persons held sentenced (PRIS_SENT) + persons held unsentenced (PRIS_UNSENT).',
        },
        kind: EXACT_SUM,
        tree: [['PRIS_HELD', ['PRIS_SENT', 'PRIS_UNSENT']]],
      },
    ],
  });
}

export function buildSexHierarchy(sex: Codelist): HierarchicalCodelist {
  return additiveHcl(sex, {
    id: 'HCL_SEX',
    alias: 'SEX',
    name: { en: 'Sex totals', es: 'Totales por sexo' },
    description: {
      en:
        'Which figures by sex add up, over the codelist CL_SEX: the total (_T) is the sum of females (F) and males ' +
        `(M), every person counted being one or the other. ${NOT_EXACT_IN_PRACTICE} the UN-CTS has no category for ` +
        'persons of unknown sex, so a national total often exceeds females plus males.',
    },
    hierarchies: [
      {
        id: 'SEX_TOTAL',
        name: { en: 'Total = female + male', es: 'Total = mujeres + hombres' },
        description: { en: 'Total (_T) = female (F) + male (M).' },
        kind: EXACT_SUM,
        tree: [['_T', ['F', 'M']]],
      },
    ],
  });
}

export function buildAgeHierarchy(age: Codelist): HierarchicalCodelist {
  return additiveHcl(age, {
    id: 'HCL_AGE',
    alias: 'AGE',
    name: { en: 'Age totals', es: 'Totales por edad' },
    description: {
      en:
        'Which figures by age add up, over the codelist CL_AGE: the total (_T) is the sum of juveniles (Y_LT18), ' +
        'adults (Y_GE18) and persons of unknown age (_U); juveniles are the sum of the bands 0 to 9, 10 to 14 and 15 ' +
        'to 17 years, adults the sum of the bands 18 to 19, 20 to 24, 25 to 29, 30 to 44, 45 to 59 and 60 years and ' +
        `over. The bands follow one another without gaps or overlaps. ${NOT_EXACT_IN_PRACTICE} countries count ` +
        'juveniles up to their national age of criminal majority, which is not always 18.',
    },
    hierarchies: [
      {
        id: 'AGE_TOTAL',
        name: { en: 'Total by age group', es: 'Total por grupo de edad' },
        description: {
          en:
            'Total (_T) = juveniles (Y_LT18) + adults (Y_GE18) + unknown (_U); juveniles and adults are each the sum ' +
            'of their age bands.',
        },
        kind: EXACT_SUM,
        tree: [
          ['_T', ['Y_LT18', 'Y_GE18', '_U']],
          ['Y_LT18', ['Y0T9', 'Y10T14', 'Y15T17']],
          ['Y_GE18', ['Y18T19', 'Y20T24', 'Y25T29', 'Y30T44', 'Y45T59', 'Y_GE60']],
        ],
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Disaggregation

/** One hierarchy per UN-CTS breakdown group of CL_DISAGGREGATION. */
export const DISAGGREGATION_HIERARCHIES: readonly HierarchySpec[] = [
  {
    id: 'DISAGG_CITIZENSHIP',
    name: { en: 'Citizenship', es: 'Ciudadanía' },
    description: {
      en:
        'Persons counted without breakdown (_T) = national citizens (CIT_NAT) + foreign citizens (CIT_FOR). The ' +
        'UN-CTS has no category for unknown citizenship, so national figures often fall short of the total.',
    },
    kind: EXACT_SUM,
    tree: [['_T', ['CIT_NAT', 'CIT_FOR']]],
  },
  {
    id: 'DISAGG_LEGAL_REPRESENTATION',
    name: { en: 'Legal representation', es: 'Representación legal' },
    description: {
      en:
        'Persons without breakdown (_T) = with legal representation (LEG_WITH) + with none (LEG_NONE); with legal ' +
        'representation = paid representation at no cost for the beneficiary (LEG_PAID_FREE) + paid for by the ' +
        'beneficiary (LEG_PAID_SELF).',
    },
    kind: EXACT_SUM,
    tree: [
      ['_T', ['LEG_WITH', 'LEG_NONE']],
      ['LEG_WITH', ['LEG_PAID_FREE', 'LEG_PAID_SELF']],
    ],
  },
  {
    id: 'DISAGG_ENTRY_STATUS',
    name: { en: 'Status of persons entering prison', es: 'Situación de las personas que ingresan en prisión' },
    description: { en: 'Persons entering prison (_T) = sentenced (STA_SENT) + unsentenced (STA_UNSENT).' },
    kind: EXACT_SUM,
    tree: [['_T', ['STA_SENT', 'STA_UNSENT']]],
  },
  {
    id: 'DISAGG_DETENTION_LENGTH',
    name: { en: 'Length of unsentenced detention', es: 'Duración de la detención sin condena' },
    description: {
      en:
        'Of persons held unsentenced, all of them (_T) = those held for less than 12 months (DET_LT12M) + those held ' +
        'for more than 12 months (DET_GT12M).',
    },
    kind: EXACT_SUM,
    tree: [['_T', ['DET_LT12M', 'DET_GT12M']]],
  },
  {
    id: 'DISAGG_DETENTION_UNDER_6M',
    name: { en: 'Unsentenced detention under 6 months', es: 'Detención sin condena de menos de 6 meses' },
    description: {
      en:
        'Persons held unsentenced for less than 6 months (DET_LT6M) are part of those held for less than 12 months ' +
        '(DET_LT12M). The two codes overlap: DET_LT6M is never added to DET_LT12M or to DET_GT12M.',
    },
    kind: PARTS_AT_MOST_WHOLE,
    tree: [['DET_LT12M', ['DET_LT6M']]],
  },
  {
    id: 'DISAGG_CAUSE_OF_DEATH',
    name: { en: 'Cause of death in prison', es: 'Causa de muerte en prisión' },
    description: {
      en:
        'Deaths in prison (_T) = deaths due to natural causes (DEATH_NAT) + due to external causes (DEATH_EXT); ' +
        'external causes = intentional homicide (DEATH_EXT_HOM) + suicide (DEATH_EXT_SUI) + accident or other ' +
        'causes (DEATH_EXT_ACC).',
    },
    kind: EXACT_SUM,
    tree: [
      ['_T', ['DEATH_NAT', 'DEATH_EXT']],
      ['DEATH_EXT', ['DEATH_EXT_HOM', 'DEATH_EXT_SUI', 'DEATH_EXT_ACC']],
    ],
  },
  {
    id: 'DISAGG_RELATIONSHIP',
    name: { en: 'Relationship of victim to perpetrator', es: 'Relación de la víctima con el autor' },
    description: {
      en:
        'Victims (_T) = victims of an intimate partner or family member (REL_FAM) + of another perpetrator known to ' +
        'them (REL_KNOWN) + of a perpetrator unknown to them (REL_UNKNOWN) + victims whose relationship to the ' +
        'perpetrator is not known (REL_NK).',
    },
    kind: EXACT_SUM,
    tree: [['_T', ['REL_FAM', 'REL_KNOWN', 'REL_UNKNOWN', 'REL_NK']]],
  },
  {
    id: 'DISAGG_CYBER',
    name: { en: 'Cyber-related part', es: 'Parte relacionada con la ciberdelincuencia' },
    description: {
      en:
        'Cyber-related offences (CY, the ICCS disaggregating tag Cy) are part of all offences (_T). The rest is not ' +
        'published as a category of its own, so the part need not add up to the whole.',
    },
    kind: PARTS_AT_MOST_WHOLE,
    tree: [['_T', ['CY']]],
  },
];

export function buildDisaggregationHierarchy(disaggregation: Codelist): HierarchicalCodelist {
  return additiveHcl(disaggregation, {
    id: 'HCL_DISAGGREGATION',
    alias: 'DISAGGREGATION',
    name: { en: 'Disaggregation totals', es: 'Totales por desagregación' },
    description: {
      en:
        'Which figures add up along the DISAGGREGATION dimension (codelist CL_DISAGGREGATION), one hierarchy per ' +
        'UN-CTS breakdown: citizenship, legal representation, status of persons entering prison, length of ' +
        'unsentenced detention, cause of death in prison and relationship of victim to perpetrator each split the ' +
        'figure without breakdown (_T), or a part of it, into categories that do not overlap, so the parts add up ' +
        'to it. Two hierarchies only say that a figure is part of another: persons held unsentenced for less than 6 ' +
        'months (DET_LT6M) within those held for less than 12 months (DET_LT12M), and cyber-related offences (CY) ' +
        `within all offences. ${NOT_EXACT_IN_PRACTICE} citizenship, legal representation or the relationship to ` +
        'the perpetrator is unknown for some persons in many countries.',
    },
    hierarchies: DISAGGREGATION_HIERARCHIES,
  });
}

/** Every additive HCL, in dimension order of DSD_CTS. */
export function buildAdditiveHierarchies(codelists: {
  readonly area: Codelist;
  readonly indicator: Codelist;
  readonly offence: Codelist;
  readonly sex: Codelist;
  readonly age: Codelist;
  readonly disaggregation: Codelist;
}): HierarchicalCodelist[] {
  return [
    buildAreaHierarchy(codelists.area),
    buildIndicatorHierarchy(codelists.indicator),
    buildOffenceHierarchy(codelists.offence),
    buildSexHierarchy(codelists.sex),
    buildAgeHierarchy(codelists.age),
    buildDisaggregationHierarchy(codelists.disaggregation),
  ];
}
