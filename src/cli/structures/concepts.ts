/**
 * `CS_CRIME_JUSTICE`: every concept of DSD_CTS in one scheme (TCK §6.10: all dimension
 * concepts in one concept scheme, dimension id = concept id). Coded concepts carry their
 * codelist as core representation; DSD components repeat it as local representation.
 */
import type { Concept, ConceptScheme, Representation, Text } from '../../sdmx/model.js';
import { AGENCY, CODELIST, VERSION } from './common.js';

/** Representation of each concept, shared with the DSD. */
export const REPRESENTATION: Readonly<Record<string, Representation>> = {
  FREQ: { enumeration: CODELIST('CL_FREQ') },
  REF_AREA: { enumeration: CODELIST('CL_AREA') },
  INDICATOR: { enumeration: CODELIST('CL_CJ_INDICATOR') },
  OFFENCE: { enumeration: CODELIST('CL_OFFENCE') },
  SEX: { enumeration: CODELIST('CL_SEX') },
  AGE: { enumeration: CODELIST('CL_AGE') },
  DISAGGREGATION: { enumeration: CODELIST('CL_DISAGGREGATION') },
  UNIT_MEASURE: { enumeration: CODELIST('CL_UNIT_MEASURE') },
  TIME_PERIOD: { textFormat: { textType: 'ObservationalTimePeriod' } },
  OBS_VALUE: { textFormat: { textType: 'Double' } },
  OBS_STATUS: { enumeration: CODELIST('CL_OBS_STATUS') },
  CONF_STATUS: { enumeration: CODELIST('CL_CONF_STATUS') },
  SOURCE_DETAIL: { textFormat: { textType: 'String' } },
  COMMENT_OBS: { textFormat: { textType: 'String', maxLength: 1050 } },
};

const CONCEPTS: readonly (readonly [id: string, name: Text, description: string])[] = [
  ['FREQ', { en: 'Frequency', es: 'Frecuencia' }, 'Time interval at which observations occur over a given time period.'],
  ['REF_AREA', { en: 'Reference area', es: 'Zona de referencia' }, 'Country, territory or region the data refer to.'],
  [
    'INDICATOR',
    { en: 'Criminal-justice indicator', es: 'Indicador de justicia penal' },
    'What is counted: offences, victims, or persons at a stage of the criminal-justice process (UN-CTS).',
  ],
  [
    'OFFENCE',
    { en: 'Offence (ICCS)', es: 'Delito (ICCS)' },
    'Category of criminal offence in the International Classification of Crime for Statistical Purposes.',
  ],
  ['SEX', { en: 'Sex', es: 'Sexo' }, 'Sex of the persons counted.'],
  ['AGE', { en: 'Age', es: 'Edad' }, 'Age group of the persons counted.'],
  [
    'DISAGGREGATION',
    { en: 'Disaggregation', es: 'Desagregación' },
    'Further UN-CTS breakdown: citizenship, legal representation, detention status, cause of death, relationship to perpetrator, cyber-related.',
  ],
  ['UNIT_MEASURE', { en: 'Unit of measure', es: 'Unidad de medida' }, 'Unit in which the observation value is expressed.'],
  ['TIME_PERIOD', { en: 'Time period', es: 'Período' }, 'Reference period of the observation (a calendar year).'],
  ['OBS_VALUE', { en: 'Observation value', es: 'Valor de la observación' }, 'The value of the observation.'],
  ['OBS_STATUS', { en: 'Observation status', es: 'Estado de la observación' }, 'Quality or special status of the value.'],
  [
    'CONF_STATUS',
    { en: 'Confidentiality status', es: 'Estado de confidencialidad' },
    'Whether the value may be published, and if not, why it is withheld.',
  ],
  [
    'SOURCE_DETAIL',
    { en: 'Source detail', es: 'Detalle de la fuente' },
    'Source of the figure as reported to UNODC, e.g. CTS (UN-CTS questionnaire), MoI (ministry of the interior), NSO (national statistical office).',
  ],
  ['COMMENT_OBS', { en: 'Observation comment', es: 'Comentario de la observación' }, 'Free-text note on the observation.'],
];

export const CONCEPT_IDS: readonly string[] = CONCEPTS.map(([id]) => id);

export function buildConceptScheme(): ConceptScheme {
  const items: Concept[] = CONCEPTS.map(([id, name, description]) => {
    const rep = REPRESENTATION[id];
    return { id, name, description: { en: description }, ...(rep ? { coreRepresentation: rep } : {}) };
  });
  return {
    class: 'ConceptScheme',
    agencyID: AGENCY,
    id: 'CS_CRIME_JUSTICE',
    version: VERSION,
    isFinal: true,
    name: { en: 'Crime and criminal-justice concepts', es: 'Conceptos de delincuencia y justicia penal' },
    description: {
      en: 'The concepts of the UN-CTS data structure DSD_CTS: its dimensions, time, measure and attributes.',
    },
    items,
  };
}
