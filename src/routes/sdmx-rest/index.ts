/**
 * The SDMX REST surface: `/sdmx/2.1/...` (REST API 1.5 paths) and `/sdmx/3.0/...` (REST API
 * 2.x paths). One wildcard route per API parses the path itself, so that every malformed path
 * gets an SDMX error message (400/404/501) rather than a router 404, and so that resources the
 * specification defines but we do not serve yet answer 501 ("all SDMX web services should
 * implement all the standard interfaces, even if their only function is to return this
 * error", 4_7_errors.md).
 */
import { MAX_URL_LENGTH } from '../../http/client-errors.js';
import { answerFromCache } from '../../http/public-answer-cache.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SdmxErrors, sdmxErrorOf } from '../../sdmx/errors.js';
import type { ApiVersion } from '../../sdmx/rest/structure-request.js';
import { sendSdmxError, type SdmxRestOptions } from './reply.js';
import { handleStructureQuery } from './structure-endpoint.js';
import { handleDataQuery } from './data-endpoint.js';
import { handleAvailabilityQuery } from './availability-endpoint.js';
import { handleSchemaQuery } from './schema-endpoint.js';
import { handleMetadataQuery } from './metadata-endpoint.js';
import { sdmxErrorHandling } from './errors.js';
import { auditPreviewRead, readAccessOf } from '../../auth/preview-access.js';
import { ServiceError } from '../../errors.js';


/** Where the SDMX surface lives; its routes are declared relative to it. */
export const SDMX_PREFIX = '/sdmx';


/** Resources the specifications define that this service does not offer: "not implemented". */
const NOT_YET_SERVED: Record<ApiVersion, readonly string[]> = {
  '2.1': ['registration'],
  '3.0': ['registration'],
};

function pathSegments(rest: string): string[] {
  const segments = rest.split('/');
  // A trailing slash is harmless; an empty segment inside the path is not.
  while (segments.length && segments[segments.length - 1] === '') segments.pop();
  if (segments.some((s) => s === '')) throw new ServiceError('invalid-input', 'Empty path segment');
  return segments;
}

export async function sdmxRestRoutes(app: FastifyInstance, opts: SdmxRestOptions): Promise<void> {
  sdmxErrorHandling(app);
  // A repeated public data or availability query is answered from the response cache before the
  // route runs (the handlers keep their answers under the same key and state).
  answerFromCache(app, { cache: opts.responseCache, stateId: () => opts.data.visibleStateId(), cacheControl: () => opts.cacheLifetime.publicCacheControl() });
  app.addHook('onSend', auditPreviewRead);
  for (const api of ['2.1', '3.0'] as const) {
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        if (request.url.length > MAX_URL_LENGTH) {
          throw new ServiceError('uri-too-long', `The URL is longer than ${MAX_URL_LENGTH} characters`);
        }
        const segments = pathSegments((request.params as { '*': string })['*'] ?? '');
        if (segments.length === 0) throw new ServiceError('invalid-input', 'Missing resource in the path');
        const [first, ...rest] = segments as [string, ...string[]];
        if (NOT_YET_SERVED[api].includes(first)) {
          throw new ServiceError('not-implemented', `${first} queries are not implemented by this service yet`);
        }
        // Data and availability depend on which releases the caller sees: a preview token sees
        // scheduled ones early (audited), a bad token is refused (auth/preview-access.ts).
        if (first === 'data') {
          return await handleDataQuery(request, reply, api, rest, opts, await readAccessOf(request, reply));
        }
        if (first === (api === '2.1' ? 'availableconstraint' : 'availability')) {
          return await handleAvailabilityQuery(request, reply, api, rest, opts, await readAccessOf(request, reply));
        }
        if (first === 'schema') return await handleSchemaQuery(request, reply, api, rest, opts);
        if (first === 'metadata') return await handleMetadataQuery(request, reply, api, rest, opts);
        if (api === '3.0') {
          if (first !== 'structure') throw new ServiceError('invalid-input', `Unknown resource "${first}"`);
          return await handleStructureQuery(request, reply, api, rest, opts);
        }
        return await handleStructureQuery(request, reply, api, segments, opts);
      } catch (err) {
        if (err instanceof ServiceError) return sendSdmxError(reply, api, sdmxErrorOf(err, api));
        throw err;
      }
    };
    // The OpenAPI document describes what is behind the wildcards instead (openapi-paths.ts).
    app.get(`/${api}/*`, { schema: { hide: true } }, handler);
    app.route({
      method: ['POST', 'PUT', 'PATCH', 'DELETE'],
      url: `/${api}/*`,
      schema: { hide: true },
      handler: async (_request, reply) => {
        reply.header('Allow', 'GET, HEAD');
        return sendSdmxError(reply, api, SdmxErrors.methodNotAllowed('This service is read-only: use GET'));
      },
    });
  }
}
