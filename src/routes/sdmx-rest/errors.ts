/**
 * The SDMX surface's error and not-found handling, installed in its own scope (/sdmx): every
 * error that leaves a handler or a hook (a ServiceError from a service, the rate limit, a
 * framework error) and every unknown path under /sdmx becomes an SDMX error message, in the
 * family the client reads (sdmxErrorFormat) and numbered as its API version numbers errors.
 * 5xx are logged and masked.
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { ServiceError } from '../../errors.js';
import { SdmxErrors, sdmxErrorOf } from '../../sdmx/errors.js';
import type { SdmxError } from '../../sdmx/message.js';
import type { ApiVersion } from '../../sdmx/rest/structure-request.js';
import { STRUCTURE_JSON10, STRUCTURE_JSON20, STRUCTURE_ML21, STRUCTURE_ML30 } from '../../formats/structure-formats.js';
import { sendSdmxError } from './reply.js';

/** The SDMX API a URL is under: `/sdmx/3.0/...` speaks REST 2.x, the rest of /sdmx REST 1.5. */
export function sdmxApiOf(url: string): ApiVersion | undefined {
  if (url.startsWith('/sdmx/3.0')) return '3.0';
  if (url.startsWith('/sdmx')) return '2.1';
  return undefined;
}

/**
 * The SDMX error family the client reads, judged from Accept without full negotiation (the
 * refusal must stay cheap): JSON or XML when only one is named, else the API default.
 */
export function sdmxErrorFormat(api: ApiVersion, accept: string | undefined) {
  const json = accept !== undefined && /json/i.test(accept);
  const xml = accept !== undefined && /xml/i.test(accept);
  if (json && !xml) return api === '2.1' ? STRUCTURE_JSON10 : STRUCTURE_JSON20;
  if (xml && !json) return api === '2.1' ? STRUCTURE_ML21 : STRUCTURE_ML30;
  return undefined;
}

/** A framework error (Fastify's own, with a status) as the SDMX error of that status. */
export function sdmxErrorOfStatus(status: number, text: string): SdmxError {
  if (status === 414) return SdmxErrors.uriTooLong(text);
  if (status === 413) return SdmxErrors.tooLarge(text);
  if (status === 404) return SdmxErrors.noResults(text);
  return { ...SdmxErrors.syntax(text), status };
}

function sdmxErrorOfAny(error: FastifyError | ServiceError, request: FastifyRequest, api: ApiVersion): SdmxError {
  if (error instanceof ServiceError && error.kind !== 'internal') return sdmxErrorOf(error, api);
  if (!(error instanceof ServiceError)) {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return sdmxErrorOfStatus(status, error.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return SdmxErrors.internal('Internal error; it has been logged.');
}

/** Installs SDMX error and not-found handling in this scope. */
export function sdmxErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ServiceError, request, reply) => {
    const api = sdmxApiOf(request.url) ?? '2.1';
    return sendSdmxError(reply, api, sdmxErrorOfAny(error, request, api), sdmxErrorFormat(api, request.headers.accept));
  });
  app.setNotFoundHandler((request, reply) => {
    const api = sdmxApiOf(request.url) ?? '2.1';
    const text = `Unknown path ${request.url.split('?')[0]}: the SDMX APIs are at /sdmx/2.1/ and /sdmx/3.0/`;
    return sendSdmxError(reply, api, SdmxErrors.noResults(text), sdmxErrorFormat(api, request.headers.accept));
  });
}
