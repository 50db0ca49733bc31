/**
 * The dataflows (one per UN-CTS table and one per Eurostat table, all on DSD_CTS), and for
 * each: its Allowed content constraint `CR_A_<flow>`, its categorisation `CAT_<flow>` under a
 * theme, and its provision agreements `PA_<flow>_<provider>`.
 *
 * Choices: the constraints are computed from the loader's mapping rules (`cts-mapping.ts`), so
 * a constraint allows exactly the INDICATOR, OFFENCE and DISAGGREGATION codes the table's
 * source rows map to. OFFENCE is left open on the police-recorded offence flows (any ICCS
 * category may be reported there, and Eurostat changes its selection between releases); FREQ
 * is always A (annual TIME_PERIOD, TCK §6.10). Eurostat data have flows of their own because
 * Eurostat's figures differ from UNODC's for the same keys.
 */
import { CRIME_METADATA, METADATA_ANNOTATION } from '../../sdmx/metadata/model.js';
import type {
  Categorisation,
  Codelist,
  ContentConstraint,
  Dataflow,
  KeyValueSet,
  ProvisionAgreement,
  Text,
} from '../../sdmx/model.js';
import { AGENCY, DSD, type DataflowId, type DimensionId, VERSION, categoryRef, providerRef, ref } from './common.js';
import { CTS_RULES, ESTAT_TARGETS, GSH_TARGET, type CtsTarget } from './cts-mapping.js';
import type { ThemeId } from './schemes.js';

export interface FlowSpec {
  readonly id: DataflowId;
  readonly name: Text;
  readonly description: Text;
  readonly theme: ThemeId;
  readonly providers: readonly ('UNODC' | 'ESTAT')[];
  readonly units: readonly string[];
  /** Leave OFFENCE unconstrained (any ICCS category may be reported). */
  readonly anyOffence?: boolean;
}

const UNCTS = 'Source: UNODC, United Nations Survey of Crime Trends and Operations of Criminal Justice Systems (UN-CTS), UNODC Research – Data Portal.';
const ESTAT = 'Source: Eurostat, joint UNODC–Eurostat data collection on crime and criminal justice,';
const COUNTS_AND_RATES = ['NR', 'P_HTHAB'];

export const FLOWS: readonly FlowSpec[] = [
  {
    id: 'DF_CTS_OFFENCES',
    name: { en: 'Offences recorded by the police', es: 'Delitos registrados por la policía' },
    description: {
      en:
        'Criminal offences recorded by the police, by ICCS category: serious assault, kidnapping, sexual violence, ' +
        'sexual exploitation, acts intended to induce fear, theft, burglary, fraud, corruption, money laundering, ' +
        'smuggling of migrants, cybercrime and crimes against the environment; counts and rates per 100 000 ' +
        `population. ${UNCTS}`,
      es: 'Delitos registrados por la policía, por categoría de la ICCS; números y tasas por 100 000 habitantes.',
    },
    theme: 'OFFENCES',
    providers: ['UNODC'],
    units: COUNTS_AND_RATES,
    anyOffence: true,
  },
  {
    id: 'DF_CTS_HOMICIDE',
    name: { en: 'Victims of intentional homicide', es: 'Víctimas de homicidio intencional' },
    description: {
      en:
        'Victims of intentional homicide (ICCS 0101), total and by sex; counts and rates per 100 000 population ' +
        '(SDG indicator 16.1.1). Source: UNODC, Global Study on Homicide 2019, data tables 2000–2016.',
      es: 'Víctimas de homicidio intencional (ICCS 0101), total y por sexo (indicador ODS 16.1.1).',
    },
    theme: 'HOMICIDE',
    providers: ['UNODC'],
    units: COUNTS_AND_RATES,
  },
  {
    id: 'DF_CTS_VICTIMS',
    name: { en: 'Victims of serious assault and sexual violence', es: 'Víctimas de agresión grave y de violencia sexual' },
    description: {
      en:
        'Victims of serious assault (ICCS 020111) and of sexual violence (ICCS 0301) recorded by the police, by ' +
        `sex and relationship to the perpetrator; counts and rates per 100 000 population. ${UNCTS}`,
      es: 'Víctimas de agresión grave y de violencia sexual, por sexo y relación con el autor.',
    },
    theme: 'VICTIMS',
    providers: ['UNODC'],
    units: COUNTS_AND_RATES,
  },
  {
    id: 'DF_CTS_FORMAL_CONTACT',
    name: {
      en: 'Persons brought into formal contact with the police',
      es: 'Personas que entraron en contacto formal con la policía',
    },
    description: {
      en:
        'Persons suspected, arrested or cautioned by the police, by ICCS section or selected crime, sex, age ' +
        `(juveniles, adults) and citizenship; counts and rates per 100 000 population. ${UNCTS}`,
      es: 'Personas sospechosas, detenidas o amonestadas por la policía, por delito, sexo, edad y nacionalidad.',
    },
    theme: 'POLICE',
    providers: ['UNODC'],
    units: COUNTS_AND_RATES,
  },
  {
    id: 'DF_CTS_PROSECUTED',
    name: { en: 'Persons prosecuted', es: 'Personas procesadas' },
    description: {
      en:
        'Persons prosecuted, by ICCS section or selected crime, sex, age (juveniles, adults) and citizenship; ' +
        `counts and rates per 100 000 population. ${UNCTS}`,
      es: 'Personas procesadas, por delito, sexo, edad y nacionalidad.',
    },
    theme: 'PROSECUTION',
    providers: ['UNODC'],
    units: COUNTS_AND_RATES,
  },
  {
    id: 'DF_CTS_COURTS',
    name: { en: 'Persons brought before criminal courts', es: 'Personas llevadas ante los tribunales penales' },
    description: {
      en:
        'Persons brought before criminal courts, in total and by type of legal representation; counts and rates ' +
        `per 100 000 population. ${UNCTS}`,
      es: 'Personas llevadas ante los tribunales penales, en total y por tipo de representación legal.',
    },
    theme: 'COURTS',
    providers: ['UNODC'],
    units: COUNTS_AND_RATES,
  },
  {
    id: 'DF_CTS_CONVICTED',
    name: { en: 'Persons convicted', es: 'Personas condenadas' },
    description: {
      en:
        'Persons convicted, by ICCS section or selected crime, sex, age (juveniles, adults) and citizenship; ' +
        `counts and rates per 100 000 population. ${UNCTS}`,
      es: 'Personas condenadas, por delito, sexo, edad y nacionalidad.',
    },
    theme: 'COURTS',
    providers: ['UNODC'],
    units: COUNTS_AND_RATES,
  },
  {
    id: 'DF_CTS_PRISONS',
    name: { en: 'Prisons and prisoners', es: 'Prisiones y personas recluidas' },
    description: {
      en:
        'Persons held in prisons (total; sentenced and unsentenced, SDG indicator 16.3.2; by sex, age, ' +
        'citizenship, ICCS section or selected crime; unsentenced by length of detention), persons entering ' +
        'prison, deaths in prison by cause, persons held under other types of supervision, official prison ' +
        `capacity and number of facilities; counts, rates per 100 000 population and percentages. ${UNCTS}`,
      es: 'Personas recluidas en prisiones, ingresos, muertes en prisión, capacidad y número de establecimientos.',
    },
    theme: 'PRISONS',
    providers: ['UNODC'],
    units: [...COUNTS_AND_RATES, 'PC'],
  },
  {
    id: 'DF_ESTAT_CRIM_OFF_CAT',
    name: {
      en: 'Offences recorded by the police, by ICCS category (Eurostat)',
      es: 'Delitos registrados por la policía, por categoría de la ICCS (Eurostat)',
    },
    description: {
      en:
        'Criminal offences recorded by the police in European countries, by ICCS category; counts and rates per ' +
        `100 000 population. ${ESTAT} table crim_off_cat.`,
      es: 'Delitos registrados por la policía en países europeos, por categoría de la ICCS (Eurostat, crim_off_cat).',
    },
    theme: 'OFFENCES',
    providers: ['ESTAT'],
    units: COUNTS_AND_RATES,
    anyOffence: true,
  },
  {
    id: 'DF_ESTAT_CRIM_PRIS_AGE',
    name: { en: 'Prisoners by age and sex (Eurostat)', es: 'Personas recluidas por edad y sexo (Eurostat)' },
    description: {
      en:
        'Persons held in prisons in European countries, by age (juveniles, adults) and sex; counts and rates per ' +
        `100 000 population. ${ESTAT} table crim_pris_age.`,
      es: 'Personas recluidas en prisiones de países europeos, por edad y sexo (Eurostat, crim_pris_age).',
    },
    theme: 'PRISONS',
    providers: ['ESTAT'],
    units: COUNTS_AND_RATES,
  },
];

/** Every mapping target of a flow: UN-CTS rules, the GSH homicide tables, Eurostat extracts. */
export function flowTargets(id: DataflowId): CtsTarget[] {
  const all: CtsTarget[] = [...CTS_RULES, GSH_TARGET, ...Object.values(ESTAT_TARGETS)];
  return all.filter((t) => t.dataflow === id);
}

/** Values in codelist order (stable output, and the order clients show them in). */
function inCodelistOrder(values: Iterable<string>, cl: Codelist | undefined): string[] {
  const set = new Set(values);
  if (!cl) return [...set].sort();
  return cl.items.map((c) => c.id).filter((id) => set.has(id));
}

function allowedConstraint(flow: FlowSpec, codelists: ReadonlyMap<DimensionId, Codelist>): ContentConstraint {
  const targets = flowTargets(flow.id);
  const keyValue = (id: DimensionId, values: Iterable<string>): KeyValueSet => ({
    id,
    values: inCodelistOrder(values, codelists.get(id)),
  });
  const keyValues: KeyValueSet[] = [
    keyValue('FREQ', ['A']),
    keyValue('INDICATOR', targets.map((t) => t.indicator)),
    ...(flow.anyOffence ? [] : [keyValue('OFFENCE', targets.map((t) => t.offence))]),
    keyValue('DISAGGREGATION', targets.map((t) => t.disaggregation)),
    keyValue('UNIT_MEASURE', flow.units),
  ];
  return {
    class: 'ContentConstraint',
    agencyID: AGENCY,
    id: `CR_A_${flow.id}`,
    version: VERSION,
    isFinal: true,
    name: { en: `Allowed content of ${flow.name.en}`, ...(flow.name.es ? { es: `Contenido permitido: ${flow.name.es}` } : {}) },
    description: {
      en:
        `The codes ${flow.id} may hold: its criminal-justice indicators` +
        (flow.anyOffence ? '' : ', offences') +
        ', disaggregations and units of measure; annual frequency only.',
    },
    constraintType: 'Allowed',
    constraintAttachment: [ref('Dataflow', flow.id)],
    cubeRegions: [{ include: true, keyValues }],
  };
}

export function buildDataflow(flow: FlowSpec): Dataflow {
  return {
    class: 'Dataflow',
    agencyID: AGENCY,
    id: flow.id,
    version: VERSION,
    isFinal: true,
    name: flow.name,
    description: flow.description,
    annotations: [metadataAnnotation(flow.id)],
    structure: DSD,
  };
}

/**
 * Where the dataflow's reference metadata is (issue 15): its methodology and quality report and
 * country notes. An annotation, because every structure format carries one; the paths are
 * relative to the server, so they go in the text (an AnnotationURL must be absolute in SDMX-JSON).
 */
function metadataAnnotation(id: string) {
  const sdmx = `/sdmx/3.0/metadata/structure/dataflow/${AGENCY}/${id}/${VERSION}`;
  const api = `/api/v1/dataflows/${id}/metadata`;
  return {
    type: METADATA_ANNOTATION,
    title: `urn:sdmx:org.sdmx.infomodel.metadatastructure.Metadataflow=${AGENCY}:${CRIME_METADATA.report.flow}(${CRIME_METADATA.version})`,
    text: {
      en: `Methodology and quality report and country notes (reference metadata): ${sdmx} (SDMX) or ${api} (JSON).`,
      es: `Informe metodológico y de calidad y notas de país (metadatos de referencia): ${sdmx} (SDMX) o ${api} (JSON).`,
    },
  };
}

function categorisation(flow: FlowSpec): Categorisation {
  return {
    class: 'Categorisation',
    agencyID: AGENCY,
    id: `CAT_${flow.id}`,
    version: VERSION,
    isFinal: true,
    name: { en: `${flow.name.en}: theme ${flow.theme}` },
    description: { en: `Lists the dataflow ${flow.id} under the theme ${flow.theme} of CAT_THEMES.` },
    source: ref('Dataflow', flow.id),
    target: categoryRef(flow.theme),
  };
}

function provisionAgreement(flow: FlowSpec, provider: 'UNODC' | 'ESTAT'): ProvisionAgreement {
  return {
    class: 'ProvisionAgreement',
    agencyID: AGENCY,
    id: `PA_${flow.id}_${provider}`,
    version: VERSION,
    isFinal: true,
    name: { en: `${flow.name.en}, provided by ${provider}` },
    description: {
      en:
        provider === 'UNODC'
          ? `UNODC provides ${flow.id} from the UN-CTS and its global studies.`
          : `Eurostat provides ${flow.id} for European countries from the joint UNODC–Eurostat collection.`,
    },
    structureUsage: ref('Dataflow', flow.id),
    dataProvider: providerRef(provider),
  };
}

export interface FlowArtefacts {
  readonly dataflows: Dataflow[];
  readonly constraints: ContentConstraint[];
  readonly categorisations: Categorisation[];
  readonly provisionAgreements: ProvisionAgreement[];
}

/** `codelists` gives the order of constraint values (dimension id → its codelist). */
export function buildFlowArtefacts(codelists: ReadonlyMap<DimensionId, Codelist>): FlowArtefacts {
  return {
    dataflows: FLOWS.map(buildDataflow),
    constraints: FLOWS.map((f) => allowedConstraint(f, codelists)),
    categorisations: FLOWS.map(categorisation),
    provisionAgreements: FLOWS.flatMap((f) => f.providers.map((p) => provisionAgreement(f, p))),
  };
}
