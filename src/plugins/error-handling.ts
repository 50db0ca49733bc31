/**
 * The root scope's error handling: problem+json (RFC 9457) for errors and unknown paths outside
 * the surfaces that install their own (the SDMX surface in routes/sdmx-rest/errors.ts, the JSON
 * API in routes/api/index.ts): the front door, /docs, /health, and paths nothing serves.
 *
 * Errors raised before routing (a malformed percent-encoding, a bad content type) belong to no
 * scope yet, so `frameworkErrors` picks the surface from the URL.
 */
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problemErrorHandling, titleOf } from '../http/problem-errors.js';
import { sendProblem } from '../http/problem.js';
import { sendSdmxError } from '../routes/sdmx-rest/reply.js';
import { sdmxApiOf, sdmxErrorFormat, sdmxErrorOfStatus } from '../routes/sdmx-rest/errors.js';

async function errorHandlingPlugin(app: FastifyInstance): Promise<void> {
  problemErrorHandling(app);
}

/** Passed as Fastify's `frameworkErrors` option: the error in the format of the URL's surface. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
  const api = sdmxApiOf(request.url);
  if (api) sendSdmxError(reply, api, sdmxErrorOfStatus(status, error.message), sdmxErrorFormat(api, request.headers.accept));
  else sendProblem(reply, { type: 'about:blank', title: titleOf(status), status, detail: error.message });
}

export const errorHandling = fp(errorHandlingPlugin, { name: 'error-handling' });
