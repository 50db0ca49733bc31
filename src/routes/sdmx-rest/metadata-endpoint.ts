/**
 * One reference-metadata query, end to end (REST 2.x `metadata/metadataset|metadataflow|structure`,
 * REST 1.x `metadata/{flowRef}/{key}/{providerRef}`): choose the format (406 before any work),
 * parse the path, find the visible metadata sets through the MetadataService (embargo by
 * release, computed concepts filled at the instant), answer 304 when the client's copy is
 * current, else write the message. A query that matches nothing is 404 (NoResults), exactly as
 * for a set that exists but is not public yet. Answers are public and never cached past the next
 * announced release (their Cache-Control is the data's); they are small, so they are not kept in
 * the response cache.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../../errors.js';
import { chooseMetadataFormat, requireMetadataDetail } from '../../formats/metadata-formats.js';
import { answerConditional, weakEtag } from '../../http/conditional-requests.js';
import { preferredLanguages } from '../../http/language.js';
import { SdmxErrors, sdmxErrorOf } from '../../sdmx/errors.js';
import { CRIME_METADATA, type MetadataSet } from '../../sdmx/metadata/model.js';
import { refKey, sameRef, type Maintainable, type MaintainableRef } from '../../sdmx/model.js';
import { parseMetadataRequest, type MetadataRequest } from '../../sdmx/rest/metadata-request.js';
import { parseRawQuery } from '../../sdmx/rest/query-string.js';
import type { ApiVersion } from '../../sdmx/rest/structure-request.js';
import type { MetadataService, MetadataSetQuery } from '../../services/metadata/metadata-service.js';
import type { StructureService } from '../../services/structure-service.js';
import { rawQueryOf } from '../../http/request-address.js';
import { messageHeader, sendSdmxError, type SdmxRestOptions } from './reply.js';

export async function handleMetadataQuery(
  request: FastifyRequest,
  reply: FastifyReply,
  api: ApiVersion,
  segments: readonly string[],
  opts: SdmxRestOptions,
): Promise<FastifyReply> {
  const params = parseRawQuery(rawQueryOf(request));
  const format = chooseMetadataFormat(api, request.headers.accept, params.get('format'), params.get('formatVersion'));
  try {
    const query = parseMetadataRequest(api, segments, params);
    requireMetadataDetail(api, format, query.detail);
    const at = opts.metadata.instantOf(query.asOf);
    const sets = await findSets(opts.metadata, opts.structures, query, at);
    if (sets.length === 0) return sendSdmxError(reply, api, SdmxErrors.noResults('No public metadata sets match the query'), format);
    // Asked for no language (or any): every language the sets hold, as SDMX-JSON's localised values allow.
    const asked = params.get('lang') ?? request.headers['accept-language'];
    const languages = asked === undefined || asked.trim() === '*' ? [] : preferredLanguages(params.get('lang'), request.headers['accept-language']);
    // The sets carry the computed concepts of the instant, so their content is the validator.
    const content = createHash('sha256').update(JSON.stringify(sets)).digest('base64url');
    const etag = weakEtag(format.mediaType, languages.join(','), query.detail, content);
    // The newest release instant among the sets: when the answer last changed its versions.
    const lastModified = new Date(Math.max(...sets.map((s) => Date.parse(s.validFrom ?? at))));
    reply.header('Cache-Control', opts.cacheLifetime.publicCacheControl());
    if (answerConditional(request, reply, etag, lastModified)) return reply;
    const body = Buffer.from(format.write({ header: messageHeader(opts, languages), sets, detail: query.detail }));
    return reply.code(200).header('Content-Type', format.mediaType).send(body);
  } catch (err) {
    if (err instanceof ServiceError) return sendSdmxError(reply, api, sdmxErrorOf(err, api), format);
    throw err;
  }
}

type Registry = StructureService['registry'];

/** `AGENCY:ID(VERSION)` of a reference, as the metadata service takes dataflows. */
const plainRef = (r: MaintainableRef) => `${r.agencyID}:${r.id}(${r.version})`;

/** A question to the metadata service, and what its answers must also satisfy. */
interface Lookup {
  readonly query: MetadataSetQuery;
  readonly keep?: (set: MetadataSet) => boolean;
}

/** The service queries a request stands for (several when it lists several ids, flows or keys). */
function lookups(query: MetadataRequest, structures: StructureService, at: string): Lookup[] {
  const versions: string[] = typeof query.setVersions === 'string' ? [query.setVersions] : [...query.setVersions];
  // Stubs carry no attribute: no computed concept to fill.
  const withComputed = query.detail !== 'allstubs';
  const withVersions = (l: Lookup): Lookup[] => versions.map((version) => ({ ...l, query: { ...l.query, at, version, withComputed } }));
  switch (query.by) {
    case 'metadataset':
      return (query.setIds ?? [undefined]).flatMap((setId) => withVersions({ query: setId ? { setId } : {} }));
    case 'metadataflow': {
      const flows = structures.query(query.flows!).artefacts.filter((a) => a.class === 'Metadataflow');
      if (flows.length === 0) {
        const known = structures.registry.ofClass('Metadataflow').map((f) => plainRef(f));
        throw new ServiceError('not-found', `No metadataflow matches the query: this service has ${known.join(', ')}`);
      }
      for (const [dataflows, areas] of query.targetKeys ?? []) checkTargetKey(structures.registry, dataflows, areas);
      return flows.flatMap((flow) => {
        const metadataflow = refKey(flow);
        if (!query.targetKeys) return withVersions({ query: { metadataflow } });
        return query.targetKeys.flatMap(([dataflows, areas]) =>
          (dataflows ?? [undefined]).flatMap((dataflow) =>
            (areas ?? [undefined]).flatMap((area) =>
              withVersions({ query: { metadataflow, ...(dataflow ? { dataflow } : {}), ...(area ? { area } : {}) } }),
            ),
          ),
        );
      });
    }
    case 'structure':
      return structures.query(query.structures!).artefacts.flatMap((a) => structureLookups(a, structures.registry).flatMap(withVersions));
  }
}

/** A key naming a dataflow or an area that does not exist is a mistake worth naming, not just "no results". */
function checkTargetKey(registry: Registry, dataflows: readonly string[] | undefined, areas: readonly string[] | undefined): void {
  const flows = registry.ofClass('Dataflow');
  for (const id of dataflows ?? []) {
    if (!flows.some((f) => f.id === id)) throw new ServiceError('not-found', `No dataflow ${id}: the first position of the key is a dataflow id, such as ${flows[0]?.id ?? 'DF_CTS_HOMICIDE'}`);
  }
  // The area codelist is the one the country-note MSD's target enumerates (another agency may have a CL_AREA).
  const noteMsd = registry.ofClass('MetadataStructure').find((m) => m.id === CRIME_METADATA.countryNote.msd);
  const enumeration = noteMsd?.class === 'MetadataStructure' ? noteMsd.targets.flatMap((t) => t.components).find((c) => c.id === CRIME_METADATA.areaComponent)?.localRepresentation?.enumeration : undefined;
  const areaList = enumeration ? registry.get(enumeration) : undefined;
  for (const code of areas ?? []) {
    if (areaList?.class === 'Codelist' && !areaList.items.some((i) => i.id === code)) {
      throw new ServiceError('not-found', `"${code}" is not a code of ${areaList.id}: the second position of the key is an area, such as KAZ`);
    }
  }
}

/** The sets hanging on one artefact: those describing it (dataflow, area codelist) or following it (metadataflow, MSD). */
function structureLookups(a: Maintainable, registry: Registry): Lookup[] {
  switch (a.class) {
    case 'Dataflow':
      return [{ query: { dataflow: plainRef(a) } }];
    case 'Metadataflow':
      return [{ query: { metadataflow: refKey(a) } }];
    case 'MetadataStructure':
      return registry.parentsOf(a).flatMap((p) => (p.class === 'Metadataflow' && sameRef(p.structure, a) ? [{ query: { metadataflow: refKey(p) } }] : []));
    case 'Codelist': {
      // Country notes describe codes of the area codelist: those of this codelist.
      const noteFlow = registry.ofClass('Metadataflow').find((f) => f.id === CRIME_METADATA.countryNote.flow);
      const codelist = plainRef(a);
      return noteFlow ? [{ query: { metadataflow: refKey(noteFlow) }, keep: (s) => !!s.target.area && plainRef(s.target.area.scheme) === codelist }] : [];
    }
    default:
      return [];
  }
}

async function findSets(metadata: MetadataService, structures: StructureService, query: MetadataRequest, at: string): Promise<MetadataSet[]> {
  const found = new Map<string, MetadataSet>();
  for (const { query: q, keep } of lookups(query, structures, at)) {
    for (const set of await metadata.sets(q)) {
      if (keep && !keep(set)) continue;
      if (query.providers && !query.providers.some((p) => set.provider?.id === p.id && (p.agencyID === undefined || set.provider.scheme.agencyID === p.agencyID))) continue;
      found.set(`${set.agencyID}:${set.id}(${set.version})`, set);
    }
  }
  return [...found.values()].sort((a, b) => a.id.localeCompare(b.id) || a.version.localeCompare(b.version, undefined, { numeric: true }));
}
