/**
 * Shared by the SDMX REST handlers: the plugin options, and sending an SDMX error message in
 * the family (XML or JSON) of the negotiated format, or the API default when negotiation failed.
 */
import type { FastifyReply } from 'fastify';
import type { SdmxError } from '../../sdmx/message.js';
import type { ApiVersion } from '../../sdmx/rest/structure-request.js';
import type { StructureService } from '../../services/structure-service.js';
import type { Clock } from '../../clock.js';
import { STRUCTURE_OFFERS, type StructureFormat } from './structure-formats.js';
import { VARY } from './http-cache.js';

export interface SdmxRestOptions {
  readonly structures: StructureService;
  readonly clock: Clock;
  readonly senderId: string;
}

/** Sends an SDMX error message in the family of `format` (or the API default). */
export function sendSdmxError(reply: FastifyReply, api: ApiVersion, err: SdmxError, format?: StructureFormat): FastifyReply {
  const f = format ?? STRUCTURE_OFFERS[api].fallback;
  const { body, contentType } = f.writeError(err);
  return reply.code(err.status).header('Content-Type', contentType).header('Vary', VARY).header('Cache-Control', 'no-store').send(Buffer.from(body));
}

