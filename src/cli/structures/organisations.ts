/**
 * Who produces and who uses the figures: the organisation unit scheme
 * `UNODC:OU_CJ_INSTITUTIONS(1.0)` (the criminal-justice institutions whose administrative records
 * the UN-CTS tables come from, inside the national statistical system) and the data consumer
 * scheme `UNODC:DATA_CONSUMERS(1.0)`.
 *
 * Choices: the units are the institutions the UN-CTS tables name (police, prosecution service,
 * criminal courts, prison administration) plus the national statistical office and the
 * ministries and health authorities the UNODC files cite as sources; each carries the UNODC
 * source codes of the data portal files (`Source` column, GSH 2019 `source_codes.csv`) as a
 * `UNODC_SOURCE_CODES` annotation. All hang under one unit, the national criminal-justice
 * statistical system (UNODC, Guidelines for the Governance of Statistical Data in the Criminal
 * Justice System, 2024, §3): which ministry oversees which institution differs between
 * countries, so no unit is put under a ministry. The data consumer scheme has the id and version
 * SDMX fixes for it and is never final.
 */
import type { Annotation, DataConsumerScheme, OrganisationUnit, OrganisationUnitScheme } from '../../sdmx/model.js';
import { AGENCY, VERSION, text } from './common.js';

const sourceCodes = (codes: string, meaning: string): Annotation => ({
  type: 'UNODC_SOURCE_CODES',
  title: codes,
  text: { en: `Codes of this source in the UNODC data portal files and the Global Study on Homicide tables: ${meaning}.` },
});

const ROOT = 'CJ_STAT_SYSTEM';

const UNITS: readonly OrganisationUnit[] = [
  {
    id: ROOT,
    name: text('National criminal-justice statistical system', 'Sistema nacional de estadísticas de justicia penal'),
    description: {
      en:
        'The national statistical office and every public institution that records, produces or disseminates crime and ' +
        'criminal-justice statistics: the police, the prosecution service, the courts, the prison system and the ' +
        'ministries responsible for them (UNODC, Guidelines for the Governance of Statistical Data in the Criminal Justice System, 2024).',
    },
  },
  {
    id: 'NSO',
    parentID: ROOT,
    name: text('National statistical office', 'Oficina nacional de estadística'),
    description: {
      en:
        'Coordinates the national statistical system, often hosts the UN-CTS national focal point that compiles and submits ' +
        'the questionnaire, and in several countries disseminates the crime and criminal-justice statistics.',
    },
    annotations: [sourceCodes('NSO/SO', 'NSO = National Statistical Organization, SO = Statistical Organization')],
  },
  {
    id: 'POLICE',
    parentID: ROOT,
    name: text('Police', 'Policía'),
    description: {
      en:
        'Records criminal offences reported to or detected by the police and the persons brought into formal contact ' +
        'with the police (suspected, arrested or cautioned): the UN-CTS tables behind DF_CTS_OFFENCES, DF_CTS_VICTIMS, ' +
        'DF_CTS_FORMAL_CONTACT and, with public health, DF_CTS_HOMICIDE.',
    },
    annotations: [sourceCodes('NP/JP', 'NP = National Police, JP = Judicial police')],
  },
  {
    id: 'PROSECUTION',
    parentID: ROOT,
    name: text('Prosecution service', 'Ministerio público (fiscalía)'),
    description: {
      en: 'Initiates or confirms the formal criminal charge: persons prosecuted (DF_CTS_PROSECUTED).',
    },
    annotations: [sourceCodes('PPR/AG', 'PPR = Public Prosecution, AG = Attorney General')],
  },
  {
    id: 'COURTS',
    parentID: ROOT,
    name: text('Criminal courts', 'Tribunales penales'),
    description: {
      en: 'Try the persons brought before them and convict or acquit: DF_CTS_COURTS and DF_CTS_CONVICTED.',
    },
  },
  {
    id: 'PRISON_ADMIN',
    parentID: ROOT,
    name: text('Prison administration', 'Administración penitenciaria'),
    description: {
      en:
        'Holds sentenced and unsentenced persons and records entries, deaths in custody, capacity and facilities ' +
        '(DF_CTS_PRISONS, SDG indicator 16.3.2).',
    },
  },
  {
    id: 'MOJ',
    parentID: ROOT,
    name: text('Ministry of Justice', 'Ministerio de Justicia'),
    description: { en: 'In many countries compiles the court and prison statistics reported to the UN-CTS.' },
    annotations: [sourceCodes('MOJ', 'MOJ = Ministry of Justice')],
  },
  {
    id: 'MOI',
    parentID: ROOT,
    name: text('Ministry of the Interior', 'Ministerio del Interior'),
    description: { en: 'In many countries compiles the police statistics reported to the UN-CTS.' },
    annotations: [sourceCodes('MOI', 'MOI = Ministry of Interior')],
  },
  {
    id: 'PUBLIC_HEALTH',
    parentID: ROOT,
    name: text('Public health authorities', 'Autoridades de salud pública'),
    description: {
      en:
        'Register deaths by cause: the second source of homicide counts besides the police, used by the Global Study on ' +
        'Homicide where police data are missing (DF_CTS_HOMICIDE).',
    },
    annotations: [sourceCodes('MOH', 'MOH = Ministry of Health')],
  },
];

export function buildOrganisationUnitScheme(): OrganisationUnitScheme {
  return {
    class: 'OrganisationUnitScheme',
    agencyID: AGENCY,
    id: 'OU_CJ_INSTITUTIONS',
    version: VERSION,
    isFinal: true,
    name: text('Criminal-justice institutions', 'Instituciones de justicia penal'),
    description: {
      en:
        'The institutions whose administrative records the crime and criminal-justice figures come from, as the UN-CTS ' +
        'tables name them, inside the national statistical system.',
      es: 'Las instituciones cuyos registros administrativos originan las cifras de delincuencia y justicia penal.',
    },
    items: UNITS,
  };
}

export function buildDataConsumerScheme(): DataConsumerScheme {
  return {
    class: 'DataConsumerScheme',
    agencyID: AGENCY,
    id: 'DATA_CONSUMERS',
    version: '1.0',
    isFinal: false,
    name: text('Data consumers', 'Usuarios de los datos'),
    description: { en: 'Who the crime and criminal-justice data published here serve.' },
    items: [
      {
        id: 'UNODC',
        name: text('United Nations Office on Drugs and Crime', 'Oficina de las Naciones Unidas contra la Droga y el Delito'),
        description: {
          en:
            'Collects the UN-CTS from Member States every year, publishes the Global Study on Homicide and, as custodian ' +
            'agency, reports SDG indicators 16.1.1 and 16.3.2.',
        },
      },
      {
        id: 'ESTAT',
        name: text('Eurostat', 'Eurostat'),
        description: {
          en: 'Collects the UN-CTS for European countries jointly with UNODC and publishes it as crim_off_cat, crim_pris_age and related tables.',
        },
      },
      {
        id: 'UNSD',
        name: text('United Nations Statistics Division', 'División de Estadística de las Naciones Unidas'),
        description: { en: 'Publishes the SDG indicators 16.1.1 and 16.3.2 reported by UNODC in the Global SDG Indicators Database.' },
      },
      {
        id: 'PUBLIC',
        name: text('General public', 'Público en general'),
        description: {
          en: 'Researchers, journalists, civil society and policy makers reading the published tables, open to all once a release is public.',
        },
      },
    ],
  };
}
