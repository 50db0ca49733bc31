/**
 * The UN-CTS questionnaire as a reporting taxonomy, `UNODC:RT_UN_CTS(1.0)`: one reporting
 * category per stage of the criminal-justice process (the institution that answers that part of
 * the questionnaire), and under it one per table, grouping the dataflows that publish it.
 *
 * Choices: the tables are the outputs the ICCS implementation roadmap lists as UN-CTS
 * requirements (offences, victims of intentional homicide, persons brought into formal contact,
 * prosecuted, brought before courts, convicted, held in prison) plus the victims table of the
 * violent-crime file. The Eurostat flows report the same tables for European countries (the
 * joint UNODC–Eurostat collection is the UN-CTS there), so they sit beside the UNODC flow of
 * their table. Homicide sits under the police, which records it (public health is the other
 * source, see OU_CJ_INSTITUTIONS).
 */
import type { ReportingCategory, ReportingTaxonomy } from '../../sdmx/model.js';
import { AGENCY, type DataflowId, VERSION, ref, text } from './common.js';

interface TableSpec {
  readonly id: string;
  readonly en: string;
  readonly es: string;
  readonly flows: readonly DataflowId[];
}

const STAGES: readonly { id: string; en: string; es: string; tables: readonly TableSpec[] }[] = [
  {
    id: 'POLICE',
    en: 'Police',
    es: 'Policía',
    tables: [
      { id: 'OFFENCES', en: 'Offences recorded by the police', es: 'Delitos registrados por la policía', flows: ['DF_CTS_OFFENCES', 'DF_ESTAT_CRIM_OFF_CAT'] },
      { id: 'HOMICIDE', en: 'Victims of intentional homicide', es: 'Víctimas de homicidio intencional', flows: ['DF_CTS_HOMICIDE'] },
      {
        id: 'VICTIMS',
        en: 'Victims of serious assault and sexual violence',
        es: 'Víctimas de agresión grave y de violencia sexual',
        flows: ['DF_CTS_VICTIMS'],
      },
      {
        id: 'FORMAL_CONTACT',
        en: 'Persons brought into formal contact with the police',
        es: 'Personas que entraron en contacto formal con la policía',
        flows: ['DF_CTS_FORMAL_CONTACT'],
      },
    ],
  },
  {
    id: 'PROSECUTION',
    en: 'Prosecution',
    es: 'Fiscalía',
    tables: [{ id: 'PROSECUTED', en: 'Persons prosecuted', es: 'Personas procesadas', flows: ['DF_CTS_PROSECUTED'] }],
  },
  {
    id: 'COURTS',
    en: 'Courts',
    es: 'Tribunales',
    tables: [
      {
        id: 'BROUGHT_BEFORE_COURTS',
        en: 'Persons brought before criminal courts',
        es: 'Personas llevadas ante los tribunales penales',
        flows: ['DF_CTS_COURTS'],
      },
      { id: 'CONVICTED', en: 'Persons convicted', es: 'Personas condenadas', flows: ['DF_CTS_CONVICTED'] },
    ],
  },
  {
    id: 'PRISONS',
    en: 'Prisons',
    es: 'Prisiones',
    tables: [
      {
        id: 'PRISONERS',
        en: 'Persons held in prisons, prison entries, deaths and capacity',
        es: 'Personas recluidas, ingresos, muertes y capacidad de las prisiones',
        flows: ['DF_CTS_PRISONS', 'DF_ESTAT_CRIM_PRIS_AGE'],
      },
    ],
  },
];

export function buildReportingTaxonomy(): ReportingTaxonomy {
  const items: ReportingCategory[] = [];
  for (const stage of STAGES) {
    items.push({
      id: stage.id,
      name: text(stage.en, stage.es),
      description: { en: `The part of the UN-CTS questionnaire answered from the records of the ${stage.en.toLowerCase()}.` },
    });
    for (const t of stage.tables) {
      items.push({
        id: t.id,
        parentID: stage.id,
        name: text(t.en, t.es),
        description: { en: `UN-CTS table "${t.en}", published as ${t.flows.join(' and ')}.` },
        provisioningMetadata: t.flows.map((f) => ref('Dataflow', f)),
      });
    }
  }
  return {
    class: 'ReportingTaxonomy',
    agencyID: AGENCY,
    id: 'RT_UN_CTS',
    version: VERSION,
    isFinal: true,
    name: text('UN-CTS questionnaire', 'Cuestionario UN-CTS'),
    description: {
      en:
        'The tables of the United Nations Survey of Crime Trends and Operations of Criminal Justice Systems (UN-CTS), by ' +
        'stage of the criminal-justice process, each with the dataflows that publish it.',
      es: 'Los cuadros de la Encuesta de las Naciones Unidas sobre Tendencias Delictivas y Funcionamiento de los Sistemas de Justicia Penal.',
    },
    items,
  };
}
