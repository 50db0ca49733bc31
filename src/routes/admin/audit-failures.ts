/**
 * Audits a write that failed before or outside its handler's own bookkeeping: a body that is
 * not JSON, fails the schema or is too large, or an unexpected error. Refusals by the auth guard
 * are audited by the guard itself.
 */
import type { FastifyError, onErrorAsyncHookHandler } from 'fastify';
import { validationProblem } from '../../http/problem-errors.js';

export function auditFailures(action: string): onErrorAsyncHookHandler {
  return async function auditFailure(request, _reply, error: FastifyError) {
    const clientError = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500;
    const status = error.validation ? 400 : clientError ? error.statusCode! : 500;
    const message = error.validation ? validationProblem(error).detail : clientError ? error.message : 'internal error';
    request.server.audit.record({
      actor: request.principal,
      action,
      target: (request.params as Record<string, string> | undefined)?.tokenId,
      outcome: 'failure',
      client: request.ip,
      detail: { status, error: message },
    });
  };
}
