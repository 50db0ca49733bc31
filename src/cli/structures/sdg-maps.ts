/**
 * How our figures become SDG series, as SDMX maps: UNODC is the custodian of SDG indicators
 * 16.1.1 (victims of intentional homicide) and 16.3.2 (unsentenced detainees), reported to the
 * UN Global SDG Indicators Database in the IAEG-SDGs global DSD (sdg.ts).
 *
 * - Representation maps (SDMX 2.1 StructureSets too): our FREQ, REF_AREA, SEX, AGE,
 *   UNIT_MEASURE and OBS_STATUS codes → the SDG codelists; REF_AREA → the SDG REPORTING_TYPE
 *   (world G, M49 regions R, countries N); the homicide UNIT_MEASURE → the SDG SERIES (count
 *   VC_IHR_PSRCN, rate VC_IHR_PSRC).
 * - `SM_HOMICIDE_SDG` (StructureMap): DF_CTS_HOMICIDE → the SDG DSD through those maps, the
 *   breakdowns SDG 16.1.1 does not use fixed at `_T`, UNIT_MULT at 0 (units).
 * - `CSM_CTS_SDG` (ConceptSchemeMap): our concepts → SDG_CONCEPTS.
 * - `CAT_SDG` (the SDG targets our data inform, a category scheme) and `RT_SDG` (the SDG
 *   indicators computed from them, a reporting taxonomy), with `CATM_THEMES_SDG` and
 *   `RTM_UN_CTS_SDG` mapping our themes and UN-CTS tables onto them.
 * - `OSM_PROVIDERS_CONSUMERS` (OrganisationSchemeMap): the data providers that also use the data.
 *
 * Choices: every pair is derived from codelists and tables we hold, and each map is checked
 * against both ends when built (a code missing on either side throws), so a change to a codelist
 * cannot leave a map pointing at nothing. Areas go by the ISO 3166-1 numeric code, which is the
 * M49 code the SDG codelist uses (without leading zeros there); areas the SDG codelist lacks
 * (the sub-national ones) are left unmapped, so their figures do not become SDG series. Ages map
 * where the SDG codelist has the same band (`Y_LT18`, under 18, is its `Y0T17`). The SDG 16.3.2
 * share is computed, not mapped: it is the VTL transformation scheme's job.
 */
import type {
  Categorisation,
  CategoryScheme,
  Codelist,
  CodeMapping,
  ConceptScheme,
  ItemSchemeMap,
  Maintainable,
  MaintainableClass,
  MaintainableRef,
  RepresentationMap,
  ReportingTaxonomy,
  StructureMap,
} from '../../sdmx/model.js';
import { refOf } from '../../sdmx/model.js';
import { M49_AREAS, OTHER_AREAS } from './areas.js';
import { AGENCY, VERSION, ref, text } from './common.js';
import { SDG_AGENCY_ID } from './sdg.js';

const SDG_DSD = ref('DataStructure', 'SDG', SDG_AGENCY_ID, '1.4');

function find<C extends MaintainableClass>(all: readonly Maintainable[], cls: C, agencyID: string, id: string): Extract<Maintainable, { class: C }> {
  const a = all.find((x) => x.class === cls && x.agencyID === agencyID && x.id === id);
  if (!a) throw new Error(`SDG maps: ${cls} ${agencyID}:${id} is missing`);
  return a as Extract<Maintainable, { class: C }>;
}

function codeMap(id: string, name: ReturnType<typeof text>, description: ReturnType<typeof text>, source: Codelist, target: Codelist, pairs: readonly CodeMapping[]): RepresentationMap {
  const has = (cl: Codelist, code: string) => cl.items.some((c) => c.id === code);
  for (const p of pairs) {
    if (!has(source, p.source)) throw new Error(`${id}: ${p.source} is not in ${source.id}`);
    if (!has(target, p.target)) throw new Error(`${id}: ${p.target} is not in ${target.agencyID}:${target.id}`);
  }
  return { class: 'RepresentationMap', agencyID: AGENCY, id, version: VERSION, isFinal: true, name, description, source: refOf(source), target: refOf(target), mappings: pairs };
}

/** The same id on both sides, where the target has it. */
const sameIds = (source: Codelist, target: Codelist): CodeMapping[] =>
  source.items.filter((c) => target.items.some((t) => t.id === c.id)).map((c) => ({ source: c.id, target: c.id }));

/** Our area code → the SDG (M49, no leading zeros) code, where the SDG codelist has one. */
function sdgAreaPairs(area: Codelist, sdgArea: Codelist, numeric: ReadonlyMap<string, string>): CodeMapping[] {
  const sdgCodes = new Set(sdgArea.items.map((c) => c.id));
  const kosovo = sdgArea.items.find((c) => /^Kosovo/.test(c.name.en ?? ''))?.id;
  const m49 = (code: string): string | undefined => {
    if (/^\d{3}$/.test(code)) return String(Number(code)); // M49 regions, the Channel Islands
    if (code === 'XKX') return kosovo;
    const n = numeric.get(code);
    return n === undefined ? undefined : String(Number(n));
  };
  return area.items.flatMap((c) => {
    const target = m49(c.id);
    return target !== undefined && sdgCodes.has(target) ? [{ source: c.id, target }] : [];
  });
}

/** World G, M49 regions and subregions R, country-level areas N. */
function reportingTypeOf(code: string): string {
  if (code === '001') return 'G';
  if (M49_AREAS.some((a) => a.id === code)) return 'R';
  if (OTHER_AREAS.some((a) => a.id === code) || /^[A-Z]{3}$/.test(code)) return 'N';
  throw new Error(`SDG maps: no reporting type for area ${code}`);
}

export interface SdgMapInputs {
  /** The artefacts built so far (ours and the SDG ones). */
  readonly artefacts: readonly Maintainable[];
  /** ISO 3166-1 alpha-3 → numeric code. */
  readonly numericCodes: ReadonlyMap<string, string>;
}

/** The representation maps, category scheme, reporting taxonomy and categorisations (SDMX 2.1 artefacts). */
export function buildSdgArtefacts({ artefacts, numericCodes }: SdgMapInputs): Maintainable[] {
  const ours = (id: string) => find(artefacts, 'Codelist', AGENCY, id);
  const sdg = (id: string, agency = SDG_AGENCY_ID) => {
    const all = artefacts.filter((a): a is Codelist => a.class === 'Codelist' && a.agencyID === agency && a.id === id);
    if (all.length !== 1) throw new Error(`SDG maps: codelist ${agency}:${id} is missing`);
    return all[0];
  };
  const area = ours('CL_AREA');
  const areaPairs = sdgAreaPairs(area, sdg('CL_AREA'), numericCodes);
  const sdgAge = sdg('CL_AGE');
  const agePairs = [...sameIds(ours('CL_AGE'), sdgAge), { source: 'Y_LT18', target: 'Y0T17' }];
  const maps: RepresentationMap[] = [
    codeMap('RM_FREQ_SDG', text('Frequencies to SDMX frequencies', 'Frecuencias a las frecuencias SDMX'), text('Our FREQ codes to the SDMX cross-domain CL_FREQ(2.0) that the SDG DSD uses: the same codes.'), ours('CL_FREQ'), sdg('CL_FREQ', 'SDMX'), sameIds(ours('CL_FREQ'), sdg('CL_FREQ', 'SDMX'))),
    codeMap('RM_AREA_SDG', text('Reference areas to SDG areas', 'Áreas de referencia a las áreas de los ODS'), text('Countries and areas by their ISO 3166-1 numeric code, M49 regions by their M49 code, as the SDG codelist writes them (no leading zeros). Areas the SDG codelist lacks (the sub-national ones) are not mapped.'), area, sdg('CL_AREA'), areaPairs),
    codeMap('RM_AREA_REPORTING_TYPE', text('Reference areas to SDG reporting types', 'Áreas de referencia a los tipos de notificación de los ODS'), text('The world is reported as global (G), M49 regions and subregions as regional (R), countries and territories as national (N): the REPORTING_TYPE of an SDG observation.'), area, sdg('CL_REPORTING_TYPE'), areaPairs.map((p) => ({ source: p.source, target: reportingTypeOf(p.source) }))),
    codeMap('RM_SEX_SDG', text('Sex to SDG sex', 'Sexo al sexo de los ODS'), text('The same codes.'), ours('CL_SEX'), sdg('CL_SEX'), sameIds(ours('CL_SEX'), sdg('CL_SEX'))),
    codeMap('RM_AGE_SDG', text('Age groups to SDG age groups', 'Grupos de edad a los grupos de edad de los ODS'), text('Age bands the SDG codelist also has; under 18 (Y_LT18) is its Y0T17. Bands it lacks (Y30T44) are not mapped.'), ours('CL_AGE'), sdgAge, agePairs),
    codeMap('RM_UNIT_SDG', text('Units of measure to SDG units', 'Unidades de medida a las unidades de los ODS'), text('Counts are NUMBER, rates per 100,000 inhabitants PER_100000_POP, percentages PT.'), ours('CL_UNIT_MEASURE'), sdg('CL_UNIT_MEASURE'), [
      { source: 'NR', target: 'NUMBER' },
      { source: 'P_HTHAB', target: 'PER_100000_POP' },
      { source: 'PC', target: 'PT' },
    ]),
    codeMap('RM_HOMICIDE_SERIES_SDG', text('Homicide units to SDG 16.1.1 series', 'Unidades de homicidio a las series del ODS 16.1.1'), text('In DF_CTS_HOMICIDE (victims of intentional homicide), the count is the SDG series VC_IHR_PSRCN and the rate per 100,000 population VC_IHR_PSRC (indicator 16.1.1).'), ours('CL_UNIT_MEASURE'), sdg('CL_SERIES'), [
      { source: 'NR', target: 'VC_IHR_PSRCN' },
      { source: 'P_HTHAB', target: 'VC_IHR_PSRC' },
    ]),
    codeMap('RM_OBS_STATUS_SDG', text('Observation status to SDMX observation status', 'Estado de la observación al estado de observación SDMX'), text('Our OBS_STATUS codes are the SDMX cross-domain ones: the same codes in SDMX:CL_OBS_STATUS(2.1).'), ours('CL_OBS_STATUS'), sdg('CL_OBS_STATUS', 'SDMX'), sameIds(ours('CL_OBS_STATUS'), sdg('CL_OBS_STATUS', 'SDMX'))),
  ];
  return [...maps, buildSdgCategoryScheme(), ...buildSdgCategorisations(), buildSdgTaxonomy()];
}

const SDG_TARGETS = [
  {
    id: 'SDG_16_1',
    target: '16.1',
    name: text('Target 16.1: Significantly reduce all forms of violence and related death rates everywhere', 'Meta 16.1: Reducir significativamente todas las formas de violencia y las correspondientes tasas de mortalidad en todo el mundo'),
    flows: ['DF_CTS_HOMICIDE'],
  },
  {
    id: 'SDG_16_3',
    target: '16.3',
    name: text('Target 16.3: Promote the rule of law at the national and international levels and ensure equal access to justice for all', 'Meta 16.3: Promover el estado de derecho en los planos nacional e internacional y garantizar la igualdad de acceso a la justicia para todos'),
    flows: ['DF_CTS_PRISONS'],
  },
] as const;

function buildSdgCategoryScheme(): CategoryScheme {
  return {
    class: 'CategoryScheme',
    agencyID: AGENCY,
    id: 'CAT_SDG',
    version: VERSION,
    isFinal: true,
    name: text('Sustainable Development Goal targets', 'Metas de los Objetivos de Desarrollo Sostenible'),
    description: text(
      'The targets of Goal 16 (peaceful, just and inclusive societies) whose indicators are computed from the data published here. Flat, like CAT_THEMES.',
      'Las metas del Objetivo 16 (sociedades pacíficas, justas e inclusivas) cuyos indicadores se calculan con los datos publicados aquí.',
    ),
    items: SDG_TARGETS.map((t) => ({ id: t.id, name: t.name })),
  };
}

function buildSdgCategorisations(): Categorisation[] {
  return SDG_TARGETS.flatMap((t) =>
    t.flows.map((flow) => ({
      class: 'Categorisation' as const,
      agencyID: AGENCY,
      id: `CAT_SDG_${flow}`,
      version: VERSION,
      isFinal: true,
      name: text(`${flow} under SDG target ${t.target}`, `${flow} en la meta ${t.target} de los ODS`),
      description: text(`The SDG indicator of target ${t.target} computed from ${flow}.`, `El indicador de la meta ${t.target} de los ODS calculado con ${flow}.`),
      source: ref('Dataflow', flow),
      target: { class: 'Category' as const, scheme: ref('CategoryScheme', 'CAT_SDG'), id: t.id },
    })),
  );
}

function buildSdgTaxonomy(): ReportingTaxonomy {
  return {
    class: 'ReportingTaxonomy',
    agencyID: AGENCY,
    id: 'RT_SDG',
    version: VERSION,
    isFinal: true,
    name: text('SDG indicators computed from these data', 'Indicadores de los ODS calculados con estos datos'),
    description: text(
      'The SDG indicators of which UNODC is custodian and which come from the UN-CTS tables published here, each with the dataflow it is computed from.',
      'Los indicadores de los ODS de los que la UNODC es custodia y que provienen de los cuadros de la UN-CTS publicados aquí.',
    ),
    items: [
      {
        id: 'SDG_16_1_1',
        name: text('16.1.1 Number of victims of intentional homicide per 100,000 population, by sex and age', '16.1.1 Número de víctimas de homicidios intencionales por cada 100.000 habitantes, desglosado por sexo y edad'),
        provisioningMetadata: [ref('Dataflow', 'DF_CTS_HOMICIDE')],
      },
      {
        id: 'SDG_16_3_2',
        name: text('16.3.2 Unsentenced detainees as a proportion of overall prison population', '16.3.2 Detenidos que no han sido sentenciados como proporción de la población carcelaria total'),
        provisioningMetadata: [ref('Dataflow', 'DF_CTS_PRISONS')],
      },
    ],
  };
}

function itemSchemeMap(
  cls: ItemSchemeMap['class'],
  id: string,
  name: ReturnType<typeof text>,
  description: ReturnType<typeof text>,
  source: MaintainableRef,
  target: MaintainableRef,
  mappings: readonly CodeMapping[],
): ItemSchemeMap {
  return { class: cls, agencyID: AGENCY, id, version: VERSION, isFinal: true, name, description, source, target, mappings };
}

/** The SDMX 3.0 maps (stored as JSON: sdmx30-only.ts), built from the artefacts above. */
export function buildSdgMaps(artefacts: readonly Maintainable[]): Maintainable[] {
  const concepts = find(artefacts, 'ConceptScheme', AGENCY, 'CS_CRIME_JUSTICE');
  const sdgConcepts = find(artefacts, 'ConceptScheme', SDG_AGENCY_ID, 'SDG_CONCEPTS') as ConceptScheme;
  const sameConcepts = concepts.items.filter((c) => sdgConcepts.items.some((s) => s.id === c.id)).map((c) => ({ source: c.id, target: c.id }));
  const rm = (id: string) => refOf(find(artefacts, 'RepresentationMap', AGENCY, id));
  const sdgDsd = find(artefacts, 'DataStructure', SDG_AGENCY_ID, 'SDG');
  const component = (cls: 'Dimension' | 'Attribute', id: string) => {
    const c = cls === 'Dimension' ? sdgDsd.dimensions.find((d) => d.id === id) : sdgDsd.attributes.find((a) => a.id === id);
    if (!c) throw new Error(`SDG maps: ${id} is not a ${cls} of the SDG DSD`);
    return id;
  };
  const noBreakdown = ['URBANISATION', 'INCOME_WEALTH_QUANTILE', 'EDUCATION_LEV', 'OCCUPATION', 'CUST_BREAKDOWN', 'COMPOSITE_BREAKDOWN', 'DISABILITY_STATUS', 'ACTIVITY', 'PRODUCT'];
  const structureMap: StructureMap = {
    class: 'StructureMap',
    agencyID: AGENCY,
    id: 'SM_HOMICIDE_SDG',
    version: VERSION,
    isFinal: true,
    name: text('Victims of intentional homicide to SDG 16.1.1', 'Víctimas de homicidio intencional al ODS 16.1.1'),
    description: text(
      'How the observations of DF_CTS_HOMICIDE become SDG 16.1.1 observations in the IAEG-SDGs global DSD: the unit gives the series (count or rate per 100,000), areas, sex, age, units and statuses go through the representation maps, the breakdowns 16.1.1 does not use are _T and the unit multiplier is 0. Observations whose area or age band has no SDG code are not mapped.',
      'Cómo las observaciones de DF_CTS_HOMICIDE se convierten en observaciones del ODS 16.1.1 en la estructura mundial de los ODS.',
    ),
    source: ref('Dataflow', 'DF_CTS_HOMICIDE'),
    target: SDG_DSD,
    componentMaps: [
      { source: ['FREQ'], target: [component('Dimension', 'FREQ')], representationMap: rm('RM_FREQ_SDG') },
      { source: ['REF_AREA'], target: [component('Dimension', 'REF_AREA')], representationMap: rm('RM_AREA_SDG') },
      { source: ['REF_AREA'], target: [component('Dimension', 'REPORTING_TYPE')], representationMap: rm('RM_AREA_REPORTING_TYPE') },
      { source: ['UNIT_MEASURE'], target: [component('Dimension', 'SERIES')], representationMap: rm('RM_HOMICIDE_SERIES_SDG') },
      { source: ['SEX'], target: [component('Dimension', 'SEX')], representationMap: rm('RM_SEX_SDG') },
      { source: ['AGE'], target: [component('Dimension', 'AGE')], representationMap: rm('RM_AGE_SDG') },
      { source: ['TIME_PERIOD'], target: ['TIME_PERIOD'] },
      { source: ['OBS_VALUE'], target: ['OBS_VALUE'] },
      { source: ['UNIT_MEASURE'], target: [component('Attribute', 'UNIT_MEASURE')], representationMap: rm('RM_UNIT_SDG') },
      { source: ['OBS_STATUS'], target: [component('Attribute', 'OBS_STATUS')], representationMap: rm('RM_OBS_STATUS_SDG') },
      { source: ['SOURCE_DETAIL'], target: [component('Attribute', 'SOURCE_DETAIL')] },
      { source: ['COMMENT_OBS'], target: [component('Attribute', 'COMMENT_OBS')] },
    ],
    fixedValueMaps: [
      ...noBreakdown.map((id) => ({ target: component('Dimension', id), value: '_T' })),
      { target: component('Attribute', 'UNIT_MULT'), value: '0' },
    ],
  };
  const conceptMap = itemSchemeMap(
    'ConceptSchemeMap',
    'CSM_CTS_SDG',
    text('Crime and criminal-justice concepts to SDG concepts', 'Conceptos de delincuencia y justicia penal a los conceptos de los ODS'),
    text(
      'Our concepts and their SDG counterparts: the same id where SDG_CONCEPTS has it; what is counted (INDICATOR) and the offence (OFFENCE) together make the SDG SERIES; our DISAGGREGATION is the SDG COMPOSITE_BREAKDOWN. CONF_STATUS has no SDG counterpart.',
      'Nuestros conceptos y sus equivalentes en los ODS.',
    ),
    refOf(concepts),
    refOf(sdgConcepts),
    [...sameConcepts, { source: 'INDICATOR', target: 'SERIES' }, { source: 'OFFENCE', target: 'SERIES' }, { source: 'DISAGGREGATION', target: 'COMPOSITE_BREAKDOWN' }],
  );
  const themeMap = itemSchemeMap(
    'CategorySchemeMap',
    'CATM_THEMES_SDG',
    text('Themes to SDG targets', 'Temas a las metas de los ODS'),
    text('The themes whose dataflows feed an SDG indicator, and that indicator’s target.', 'Los temas cuyos flujos de datos alimentan un indicador de los ODS, y la meta de ese indicador.'),
    ref('CategoryScheme', 'CAT_THEMES'),
    ref('CategoryScheme', 'CAT_SDG'),
    [
      { source: 'HOMICIDE', target: 'SDG_16_1' },
      { source: 'PRISONS', target: 'SDG_16_3' },
    ],
  );
  const taxonomyMap = itemSchemeMap(
    'ReportingTaxonomyMap',
    'RTM_UN_CTS_SDG',
    text('UN-CTS tables to SDG indicators', 'Cuadros de la UN-CTS a los indicadores de los ODS'),
    text('The UN-CTS table each SDG indicator is computed from (nested reporting categories by their path).', 'El cuadro de la UN-CTS del que se calcula cada indicador de los ODS.'),
    ref('ReportingTaxonomy', 'RT_UN_CTS'),
    ref('ReportingTaxonomy', 'RT_SDG'),
    [
      { source: 'POLICE.HOMICIDE', target: 'SDG_16_1_1' },
      { source: 'PRISONS.PRISONERS', target: 'SDG_16_3_2' },
    ],
  );
  const providers = find(artefacts, 'DataProviderScheme', AGENCY, 'DATA_PROVIDERS');
  const consumers = find(artefacts, 'DataConsumerScheme', AGENCY, 'DATA_CONSUMERS');
  const organisationMap = itemSchemeMap(
    'OrganisationSchemeMap',
    'OSM_PROVIDERS_CONSUMERS',
    text('Data providers that also use the data', 'Proveedores de datos que también usan los datos'),
    text(
      'Each data provider that is also a data consumer: UNODC and Eurostat collect the UN-CTS jointly for European countries; each provides figures published here and uses them (UNODC for the UN-CTS, the Global Study on Homicide and SDG reporting, Eurostat for its crime tables).',
      'Cada proveedor de datos que es también consumidor de datos.',
    ),
    refOf(providers),
    refOf(consumers),
    providers.items.filter((p) => consumers.items.some((c) => c.id === p.id)).map((p) => ({ source: p.id, target: p.id })),
  );
  return [structureMap, conceptMap, themeMap, taxonomyMap, organisationMap];
}
