/**
 * Token management over the API (role admin): create (the secret shown once), list, read and
 * revoke. Every write is audited, whatever its outcome; refusals are audited by the guard.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkFuture, ExpiryError } from '../../auth/expiry.js';
import { actorOf } from '../../auth/principal.js';
import type { Role } from '../../auth/roles.js';
import { tokenRuleViolations, type TokenRuleViolation } from '../../auth/token-rules.js';
import type { Clock } from '../../clock.js';
import { PROBLEM_BASE, sendProblem } from '../../http/problem.js';
import { createTokenSchema, getTokenSchema, listTokensSchema, revokeTokenSchema } from './schemas.js';
import { auditFailures } from './audit-failures.js';

export interface TokenRouteOptions {
  /** `AGENCY:ID(VERSION)` of every stored dataflow: producer grants must name one of them. */
  readonly knownDataflows: () => ReadonlySet<string>;
  readonly clock: Clock;
}

interface CreateTokenBody {
  readonly name: string;
  readonly role: Role;
  readonly dataflows: string[];
  readonly expiresAt?: string;
}

function invalid(reply: FastifyReply, violations: readonly TokenRuleViolation[]): FastifyReply {
  return sendProblem(reply, {
    type: `${PROBLEM_BASE}invalid-request`,
    title: 'Bad Request',
    status: 400,
    detail: violations.map((v) => `body field ${v.field}: ${v.message}`).join('; '),
    errors: violations.map((v) => ({ in: 'body', pointer: `#/${v.field}`, message: v.message })),
  });
}

function notFound(reply: FastifyReply, tokenId: string): FastifyReply {
  return sendProblem(reply, { type: `${PROBLEM_BASE}not-found`, title: 'Not Found', status: 404, detail: `No token ${tokenId}` });
}

export async function tokenRoutes(app: FastifyInstance, opts: TokenRouteOptions): Promise<void> {
  app.post<{ Body: CreateTokenBody }>(
    '/tokens',
    { schema: createTokenSchema, onError: auditFailures('token.create') },
    async (request, reply) => {
      const principal = request.principal!;
      const { name, role, dataflows } = request.body;
      const violations = tokenRuleViolations({ name, role, dataflows }, opts.knownDataflows());
      let expiresAt: string | null = null;
      if (request.body.expiresAt !== undefined) {
        try {
          expiresAt = checkFuture(new Date(request.body.expiresAt), opts.clock.now());
        } catch (err) {
          if (!(err instanceof ExpiryError)) throw err;
          violations.push({ field: 'expiresAt', message: err.message });
        }
      }
      if (violations.length) {
        request.server.audit.record({
          actor: principal,
          action: 'token.create',
          outcome: 'failure',
          client: request.ip,
          detail: { status: 400, name, role, errors: violations },
        });
        return invalid(reply, violations);
      }
      const { token, info } = request.server.tokens.create({ name: name.trim(), role, dataflows, expiresAt, createdBy: actorOf(principal) });
      request.server.audit.record({
        actor: principal,
        action: 'token.create',
        target: info.tokenId,
        outcome: 'success',
        client: request.ip,
        detail: { name: info.name, role: info.role, dataflows: info.dataflows, expiresAt: info.expiresAt },
      });
      reply.code(201).header('Location', `${request.url.split('?')[0]}/${info.tokenId}`);
      return { tokenId: info.tokenId, token, name: info.name, role: info.role, dataflows: info.dataflows, createdAt: info.createdAt, expiresAt: info.expiresAt };
    },
  );

  app.get('/tokens', { schema: listTokensSchema }, async () => ({ tokens: app.tokens.list() }));

  app.get<{ Params: { tokenId: string } }>('/tokens/:tokenId', { schema: getTokenSchema }, async (request, reply) => {
    return app.tokens.get(request.params.tokenId) ?? notFound(reply, request.params.tokenId);
  });

  app.delete<{ Params: { tokenId: string } }>(
    '/tokens/:tokenId',
    { schema: revokeTokenSchema, onError: auditFailures('token.revoke') },
    async (request: FastifyRequest<{ Params: { tokenId: string } }>, reply) => {
      const { tokenId } = request.params;
      const before = app.tokens.get(tokenId);
      const revoked = before && app.tokens.revoke(tokenId);
      request.server.audit.record({
        actor: request.principal,
        action: 'token.revoke',
        target: tokenId,
        outcome: revoked ? 'success' : 'failure',
        client: request.ip,
        detail: revoked ? { name: revoked.name, role: revoked.role, alreadyRevoked: before.status === 'revoked' } : { status: 404, reason: 'unknown token' },
      });
      if (!revoked) return notFound(reply, tokenId);
      return reply.code(204).send();
    },
  );
}
