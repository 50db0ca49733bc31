/**
 * Every media type we read or write, in one place (no raw media-type strings elsewhere).
 * Values are the exact strings sent as Content-Type: no spaces, no charset (the TCK compares
 * Content-Type byte for byte; REST 1.5 4_6_conneg.md).
 */
export const MEDIA = {
  structureMl21: 'application/vnd.sdmx.structure+xml;version=2.1',
  structureMl30: 'application/vnd.sdmx.structure+xml;version=3.0.0',
  structureJson10: 'application/vnd.sdmx.structure+json;version=1.0.0',
  structureJson20: 'application/vnd.sdmx.structure+json;version=2.0.0',
  genericDataMl21: 'application/vnd.sdmx.genericdata+xml;version=2.1',
  structureSpecificDataMl21: 'application/vnd.sdmx.structurespecificdata+xml;version=2.1',
  genericTimeSeriesDataMl21: 'application/vnd.sdmx.generictimeseriesdata+xml;version=2.1',
  structureSpecificTimeSeriesDataMl21: 'application/vnd.sdmx.structurespecifictimeseriesdata+xml;version=2.1',
  dataMl30: 'application/vnd.sdmx.data+xml;version=3.0.0',
  dataJson10: 'application/vnd.sdmx.data+json;version=1.0.0',
  dataJson20: 'application/vnd.sdmx.data+json;version=2.0.0',
  dataCsv10: 'application/vnd.sdmx.data+csv;version=1.0.0',
  dataCsv20: 'application/vnd.sdmx.data+csv;version=2.0.0',
  schemaMl21: 'application/vnd.sdmx.schema+xml;version=2.1',
  schemaMl30: 'application/vnd.sdmx.schema+xml;version=3.0.0',
  /** Reference metadata (REST 2.0 openapi `200-meta`); the CSV and structure-specific variants are not served. */
  metadataJson20: 'application/vnd.sdmx.metadata+json;version=2.0.0',
  metadataMl30: 'application/vnd.sdmx.metadata+xml;version=3.0.0',
  genericMetadataMl21: 'application/vnd.sdmx.genericmetadata+xml;version=2.1',
  /** SDMX-ML 2.1 error messages have no media type of their own. */
  xml: 'application/xml',
  json: 'application/json',
  problemJson: 'application/problem+json',
} as const;

export type MediaType = (typeof MEDIA)[keyof typeof MEDIA];
