/**
 * One availability query, end to end: choose the structure format (406 before any work), parse,
 * resolve the dataflow and check the query, answer 304 when the client's copy is current, else
 * compute the Actual constraint and write it as a structure message.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SdmxRequestError } from '../../sdmx/errors.js';
import { parseAvailabilityRequest } from '../../sdmx/rest/data-request.js';
import { parseRawQuery } from '../../sdmx/rest/query-string.js';
import type { ApiVersion } from '../../sdmx/rest/structure-request.js';
import { planAvailability } from '../../services/data/availability.js';
import { rawQueryOf } from './data-endpoint.js';
import { answerConditional, weakEtag } from './http-cache.js';
import { preferredLanguages } from './language.js';
import { messageHeader, sendSdmxError, type SdmxRestOptions } from './reply.js';
import { chooseStructureFormat } from './structure-formats.js';

export async function handleAvailabilityQuery(
  request: FastifyRequest,
  reply: FastifyReply,
  api: ApiVersion,
  segments: readonly string[],
  opts: SdmxRestOptions,
): Promise<FastifyReply> {
  const rawQuery = rawQueryOf(request);
  const params = parseRawQuery(rawQuery);
  // Availability answers are structure messages: the structure formats, chosen the same way.
  const format = chooseStructureFormat(api, request.headers.accept, params.get('format'), params.get('formatVersion'));
  try {
    const query = parseAvailabilityRequest(api, segments, rawQuery);
    const plan = planAvailability(opts.data, opts.structures, query);
    const languages = preferredLanguages(params.get('lang'), request.headers['accept-language']);
    const etag = weakEtag('availability', format.mediaType, languages.join(','), JSON.stringify(query), plan.fingerprint);
    if (answerConditional(request, reply, etag, plan.lastModified)) return reply;
    const body = format.write({ header: messageHeader(opts, languages), artefacts: plan.artefacts() });
    return reply
      .code(200)
      .header('Content-Type', format.mediaType)
      .header('Cache-Control', 'public, max-age=300')
      // A Buffer, so Fastify keeps the Content-Type exactly as set (no charset, no quoting).
      .send(Buffer.from(body));
  } catch (err) {
    if (err instanceof SdmxRequestError) return sendSdmxError(reply, api, err.error, format);
    throw err;
  }
}
