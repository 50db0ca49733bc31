/**
 * The JSON data API: `GET /api/v1/data/{agency}/{id}/{version}` (the data now, as it was public
 * at `asOf`, or right after a `release`) and the permalink
 * `GET /api/v1/releases/{code}/data/{agency}/{id}/{version}` (exactly what that release
 * published). Public reads: validators and 304 before any observation is read, 413 before the
 * first byte, small answers as one buffer and large ones streamed in chunks (memory bounded by a
 * storage page). Refusals are problem documents (docs/api-errors.md).
 *
 * The permalink shares the `/api/v1/releases/` prefix with the release workflow routes
 * (releases.ts); Fastify keeps both as long as the paths differ.
 */
import { rawQueryOf } from '../../http/request-address.js';
import { chunkedStream } from '../../http/chunks.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import { problemResponses } from '../../http/problem.js';
import { sendServiceProblem } from '../../http/problem-errors.js';
import { ServiceError } from '../../errors.js';
import { IMMUTABLE, type JsonDataAnswer, type JsonDataApi } from '../../services/data/json-api.js';
import type { CacheLifetime } from '../../http/cache-lifetime.js';
import { JSON_API_LANGUAGES, parseJsonDataRequest } from '../../services/data/json-api-query.js';
import { chosenEncoding, isNotModified, lastModifiedSeconds, VARY } from '../../http/conditional-requests.js';
import {
  auditPreviewRead,
  notYetPublic,
  PREVIEW_CACHE_CONTROL,
  previewEtag,
  previewLastModified,
  readAccessOf,
  type ReadAccess,
} from '../../auth/preview-access.js';

export interface JsonDataRoutesOptions {
  readonly api: JsonDataApi;
  /** For preview answers: which releases are not public yet, and Last-Modified capped at now. */
  readonly clock: Clock;
  /** The Cache-Control of public answers: never past the next announced release instant. */
  readonly cacheLifetime: CacheLifetime;
}

const CONTENT_TYPE = 'application/json; charset=utf-8';

/** Up to this many observations (estimated) an answer is written whole, then sent. */
const SMALL_ANSWER_OBSERVATIONS = 2000;

interface FlowParams {
  agency: string;
  id: string;
  version: string;
}

interface ReleaseFlowParams extends FlowParams {
  code: string;
}

// ---- schemas (validation of types, and what @fastify/swagger documents) ----

const flowParams = {
  agency: { type: 'string', description: 'Maintenance agency, e.g. UNODC' },
  id: { type: 'string', description: 'Dataflow id, e.g. DF_CTS_HOMICIDE' },
  version: { type: 'string', description: 'Dataflow version, e.g. 1.0, or latest' },
} as const;

const selectionQuery = {
  key: {
    type: 'string',
    description: 'SDMX series key: one position per dimension separated by ".", alternatives by "+", empty = any (e.g. A.AUT+FRA.VIC_HOM.0101....NR)',
  },
  startPeriod: { type: 'string', description: 'Periods ending on or after the start of this one (2019, 2019-Q3, 2019-07, 2019-07-01)' },
  endPeriod: { type: 'string', description: 'Periods starting on or before the end of this one' },
  lang: { type: 'string', enum: [...JSON_API_LANGUAGES], description: 'Language of the labels; default from Accept-Language, else en' },
  limit: { type: 'integer', minimum: 1, description: 'At most this many of the matched series' },
  offset: { type: 'integer', minimum: 0, default: 0, description: 'Skip this many of the matched series (key order)' },
} as const;

const observation = {
  type: 'object',
  properties: {
    period: { type: 'string' },
    value: { type: ['number', 'null'], description: 'null for a missing or suppressed (confidential) value' },
    attributes: { type: 'object', additionalProperties: { type: 'string' }, description: 'As stored, e.g. OBS_STATUS, CONF_STATUS' },
    release: { type: 'string', description: 'Code of the release that wrote this value' },
    deleted: { type: 'boolean', description: 'Permalinks only: the release withdrew this value' },
  },
  required: ['period', 'value', 'attributes', 'release'],
} as const;

const dataDocument = {
  type: 'object',
  description: 'The data, series in key order. `releases` (the codes of the releases whose values the answer holds, oldest first) comes last: it is known once the series are written.',
  properties: {
    dataflow: {
      type: 'object',
      properties: { agency: { type: 'string' }, id: { type: 'string' }, version: { type: 'string' }, name: { type: ['string', 'null'] } },
    },
    release: { type: 'object', description: 'Permalinks only', properties: { code: { type: 'string' }, announcedAt: { type: 'string', format: 'date-time' } } },
    query: { type: 'object', additionalProperties: true, description: 'The parameters, normalised' },
    asOf: { type: 'string', format: 'date-time', description: 'The instant whose public data the answer is' },
    paging: {
      type: 'object',
      properties: {
        offset: { type: 'integer' },
        limit: { type: ['integer', 'null'] },
        matchedSeries: { type: 'integer', description: 'Series matching the key that hold data in the releases read (a page leaves out those without observations in the period)' },
        next: { type: ['integer', 'null'], description: 'The offset of the next page, null on the last' },
      },
    },
    series: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: { type: 'string' },
          dimensions: {
            type: 'object',
            additionalProperties: { type: 'object', properties: { id: { type: 'string' }, name: { type: ['string', 'null'] } } },
          },
          observations: { type: 'array', items: observation },
        },
      },
    },
    releases: { type: 'array', items: { type: 'string' } },
  },
} as const;

const problems = problemResponses;

const DATA_SCHEMA = {
  summary: 'Data of a dataflow, now, at an instant (asOf) or right after a release',
  description:
    'Every series matching the key with its observations as public at the chosen state, each naming the release that wrote it. Suppressed cells are served as stored: value null with their CONF_STATUS and OBS_STATUS.',
  tags: ['data'],
  params: { type: 'object', properties: flowParams, required: ['agency', 'id', 'version'] },
  querystring: {
    type: 'object',
    properties: {
      ...selectionQuery,
      asOf: { type: 'string', description: 'ISO-8601 instant: the data as they were public then' },
      release: { type: 'string', description: 'A release code: the data right after it was published (not with asOf)' },
    },
  },
  response: { 200: dataDocument, 304: { type: 'null', description: 'Not modified' }, ...problems(400, 401, 404, 413) },
} as const;

const PERMALINK_SCHEMA = {
  summary: 'Exactly what one release published for a dataflow (permalink)',
  description:
    'The rows the release wrote, values as published, withdrawals marked deleted; nothing from other releases. Cacheable for good once published. A release that is not public (embargoed, draft, cancelled) is 404, exactly as an unknown code.',
  tags: ['data'],
  params: { type: 'object', properties: { code: { type: 'string', description: 'Release code' }, ...flowParams }, required: ['code', 'agency', 'id', 'version'] },
  querystring: { type: 'object', properties: selectionQuery },
  response: { 200: dataDocument, 304: { type: 'null', description: 'Not modified' }, ...problems(400, 401, 404, 413) },
} as const;

// ---- routes ----

export async function jsonDataRoutes(app: FastifyInstance, opts: JsonDataRoutesOptions): Promise<void> {
  // A `preview` token reads scheduled releases early, audited; a bad token is 401 (auth/preview-access.ts).
  app.addHook('onSend', auditPreviewRead);
  const apiFor = (access: ReadAccess) => (access.kind === 'preview' ? opts.api.previewing : opts.api);

  app.get<{ Params: FlowParams }>('/data/:agency/:id/:version', { schema: DATA_SCHEMA }, async (request, reply) => {
    const access = await readAccessOf(request, reply);
    if (access.kind === 'refused') return sendRefusal(reply, access.error);
    try {
      const query = parseJsonDataRequest(request.params, rawQueryOf(request), request.headers['accept-language']);
      return send(request, reply, apiFor(access).current(query), access, opts.clock.now(), opts.cacheLifetime);
    } catch (err) {
      if (err instanceof ServiceError) return sendRefusal(reply, err);
      throw err;
    }
  });

  app.get<{ Params: ReleaseFlowParams }>('/releases/:code/data/:agency/:id/:version', { schema: PERMALINK_SCHEMA }, async (request, reply) => {
    const access = await readAccessOf(request, reply);
    if (access.kind === 'refused') return sendRefusal(reply, access.error);
    try {
      const { code, agency, id, version } = request.params;
      const query = parseJsonDataRequest({ agency, id, version }, rawQueryOf(request), request.headers['accept-language'], true);
      return send(request, reply, apiFor(access).permalink(code, query), access, opts.clock.now(), opts.cacheLifetime);
    } catch (err) {
      if (err instanceof ServiceError) return sendRefusal(reply, err);
      throw err;
    }
  });
}

/**
 * Validators, then 304, then the size check, then the body. A strong ETag names one byte
 * sequence, so it carries the content coding the compression plugin will apply.
 */
function send(request: FastifyRequest, reply: FastifyReply, answer: JsonDataAnswer, access: ReadAccess, now: Date, lifetime: CacheLifetime): FastifyReply {
  const coding = answer.strong ? chosenEncoding(request.headers['accept-encoding']) : undefined;
  const publicEtag = answer.strong ? `"${answer.etag}${coding ? `-${coding}` : ''}"` : answer.etag;
  // A preview is private, never immutable (a scheduled release can still move), with ETags of its own.
  const preview = access.kind === 'preview';
  if (preview) {
    access.read.dataflow = answer.flowKey;
    access.read.embargoedReleases = notYetPublic(answer.releasesRead, now);
  }
  const etag = preview ? previewEtag(publicEtag) : publicEtag;
  const lastModifiedMs = lastModifiedSeconds(preview ? previewLastModified(answer.lastModified, now) : answer.lastModified);
  const headers = {
    etag,
    'last-modified': new Date(lastModifiedMs).toUTCString(),
    vary: VARY,
    // A permalink never changes; anything else may at the next release instant (http/cache-lifetime.ts).
    'cache-control': preview ? PREVIEW_CACHE_CONTROL : answer.cacheControl === IMMUTABLE ? IMMUTABLE : lifetime.publicCacheControl(),
  };
  // A 304 carries the headers the 200 would (RFC 9110 §15.4.5).
  if (isNotModified(request, etag, lastModifiedMs)) return reply.code(304).headers(headers).send();
  answer.checkSize();
  reply.code(200).headers(headers).header('content-type', CONTENT_TYPE);
  if (answer.estimatedObservations <= SMALL_ANSWER_OBSERVATIONS) return reply.send(Buffer.from([...answer.body()].join('')));
  return reply.send(chunkedStream(answer.body()));
}


/**
 * A refusal (a bad bearer token, a locked-out client, a bad query, an unknown release) as a
 * problem document. Never stored by caches: a release refused now may be public at its instant.
 */
function sendRefusal(reply: FastifyReply, err: ServiceError): FastifyReply {
  reply.header('cache-control', err.kind === 'unauthenticated' || err.kind === 'rate-limited' ? 'no-store' : 'no-cache');
  return sendServiceProblem(reply, err);
}
