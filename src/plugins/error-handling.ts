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

function sdmxApiOf(url: string): '2.1' | '3.0' | undefined {
  if (url.startsWith('/sdmx/3.0')) return '3.0';
  if (url.startsWith('/sdmx')) return '2.1';
  return undefined;
}

function sendError(request: FastifyRequest, reply: FastifyReply, err: SdmxError): FastifyReply {
  const api = sdmxApiOf(request.url);
  if (api) return sendSdmxError(reply, api, err);
  return reply
    .code(err.status)
    .header('Content-Type', MEDIA.problemJson)
    .send(Buffer.from(JSON.stringify({ type: 'about:blank', title: titleOf(err.status), status: err.status, detail: err.text })));
}

function titleOf(status: number): string {
  switch (status) {
    case 400: return 'Bad Request';
    case 404: return 'Not Found';
    case 405: return 'Method Not Allowed';
    case 406: return 'Not Acceptable';
    case 413: return 'Content Too Large';
    case 414: return 'URI Too Long';
    case 415: return 'Unsupported Media Type';
    case 501: return 'Not Implemented';
    case 503: return 'Service Unavailable';
    default: return status >= 500 ? 'Internal Server Error' : 'Client Error';
  }
}

async function errorHandlingPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const err: SdmxError = status === 414 ? SdmxErrors.uriTooLong(error.message)
        : status === 413 ? SdmxErrors.tooLarge(error.message)
        : status === 404 ? SdmxErrors.noResults(error.message)
        : { ...SdmxErrors.syntax(error.message), status };
      return sendError(request, reply, err);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, SdmxErrors.internal('Internal error; it has been logged.'));
  });
  app.setNotFoundHandler((request, reply) => {
    const where = request.url.split('?')[0];
    const text = request.url.startsWith('/sdmx')
      ? `Unknown path ${where}: the SDMX APIs are at /sdmx/2.1/ and /sdmx/3.0/`
      : `Nothing at ${where}`;
    return sendError(request, reply, SdmxErrors.noResults(text));
  });
}

/**
 * Errors raised before routing (a malformed percent-encoding, a bad content type): Fastify
 * answers them itself unless given this, so it is passed as the `frameworkErrors` option.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
  sendError(request, reply, { ...SdmxErrors.syntax(error.message), status });
}

export const errorHandling = fp(errorHandlingPlugin, { name: 'error-handling' });
