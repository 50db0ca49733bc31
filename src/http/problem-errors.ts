/**
 * The JSON surfaces' side of the error catalogue: a ServiceError (src/errors.ts) as an RFC 9457
 * problem document, and the error and not-found handlers a problem+json scope installs
 * (`problemErrorHandling`): /api/v1 and everything outside /sdmx.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError, type ErrorKind } from '../errors.js';
import { PROBLEM_BASE, sendProblem, type Problem } from './problem.js';
import './route-methods.js';

const STATUS_OF: Record<ErrorKind, number> = {
  'invalid-input': 400,
  unprocessable: 422,
  'not-found': 404,
  conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  'too-large': 413,
  'not-acceptable': 406,
  'uri-too-long': 414,
  'method-not-allowed': 405,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  'not-implemented': 501,
  unavailable: 503,
  internal: 500,
};

/** The HTTP status a JSON surface answers an error of this kind with. */
export function httpStatusOf(kind: ErrorKind): number {
  return STATUS_OF[kind];
}

/** The reason phrase, as the problem's `title`. */
export function titleOf(status: number): string {
  switch (status) {
    case 400: return 'Bad Request';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'Not Found';
    case 405: return 'Method Not Allowed';
    case 406: return 'Not Acceptable';
    case 409: return 'Conflict';
    case 413: return 'Content Too Large';
    case 414: return 'URI Too Long';
    case 415: return 'Unsupported Media Type';
    case 422: return 'Unprocessable Content';
    case 429: return 'Too Many Requests';
    case 501: return 'Not Implemented';
    case 503: return 'Service Unavailable';
    default: return status >= 500 ? 'Internal Server Error' : 'Client Error';
  }
}

/** A ServiceError as a problem document: its code is the type, its message the detail. */
export function problemOf(err: ServiceError): Problem {
  const status = httpStatusOf(err.kind);
  const { parameter, allowed, extensions } = err.details;
  return {
    type: `${PROBLEM_BASE}${err.code}`,
    title: titleOf(status),
    status,
    detail: err.message,
    ...(parameter !== undefined ? { parameter } : {}),
    ...(allowed !== undefined ? { allowed } : {}),
    ...extensions,
  };
}

export function sendServiceProblem(reply: FastifyReply, err: ServiceError): FastifyReply {
  return sendProblem(reply, problemOf(err));
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

/** Any error that reached a problem+json scope, as the problem to send (5xx masked). */
export function problemOfAny(error: FastifyError | ServiceError, request: FastifyRequest): Problem {
  if (error instanceof ServiceError && error.kind !== 'internal') return problemOf(error);
  if (!(error instanceof ServiceError)) {
    if (error.validation) return validationProblem(error);
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return { type: 'about:blank', title: titleOf(status), status, detail: error.message };
  }
  request.log.error({ err: error }, 'unhandled error');
  return { type: 'about:blank', title: titleOf(500), status: 500, detail: 'Internal error; it has been logged.' };
}

/** Installs problem+json error and not-found handling in this scope. */
export function problemErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ServiceError, request, reply) => sendProblem(reply, problemOfAny(error, request)));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allowed = allowedMethods(request, path);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendServiceProblem(reply, new ServiceError('method-not-allowed', `${path} answers ${allowed.join(', ')}, not ${request.method}`, { allowed }));
    }
    return sendProblem(reply, { type: `${PROBLEM_BASE}not-found`, title: 'Not Found', status: 404, detail: `Nothing at ${path}` });
  });
}

/** The methods other routes take at this path (none when the path itself is unknown); HEAD goes with GET. */
function allowedMethods(request: FastifyRequest, path: string): string[] {
  if (!request.server.hasDecorator('routeMethods')) return [];
  const methods = new Set(request.server.routeMethods.allowedAt(path));
  if (methods.has('GET')) methods.add('HEAD');
  return methods.has(request.method) ? [] : [...methods].sort();
}
