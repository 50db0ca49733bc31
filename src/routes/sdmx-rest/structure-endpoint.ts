/**
 * One structure query, end to end: choose the format (406 before any work), parse the path and
 * parameters, resolve against the catalogue (with the Actual constraints of the data visible
 * now when the query can reach them), answer 304 when the client's copy is current, else write
 * the message, kept in the response cache for the visible state it was made for.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SdmxErrors, sdmxErrorOf } from '../../sdmx/errors.js';
import type { StructureMessage } from '../../sdmx/message.js';
import { parseStructureRequest, type ApiVersion } from '../../sdmx/rest/structure-request.js';
import { actualConstraintsOf, mayReachActualConstraints } from '../../services/actual-constraints.js';
import { answerConditional, weakEtag } from '../../http/conditional-requests.js';
import { keepAnswer, requestKey } from '../../http/response-cache.js';
import { preferredLanguages } from '../../http/language.js';
import { chooseStructureFormat } from '../../formats/structure-formats.js';
import { messageHeader, sendSdmxError, type SdmxRestOptions } from './reply.js';
import { ServiceError } from '../../errors.js';

export async function handleStructureQuery(
  request: FastifyRequest,
  reply: FastifyReply,
  api: ApiVersion,
  segments: readonly string[],
  opts: SdmxRestOptions,
): Promise<FastifyReply> {
  const q = request.query as Record<string, unknown>;
  const format = chooseStructureFormat(api, request.headers.accept, q.format, q.formatVersion);
  // Structure answers are public and change only with the structures or (Actual constraints) the
  // visible data: kept per visible state, which names both. Repeats are answered before the route.
  const cache = opts.responseCache.enabled ? opts.responseCache : undefined;
  const state = cache ? opts.data.visibleStateId() : '';
  try {
    const params = request.query as Record<string, unknown>;
    const query = parseStructureRequest(api, segments, params);
    // The Actual constraints are computed from the data visible now, only for queries that can
    // return them; their content is in the ETag, so it changes exactly when they do.
    const derived = mayReachActualConstraints(query) ? actualConstraintsOf(opts.data, opts.structures).current() : undefined;
    const answer = opts.structures.query(query, derived);
    if (answer.artefacts.length === 0) {
      return sendSdmxError(reply, api, SdmxErrors.noResults('No structures match the query'), format);
    }
    // Artefacts matched, but none that this format can express: an empty message would read as
    // "nothing there" (2.1 attachment constraints in an SDMX 3.0 format, 3.0 value lists in 2.1).
    if (answer.artefacts.every((a) => format.omits?.has(a.class))) {
      const matched = [...new Set(answer.artefacts.map((a) => a.class))];
      const alternatives = typeof format.alternatives === 'function' ? format.alternatives(matched) : format.alternatives;
      return sendSdmxError(reply, api, SdmxErrors.notAcceptable(`${format.mediaType} cannot express ${matched.join(', ')}: ask for ${alternatives}`), format);
    }
    const languages = preferredLanguages(params.lang, request.headers['accept-language']);
    const etag = weakEtag(format.mediaType, languages.join(','), JSON.stringify(answer.artefacts));
    // Before the conditional answer: a 304 carries the Cache-Control the 200 would.
    reply.header('Cache-Control', opts.cacheLifetime.publicCacheControl());
    if (answerConditional(request, reply, etag, answer.lastModified)) return reply;
    const message: StructureMessage = { header: messageHeader(opts, languages), artefacts: answer.artefacts };
    // A Buffer, so Fastify keeps the Content-Type exactly as set (no charset, no quoting).
    const body = Buffer.from(format.write(message));
    keepAnswer(cache, cache ? requestKey(request) : '', state, { body, contentType: format.mediaType, etag, lastModified: answer.lastModified });
    return reply.code(200).header('Content-Type', format.mediaType).send(body);
  } catch (err) {
    if (err instanceof ServiceError) return sendSdmxError(reply, api, sdmxErrorOf(err, api), format);
    throw err;
  }
}
