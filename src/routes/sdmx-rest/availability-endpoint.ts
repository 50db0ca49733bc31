/**
 * One availability query, end to end: choose the structure format (406 before any work), parse,
 * resolve the dataflow and check the query, answer 304 when the client's copy is current, else
 * compute the Actual constraint and write it as a structure message.
 *
 * Public answers are kept in the response cache per visible state, as data answers are: a
 * whole-dataflow constraint reads every visible observation of the dataflow (close to a second
 * for the largest demo dataflow), and it cannot change until a release becomes visible or a
 * structure changes, both of which change the state.
 */
import { sdmxErrorOf } from '../../sdmx/errors.js';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { parseAvailabilityRequest } from '../../sdmx/rest/data-request.js';
import { parseRawQuery } from '../../sdmx/rest/query-string.js';
import type { ApiVersion } from '../../sdmx/rest/structure-request.js';
import { planAvailability } from '../../services/data/availability.js';
import { PREVIEW_CACHE_CONTROL, PREVIEW_ETAG_MARK, previewLastModified, PUBLIC_ACCESS, type ReadAccess } from '../../auth/preview-access.js';
import { rawQueryOf } from '../../http/request-address.js';
import { answerConditional, weakEtag } from '../../http/conditional-requests.js';
import { keepAnswer, requestKey } from '../../http/response-cache.js';
import { preferredLanguages } from '../../http/language.js';
import { messageHeader, sendSdmxError, type SdmxRestOptions } from './reply.js';
import { chooseStructureFormat } from '../../formats/structure-formats.js';
import { ServiceError } from '../../errors.js';

export async function handleAvailabilityQuery(
  request: FastifyRequest,
  reply: FastifyReply,
  api: ApiVersion,
  segments: readonly string[],
  opts: SdmxRestOptions,
  access: ReadAccess = PUBLIC_ACCESS,
): Promise<FastifyReply> {
  const rawQuery = rawQueryOf(request);
  const params = parseRawQuery(rawQuery);
  // Availability answers are structure messages: the structure formats, chosen the same way.
  const format = chooseStructureFormat(api, request.headers.accept, params.get('format'), params.get('formatVersion'));
  // Only public answers are kept; read before anything is computed, so an entry is never tagged newer than its data.
  const cache = opts.responseCache.enabled && access.kind === 'public' ? opts.responseCache : undefined;
  const state = cache ? opts.data.visibleStateId() : '';
  // Repeats are answered before the route runs (sdmx-rest/index.ts, http/public-answer-cache.ts).
  const cacheKey = cache ? requestKey(request) : '';
  try {
    if (access.kind === 'refused') throw access.error;
    const query = parseAvailabilityRequest(api, segments, rawQuery);
    const preview = access.kind === 'preview';
    const data = preview ? opts.data.previewing : opts.data;
    const plan = planAvailability(data, opts.structures, query);
    if (preview) {
      access.read.dataflow = data.target(query).target.flowKey;
      access.read.embargoedReleases = data.embargoedReleasesIn(query);
    }
    const languages = preferredLanguages(params.get('lang'), request.headers['accept-language']);
    const etagParts = ['availability', format.mediaType, languages.join(','), JSON.stringify(query), plan.fingerprint];
    const etag = weakEtag(...(preview ? [...etagParts, PREVIEW_ETAG_MARK] : etagParts));
    const lastModified = preview ? previewLastModified(plan.lastModified, opts.clock.now()) : plan.lastModified;
    // Set before the conditional answer: a 304 carries the Cache-Control the 200 would.
    reply.header('Cache-Control', preview ? PREVIEW_CACHE_CONTROL : opts.cacheLifetime.publicCacheControl());
    if (answerConditional(request, reply, etag, lastModified)) return reply;
    // A Buffer, so Fastify keeps the Content-Type exactly as set (no charset, no quoting).
    // In turns: a whole dataflow's constraint can take most of a second, and other requests
    // are served in between (services/turns.ts).
    const artefacts = await plan.artefactsInTurns();
    const body = Buffer.from(format.write({ header: messageHeader(opts, languages), artefacts }));
    keepAnswer(cache, cacheKey, state, { body, contentType: format.mediaType, etag, lastModified });
    return reply.code(200).header('Content-Type', format.mediaType).send(body);
  } catch (err) {
    if (err instanceof ServiceError) return sendSdmxError(reply, api, sdmxErrorOf(err, api), format);
    throw err;
  }
}
