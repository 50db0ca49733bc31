/**
 * Reported reference metadata: a metadata set, one report of an MSD's report structure about one
 * target (a dataflow, or a dataflow and a reference area). Not a structure: a metadata set is
 * versioned with releases like data, so it lives in storage, not in the structure registry.
 * Plain immutable data; no I/O.
 */
import type { ItemRef, MaintainableRef, Text } from '../model.js';

/**
 * One reported concept. Text concepts carry `text` (xml:lang → text); coded or numeric ones
 * carry `value` (a code id or a number written as SDMX writes it). Presentational concepts carry
 * neither, only children.
 */
export interface ReportedAttribute {
  /** Id of the MSD's metadata attribute. */
  readonly id: string;
  readonly text?: Text;
  readonly value?: string;
  readonly children: readonly ReportedAttribute[];
}

/** What one metadata set describes: a dataflow, and for a country note a code of the area codelist. */
export interface MetadataSetTarget {
  readonly dataflow: MaintainableRef;
  readonly area?: ItemRef;
}

export interface MetadataSet {
  readonly agencyID: string;
  /** `MS_<FLOW>` for a dataflow report, `MS_<FLOW>_<AREA>` for a country note. */
  readonly id: string;
  /** Semantic version, e.g. 1.0.0. */
  readonly version: string;
  readonly name: Text;
  readonly metadataflow: MaintainableRef;
  readonly structure: MaintainableRef;
  /** The SDMX 2.1 report structure and metadata target the report follows. */
  readonly reportID: string;
  readonly targetID: string;
  readonly target: MetadataSetTarget;
  /** Who provides the report: an organisation of the data provider scheme (`AGENCY:ID`). */
  readonly provider?: { readonly scheme: MaintainableRef; readonly id: string };
  /** ISO-8601 UTC instant from which this version is public (its release's instant). */
  readonly validFrom?: string;
  /** The last instant this version was the current one, once a later public version replaced it. */
  readonly validTo?: string;
  /** Code of the release that makes this version public. */
  readonly release?: string;
  readonly attributes: readonly ReportedAttribute[];
}

/**
 * Annotation types the structure build puts on an MSD's metadata attributes (from
 * sdmx/sources/sims/concepts.csv): the SIMS 2.0 code (title), "computed by the server at
 * request time, never authored", "a headline note shown as a footnote with the data", and "our
 * extension, not a SIMS concept".
 */
export const METADATA_ATTRIBUTE_ANNOTATIONS = {
  simsCode: 'SIMS_CODE',
  computed: 'COMPUTED',
  headline: 'HEADLINE',
  extension: 'UNODC_EXTENSION',
} as const;

/** Annotation type on each dataflow: where its reference metadata is (title: the metadataflow URN). */
export const METADATA_ANNOTATION = 'METADATA';

/** The ids of our two metadata structures, their metadataflows, report structures and targets. */
export const CRIME_METADATA = {
  agencyID: 'UNODC',
  version: '1.0',
  /** Target components: the dataflow described, and for a country note the area (a CL_AREA code). */
  dataflowComponent: 'DATAFLOW',
  areaComponent: 'REF_AREA',
  report: { msd: 'MSD_CRIME_REPORT', flow: 'MDF_CRIME_REPORT', report: 'CRIME_REPORT', target: 'DATAFLOW_TARGET' },
  countryNote: { msd: 'MSD_CRIME_COUNTRY_NOTE', flow: 'MDF_CRIME_COUNTRY_NOTE', report: 'COUNTRY_NOTE', target: 'DATAFLOW_AREA_TARGET' },
} as const;
