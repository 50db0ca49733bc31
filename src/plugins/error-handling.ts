/**
 * The last line of defence: errors no route handled, and paths no route knows, answered in the
 * format of the surface they came through. Under /sdmx/ that is an SDMX error message; elsewhere
 * `application/problem+json` (RFC 9457). Client errors keep their 4xx status; anything else is
 * logged and masked as a 500 without internals.
 */
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SdmxErrors } from '../sdmx/errors.js';
import { MEDIA } from '../sdmx/media-types.js';
import type { SdmxError } from '../sdmx/message.js';
import { sendSdmxError } from '../routes/sdmx-rest/reply.js';
import { PROBLEM_BASE, sendProblem, type Problem } from '../http/problem.js';

export function sdmxApiOf(url: string): '2.1' | '3.0' | undefined {
  if (url.startsWith('/sdmx/3.0')) return '3.0';
  if (url.startsWith('/sdmx')) return '2.1';
  return undefined;
}

/** An error in the format of the surface the request came through (SDMX or problem+json). */
export function sendSurfaceError(request: FastifyRequest, reply: FastifyReply, err: SdmxError, problemType = 'about:blank'): FastifyReply {
  const api = sdmxApiOf(request.url);
  if (api) return sendSdmxError(reply, api, err);
  return reply
    .code(err.status)
    .header('Content-Type', MEDIA.problemJson)
    .send(Buffer.from(JSON.stringify({ type: problemType, title: titleOf(err.status), status: err.status, detail: err.text })));
}

/**
 * A schema validation failure (Fastify with ajv) as a problem document that names each field
 * at fault with a JSON pointer into the part of the request it is in (RFC 9457 §3 example).
 */
export function validationProblem(error: Pick<FastifyError, 'message' | 'validation' | 'validationContext'>): Problem {
  const part = error.validationContext ?? 'body';
  const errors = (error.validation ?? []).map((v) => {
    const params = v.params as { missingProperty?: string; additionalProperty?: string };
    const leaf = params.missingProperty ?? params.additionalProperty;
    const pointer = `#${v.instancePath}${leaf === undefined ? '' : `/${leaf}`}`;
    const message = params.additionalProperty !== undefined ? 'is not an allowed property' : v.message ?? 'is invalid';
    return { in: part, pointer, message };
  });
  const detail = errors.length
    ? errors.map((e) => `${e.in} ${e.pointer === '#' ? '' : `field ${e.pointer.slice(2).replaceAll('/', '.')} `}${e.message}`).join('; ')
    : error.message;
  return { type: `${PROBLEM_BASE}invalid-request`, title: 'Bad Request', status: 400, detail, errors };
}

function titleOf(status: number): string {
  switch (status) {
    case 400: return 'Bad Request';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'Not Found';
    case 405: return 'Method Not Allowed';
    case 406: return 'Not Acceptable';
    case 413: return 'Content Too Large';
    case 414: return 'URI Too Long';
    case 415: return 'Unsupported Media Type';
    case 429: return 'Too Many Requests';
    case 501: return 'Not Implemented';
    case 503: return 'Service Unavailable';
    default: return status >= 500 ? 'Internal Server Error' : 'Client Error';
  }
}

async function errorHandlingPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (error.validation && !sdmxApiOf(request.url)) return sendProblem(reply, validationProblem(error));
    if (status >= 400 && status < 500) {
      const err: SdmxError = status === 414 ? SdmxErrors.uriTooLong(error.message)
        : status === 413 ? SdmxErrors.tooLarge(error.message)
        : status === 404 ? SdmxErrors.noResults(error.message)
        : { ...SdmxErrors.syntax(error.message), status };
      return sendSurfaceError(request, reply, err);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendSurfaceError(request, reply, SdmxErrors.internal('Internal error; it has been logged.'));
  });
  app.setNotFoundHandler((request, reply) => {
    const where = request.url.split('?')[0];
    const text = request.url.startsWith('/sdmx')
      ? `Unknown path ${where}: the SDMX APIs are at /sdmx/2.1/ and /sdmx/3.0/`
      : `Nothing at ${where}`;
    return sendSurfaceError(request, reply, SdmxErrors.noResults(text));
  });
}

/**
 * Errors raised before routing (a malformed percent-encoding, a bad content type): Fastify
 * answers them itself unless given this, so it is passed as the `frameworkErrors` option.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
  sendSurfaceError(request, reply, { ...SdmxErrors.syntax(error.message), status });
}

export const errorHandling = fp(errorHandlingPlugin, { name: 'error-handling' });
