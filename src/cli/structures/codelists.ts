/**
 * The codelists of DSD_CTS other than CL_ICCS and CL_AREA: offence (ICCS extended with totals),
 * criminal-justice indicator, disaggregation, sex, age, frequency, unit of measure, and the
 * SDMX cross-domain observation and confidentiality statuses.
 *
 * Choices: `_T` (total), `_Z` (not applicable) and `_U` (unknown) follow the SDMX content-oriented
 * guidelines. Spanish names outside the ICCS are our own translations (only the ICCS labels have
 * an official Spanish edition); the SDMX cross-domain lists (OBS_STATUS, CONF_STATUS) stay
 * English-only like their SDMX originals. Every code the UN-CTS files need is here (see
 * `cts-mapping.ts`, checked by test/cli/structures).
 */
import type { Code, Codelist } from '../../sdmx/model.js';
import { type CodeSpec, code, codelist } from './common.js';
import { type IccsRow, iccsCodes } from './iccs.js';

/** Extra CL_OFFENCE code for the UN-CTS residual "Corruption: Other acts of corruption". */
export const CORRUPTION_OTHER: CodeSpec = [
  '0703_OTH',
  'Corruption other than bribery (0703 excluding 07031)',
  'Corrupción distinta del soborno (0703 excepto 07031)',
  '0703',
];

/** CL_OFFENCE: `_T`, every ICCS code (same ids, names and parents), `0703_OTH`, `_Z`. */
export function buildOffenceCodelist(rows: readonly IccsRow[]): Codelist {
  const iccs = iccsCodes(rows);
  // 0703_OTH goes after the last code of the 0703 subtree (depth-first order of the source).
  let at = iccs.length;
  for (let i = iccs.length - 1; i >= 0; i--) {
    if (iccs[i].id.startsWith('0703')) {
      at = i + 1;
      break;
    }
  }
  const codes: Code[] = [
    code(['_T', 'Total (all criminal offences)', 'Total (todos los delitos)']),
    ...iccs.slice(0, at),
    {
      ...code(CORRUPTION_OTHER),
      description: {
        en:
          'UN-CTS category "Other acts of corruption": corruption (ICCS 0703) other than bribery (07031), i.e. ' +
          'ICCS 07032 to 07039 together. Not an ICCS code.',
      },
    },
    ...iccs.slice(at),
    code(['_Z', 'Not applicable', 'No aplicable']),
  ];
  return codelist({
    id: 'CL_OFFENCE',
    name: { en: 'Offence (ICCS)', es: 'Delito (ICCS)' },
    description: {
      en:
        'The offence dimension: the codelist CL_ICCS (all 320 categories of the ICCS v1.0, UNODC 2015, same ids, ' +
        'names and hierarchy) extended with _T "Total (all criminal offences)", _Z "Not applicable" (for ' +
        'measures that are not counted by offence, such as prison capacity) and 0703_OTH (the UN-CTS ' +
        'residual "Other acts of corruption", corruption other than bribery).',
    },
    codes,
  });
}

const specs = (list: readonly CodeSpec[]): Code[] => list.map(code);

export const CL_SEX = codelist({
  id: 'CL_SEX',
  name: { en: 'Sex', es: 'Sexo' },
  description: { en: 'Sex of the persons counted (SDMX cross-domain codes).' },
  codes: specs([
    ['_T', 'Total', 'Total'],
    ['F', 'Female', 'Mujeres'],
    ['M', 'Male', 'Hombres'],
  ]),
});

export const CL_AGE = codelist({
  id: 'CL_AGE',
  name: { en: 'Age', es: 'Edad' },
  description: {
    en:
      'Age groups of the UN-CTS: juveniles (under 18, or the national age of criminal majority) and adults, ' +
      'with the UN-CTS age bands under them.',
  },
  codes: specs([
    ['_T', 'Total', 'Total'],
    ['Y_LT18', 'Juveniles (under 18)', 'Menores (menos de 18 años)'],
    ['Y0T9', '0 to 9 years', 'De 0 a 9 años', 'Y_LT18'],
    ['Y10T14', '10 to 14 years', 'De 10 a 14 años', 'Y_LT18'],
    ['Y15T17', '15 to 17 years', 'De 15 a 17 años', 'Y_LT18'],
    ['Y_GE18', 'Adults (18 and over)', 'Adultos (18 años o más)'],
    ['Y18T19', '18 to 19 years', 'De 18 a 19 años', 'Y_GE18'],
    ['Y20T24', '20 to 24 years', 'De 20 a 24 años', 'Y_GE18'],
    ['Y25T29', '25 to 29 years', 'De 25 a 29 años', 'Y_GE18'],
    ['Y30T44', '30 to 44 years', 'De 30 a 44 años', 'Y_GE18'],
    ['Y45T59', '45 to 59 years', 'De 45 a 59 años', 'Y_GE18'],
    ['Y_GE60', '60 years and over', '60 años o más', 'Y_GE18'],
    ['_U', 'Unknown', 'Desconocida'],
  ]),
});

export const CL_FREQ = codelist({
  id: 'CL_FREQ',
  name: { en: 'Frequency', es: 'Frecuencia' },
  description: { en: 'Frequency of observation (SDMX cross-domain codes). All UN-CTS series are annual.' },
  codes: specs([
    ['A', 'Annual', 'Anual'],
    ['S', 'Half-yearly', 'Semestral'],
    ['Q', 'Quarterly', 'Trimestral'],
    ['M', 'Monthly', 'Mensual'],
    ['W', 'Weekly', 'Semanal'],
    ['D', 'Daily', 'Diaria'],
  ]),
});

export const CL_UNIT_MEASURE = codelist({
  id: 'CL_UNIT_MEASURE',
  name: { en: 'Unit of measure', es: 'Unidad de medida' },
  description: { en: 'Unit in which an observation is expressed: a count, a rate per 100 000 population, or a percentage.' },
  codes: specs([
    ['NR', 'Number', 'Número'],
    ['P_HTHAB', 'Rate per 100 000 population', 'Tasa por 100 000 habitantes'],
    ['PC', 'Percentage (of total persons held)', 'Porcentaje (del total de personas recluidas)'],
  ]),
});

export const CL_OBS_STATUS = codelist({
  id: 'CL_OBS_STATUS',
  name: { en: 'Observation status' },
  description: { en: 'Information on the quality of a value or an unusual or missing value (SDMX cross-domain codelist).' },
  codes: specs([
    ['A', 'Normal value'],
    ['B', 'Time series break'],
    ['D', 'Definition differs'],
    ['E', 'Estimated value'],
    ['F', 'Forecast value'],
    ['G', 'Experimental value'],
    ['I', 'Imputed value'],
    ['K', 'Data included in another category'],
    ['L', 'Missing value; data exist but were not collected'],
    ['M', 'Missing value; data cannot exist'],
    ['N', 'Not significant'],
    ['O', 'Missing value'],
    ['P', 'Provisional value'],
    ['Q', 'Missing value; suppressed'],
    ['S', 'Strike and other special events'],
    ['U', 'Low reliability'],
    ['V', 'Unvalidated value'],
  ]),
});

export const CL_CONF_STATUS = codelist({
  id: 'CL_CONF_STATUS',
  name: { en: 'Confidentiality status' },
  description: {
    en:
      'Confidentiality status of an observation (SDMX cross-domain codelist): free, or why and by whom it is ' +
      'withheld. Cells suppressed by our disclosure control carry A (primary) or S (secondary).',
  },
  codes: specs([
    ['F', 'Free'],
    ['N', 'Not for publication, restricted for internal use only'],
    ['C', 'Confidential statistical information'],
    ['D', 'Secondary confidentiality set by the sender, not for publication'],
    ['S', 'Secondary confidentiality set and managed by the receiver, not for publication'],
    ['A', 'Primary confidentiality due to small counts'],
    ['O', 'Primary confidentiality due to dominance by one unit'],
    ['T', 'Primary confidentiality due to dominance by two units'],
    ['G', 'Primary confidentiality due to dominance by one or two units'],
    ['M', 'Primary confidentiality due to data declared confidential based on other measures of concealment'],
  ]),
});

export const CL_CJ_INDICATOR = codelist({
  id: 'CL_CJ_INDICATOR',
  name: { en: 'Criminal-justice indicator', es: 'Indicador de justicia penal' },
  description: {
    en:
      'What is counted, by stage of the criminal-justice process as in the UN-CTS: offences recorded by the ' +
      'police, victims, persons in formal contact with the police, prosecuted, brought before the courts, ' +
      'convicted, and persons held in prison, with prison deaths and capacity.',
  },
  codes: specs([
    ['OFF', 'Offences recorded by the police', 'Delitos registrados por la policía'],
    ['VIC_HOM', 'Victims of intentional homicide', 'Víctimas de homicidio intencional'],
    ['VIC_SEXVIOL', 'Victims of sexual violence', 'Víctimas de violencia sexual'],
    ['VIC_SASSAULT', 'Victims of serious assault', 'Víctimas de agresión grave'],
    [
      'PER_CONTACT',
      'Persons brought into formal contact with the police (suspected, arrested or cautioned)',
      'Personas que entraron en contacto formal con la policía (sospechosas, detenidas o amonestadas)',
    ],
    ['PER_PROSEC', 'Persons prosecuted', 'Personas procesadas'],
    ['PER_COURT', 'Persons brought before criminal courts', 'Personas llevadas ante los tribunales penales'],
    ['PER_CONVICT', 'Persons convicted', 'Personas condenadas'],
    ['PRIS_HELD', 'Persons held in prisons', 'Personas recluidas en prisiones'],
    ['PRIS_SENT', 'Persons held sentenced', 'Personas recluidas condenadas', 'PRIS_HELD'],
    ['PRIS_UNSENT', 'Persons held unsentenced', 'Personas recluidas sin condena', 'PRIS_HELD'],
    ['PRIS_ENTER', 'Persons entering prison', 'Personas que ingresan en prisión'],
    ['PRIS_DEATH', 'Deaths in prison', 'Muertes en prisión'],
    [
      'PRIS_OTHER_SUP',
      'Persons held under other types of supervision',
      'Personas sometidas a otros tipos de supervisión',
    ],
    ['PRIS_CAPACITY', 'Official prison capacity', 'Capacidad oficial de las prisiones'],
    ['PRIS_FACILITIES', 'Number of prison facilities', 'Número de establecimientos penitenciarios'],
  ]),
});

export const CL_DISAGGREGATION = codelist({
  id: 'CL_DISAGGREGATION',
  name: { en: 'Disaggregation', es: 'Desagregación' },
  description: {
    en:
      'The UN-CTS breakdowns other than offence, sex and age: citizenship, legal representation, status and ' +
      'length of detention, cause of death in prison, relationship of victim to perpetrator, and the ICCS ' +
      'cyber-related tag. _T means no such breakdown.',
  },
  codes: specs([
    ['_T', 'No breakdown (total)', 'Sin desagregación (total)'],
    ['CIT_NAT', 'National citizens', 'Nacionales'],
    ['CIT_FOR', 'Foreign citizens', 'Extranjeros'],
    ['LEG_WITH', 'With legal representation', 'Con representación legal'],
    ['LEG_NONE', 'With no legal representation', 'Sin representación legal'],
    [
      'LEG_PAID_FREE',
      'Paid legal representation at no cost for the beneficiary',
      'Representación legal pagada, sin costo para el beneficiario',
      'LEG_WITH',
    ],
    ['LEG_PAID_SELF', 'Paid legal representation paid for by the beneficiary', 'Representación legal pagada por el beneficiario', 'LEG_WITH'],
    ['STA_SENT', 'Sentenced', 'Condenados'],
    ['STA_UNSENT', 'Unsentenced', 'Sin condena'],
    ['DET_LT6M', 'Unsentenced for less than 6 months', 'Sin condena desde hace menos de 6 meses'],
    ['DET_LT12M', 'Unsentenced for less than 12 months', 'Sin condena desde hace menos de 12 meses'],
    ['DET_GT12M', 'Unsentenced for more than 12 months', 'Sin condena desde hace más de 12 meses'],
    ['DEATH_NAT', 'Deaths due to natural causes', 'Muertes por causas naturales'],
    ['DEATH_EXT', 'Deaths due to external causes', 'Muertes por causas externas'],
    ['DEATH_EXT_HOM', 'Deaths due to external causes: intentional homicide', 'Muertes por causas externas: homicidio intencional', 'DEATH_EXT'],
    ['DEATH_EXT_SUI', 'Deaths due to external causes: suicide', 'Muertes por causas externas: suicidio', 'DEATH_EXT'],
    [
      'DEATH_EXT_ACC',
      'Deaths due to external causes: accident or other causes',
      'Muertes por causas externas: accidente u otras causas',
      'DEATH_EXT',
    ],
    ['REL_FAM', 'Intimate partner or family member', 'Pareja íntima o familiar'],
    ['REL_KNOWN', 'Other perpetrator known to the victim', 'Otro autor conocido por la víctima'],
    ['REL_UNKNOWN', 'Perpetrator unknown to the victim', 'Autor desconocido para la víctima'],
    ['REL_NK', 'Relationship to perpetrator is not known', 'Se desconoce la relación con el autor'],
    ['CY', 'Cyber-related (ICCS disaggregating tag Cy)', 'Relacionado con la ciberdelincuencia (etiqueta de desagregación Cy de la ICCS)'],
  ]),
});

/** Codelists that do not depend on source files, in publication order. */
export const FIXED_CODELISTS: readonly Codelist[] = [
  CL_FREQ,
  CL_CJ_INDICATOR,
  CL_SEX,
  CL_AGE,
  CL_DISAGGREGATION,
  CL_UNIT_MEASURE,
  CL_OBS_STATUS,
  CL_CONF_STATUS,
];
