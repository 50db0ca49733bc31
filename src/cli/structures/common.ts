/**
 * Shared constants and small constructors for the structure builders: the maintenance agency,
 * the version, references to the artefacts we publish, and a codelist helper.
 *
 * Choice: everything we publish is `UNODC` version `1.0`, final (TCK §2.4 wants explicit
 * versions). The agency and data-provider schemes have fixed ids and versions and are never
 * final (SDMX 2.1 SDMXStructureOrganisation.xsd, AgencySchemeType).
 */
import type { Code, Codelist, ItemRef, MaintainableClass, MaintainableRef, Text } from '../../sdmx/model.js';

export const AGENCY = 'UNODC';
export const VERSION = '1.0';

export const ref = (cls: MaintainableClass, id: string, agencyID = AGENCY, version = VERSION): MaintainableRef => ({
  class: cls,
  agencyID,
  id,
  version,
});

/**
 * The dataflows we publish (order = order of publication): one per UN-CTS table, then one per
 * Eurostat table, whose figures differ from UNODC's for the same keys and so cannot share a flow.
 */
export const DATAFLOW_IDS = [
  'DF_CTS_OFFENCES',
  'DF_CTS_HOMICIDE',
  'DF_CTS_VICTIMS',
  'DF_CTS_FORMAL_CONTACT',
  'DF_CTS_PROSECUTED',
  'DF_CTS_COURTS',
  'DF_CTS_CONVICTED',
  'DF_CTS_PRISONS',
  'DF_ESTAT_CRIM_OFF_CAT',
  'DF_ESTAT_CRIM_PRIS_AGE',
] as const;
export type DataflowId = (typeof DATAFLOW_IDS)[number];

/** The key dimensions of DSD_CTS, in series-key order (TIME_PERIOD comes after them). */
export const DIMENSION_IDS = [
  'FREQ',
  'REF_AREA',
  'INDICATOR',
  'OFFENCE',
  'SEX',
  'AGE',
  'DISAGGREGATION',
  'UNIT_MEASURE',
] as const;
export type DimensionId = (typeof DIMENSION_IDS)[number];
/** A series key: one code per key dimension. */
export type SeriesKey = Readonly<Record<DimensionId, string>>;

export const CODELIST = (id: string): MaintainableRef => ref('Codelist', id);
export const CONCEPT_SCHEME = ref('ConceptScheme', 'CS_CRIME_JUSTICE');
export const DSD = ref('DataStructure', 'DSD_CTS');
export const CATEGORY_SCHEME = ref('CategoryScheme', 'CAT_THEMES');
export const AGENCY_SCHEME = ref('AgencyScheme', 'AGENCIES', 'SDMX');
export const PROVIDER_SCHEME = ref('DataProviderScheme', 'DATA_PROVIDERS');

export const conceptRef = (id: string): ItemRef => ({ class: 'Concept', scheme: CONCEPT_SCHEME, id });
export const providerRef = (id: string): ItemRef => ({ class: 'DataProvider', scheme: PROVIDER_SCHEME, id });
export const categoryRef = (id: string): ItemRef => ({ class: 'Category', scheme: CATEGORY_SCHEME, id });

/** A code from a compact tuple: id, English name, Spanish name (optional), parent (optional). */
export type CodeSpec = readonly [id: string, en: string, es?: string, parent?: string];

export function text(en: string, es?: string): Text {
  return es ? { en, es } : { en };
}

export function code([id, en, es, parent]: CodeSpec): Code {
  return parent ? { id, name: text(en, es), parentID: parent } : { id, name: text(en, es) };
}

export interface CodelistSpec {
  readonly id: string;
  readonly name: Text;
  readonly description: Text;
  readonly codes: readonly Code[];
}

/** A final UNODC 1.0 codelist. */
export function codelist({ id, name, description, codes }: CodelistSpec): Codelist {
  return { class: 'Codelist', agencyID: AGENCY, id, version: VERSION, isFinal: true, name, description, items: codes };
}
