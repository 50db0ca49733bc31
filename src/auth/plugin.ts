/**
 * Authentication for the whole app: `request.principal` (the token holder, or null), read from
 * `Authorization: Bearer <token>` only when something asks for it, so public routes never touch
 * the token table; `requireRole(...)` guards a route. Also exposes the token service and the
 * audit log to routes as `app.tokens` and `app.audit`.
 *
 * Use the guard as an `onRequest` hook (`onRequest: requireRole('producer')`): it then runs
 * before the body is read, so nothing a stranger sends is parsed or validated. Routes that read
 * `request.principal` without the guard get no throttling and no audit of failures.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AuditLog } from '../audit/audit-log.js';
import { PROBLEM_BASE, sendProblem } from '../http/problem.js';
import type { FailedAuthThrottle } from './failed-auth-throttle.js';
import type { Principal } from './principal.js';
import type { Role } from './roles.js';
import type { Authentication, AuthFailure, TokenService } from './token-service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's token, checked on first access; null when absent or not valid. */
    readonly principal: Principal | null;
  }
  interface FastifyInstance {
    readonly audit: AuditLog;
    readonly tokens: TokenService;
    readonly authThrottle: FailedAuthThrottle;
  }
}

export interface AuthOptions {
  readonly tokens: TokenService;
  readonly audit: AuditLog;
  readonly throttle: FailedAuthThrottle;
}

const REALM = 'iccs';
const checked = new WeakMap<FastifyRequest, Authentication>();

/** The bearer credential, `undefined` when there is no Authorization header at all. */
function credentialOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  // Another scheme, or junk, is a credential that fails (not an absent one).
  return match ? match[1]! : '';
}

/** Checks the request's credential once and remembers the answer for the rest of the request. */
export function authenticationOf(request: FastifyRequest): Authentication {
  let auth = checked.get(request);
  if (!auth) {
    auth = request.server.tokens.authenticate(credentialOf(request));
    checked.set(request, auth);
  }
  return auth;
}

const FAILURE_TEXT: Record<AuthFailure, string> = {
  missing: 'This resource needs a token: send Authorization: Bearer <token>',
  malformed: 'The Authorization header does not hold a bearer token of this service',
  unknown: 'The token is not known',
  expired: 'The token has expired',
  revoked: 'The token has been revoked',
};

function unauthorized(reply: FastifyReply, failure: AuthFailure): FastifyReply {
  // RFC 6750 §3.1: a request without credentials gets no error code.
  reply.header('WWW-Authenticate', failure === 'missing' ? `Bearer realm="${REALM}"` : `Bearer realm="${REALM}", error="invalid_token"`);
  return sendProblem(reply, { type: `${PROBLEM_BASE}unauthorized`, title: 'Unauthorized', status: 401, detail: FAILURE_TEXT[failure] });
}

/** Where an attempt was aimed, for the audit log: method and route pattern. */
export function targetOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
}

/**
 * A hook that lets the request through only with a valid token of one of `roles`: 401 without
 * one, 403 with a token of another role, 429 while the client is locked out. Every refusal is
 * audited.
 */
export function requireRole(...roles: Role[]): preHandlerAsyncHookHandler {
  const allowed = new Set<Role>(roles);
  return async function guard(request, reply) {
    const { audit, authThrottle } = request.server;
    const client = request.ip;
    const target = targetOf(request);
    const verdict = authThrottle.check(client);
    if (verdict.locked) {
      audit.record({ actor: null, action: 'auth.locked', target, outcome: 'refused', client, detail: { retryAfterSeconds: verdict.retryAfterSeconds } });
      reply.header('Retry-After', String(verdict.retryAfterSeconds));
      return sendProblem(reply, {
        type: `${PROBLEM_BASE}auth-locked`,
        title: 'Too Many Requests',
        status: 429,
        detail: `Too many failed authentications from this address; try again in ${verdict.retryAfterSeconds} seconds`,
      });
    }
    if (verdict.delayMs > 0) await authThrottle.sleep(verdict.delayMs);
    const auth = authenticationOf(request);
    if (auth.principal === null) {
      // An absent token is a client that forgot, not one guessing: it is not counted.
      if (auth.failure !== 'missing') authThrottle.failed(client);
      audit.record({ actor: null, action: 'auth.failed', target, outcome: 'failure', client, detail: { reason: auth.failure } });
      return unauthorized(reply, auth.failure);
    }
    authThrottle.succeeded(client);
    if (!allowed.has(auth.principal.role)) {
      audit.record({ actor: auth.principal, action: 'auth.forbidden', target, outcome: 'refused', client, detail: { required: [...allowed] } });
      reply.header('WWW-Authenticate', `Bearer realm="${REALM}", error="insufficient_scope"`);
      return sendProblem(reply, {
        type: `${PROBLEM_BASE}forbidden`,
        title: 'Forbidden',
        status: 403,
        detail: `This needs a token with the role ${[...allowed].join(' or ')}; this token has the role ${auth.principal.role}`,
      });
    }
  };
}

async function authPlugin(app: FastifyInstance, opts: AuthOptions): Promise<void> {
  app.decorate('tokens', opts.tokens);
  app.decorate('audit', opts.audit);
  app.decorate('authThrottle', opts.throttle);
  app.decorateRequest('principal', {
    getter(this: FastifyRequest) {
      return authenticationOf(this).principal;
    },
  });
}

export const auth = fp(authPlugin, { name: 'auth' });
