/**
 * The VTL artefacts (SDMX package `transformation`), derived from the structures we publish:
 *
 * - `VMS_CTS` (VtlMappingScheme): the VTL alias of every dataflow (its id without `DF_`, e.g.
 *   CTS_HOMICIDE), and of the concepts the rulesets are defined on. The rulesets are defined on
 *   variables, which SDMX maps to concepts (SDMX Technical Notes, VTL: "rulesets defined on
 *   variables reference Concepts"), so they need no codelist mapping; their variables keep their
 *   concept ids as aliases. The mappings use the Basic methods (no To/FromVtlMapping): a
 *   dataflow becomes a VTL data set whose components are named after the DSD's.
 *   The REST `namealiasscheme` resource answers with this scheme: a VTL mapping is exactly the
 *   VTL alias (name) of an SDMX artefact.
 * - `RS_CTS` (RulesetScheme): one hierarchical ruleset `HR_<hierarchy>` per additive hierarchy
 *   (the ADDITIVITY annotations, `declaredRelations`), defined on the DSD_CTS dimension the
 *   hierarchy associations give it: EXACT_SUM parents are `=` the sum of their children,
 *   PARTS_AT_MOST_WHOLE parents `>=` it; one rule `R_<parent>` per parent. Errorlevel 1: the
 *   server accepts such data and reports the broken relation to the publisher. And one datapoint
 *   ruleset, `DPR_CTS_VALUES`, with exactly the value checks that make an upload fail
 *   (src/upload/validation/dsd-checker.ts: `not-a-count`, `missing-value`), errorlevel 2.
 * - `UDO_CTS` (UserDefinedOperatorScheme): `share_pc`, a share in per cent, the one operator the
 *   transformations use.
 * - `TS_CTS` (TransformationScheme): the SDG indicators over our dataflows, each exactly the
 *   series keys of its attachment constraint (constraints.ts): SDG 16.1.1 selects them from
 *   DF_CTS_HOMICIDE; SDG 16.3.2 computes them from DF_CTS_PRISONS, the counts (NR) of the
 *   indicator the key names (PRIS_UNSENT) over its parent in the additive hierarchy
 *   (PRIS_HELD = PRIS_SENT + PRIS_UNSENT). Both persistent. Then, non-persistent, check_hierarchy
 *   of each hierarchical ruleset on each DSD_CTS dataflow whose allowed content (the Allowed
 *   constraints along agreement → dataflow → DSD) lets through a parent and one of its children,
 *   and check_datapoint of DPR_CTS_VALUES on every DSD_CTS dataflow.
 * - `CT_CTS` (CustomTypeScheme): how the VTL scalar types of DSD_CTS's components are written in
 *   our data messages (src/sdmx/ml21/data-common.ts, src/sdmx/csv/csv-layout.ts).
 * - `NP_CTS` (NamePersonalisationScheme): VTL's default name of a number-typed result measure,
 *   `num_var`, is OBS_VALUE, the primary measure of DSD_CTS that the results map back onto.
 *
 * All UNODC 1.0, final, VTL 2.0, names and descriptions in English and Spanish.
 */
import { additivityOf, declaredRelations, EXACT_SUM, type DeclaredRelation } from '../../sdmx/additivity.js';
import { allowedConstraintsOn, allowedValuesOf } from '../../sdmx/allowed-content.js';
import {
  refOf,
  sameRef,
  type AttachmentConstraint,
  type Codelist,
  type CustomTypeScheme,
  type DataStructure,
  type Dataflow,
  type HierarchicalCodelist,
  type Maintainable,
  type NamePersonalisationScheme,
  type ProvisionAgreement,
  type Ruleset,
  type RulesetScheme,
  type Transformation,
  type TransformationScheme,
  type UserDefinedOperatorScheme,
  type VtlMapping,
  type VtlMappingScheme,
} from '../../sdmx/model.js';
import { StructureRegistry } from '../../sdmx/structure-query/registry.js';
import { hierarchicalRuleset, VTL_VERSION, vtlName, vtlString, type HierarchicalRule } from '../../sdmx/vtl.js';
import { COUNT_UNITS, MISSING_STATUSES } from '../../upload/validation/dsd-checker.js';
import { buildHierarchyAssociations } from './hierarchy-associations.js';
import { AGENCY, CONCEPT_SCHEME, DSD, VERSION, ref } from './common.js';

export const VTL_IDS = {
  mappings: 'VMS_CTS',
  rulesets: 'RS_CTS',
  operators: 'UDO_CTS',
  transformations: 'TS_CTS',
  customTypes: 'CT_CTS',
  personalisations: 'NP_CTS',
} as const;

const head = { agencyID: AGENCY, version: VERSION, isFinal: true } as const;

/** The VTL alias of a dataflow: its id without the `DF_` prefix. */
export function dataflowAlias(id: string): string {
  return id.replace(/^DF_/, '');
}

/** The datapoint checks an upload refuses data for (dsd-checker.ts), as VTL rules. */
export const DATAPOINT_RULESET = 'DPR_CTS_VALUES';
/** The operator name of the share in per cent. */
export const SHARE_OPERATOR = 'share_pc';

interface HierarchyOnDimension {
  readonly hcl: HierarchicalCodelist;
  readonly hierarchyID: string;
  readonly dimension: string;
  readonly codelist: Codelist;
  readonly exact: boolean;
  readonly relations: readonly DeclaredRelation[];
}

/** Each additive hierarchy with the DSD_CTS dimension it relates (the hierarchy associations). */
function additiveHierarchies(artefacts: readonly Maintainable[], reg: StructureRegistry, dsd: DataStructure): HierarchyOnDimension[] {
  const out: HierarchyOnDimension[] = [];
  for (const ha of buildHierarchyAssociations(artefacts)) {
    if (!sameRef(ha.context, refOf(dsd))) continue;
    const hcl = reg.get(ha.linkedHierarchy.hcl) as HierarchicalCodelist;
    const hierarchy = ha.linkedHierarchy.hierarchyID ? hcl.hierarchies.find((h) => h.id === ha.linkedHierarchy.hierarchyID)! : hcl.hierarchies[0]!;
    const dim = dsd.dimensions.find((d) => d.id === ha.linkedComponent.id)!;
    const codelist = reg.get(dim.localRepresentation!.enumeration!) as Codelist;
    const relations = declaredRelations([hcl], codelist).filter((r) => r.hierarchy === `${hcl.id}.${hierarchy.id}`);
    out.push({ hcl, hierarchyID: hierarchy.id, dimension: dim.id, codelist, exact: additivityOf(hierarchy) === EXACT_SUM, relations });
  }
  return out;
}

export function buildVtlStructures(artefacts: readonly Maintainable[]): Maintainable[] {
  const reg = new StructureRegistry(artefacts);
  const dsd = reg.get(DSD) as DataStructure;
  const flows = artefacts.filter((a): a is Dataflow => a.class === 'Dataflow');
  const ctsFlows = flows.filter((f) => sameRef(f.structure, DSD));
  const hierarchies = additiveHierarchies(artefacts, reg, dsd);

  // ---- VMS_CTS -------------------------------------------------------------------------------
  const rulesetVariables = [...new Set([...hierarchies.map((h) => h.dimension), 'UNIT_MEASURE', 'OBS_VALUE', 'OBS_STATUS'])];
  const mappings: VtlMapping[] = [
    ...flows.map(
      (f): VtlMapping => ({
        id: f.id,
        name: { en: `${f.name.en} as ${dataflowAlias(f.id)}`, ...(f.name.es ? { es: `${f.name.es} como ${dataflowAlias(f.id)}` } : {}) },
        description: {
          en: `The dataflow ${f.id} is the VTL data set ${dataflowAlias(f.id)} (Basic mapping: its components keep the ids of ${f.structure.id}).`,
          es: `El flujo de datos ${f.id} es el conjunto de datos VTL ${dataflowAlias(f.id)} (mapeo básico: sus componentes conservan los identificadores de ${f.structure.id}).`,
        },
        alias: dataflowAlias(f.id),
        dataflow: refOf(f),
      }),
    ),
    ...rulesetVariables.map(
      (id): VtlMapping => ({
        id,
        name: { en: `Concept ${id} as the VTL variable ${id}`, es: `Concepto ${id} como la variable VTL ${id}` },
        description: {
          en: `The rulesets of ${VTL_IDS.rulesets} are defined on the variable ${id}: the concept ${id} of ${CONCEPT_SCHEME.id}, the component ${id} of ${DSD.id}.`,
          es: `Los conjuntos de reglas de ${VTL_IDS.rulesets} se definen sobre la variable ${id}: el concepto ${id} de ${CONCEPT_SCHEME.id}, el componente ${id} de ${DSD.id}.`,
        },
        alias: id,
        concept: { class: 'Concept', scheme: CONCEPT_SCHEME, id },
      }),
    ),
  ];
  const vms: VtlMappingScheme = {
    class: 'VtlMappingScheme',
    ...head,
    id: VTL_IDS.mappings,
    name: { en: 'VTL aliases of the UN-CTS structures', es: 'Alias VTL de las estructuras UN-CTS' },
    description: {
      en:
        'The names by which VTL refers to our SDMX artefacts: each dataflow by its id without DF_, and the concepts the ' +
        'rulesets are defined on by their ids. The REST resource namealiasscheme answers with this scheme.',
      es:
        'Los nombres con que VTL se refiere a nuestros artefactos SDMX: cada flujo de datos por su identificador sin DF_, y ' +
        'los conceptos sobre los que se definen los conjuntos de reglas por sus identificadores. El recurso REST ' +
        'namealiasscheme responde con este esquema.',
    },
    items: mappings,
  };

  // ---- RS_CTS --------------------------------------------------------------------------------
  const rulesets: Ruleset[] = hierarchies.map((h) => {
    const kind = h.exact ? 'EXACT_SUM' : 'PARTS_AT_MOST_WHOLE';
    const rules: HierarchicalRule[] = h.relations.map((r) => ({
      name: `R_${r.parent}`,
      parent: r.parent,
      operator: r.exact ? '=' : '>=',
      children: r.children,
      errorCode: `${r.hierarchy} ${kind}`,
      errorLevel: 1,
    }));
    const names = new Set(rules.map((r) => r.name));
    if (names.size !== rules.length) throw new Error(`${h.hierarchyID}: a parent code appears twice`);
    const hierarchyName = h.hcl.hierarchies.find((x) => x.id === h.hierarchyID)!.name;
    return {
      id: `HR_${h.hierarchyID}`,
      name: {
        en: `${hierarchyName.en} (${h.dimension})`,
        ...(hierarchyName.es ? { es: `${hierarchyName.es} (${h.dimension})` } : {}),
      },
      description: h.exact
        ? {
            en: `Hierarchy ${h.hierarchyID} of ${h.hcl.id} on the dimension ${h.dimension}: each parent code equals the sum of its children (EXACT_SUM).`,
            es: `Jerarquía ${h.hierarchyID} de ${h.hcl.id} sobre la dimensión ${h.dimension}: cada código padre es igual a la suma de sus hijos (EXACT_SUM).`,
          }
        : {
            en: `Hierarchy ${h.hierarchyID} of ${h.hcl.id} on the dimension ${h.dimension}: each parent code is at least the sum of its children (PARTS_AT_MOST_WHOLE).`,
            es: `Jerarquía ${h.hierarchyID} de ${h.hcl.id} sobre la dimensión ${h.dimension}: cada código padre es al menos la suma de sus hijos (PARTS_AT_MOST_WHOLE).`,
          },
      definition: hierarchicalRuleset({ name: `HR_${h.hierarchyID}`, variable: h.dimension, rules }),
      rulesetType: 'hierarchical',
      rulesetScope: 'variable',
    };
  });
  const set = (values: Iterable<string>) => `{ ${[...values].map(vtlString).join(', ')} }`;
  rulesets.push({
    id: DATAPOINT_RULESET,
    name: { en: 'Values an upload must respect', es: 'Valores que una carga debe respetar' },
    description: {
      en:
        'The checks of each observation value that make the server refuse an upload: a count (UNIT_MEASURE ' +
        `${[...COUNT_UNITS].join(', ')}) is never negative (not-a-count); a missing value needs an OBS_STATUS that explains it ` +
        `(${[...MISSING_STATUSES].join(', ')}; missing-value).`,
      es:
        'Las comprobaciones de cada valor observado por las que el servidor rechaza una carga: un recuento (UNIT_MEASURE ' +
        `${[...COUNT_UNITS].join(', ')}) nunca es negativo (not-a-count); un valor ausente necesita un OBS_STATUS que lo explique ` +
        `(${[...MISSING_STATUSES].join(', ')}; missing-value).`,
    },
    definition:
      `define datapoint ruleset ${DATAPOINT_RULESET} ( variable UNIT_MEASURE, OBS_VALUE, OBS_STATUS ) is\n` +
      `  NOT_A_COUNT : when UNIT_MEASURE in ${set(COUNT_UNITS)} then OBS_VALUE >= 0 errorcode "not-a-count" errorlevel 2 ;\n` +
      `  MISSING_VALUE : when isnull ( OBS_VALUE ) then OBS_STATUS in ${set(MISSING_STATUSES)} errorcode "missing-value" errorlevel 2\n` +
      'end datapoint ruleset',
    rulesetType: 'datapoint',
    rulesetScope: 'variable',
  });
  const rs: RulesetScheme = {
    class: 'RulesetScheme',
    ...head,
    id: VTL_IDS.rulesets,
    name: { en: 'Validation rules of the UN-CTS data', es: 'Reglas de validación de los datos UN-CTS' },
    description: {
      en:
        'One hierarchical ruleset per additive hierarchy (the ADDITIVITY annotations of the hierarchical codelists, ' +
        'which disclosure control also assumes), on the DSD_CTS dimension it relates, and the datapoint checks uploads ' +
        'must pass.',
      es:
        'Un conjunto de reglas jerárquico por jerarquía aditiva (las anotaciones ADDITIVITY de las listas de códigos ' +
        'jerárquicas, que el control de divulgación también supone), sobre la dimensión de DSD_CTS que relaciona, y las ' +
        'comprobaciones por dato que las cargas deben superar.',
    },
    vtlVersion: VTL_VERSION,
    vtlMappingScheme: ref('VtlMappingScheme', VTL_IDS.mappings),
    items: rulesets,
  };

  // ---- UDO_CTS -------------------------------------------------------------------------------
  const udo: UserDefinedOperatorScheme = {
    class: 'UserDefinedOperatorScheme',
    ...head,
    id: VTL_IDS.operators,
    name: { en: 'Operators of the UN-CTS transformations', es: 'Operadores de las transformaciones UN-CTS' },
    description: {
      en: 'The user-defined operators the transformations of TS_CTS use.',
      es: 'Los operadores definidos por el usuario que usan las transformaciones de TS_CTS.',
    },
    vtlVersion: VTL_VERSION,
    rulesetSchemes: [],
    items: [
      {
        id: 'SHARE_PC',
        name: { en: 'Share in per cent', es: 'Proporción en porcentaje' },
        description: {
          en: 'The part as a percentage of the whole, data point by data point: part / whole * 100.',
          es: 'La parte como porcentaje del todo, punto de datos por punto de datos: parte / todo * 100.',
        },
        definition: `define operator ${SHARE_OPERATOR} ( part dataset, whole dataset )\n  returns dataset is\n    part / whole * 100\nend operator`,
      },
    ],
  };

  // ---- TS_CTS --------------------------------------------------------------------------------
  const acs = artefacts.filter((a): a is AttachmentConstraint => a.class === 'AttachmentConstraint');
  const ac = (id: string) => {
    const c = acs.find((a) => a.id === id);
    if (!c) throw new Error(`${id} is not built`);
    return c;
  };
  const transformations: Transformation[] = [sdg1611(ac('AC_SDG_16_1_1')), sdg1632(ac('AC_SDG_16_3_2'), hierarchies)];
  const agreements = artefacts.filter((a): a is ProvisionAgreement => a.class === 'ProvisionAgreement');
  for (const h of hierarchies) {
    for (const f of ctsFlows) {
      const chain: Maintainable[] = [...agreements.filter((pa) => sameRef(pa.structureUsage, refOf(f))), f, dsd];
      const allowed = allowedValuesOf(allowedConstraintsOn(reg, chain), (id) => (id === h.dimension ? h.codelist : undefined))(h.dimension);
      const lets = (code: string) => allowed === undefined || allowed.includes(code);
      if (!h.relations.some((r) => lets(r.parent) && r.children.some(lets))) continue;
      const alias = dataflowAlias(f.id);
      transformations.push({
        id: `CHK_${h.hierarchyID}_${alias}`,
        name: { en: `Check ${h.hierarchyID} in ${alias}`, es: `Comprobación de ${h.hierarchyID} en ${alias}` },
        description: {
          en: `The data points of ${f.id} that break a relation of the hierarchy ${h.hierarchyID} along ${h.dimension}.`,
          es: `Los puntos de datos de ${f.id} que incumplen una relación de la jerarquía ${h.hierarchyID} según ${h.dimension}.`,
        },
        expression: `check_hierarchy ( ${vtlName(alias)}, ${vtlName(`HR_${h.hierarchyID}`)} rule ${vtlName(h.dimension)} non_null dataset invalid )`,
        result: `CHK_${h.hierarchyID}_${alias}`,
        isPersistent: false,
      });
    }
  }
  for (const f of ctsFlows) {
    const alias = dataflowAlias(f.id);
    transformations.push({
      id: `CHK_VALUES_${alias}`,
      name: { en: `Check the values of ${alias}`, es: `Comprobación de los valores de ${alias}` },
      description: {
        en: `The data points of ${f.id} whose values an upload would be refused for (${DATAPOINT_RULESET}).`,
        es: `Los puntos de datos de ${f.id} cuyos valores harían rechazar una carga (${DATAPOINT_RULESET}).`,
      },
      expression: `check_datapoint ( ${vtlName(alias)}, ${DATAPOINT_RULESET} invalid )`,
      result: `CHK_VALUES_${alias}`,
      isPersistent: false,
    });
  }
  const ts: TransformationScheme = {
    class: 'TransformationScheme',
    ...head,
    id: VTL_IDS.transformations,
    name: { en: 'SDG indicators and validation of the UN-CTS data', es: 'Indicadores ODS y validación de los datos UN-CTS' },
    description: {
      en:
        'SDG indicators 16.1.1 and 16.3.2 computed from our dataflows, with exactly the series keys of the attachment ' +
        'constraints AC_SDG_16_1_1 and AC_SDG_16_3_2; then the hierarchical checks of each dataflow whose allowed content ' +
        'holds related codes, and the value checks of every dataflow.',
      es:
        'Los indicadores ODS 16.1.1 y 16.3.2 calculados a partir de nuestros flujos de datos, con exactamente las claves de ' +
        'serie de las restricciones de anexión AC_SDG_16_1_1 y AC_SDG_16_3_2; luego las comprobaciones jerárquicas de cada ' +
        'flujo cuyo contenido permitido contiene códigos relacionados, y las comprobaciones de valores de todos los flujos.',
    },
    vtlVersion: VTL_VERSION,
    vtlMappingScheme: ref('VtlMappingScheme', VTL_IDS.mappings),
    namePersonalisationScheme: ref('NamePersonalisationScheme', VTL_IDS.personalisations),
    customTypeScheme: ref('CustomTypeScheme', VTL_IDS.customTypes),
    rulesetSchemes: [ref('RulesetScheme', VTL_IDS.rulesets)],
    userDefinedOperatorSchemes: [ref('UserDefinedOperatorScheme', VTL_IDS.operators)],
    items: transformations,
  };

  // ---- CT_CTS --------------------------------------------------------------------------------
  const ct: CustomTypeScheme = {
    class: 'CustomTypeScheme',
    ...head,
    id: VTL_IDS.customTypes,
    name: { en: 'How VTL values are written in our data messages', es: 'Cómo se escriben los valores VTL en nuestros mensajes de datos' },
    description: {
      en: 'The VTL scalar types of the DSD_CTS components and how our SDMX data messages write their values.',
      es: 'Los tipos escalares VTL de los componentes de DSD_CTS y cómo nuestros mensajes de datos SDMX escriben sus valores.',
    },
    vtlVersion: VTL_VERSION,
    items: [
      {
        id: 'NUMBER',
        name: { en: 'Numbers (OBS_VALUE)', es: 'Números (OBS_VALUE)' },
        description: {
          en:
            'A VTL number is an SDMX Double, written in its shortest round-trip decimal form; a missing value is NaN in ' +
            'SDMX-ML (SDMX-CSV leaves the cell empty, as SDMX-CSV has no NaN).',
          es:
            'Un número VTL es un Double de SDMX, escrito en su forma decimal más corta que lo conserva; un valor ausente es ' +
            'NaN en SDMX-ML (SDMX-CSV deja la celda vacía, pues no tiene NaN).',
        },
        vtlScalarType: 'number',
        dataType: 'Double',
        nullValue: 'NaN',
      },
      {
        id: 'STRING',
        name: { en: 'Strings (codes and text attributes)', es: 'Cadenas (códigos y atributos de texto)' },
        description: {
          en: 'A VTL string is an SDMX String, written as is; an attribute without a value is left out of the message.',
          es: 'Una cadena VTL es un String de SDMX, escrito tal cual; un atributo sin valor se omite del mensaje.',
        },
        vtlScalarType: 'string',
        dataType: 'String',
      },
      {
        id: 'TIME_PERIOD',
        name: { en: 'Time periods (TIME_PERIOD)', es: 'Periodos (TIME_PERIOD)' },
        description: {
          en: 'A VTL time_period is an SDMX ObservationalTimePeriod; our dataflows are annual (FREQ A), written as the year.',
          es: 'Un time_period VTL es un ObservationalTimePeriod de SDMX; nuestros flujos son anuales (FREQ A) y se escriben como el año.',
        },
        vtlScalarType: 'time_period',
        dataType: 'ObservationalTimePeriod',
        outputFormat: 'YYYY',
      },
    ],
  };

  // ---- NP_CTS --------------------------------------------------------------------------------
  const np: NamePersonalisationScheme = {
    class: 'NamePersonalisationScheme',
    ...head,
    id: VTL_IDS.personalisations,
    name: { en: 'VTL names personalised for DSD_CTS', es: 'Nombres VTL personalizados para DSD_CTS' },
    description: {
      en: 'The VTL default names that the transformations of TS_CTS write under the ids of DSD_CTS components.',
      es: 'Los nombres VTL por defecto que las transformaciones de TS_CTS escriben con los identificadores de componentes de DSD_CTS.',
    },
    vtlVersion: VTL_VERSION,
    items: [
      {
        id: 'NUM_VAR',
        name: { en: 'Numeric result measure: OBS_VALUE', es: 'Medida numérica resultante: OBS_VALUE' },
        description: {
          en: `VTL's default name of a number-typed result measure, num_var, is OBS_VALUE, the primary measure of ${DSD.id} onto which the results of ${VTL_IDS.transformations} map back.`,
          es: `El nombre VTL por defecto de una medida resultante de tipo number, num_var, es OBS_VALUE, la medida primaria de ${DSD.id} a la que se mapean los resultados de ${VTL_IDS.transformations}.`,
        },
        vtlArtefact: 'variable',
        vtlDefaultName: 'num_var',
        personalisedName: 'OBS_VALUE',
      },
    ],
  };

  return [vms, ct, np, rs, udo, ts];
}

// ---------------------------------------------------------------------------------------------
// The SDG transformations

/** Component → the values the keys give it, checking that the keys are exactly their product. */
function keyValues(ac: AttachmentConstraint): Map<string, string[]> {
  const keys = ac.dataKeySets.filter((s) => s.isIncluded).flatMap((s) => s.keys);
  const values = new Map<string, string[]>();
  for (const k of keys) {
    for (const kv of k.keyValues) {
      const list = values.get(kv.id) ?? [];
      if (!list.includes(kv.value)) list.push(kv.value);
      values.set(kv.id, list);
    }
  }
  const product = [...values.values()].reduce((n, v) => n * v.length, 1);
  if (product !== keys.length || keys.some((k) => k.keyValues.length !== values.size)) {
    throw new Error(`${ac.id}: the keys are not every combination of their values; a VTL filter cannot say exactly them`);
  }
  return values;
}

function flowOf(ac: AttachmentConstraint): string {
  const flow = ac.constraintAttachment.find((r) => r.class === 'Dataflow');
  if (!flow || ac.constraintAttachment.length !== 1) throw new Error(`${ac.id}: expected one dataflow`);
  return dataflowAlias(flow.id);
}

const condition = (id: string, values: readonly string[]) =>
  values.length === 1 ? `${vtlName(id)} = ${vtlString(values[0]!)}` : `${vtlName(id)} in { ${values.map(vtlString).join(', ')} }`;

function sdg1611(ac: AttachmentConstraint): Transformation {
  const values = keyValues(ac);
  return {
    id: 'SDG_16_1_1',
    name: { en: 'SDG indicator 16.1.1', es: 'Indicador ODS 16.1.1' },
    description: {
      en: `Number of victims of intentional homicide per 100 000 population, by sex: the series of ${ac.id}, selected from ${flowOf(ac)}.`,
      es: `Número de víctimas de homicidio intencional por cada 100 000 habitantes, por sexo: las series de ${ac.id}, seleccionadas de ${flowOf(ac)}.`,
    },
    expression: `${vtlName(flowOf(ac))} [ filter ${[...values].map(([id, v]) => condition(id, v)).join(' and ')} ]`,
    result: 'SDG_16_1_1',
    isPersistent: true,
  };
}

function sdg1632(ac: AttachmentConstraint, hierarchies: readonly HierarchyOnDimension[]): Transformation {
  const values = keyValues(ac);
  const single = (id: string) => {
    const v = values.get(id);
    if (!v || v.length !== 1) throw new Error(`${ac.id}: expected one ${id}`);
    return v[0]!;
  };
  const part = single('INDICATOR');
  const whole = hierarchies
    .filter((h) => h.dimension === 'INDICATOR' && h.exact)
    .flatMap((h) => h.relations)
    .find((r) => r.children.includes(part))?.parent;
  if (!whole) throw new Error(`${ac.id}: no additive hierarchy gives the whole of ${part}`);
  const counts = [...COUNT_UNITS];
  if (counts.length !== 1) throw new Error('expected one count unit');
  const fixed = [...values.keys()].filter((id) => id !== 'INDICATOR' && id !== 'UNIT_MEASURE');
  const sub = (indicator: string) =>
    `${vtlName(flowOf(ac))} [ sub ${[
      `INDICATOR = ${vtlString(indicator)}`,
      ...fixed.map((id) => `${vtlName(id)} = ${vtlString(single(id))}`),
      `UNIT_MEASURE = ${vtlString(counts[0]!)}`,
    ].join(', ')} ] [ keep OBS_VALUE ]`;
  const identifiers = [...values.keys()].map((id) => `identifier ${vtlName(id)} := ${vtlString(single(id))}`).join(', ');
  return {
    id: 'SDG_16_3_2',
    name: { en: 'SDG indicator 16.3.2', es: 'Indicador ODS 16.3.2' },
    description: {
      en:
        `Unsentenced detainees as a proportion of the overall prison population: persons held unsentenced (${part}) as a ` +
        `percentage of persons held (${whole}), both counted (${counts[0]}) in ${flowOf(ac)}; the series of ${ac.id}.`,
      es:
        `Detenidos que no han sido condenados como proporción de la población carcelaria total: personas recluidas sin ` +
        `condena (${part}) como porcentaje de las personas recluidas (${whole}), ambas en números (${counts[0]}) en ` +
        `${flowOf(ac)}; las series de ${ac.id}.`,
    },
    expression: `${SHARE_OPERATOR} ( ${sub(part)}, ${sub(whole)} ) [ calc ${identifiers} ]`,
    result: 'SDG_16_3_2',
    isPersistent: true,
  };
}

