/**
 * Parses a reference-metadata query path into what to look for. The structures the sets
 * hang on (metadataflows, or the artefacts of a `structure` query) are selected with the
 * structure query syntax (parseStructureRequest), so agency, id and version lists, `*` and `~`
 * mean exactly what they mean for structures.
 *
 * - REST 2.x (SDMX 3.0, rest-docs v2.0.0 and v2.2.2 metadata.md):
 *   `metadataset/{providerID}/{metadatasetID}/{version}`,
 *   `metadataflow/{agencyID}/{resourceID}/{version}/{providerRef}`,
 *   `structure/{artefactType}/{agencyID}/{resourceID}/{version}`; `detail=full|allstubs`, `asOf`.
 *   providerRef is `AGENCY.PROVIDER` or `PROVIDER`, several separated by `,` (v2.2.2) or `+`
 *   (v2.0.0).
 * - REST 1.x (SDMX 2.1, 4_4_data_queries.md: the `metadata` resource has the data syntax with a
 *   metadataflow as flowRef): `metadata/{flowRef}/{key}/{providerRef}`. The specification does
 *   not say what a metadata key is; ours is the values of the metadata target's components in
 *   order, as a data key is of the dimensions: `DF_CTS_HOMICIDE` (one dataflow's sets),
 *   `DF_CTS_HOMICIDE.KAZ` (its country note for Kazakhstan), `+` between alternatives, an empty
 *   position for any, `all` for everything.
 * Set versions are exact semantic versions, `~`/`latest` (the newest visible one, the default)
 * or `*`/`all`; version ranges (`1.0+.0`) answer 501.
 */
import { ServiceError } from '../../errors.js';
import { parseInstant } from '../time-period.js';
import type { StructureQuery } from '../structure-query/query.js';
import { parseStructureRequest, type ApiVersion } from './structure-request.js';

const syntax = (text: string) => new ServiceError('invalid-input', text);

const ID = /^[A-Za-z\d_@$-]+$/;
const AGENCY = /^[A-Za-z][A-Za-z\d_-]*(\.[A-Za-z][A-Za-z\d_-]*)*$/;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const DETAILS = ['full', 'allstubs'] as const;
export type MetadataQueryDetail = (typeof DETAILS)[number];
const PARAMS: Record<ApiVersion, ReadonlySet<string>> = {
  '2.1': new Set(['detail', 'format', 'formatVersion', 'lang']),
  '3.0': new Set(['detail', 'asOf', 'format', 'formatVersion', 'lang']),
};

/** A metadata provider: an id, and the agency of its scheme when the query names one. */
export interface ProviderSelector {
  readonly agencyID?: string;
  readonly id: string;
}

/** Set versions: the newest visible (`latest`), every visible one (`all`), or exact ones. */
export type SetVersions = 'latest' | 'all' | readonly string[];

export interface MetadataRequest {
  readonly api: ApiVersion;
  readonly by: 'metadataset' | 'metadataflow' | 'structure';
  /** Set ids; undefined = any. */
  readonly setIds?: readonly string[];
  readonly setVersions: SetVersions;
  /** Providers; undefined = any. */
  readonly providers?: readonly ProviderSelector[];
  /** The metadataflows asked for (by metadataflow): a structure query for class Metadataflow. */
  readonly flows?: StructureQuery;
  /** The artefacts the sets must describe or follow (by structure). */
  readonly structures?: StructureQuery;
  /** REST 1.x key: target component values in order (dataflow, area); an undefined position is any. */
  readonly targetKeys?: readonly (readonly (readonly string[] | undefined)[])[];
  readonly detail: MetadataQueryDetail;
  /** ISO-8601 instant (`asOf`), when asked. */
  readonly asOf?: string;
}

function list(raw: string | undefined, what: string, pattern: RegExp, separators: RegExp): string[] | undefined {
  if (raw === undefined || raw === '*' || raw === 'all') return undefined;
  const values = raw.split(separators);
  for (const v of values) if (!pattern.test(v)) throw syntax(`Invalid ${what} "${v}" in "${raw}"`);
  return [...new Set(values)];
}

function setVersions(raw: string | undefined): SetVersions {
  if (raw === undefined || raw === '~' || raw === 'latest') return 'latest';
  if (raw === '*' || raw === 'all') return 'all';
  const versions = raw.split(',');
  for (const v of versions) {
    if (/[+*]/.test(v)) throw new ServiceError('not-implemented', `Version ranges such as "${v}" are not supported for metadata sets: give exact versions, ~ or *`);
    if (!SEMVER.test(v)) throw syntax(`Invalid metadata set version "${v}": expected a semantic version such as 1.0.0, ~ or *`);
  }
  return [...new Set(versions)];
}

/** `PROVIDER` or `AGENCY.PROVIDER` (2.x), `AGENCY,PROVIDER` (1.x), several with `,` or `+`. */
function providers(raw: string | undefined, api: ApiVersion): ProviderSelector[] | undefined {
  if (raw === undefined || raw === '*' || raw === 'all') return undefined;
  const refs = api === '2.1' ? raw.split('+') : raw.split(/[,+]/);
  return refs.map((ref) => {
    const parts = api === '2.1' ? ref.split(',') : [ref.slice(0, Math.max(ref.lastIndexOf('.'), 0)), ref.slice(ref.lastIndexOf('.') + 1)];
    const [agency, id] = parts.length === 2 ? parts : [undefined, parts[0]];
    const agencyID = agency === '' || agency === '*' || agency === 'all' ? undefined : agency;
    if (!id || !ID.test(id) || (agencyID !== undefined && !AGENCY.test(agencyID))) {
      throw syntax(`Invalid metadata provider reference "${ref}": expected PROVIDER_ID or ${api === '2.1' ? 'AGENCY,PROVIDER_ID' : 'AGENCY.PROVIDER_ID'}`);
    }
    return agencyID === undefined ? { id } : { agencyID, id };
  });
}

function targetKeys21(raw: string | undefined): MetadataRequest['targetKeys'] {
  if (raw === undefined || raw === 'all') return undefined;
  const positions = raw.split('.');
  if (positions.length > 2) throw syntax(`Invalid metadata key "${raw}": expected DATAFLOW_ID or DATAFLOW_ID.AREA (the metadata target's values)`);
  return [
    positions.map((p) => {
      if (p === '') return undefined;
      const codes = p.split('+');
      for (const c of codes) if (!ID.test(c)) throw syntax(`Invalid value "${c}" in metadata key "${raw}"`);
      return codes;
    }),
  ];
}

function commonParams(api: ApiVersion, params: ReadonlyMap<string, string>): Pick<MetadataRequest, 'detail' | 'asOf'> {
  for (const name of params.keys()) if (!PARAMS[api].has(name)) throw syntax(`Unknown query parameter "${name}"`);
  const detail = params.get('detail') ?? 'full';
  if (!(DETAILS as readonly string[]).includes(detail)) throw syntax(`Invalid detail "${detail}": expected full or allstubs`);
  const asOfRaw = params.get('asOf');
  if (asOfRaw === undefined) return { detail: detail as MetadataQueryDetail };
  const asOf = parseInstant(asOfRaw);
  if (asOf === undefined) throw syntax(`Invalid asOf "${asOfRaw}": expected an ISO-8601 date-time`);
  return { detail: detail as MetadataQueryDetail, asOf };
}

function noMore(extra: readonly string[], after: string): void {
  if (extra.length > 0) throw syntax(`Too many path segments after ${after}`);
}

/** `segments` follow `metadata/` in the path. */
export function parseMetadataRequest(api: ApiVersion, segments: readonly string[], params: ReadonlyMap<string, string>): MetadataRequest {
  const common = commonParams(api, params);
  if (api === '2.1') {
    const [flowRef, key, providerRef, ...extra] = segments;
    noMore(extra, 'metadata/{flowRef}/{key}/{providerRef}');
    if (!flowRef) throw syntax('Missing metadataflow reference: expected ID, AGENCY,ID or AGENCY,ID,VERSION');
    const parts = flowRef.split(',');
    if (parts.length > 3) throw syntax(`Invalid metadataflow reference "${flowRef}": expected ID, AGENCY,ID or AGENCY,ID,VERSION`);
    const [agency, id, version] = parts.length === 1 ? ['all', parts[0], 'latest'] : [parts[0], parts[1], parts[2] ?? 'latest'];
    return {
      api,
      by: 'metadataflow',
      setVersions: 'latest',
      flows: parseStructureRequest('2.1', ['metadataflow', agency!, id!, version!], {}),
      targetKeys: targetKeys21(key),
      providers: providers(providerRef, api),
      ...common,
    };
  }
  const [by, ...rest] = segments;
  switch (by) {
    case 'metadataset': {
      const [provider, setId, version, ...extra] = rest;
      noMore(extra, 'metadataset/{providerID}/{metadatasetID}/{version}');
      return {
        api,
        by,
        providers: providers(provider, api),
        setIds: list(setId, 'metadata set id', ID, /,/),
        setVersions: setVersions(version),
        ...common,
      };
    }
    case 'metadataflow': {
      const [agency, id, version, providerRef, ...extra] = rest;
      noMore(extra, 'metadataflow/{agencyID}/{resourceID}/{version}/{providerRef}');
      return {
        api,
        by,
        setVersions: 'latest',
        flows: parseStructureRequest('3.0', ['metadataflow', agency ?? '*', id ?? '*', version ?? '~'], {}),
        providers: providers(providerRef, api),
        ...common,
      };
    }
    case 'structure': {
      const [type, agency, id, version, ...extra] = rest;
      noMore(extra, 'structure/{artefactType}/{agencyID}/{resourceID}/{version}');
      if (!type) throw syntax('Missing artefact type after metadata/structure');
      return {
        api,
        by,
        setVersions: 'latest',
        structures: parseStructureRequest('3.0', [type, agency ?? '*', id ?? '*', version ?? '~'], {}),
        ...common,
      };
    }
    default:
      throw syntax(`Unknown metadata query "${by ?? ''}": expected metadataset, metadataflow or structure`);
  }
}
