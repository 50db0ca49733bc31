/**
 * The organisation and category schemes: `SDMX:AGENCIES(1.0)` (the maintenance agencies),
 * `UNODC:DATA_PROVIDERS(1.0)` and the flat theme scheme `UNODC:CAT_THEMES(1.0)`.
 *
 * Choices: agency and data-provider schemes have the ids and version SDMX 2.1 fixes for them
 * and are never final; CAT_THEMES is flat, which the TCK expects (§6.10: the first category
 * has no children, or the scheme is flat).
 */
import type { Agency, AgencyScheme, CategoryScheme, DataProviderScheme } from '../../sdmx/model.js';
import { AGENCY, VERSION } from './common.js';

const UNODC_NAME = {
  en: 'United Nations Office on Drugs and Crime',
  es: 'Oficina de las Naciones Unidas contra la Droga y el Delito',
};
const ESTAT_NAME = { en: 'Eurostat', es: 'Eurostat' };

/** `others`: agencies of structures we republish as they are (the IAEG-SDGs, sdg.ts). */
export function buildAgencyScheme(others: readonly Agency[] = []): AgencyScheme {
  return {
    class: 'AgencyScheme',
    agencyID: 'SDMX',
    id: 'AGENCIES',
    version: '1.0',
    isFinal: false,
    name: { en: 'SDMX agency scheme', es: 'Esquema de agencias SDMX' },
    description: { en: 'Maintenance agencies of the structures published by this service.' },
    items: [
      {
        id: 'UNODC',
        name: UNODC_NAME,
        description: { en: 'Maintains the ICCS and the UN-CTS structures (crime and criminal-justice statistics).' },
      },
      { id: 'ESTAT', name: ESTAT_NAME, description: { en: 'Statistical office of the European Union.' } },
      ...others,
    ],
  };
}

export function buildDataProviderScheme(): DataProviderScheme {
  return {
    class: 'DataProviderScheme',
    agencyID: AGENCY,
    id: 'DATA_PROVIDERS',
    version: '1.0',
    isFinal: false,
    name: { en: 'Data providers', es: 'Proveedores de datos' },
    description: { en: 'Organisations that provide the crime and criminal-justice data published here.' },
    items: [
      {
        id: 'UNODC',
        name: UNODC_NAME,
        description: { en: 'UN-CTS data and the Global Study on Homicide (UNODC Research – Data Portal).' },
      },
      {
        id: 'ESTAT',
        name: ESTAT_NAME,
        description: { en: 'European data from the joint UNODC–Eurostat crime and criminal-justice collection.' },
      },
    ],
  };
}

/** Themes, in the order of the criminal-justice process after the headline homicide theme. */
export const THEMES = [
  { id: 'HOMICIDE', name: { en: 'Intentional homicide', es: 'Homicidio intencional' } },
  { id: 'OFFENCES', name: { en: 'Offences recorded by the police', es: 'Delitos registrados por la policía' } },
  { id: 'VICTIMS', name: { en: 'Victims of crime', es: 'Víctimas de delitos' } },
  { id: 'POLICE', name: { en: 'Police', es: 'Policía' } },
  { id: 'PROSECUTION', name: { en: 'Prosecution', es: 'Fiscalía' } },
  { id: 'COURTS', name: { en: 'Courts', es: 'Tribunales' } },
  { id: 'PRISONS', name: { en: 'Prisons', es: 'Prisiones' } },
] as const;
export type ThemeId = (typeof THEMES)[number]['id'];

export function buildCategoryScheme(): CategoryScheme {
  return {
    class: 'CategoryScheme',
    agencyID: AGENCY,
    id: 'CAT_THEMES',
    version: VERSION,
    isFinal: true,
    name: { en: 'Crime and criminal-justice themes', es: 'Temas de delincuencia y justicia penal' },
    description: { en: 'Themes under which the dataflows are listed, following the stages of the criminal-justice process.' },
    items: THEMES.map((t) => ({ id: t.id, name: t.name })),
  };
}
