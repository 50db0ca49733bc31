/**
 * The SDMX REST routes as OpenAPI path items, generated from what the routes serve: the structure
 * resources of each API (structure-request.ts), and the media types each query answers in, in
 * server preference order (structure-formats.ts, data-formats.ts). The routes themselves are two
 * wildcards per API (index.ts), which say nothing to a reader; these paths say what is behind
 * them and point to the official SDMX specifications for the rest.
 */
import { MEDIA } from '../../sdmx/media-types.js';
import { servedStructureResources, type ApiVersion } from '../../sdmx/rest/structure-request.js';
import { DATA_OFFERS } from '../../formats/data-formats.js';
import { STRUCTURE_OFFERS } from '../../formats/structure-formats.js';
import { METADATA_OFFERS } from '../../formats/metadata-formats.js';

type Json = Record<string, unknown>;

const SPEC: Record<ApiVersion, { url: string; description: string }> = {
  '2.1': { url: 'https://github.com/sdmx-twg/sdmx-rest/tree/v1.5.0/v2_1/ws/rest/docs', description: 'SDMX RESTful web services specification 1.5.0 (SDMX 2.1)' },
  '3.0': { url: 'https://github.com/sdmx-twg/sdmx-rest/tree/v2.2.2/doc', description: 'SDMX REST API specification 2.2.2 (SDMX 3.0)' },
};

const TAG: Record<ApiVersion, string> = { '2.1': 'SDMX REST 1.5 (SDMX 2.1)', '3.0': 'SDMX REST 2.2 (SDMX 3.0)' };

const param = (name: string, description: string, example?: string, where: 'path' | 'query' = 'path'): Json => ({
  name,
  in: where,
  required: where === 'path',
  description,
  schema: { type: 'string' },
  ...(example === undefined ? {} : { example }),
});

/** The answer of a query: 200 in each media type, 304, and the SDMX error statuses. */
function responses(mediaTypes: readonly string[], what: string): Json {
  const error = (description: string): Json => ({ description, content: { [MEDIA.xml]: {}, [MEDIA.json]: {} } });
  return {
    '200': { description: what, content: Object.fromEntries(mediaTypes.map((m) => [m, {}])) },
    '304': { description: 'Not modified (If-None-Match or If-Modified-Since)' },
    '400': error('Syntax error in the query (an SDMX error message in the format asked for)'),
    '404': error('No results'),
    '406': error('Not acceptable: none of the formats asked for can express the answer'),
    '413': error('The answer would exceed the limit of this service'),
    '501': error('Not implemented'),
  };
}

function operation(api: ApiVersion, summary: string, parameters: Json[], mediaTypes: readonly string[], what: string, operationId?: string): Json {
  return {
    get: {
      ...(operationId ? { operationId } : {}),
      tags: [TAG[api]],
      summary,
      externalDocs: SPEC[api],
      parameters: [
        ...parameters,
        param('format', 'Media type by name instead of Accept (e.g. csv, jsondata, structure)', undefined, 'query'),
      ],
      responses: responses(mediaTypes, what),
    },
  };
}

const structureTypes = (api: ApiVersion) => STRUCTURE_OFFERS[api].offers.map((f) => f.mediaType);
const dataTypes = (api: ApiVersion) => DATA_OFFERS[api].offers.map((f) => f.mediaType);
const metadataTypes = (api: ApiVersion) => METADATA_OFFERS[api].offers.map((f) => f.mediaType);

/** Path items of both SDMX APIs, keyed by OpenAPI path. */
export function sdmxOpenApiPaths(): Record<string, Json> {
  const resource21 = { ...param('resource', 'Structure resource', 'dataflow'), schema: { type: 'string', enum: servedStructureResources('2.1') } };
  const type30 = { ...param('type', 'Structure type', 'dataflow'), schema: { type: 'string', enum: servedStructureResources('3.0') } };
  const ids21 = [param('agencyID', 'Maintenance agency, or all', 'UNODC'), param('resourceID', 'Artefact id, or all', 'DF_CTS_HOMICIDE'), param('version', 'Version, latest or all', 'latest')];
  const ids30 = [param('agencyID', 'Maintenance agency, * for any', 'UNODC'), param('resourceID', 'Artefact id, * for any', 'DF_CTS_HOMICIDE'), param('version', 'Version, ~ (latest), + (latest stable) or *', '~')];
  const structureQuery = [param('references', 'none, parents, children, descendants, all or a resource name', undefined, 'query'), param('detail', 'full, allstubs, referencestubs, referencepartial...', undefined, 'query')];
  const dataQuery21 = ['startPeriod', 'endPeriod', 'updatedAfter', 'firstNObservations', 'lastNObservations', 'dimensionAtObservation', 'detail', 'includeHistory'].map((n) => param(n, `SDMX REST 1.5 ${n}`, undefined, 'query'));
  const dataQuery30 = ['c', 'updatedAfter', 'firstNObservations', 'lastNObservations', 'dimensionAtObservation', 'attributes', 'measures', 'includeHistory', 'asOf'].map((n) => param(n, `SDMX REST 2.2 ${n}`, undefined, 'query'));
  const metadataQuery = [param('detail', 'full, or allstubs (SDMX-ML 3.0 only)', undefined, 'query')];
  const asOf = param('asOf', 'The metadata as it was public at this instant (ISO-8601)', undefined, 'query');
  return {
    '/sdmx/2.1/{resource}/{agencyID}/{resourceID}/{version}': operation('2.1', 'Structure query', [resource21, ...ids21, ...structureQuery], structureTypes('2.1'), 'Structure message'),
    '/sdmx/2.1/data/{flowRef}/{key}': operation(
      '2.1',
      'Data query',
      [param('flowRef', 'Dataflow: id, or agency,id,version', 'UNODC,DF_CTS_HOMICIDE,1.0'), param('key', 'Series key: one position per dimension, alternatives with +, empty = any, or all', 'A.MEX+GTM.VIC_HOM.0101._T._T._T.P_HTHAB'), ...dataQuery21],
      dataTypes('2.1'),
      'Data message',
    ),
    '/sdmx/2.1/availableconstraint/{flowRef}/{key}': operation(
      '2.1',
      'Data availability',
      [param('flowRef', 'Dataflow', 'UNODC,DF_CTS_HOMICIDE,1.0'), param('key', 'Series key', 'A.MEX'), param('mode', 'exact or available', undefined, 'query')],
      [MEDIA.structureMl21, MEDIA.structureJson10, MEDIA.structureMl30, MEDIA.structureJson20],
      'An Actual content constraint: the codes with data',
    ),
    '/sdmx/2.1/schema/{context}/{agencyID}/{resourceID}/{version}': operation(
      '2.1',
      'XML schema of the structure-specific data of a dataflow or DSD',
      [param('context', 'datastructure, dataflow or provisionagreement', 'dataflow'), ...ids21],
      [MEDIA.xml, MEDIA.schemaMl21],
      'XML Schema',
    ),
    '/sdmx/2.1/metadata/{flowRef}/{key}/{providerRef}': operation(
      '2.1',
      'Reference metadata: the methodology reports or country notes of a metadataflow',
      [
        param('flowRef', 'Metadataflow: id, or agency,id,version', 'UNODC,MDF_CRIME_COUNTRY_NOTE,1.0'),
        param('key', "The metadata target's values: DATAFLOW or DATAFLOW.AREA, alternatives with +, or all", 'DF_CTS_HOMICIDE.KAZ+PHL'),
        param('providerRef', 'Metadata provider: id or agency,id, or all', 'all'),
        ...metadataQuery,
      ],
      metadataTypes('2.1'),
      'Generic metadata message',
    ),
    '/sdmx/3.0/metadata/metadataset/{providerID}/{metadatasetID}/{version}': operation(
      '3.0',
      'Reference metadata: metadata sets by id',
      [param('providerID', 'Metadata provider, * for any', 'UNODC'), param('metadatasetID', 'Metadata set ids (,), * for any', 'MS_DF_CTS_HOMICIDE_KAZ'), param('version', 'Versions (,), ~ (latest public) or *', '~'), ...metadataQuery, asOf],
      metadataTypes('3.0'),
      'Metadata message',
      'sdmx30MetadataBySet',
    ),
    '/sdmx/3.0/metadata/metadataflow/{agencyID}/{resourceID}/{version}/{providerRef}': operation(
      '3.0',
      'Reference metadata: the metadata sets of metadataflows',
      [param('agencyID', 'Agency, * for any', 'UNODC'), param('resourceID', 'Metadataflow id, * for any', 'MDF_CRIME_REPORT'), param('version', 'Version, ~ or *', '~'), param('providerRef', 'Providers: AGENCY.ID or ID (,), * for any', '*'), ...metadataQuery, asOf],
      metadataTypes('3.0'),
      'Metadata message',
      'sdmx30MetadataByFlow',
    ),
    '/sdmx/3.0/metadata/structure/{type}/{agencyID}/{resourceID}/{version}': operation(
      '3.0',
      'Reference metadata: the metadata sets about structures (a dataflow, the area codelist, a metadataflow or MSD)',
      [{ ...param('type', 'Structure type', 'dataflow'), schema: { type: 'string', enum: servedStructureResources('3.0') } }, ...ids30, ...metadataQuery, asOf],
      metadataTypes('3.0'),
      'Metadata message',
      'sdmx30MetadataByStructure',
    ),
    '/sdmx/3.0/structure/{type}/{agencyID}/{resourceID}/{version}': operation('3.0', 'Structure query', [type30, ...ids30, ...structureQuery], structureTypes('3.0'), 'Structure message'),
    '/sdmx/3.0/data/{context}/{agencyID}/{resourceID}/{version}/{key}': operation(
      '3.0',
      'Data query',
      [param('context', 'dataflow, datastructure or provisionagreement', 'dataflow'), ...ids30, param('key', 'Series key; several keys separated by ,', 'A.MEX.VIC_HOM.0101._T._T._T.P_HTHAB'), ...dataQuery30],
      dataTypes('3.0'),
      'Data message',
    ),
    '/sdmx/3.0/availability/{context}/{agencyID}/{resourceID}/{version}/{key}': operation(
      '3.0',
      'Data availability',
      [param('context', 'dataflow, datastructure or provisionagreement', 'dataflow'), ...ids30, param('key', 'Series key', '*.MEX.*.*.*.*.*.*'), param('mode', 'exact or available', undefined, 'query')],
      [MEDIA.structureJson20, MEDIA.structureMl30],
      'A data constraint: the codes with data',
    ),
  };
}
