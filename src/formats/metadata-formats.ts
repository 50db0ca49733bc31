/**
 * The reference-metadata formats each API offers, in server preference order (REST 2.x
 * metadata.md "Response types": SDMX-JSON 2.0 is the default; REST 1.x: the 2.1 generic
 * metadata message), with their writers, the `detail` values each can express, and the matching
 * error writers. Not offered, so negotiated away with a 406 that lists these: SDMX-CSV metadata
 * and the structure-specific metadata messages (we write neither).
 */
import { MEDIA } from '../sdmx/media-types.js';
import { negotiate } from '../sdmx/negotiate.js';
import type { ApiVersion } from '../sdmx/rest/structure-request.js';
import { METADATA_DETAILS_ML21, writeGenericMetadataMl21 } from '../sdmx/ml21/generic-metadata-writer.js';
import { METADATA_DETAILS_ML30, writeMetadataMl30, type MetadataDetail, type MetadataMessage } from '../sdmx/ml30/metadata-writer.js';
import { METADATA_DETAILS_JSON20, writeMetadataJson20 } from '../sdmx/json20/metadata-writer.js';
import { ServiceError } from '../errors.js';
import { STRUCTURE_JSON20, STRUCTURE_ML21, STRUCTURE_ML30, type StructureFormat } from './structure-formats.js';

export interface MetadataFormat {
  readonly mediaType: string;
  readonly family: 'xml' | 'json';
  /** A short name for messages (e.g. which format to ask for instead). */
  readonly label: string;
  readonly details: readonly MetadataDetail[];
  write(msg: MetadataMessage): string;
  readonly writeError: StructureFormat['writeError'];
}

export const METADATA_JSON20: MetadataFormat = {
  mediaType: MEDIA.metadataJson20,
  family: 'json',
  label: 'SDMX-JSON 2.0',
  details: METADATA_DETAILS_JSON20,
  write: (msg) => JSON.stringify(writeMetadataJson20(msg)),
  writeError: STRUCTURE_JSON20.writeError,
};
export const METADATA_ML30: MetadataFormat = {
  mediaType: MEDIA.metadataMl30,
  family: 'xml',
  label: 'SDMX-ML 3.0',
  details: METADATA_DETAILS_ML30,
  write: writeMetadataMl30,
  writeError: STRUCTURE_ML30.writeError,
};
export const METADATA_ML21: MetadataFormat = {
  mediaType: MEDIA.genericMetadataMl21,
  family: 'xml',
  label: 'SDMX-ML 2.1 generic metadata',
  details: METADATA_DETAILS_ML21,
  write: writeGenericMetadataMl21,
  writeError: STRUCTURE_ML21.writeError,
};

export const METADATA_OFFERS: Record<ApiVersion, { readonly offers: readonly MetadataFormat[]; readonly fallback: MetadataFormat }> = {
  '2.1': { offers: [METADATA_ML21, METADATA_ML30, METADATA_JSON20], fallback: METADATA_ML21 },
  '3.0': { offers: [METADATA_JSON20, METADATA_ML30, METADATA_ML21], fallback: METADATA_JSON20 },
};

/** The browser-friendly `format=` values (REST v2.2.2 extend.md): genericmetadata, metadata, json. */
function formatFromParam(api: ApiVersion, format: string, version: string | undefined): MetadataFormat | undefined {
  const v = version?.replace(/(\.0)+$/, '');
  switch (format) {
    case 'genericmetadata':
      return v === undefined || v === '2.1' ? METADATA_ML21 : undefined;
    case 'sdmx-ml':
    case 'xml':
      if (v === undefined) return api === '2.1' ? METADATA_ML21 : METADATA_ML30;
      return v === '2.1' ? METADATA_ML21 : v === '3' ? METADATA_ML30 : undefined;
    case 'sdmx-json':
    case 'json':
      return v === undefined || v === '2' ? METADATA_JSON20 : undefined;
    default:
      return undefined;
  }
}

/** The format of a metadata request: `format=` wins over Accept; nothing acceptable is a 406. */
export function chooseMetadataFormat(api: ApiVersion, accept: string | undefined, format: string | undefined, formatVersion: string | undefined): MetadataFormat {
  if (format !== undefined) {
    const f = formatFromParam(api, format, formatVersion);
    if (!f) throw new ServiceError('not-acceptable', `Unsupported metadata format "${format}"${formatVersion ? ` version ${formatVersion}` : ''}`);
    return f;
  }
  const { offers, fallback } = METADATA_OFFERS[api];
  const chosen = negotiate(accept, offers, fallback) as MetadataFormat | undefined;
  if (!chosen) {
    throw new ServiceError('not-acceptable', `None of the requested representations is offered. Available: ${offers.map((o) => o.mediaType).join(', ')}`);
  }
  return chosen;
}

/** Refuses a `detail` the chosen format cannot express, naming the formats that can. */
export function requireMetadataDetail(api: ApiVersion, format: MetadataFormat, detail: MetadataDetail): void {
  if (format.details.includes(detail)) return;
  const able = METADATA_OFFERS[api].offers.filter((f) => f.details.includes(detail));
  throw new ServiceError('not-acceptable', `${format.label} has no form for detail=${detail}: ask for ${able.map((f) => f.mediaType).join(' or ')}`);
}
