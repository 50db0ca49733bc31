/**
 * Shared by the SDMX REST handlers: the plugin options, and sending an SDMX error message in
 * the family (XML or JSON) of the negotiated format, or the API default when negotiation failed.
 */
import type { CacheLifetime } from '../../http/cache-lifetime.js';
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { Header, SdmxError } from '../../sdmx/message.js';
import type { DataService } from '../../services/data/data-service.js';
import type { ResponseCache } from '../../http/response-cache.js';
import type { ApiVersion } from '../../sdmx/rest/structure-request.js';
import type { StructureService } from '../../services/structure-service.js';
import type { Clock } from '../../clock.js';
import type { MetadataService } from '../../services/metadata/metadata-service.js';
import { STRUCTURE_OFFERS, type StructureFormat } from '../../formats/structure-formats.js';
import { VARY } from '../../http/conditional-requests.js';

export interface SdmxRestOptions {
  readonly structures: StructureService;
  readonly data: DataService;
  readonly responseCache: ResponseCache;
  readonly clock: Clock;
  readonly senderId: string;
  /** The Cache-Control of public answers: never past the next announced release instant. */
  readonly cacheLifetime: CacheLifetime;
  /** The public reference metadata (metadata queries). */
  readonly metadata: MetadataService;
}

/** A fresh message header: a new id and the preparation instant, the caller's languages. */
export function messageHeader(opts: Pick<SdmxRestOptions, 'clock' | 'senderId'>, languages: readonly string[]): Header {
  return {
    id: `IREF${randomBytes(8).toString('hex').toUpperCase()}`,
    test: false,
    prepared: opts.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    sender: { id: opts.senderId },
    languages,
  };
}

/** Sends an SDMX error message in the family of `format` (or the API default). */
export function sendSdmxError(reply: FastifyReply, api: ApiVersion, err: SdmxError, format?: Pick<StructureFormat, 'writeError'>): FastifyReply {
  const f = format ?? STRUCTURE_OFFERS[api].fallback;
  const { body, contentType } = f.writeError(err);
  // An error carries no validators, even when they were set before the failure was known.
  reply.removeHeader('ETag');
  reply.removeHeader('Last-Modified');
  reply.removeHeader('Content-Disposition');
  return reply.code(err.status).header('Content-Type', contentType).header('Vary', VARY).header('Cache-Control', 'no-store').send(Buffer.from(body));
}

