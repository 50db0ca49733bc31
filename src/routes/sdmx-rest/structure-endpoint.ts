/**
 * One structure query, end to end: choose the format (406 before any work), parse the path and
 * parameters, resolve against the catalogue, answer 304 when the client's copy is current,
 * else write the message.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SdmxErrors, SdmxRequestError } from '../../sdmx/errors.js';
import type { StructureMessage } from '../../sdmx/message.js';
import { negotiate } from '../../sdmx/negotiate.js';
import { parseStructureRequest, type ApiVersion } from '../../sdmx/rest/structure-request.js';
import { answerConditional, weakEtag } from './http-cache.js';
import { preferredLanguages } from './language.js';
import { STRUCTURE_OFFERS, structureFormatFromParam, type StructureFormat } from './structure-formats.js';
import { messageHeader, sendSdmxError, type SdmxRestOptions } from './reply.js';

function chooseFormat(request: FastifyRequest, api: ApiVersion): StructureFormat {
  const q = request.query as Record<string, unknown>;
  if (q.format !== undefined) {
    const f =
      typeof q.format === 'string' && (q.formatVersion === undefined || typeof q.formatVersion === 'string')
        ? structureFormatFromParam(api, q.format, q.formatVersion as string | undefined)
        : undefined;
    if (!f) throw new SdmxRequestError(SdmxErrors.notAcceptable(`Unsupported format "${String(q.format)}"${q.formatVersion ? ` version ${String(q.formatVersion)}` : ''}`));
    return f;
  }
  const { offers, fallback } = STRUCTURE_OFFERS[api];
  const chosen = negotiate(request.headers.accept, offers, fallback);
  if (!chosen) {
    throw new SdmxRequestError(
      SdmxErrors.notAcceptable(`None of the requested representations is offered. Available: ${offers.map((o) => o.mediaType).join(', ')}`),
    );
  }
  return chosen as StructureFormat;
}

export async function handleStructureQuery(
  request: FastifyRequest,
  reply: FastifyReply,
  api: ApiVersion,
  segments: readonly string[],
  opts: SdmxRestOptions,
): Promise<FastifyReply> {
  const format = chooseFormat(request, api);
  try {
    const params = request.query as Record<string, unknown>;
    const query = parseStructureRequest(api, segments, params);
    const answer = opts.structures.query(query);
    if (answer.artefacts.length === 0) {
      return sendSdmxError(reply, api, SdmxErrors.noResults('No structures match the query'), format);
    }
    const languages = preferredLanguages(params.lang, request.headers['accept-language']);
    const etag = weakEtag(format.mediaType, languages.join(','), JSON.stringify(answer.artefacts));
    if (answerConditional(request, reply, etag, answer.lastModified)) return reply;
    const message: StructureMessage = { header: messageHeader(opts, languages), artefacts: answer.artefacts };
    return reply
      .code(200)
      .header('Content-Type', format.mediaType)
      .header('Cache-Control', 'public, max-age=300')
      // A Buffer, so Fastify keeps the Content-Type exactly as set (no charset, no quoting).
      .send(Buffer.from(format.write(message)));
  } catch (err) {
    if (err instanceof SdmxRequestError) return sendSdmxError(reply, api, err.error, format);
    throw err;
  }
}
