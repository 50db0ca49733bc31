/**
 * Schema queries (`/schema/{context}/{agencyID}/{resourceID}/{version}` on both APIs): the
 * structure-specific XML schema of a DSD for one dimension at the observation level, with coded
 * components restricted by the Allowed constraints attached along the chain from the context down
 * to the DSD (provision agreement → dataflow → DSD; REST 1.5 4_5_schema_queries.md). A structure
 * format may be asked for instead: the DSD, its codelists cut to the allowed codes (plus their
 * ancestors), its concepts and the agencies maintaining them (4_5 "Using an SDMX format").
 */
import { sdmxErrorOf } from '../../sdmx/errors.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MEDIA } from '../../sdmx/media-types.js';
import { allowedConstraintsOn, allowedValuesOf } from '../../sdmx/allowed-content.js';
import { dsdSchemaMl21 } from '../../sdmx/ml21/dsd-schema-writer.js';
import {
  refKey,
  refOf,
  type Codelist,
  type DataStructure,
  type Dataflow,
  type ItemScheme,
  type Maintainable,
  type MaintainableClass,
} from '../../sdmx/model.js';
import { negotiate, type Offer } from '../../sdmx/negotiate.js';
import { parseRawQuery } from '../../sdmx/rest/query-string.js';
import type { ApiVersion } from '../../sdmx/rest/structure-request.js';
import type { StructureRegistry } from '../../sdmx/structure-query/registry.js';
import { compareVersions, isStable, matchesVersionPattern } from '../../sdmx/structure-query/versions.js';
import { codelistOf } from '../../services/data/data-service.js';
import type { StructureService } from '../../services/structure-service.js';
import { rawQueryOf } from '../../http/request-address.js';
import { answerConditional, weakEtag } from '../../http/conditional-requests.js';
import { preferredLanguages } from '../../http/language.js';
import { messageHeader, sendSdmxError, type SdmxRestOptions } from './reply.js';
import { STRUCTURE_ML21, STRUCTURE_ML30, STRUCTURE_OFFERS, structureFormatFromParam, type StructureFormat } from '../../formats/structure-formats.js';
import { ServiceError } from '../../errors.js';

const CONTEXTS: Readonly<Record<string, MaintainableClass>> = {
  datastructure: 'DataStructure',
  dataflow: 'Dataflow',
  provisionagreement: 'ProvisionAgreement',
};
/** Defined by the specification; we hold no reference metadata structures. */
const METADATA_CONTEXTS = ['metadatastructure', 'metadataflow', 'metadataprovisionagreement'];
const PARAMS = ['dimensionAtObservation', 'explicitMeasure', 'format', 'formatVersion', 'lang'];
const XSD: Offer = { mediaType: MEDIA.schemaMl21, family: 'xml' };

const syntax = (text: string) => new ServiceError('invalid-input', text);

/** The XSD (the default) or a structure format. */
function chooseFormat(request: FastifyRequest, api: ApiVersion, params: ReadonlyMap<string, string>): StructureFormat | undefined {
  const format = params.get('format');
  if (format !== undefined) {
    const version = params.get('formatVersion');
    if (format === 'schema' && (version === undefined || version === '2.1')) return undefined;
    const f = format === 'schema' ? undefined : structureFormatFromParam(api, format, version);
    if (!f) throw new ServiceError('not-acceptable', `Unsupported format "${format}"${version ? ` version ${version}` : ''} for schema queries`);
    return f;
  }
  const offers = [XSD, ...STRUCTURE_OFFERS[api].offers];
  const chosen = negotiate(request.headers.accept, offers, XSD);
  if (!chosen) {
    throw new ServiceError('not-acceptable', `None of the requested representations is offered. Available: ${offers.map((o) => o.mediaType).join(', ')}`);
  }
  return chosen === XSD ? undefined : (chosen as StructureFormat);
}

interface SchemaTarget {
  readonly chain: readonly Maintainable[];
  readonly dsd: DataStructure;
  readonly dataflow?: Dataflow;
}

function resolveTarget(api: ApiVersion, registry: StructureRegistry, segments: readonly string[]): SchemaTarget {
  const [context, agency, id, version, ...extra] = segments;
  if (context !== undefined && METADATA_CONTEXTS.includes(context)) {
    throw new ServiceError('not-implemented', `Schemas for ${context} are not implemented: this service holds no reference metadata`);
  }
  const cls = context === undefined ? undefined : CONTEXTS[context];
  if (!cls) throw syntax(`Unknown schema context "${context ?? ''}": expected ${Object.keys(CONTEXTS).join(', ')}`);
  if (extra.length) throw syntax(`Too many path segments: expected /schema/${context}/{agencyID}/{resourceID}/{version}`);
  for (const [what, value] of [['agencyID', agency], ['resourceID', id]] as const) {
    if (value === undefined) throw syntax(`Missing ${what}: expected /schema/${context}/{agencyID}/{resourceID}/{version}`);
    // A schema describes one artefact (4_5: "the keyword all is not supported").
    if (value === 'all' || value === '*' || /[,+]/.test(value)) throw syntax(`A schema query names one artefact: ${what} "${value}" is not allowed`);
  }
  const latest = version === undefined || version === 'latest' || version === '~';
  if (!latest && (version === 'all' || version === '*' || version.includes(','))) throw syntax(`A schema query names one artefact: version "${version}" is not allowed`);
  const matches = registry.ofClass(cls).filter((a) => a.agencyID === agency && a.id === id && (latest || matchesVersionPattern(a.version, version)));
  // The latest, stable versions first (REST 2.x querying_versions.md).
  const artefact = matches.sort((a, b) => Number(isStable(b.version)) - Number(isStable(a.version)) || compareVersions(b.version, a.version))[0];
  if (!artefact) throw new ServiceError('not-found', `No ${context} ${agency}:${id}(${latest ? (api === '2.1' ? 'latest' : '~') : version})`);
  const chain: Maintainable[] = [artefact];
  const follow = (ref: Parameters<StructureRegistry['get']>[0]) => {
    const next = registry.get(ref);
    if (!next) throw new Error(`${refKey(refOf(chain[chain.length - 1]!))} references ${refKey(ref)}, which does not exist`);
    chain.push(next);
    return next;
  };
  let current = artefact;
  if (current.class === 'ProvisionAgreement') current = follow(current.structureUsage);
  if (current.class === 'Dataflow') current = follow(current.structure);
  if (current.class !== 'DataStructure') throw new Error(`${refKey(refOf(artefact))} does not lead to a data structure`);
  return { chain, dsd: current, dataflow: chain.find((a): a is Dataflow => a.class === 'Dataflow') };
}

function withItems<S extends ItemScheme>(scheme: S, keep: (id: string) => boolean): S {
  const items = scheme.items.filter((i) => keep(i.id));
  return items.length === scheme.items.length ? scheme : ({ ...scheme, items, isPartial: true } as S);
}

/** The structure-format answer: DSD, allowed codes plus ancestors, used concepts, maintaining agencies. */
function schemaStructures(registry: StructureRegistry, dsd: DataStructure, codelist: (id: string) => Codelist | undefined, allowed: (id: string) => string[] | undefined): Maintainable[] {
  const components = [...dsd.dimensions, dsd.timeDimension, ...dsd.attributes, dsd.primaryMeasure];
  const codes = new Map<Codelist, Set<string> | 'all'>();
  for (const c of components) {
    const cl = codelist(c.id);
    if (!cl) continue;
    const values = allowed(c.id);
    const soFar = codes.get(cl);
    if (soFar === 'all' || !values) codes.set(cl, 'all');
    else codes.set(cl, new Set([...(soFar ?? []), ...values]));
  }
  const codelists = [...codes].map(([cl, keep]) => {
    if (keep === 'all') return cl;
    const byId = new Map(cl.items.map((c) => [c.id, c]));
    const withAncestors = new Set<string>();
    for (const v of keep) for (let code = byId.get(v); code && !withAncestors.has(code.id); code = byId.get(code.parentID ?? '')) withAncestors.add(code.id);
    return withItems(cl, (id) => withAncestors.has(id));
  });
  const concepts = new Map<string, Set<string>>();
  for (const c of components) {
    for (const ref of [c.conceptIdentity, ...(c.conceptRoles ?? [])]) {
      const key = refKey(ref.scheme);
      concepts.set(key, (concepts.get(key) ?? new Set()).add(ref.id));
    }
  }
  const conceptSchemes = registry
    .ofClass('ConceptScheme')
    .filter((cs) => concepts.has(refKey(refOf(cs))))
    .map((cs) => withItems(cs as ItemScheme, (id) => concepts.get(refKey(refOf(cs)))!.has(id)));
  const artefacts: Maintainable[] = [dsd, ...codelists, ...conceptSchemes];
  const agencies = new Set(artefacts.map((a) => a.agencyID));
  const agencySchemes = registry
    .ofClass('AgencyScheme')
    .filter((s) => (s as ItemScheme).items.some((i) => agencies.has(i.id)))
    .map((s) => withItems(s as ItemScheme, (id) => agencies.has(id)));
  return [...artefacts, ...agencySchemes];
}

export async function handleSchemaQuery(
  request: FastifyRequest,
  reply: FastifyReply,
  api: ApiVersion,
  segments: readonly string[],
  opts: SdmxRestOptions,
): Promise<FastifyReply> {
  const params = parseRawQuery(rawQueryOf(request));
  const format = chooseFormat(request, api, params);
  const errorFormat = format ?? (api === '2.1' ? STRUCTURE_ML21 : STRUCTURE_ML30);
  try {
    for (const name of params.keys()) {
      if (!PARAMS.includes(name) && !name.startsWith('_')) throw syntax(`Unknown query parameter "${name}" for a schema query: accepted are ${PARAMS.join(', ')}`);
    }
    const registry = opts.structures.registry;
    const { chain, dsd, dataflow } = resolveTarget(api, registry, segments);
    const timeId = dsd.timeDimension.id;
    const dimensionAtObservation = params.get('dimensionAtObservation') ?? timeId;
    if (dimensionAtObservation !== 'AllDimensions' && dimensionAtObservation !== timeId && !dsd.dimensions.some((d) => d.id === dimensionAtObservation)) {
      throw syntax(`dimensionAtObservation: ${dsd.id} has no dimension ${dimensionAtObservation} (use ${timeId}, AllDimensions or one of ${dsd.dimensions.map((d) => d.id).join(', ')})`);
    }
    const explicitMeasure = params.get('explicitMeasure') ?? 'false';
    if (explicitMeasure !== 'true' && explicitMeasure !== 'false') throw syntax(`Invalid explicitMeasure "${explicitMeasure}": expected true or false`);
    // explicitMeasure=true is accepted and changes nothing: explicit measures type the values of
    // a measure dimension (SDMX 2.1 cross-sectional data), and our DSDs have a single primary
    // measure, so the strongly typed schema is the one we already write.

    const chainKeys = new Set(chain.map((a) => refKey(refOf(a))));
    const constraints = allowedConstraintsOn(registry, chain);
    const codelist = (id: string) => codelistOf(opts.structures, dsd, id);
    const allowedValues = allowedValuesOf(constraints, codelist);
    const languages = preferredLanguages(params.get('lang'), request.headers['accept-language']);
    const lastModified = opts.structures.lastModifiedOf([...chain, ...constraints, ...registry.childrenOf(dsd), ...registry.ofClass('AgencyScheme')]);
    const etag = weakEtag('schema', format?.mediaType ?? XSD.mediaType, languages.join(','), [...chainKeys].join(' '), dimensionAtObservation, lastModified.toISOString());
    if (answerConditional(request, reply, etag, lastModified)) return reply;

    const body = format
      ? format.write({ header: messageHeader(opts, languages), artefacts: schemaStructures(registry, dsd, codelist, allowedValues) })
      : dsdSchemaMl21(dsd, dataflow, { dimensionAtObservation, codelists: codelist, allowedValues });
    return reply
      .code(200)
      .header('Content-Type', format?.mediaType ?? XSD.mediaType)
      .header('Cache-Control', opts.cacheLifetime.publicCacheControl())
      .send(Buffer.from(body));
  } catch (err) {
    if (err instanceof ServiceError) return sendSdmxError(reply, api, sdmxErrorOf(err, api), errorFormat);
    throw err;
  }
}
