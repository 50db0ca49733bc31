/**
 * One availability query, end to end: choose the structure format (406 before any work), parse,
 * resolve the dataflow and check the query, answer 304 when the client's copy is current, else
 * compute the Actual constraint and write it as a structure message.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SdmxErrors, SdmxRequestError } from '../../sdmx/errors.js';
import { negotiate } from '../../sdmx/negotiate.js';
import { parseAvailabilityRequest } from '../../sdmx/rest/data-request.js';
import { parseRawQuery } from '../../sdmx/rest/query-string.js';
import type { ApiVersion } from '../../sdmx/rest/structure-request.js';
import { planAvailability } from '../../services/data/availability.js';
import { rawQueryOf } from './data-endpoint.js';
import { answerConditional, weakEtag } from './http-cache.js';
import { preferredLanguages } from './language.js';
import { messageHeader, sendSdmxError, type SdmxRestOptions } from './reply.js';
import { STRUCTURE_OFFERS, structureFormatFromParam, type StructureFormat } from './structure-formats.js';

/** Availability answers are structure messages: the structure formats, chosen the same way. */
function chooseFormat(request: FastifyRequest, api: ApiVersion, params: ReadonlyMap<string, string>): StructureFormat {
  const format = params.get('format');
  if (format !== undefined) {
    const f = structureFormatFromParam(api, format, params.get('formatVersion'));
    if (!f) throw new SdmxRequestError(SdmxErrors.notAcceptable(`Unsupported format "${format}"${params.has('formatVersion') ? ` version ${params.get('formatVersion')}` : ''}`));
    return f;
  }
  const { offers, fallback } = STRUCTURE_OFFERS[api];
  const chosen = negotiate(request.headers.accept, offers, fallback);
  if (!chosen) {
    throw new SdmxRequestError(SdmxErrors.notAcceptable(`None of the requested representations is offered. Available: ${offers.map((o) => o.mediaType).join(', ')}`));
  }
  return chosen as StructureFormat;
}

export async function handleAvailabilityQuery(
  request: FastifyRequest,
  reply: FastifyReply,
  api: ApiVersion,
  segments: readonly string[],
  opts: SdmxRestOptions,
): Promise<FastifyReply> {
  const rawQuery = rawQueryOf(request);
  const params = parseRawQuery(rawQuery);
  const format = chooseFormat(request, api, params);
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
