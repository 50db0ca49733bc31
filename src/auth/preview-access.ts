/**
 * How a public data route treats the caller's credential: the `preview` role sees scheduled
 * releases before their instant, everybody else sees what the public sees. Decided once per
 * request, before the response cache is consulted, so a preview answer is never served from it
 * nor put into it.
 *
 * - no Authorization header, or a scheme other than Bearer (e.g. a proxy's Basic credential,
 *   which is not addressed to us): public;
 * - a valid token of the role `preview`: preview, and the read is audited (`preview.read`, by
 *   the `auditPreviewRead` hook, so every answer is, errors and 304s included);
 * - a valid token of another role: public (the role grants nothing here);
 * - a bearer token that is not valid (unknown, expired, revoked, malformed): refused with 401,
 *   audited and counted by the failed-auth throttle like on guarded routes, so a misconfigured
 *   preview client notices instead of silently getting the public answer.
 *
 * Refusals are ServiceErrors (src/errors.ts) that each surface writes in its own format.
 * Also here: the audit hook, and what makes a preview answer private (Cache-Control, an ETag of
 * its own, Last-Modified never in the future).
 */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { ServiceError } from '../errors.js';
import { authenticationOf, targetOf } from './plugin.js';
import type { Principal } from './principal.js';

/** What a preview request saw, filled in by the route once it has resolved the dataflow. */
export interface PreviewRead {
  /** `AGENCY:ID(VERSION)` of the dataflow answered; undefined when the request failed before. */
  dataflow?: string;
  /** Codes of the releases behind the answer that the public cannot see yet. */
  embargoedReleases: readonly string[];
}

export type ReadAccess =
  | { readonly kind: 'public' }
  | { readonly kind: 'preview'; readonly principal: Principal; readonly read: PreviewRead }
  | { readonly kind: 'refused'; readonly error: ServiceError };

export const PUBLIC_ACCESS: ReadAccess = Object.freeze({ kind: 'public' });

const REALM = 'iccs';

/**
 * The access of a request to a public data route. On refusal, sets WWW-Authenticate (and
 * Retry-After when locked out) on the reply; the caller sends the error in its format.
 */
export async function readAccessOf(request: FastifyRequest, reply: FastifyReply): Promise<ReadAccess> {
  const header = request.headers.authorization;
  // The common case costs one property read: no token table, no throttle.
  if (header === undefined || !/^Bearer(?: |$)/i.test(header)) return PUBLIC_ACCESS;
  const { audit, authThrottle } = request.server;
  const client = request.ip;
  const target = targetOf(request);
  const verdict = authThrottle.check(client);
  if (verdict.locked) {
    audit.record({ actor: null, action: 'auth.locked', target, outcome: 'refused', client, detail: { retryAfterSeconds: verdict.retryAfterSeconds } });
    reply.header('Retry-After', String(verdict.retryAfterSeconds));
    return {
      kind: 'refused',
      error: new ServiceError('rate-limited', `Too many failed authentications from this address; try again in ${verdict.retryAfterSeconds} seconds`, {
        code: 'auth-locked',
      }),
    };
  }
  if (verdict.delayMs > 0) await authThrottle.sleep(verdict.delayMs);
  const auth = authenticationOf(request);
  if (auth.principal === null) {
    authThrottle.failed(client);
    audit.record({ actor: null, action: 'auth.failed', target, outcome: 'failure', client, detail: { reason: auth.failure } });
    reply.header('WWW-Authenticate', `Bearer realm="${REALM}", error="invalid_token"`);
    return {
      kind: 'refused',
      error: new ServiceError('unauthenticated', `The bearer token is not valid (${auth.failure}): send a valid token, or none for the public data`),
    };
  }
  authThrottle.succeeded(client);
  if (auth.principal.role !== 'preview') return PUBLIC_ACCESS;
  const access: ReadAccess = { kind: 'preview', principal: auth.principal, read: { embargoedReleases: [] } };
  accesses.set(request, access);
  return access;
}

/** The access decided for each request, for the audit hook. */
const accesses = new WeakMap<FastifyRequest, ReadAccess>();

/**
 * An `onSend` hook that audits every preview request once its answer is decided, whatever the
 * status (304 included), before a byte is sent: who, which dataflow, the path, and which
 * not-yet-public releases the answer could show. Register it where `readAccessOf` is used.
 */
export function auditPreviewRead(request: FastifyRequest, reply: FastifyReply, _payload: unknown, done: HookHandlerDoneFunction): void {
  // A callback hook rather than an async one: it runs for every answer, public ones included.
  const access = accesses.get(request);
  if (access?.kind !== 'preview') return done();
  accesses.delete(request);
  const { read } = access;
  request.server.audit.record({
    actor: access.principal,
    action: 'preview.read',
    target: read.dataflow,
    outcome: reply.statusCode < 400 ? 'success' : 'failure',
    client: request.ip,
    detail: { path: request.url, status: reply.statusCode, embargoedReleases: [...read.embargoedReleases] },
  });
  done();
}

/** Validators and caching of preview answers: private, never stored, ETags of their own. */
export const PREVIEW_CACHE_CONTROL = 'private, no-store';
/** Part of every preview ETag's input, so it never equals (or validates as) a public one. */
export const PREVIEW_ETAG_MARK = 'preview';

/**
 * Last-Modified of a preview answer: the newest release behind it may be announced for later,
 * and a Last-Modified in the future is not allowed (RFC 9110 §8.8.2.1): capped at now.
 */
export function previewLastModified(lastModified: Date, now: Date): Date {
  return lastModified.getTime() > now.getTime() ? now : lastModified;
}

/** A preview's own ETag from the public one (weak or strong): the opaque tag gets a mark. */
export function previewEtag(etag: string): string {
  return etag.replace(/"$/, `.${PREVIEW_ETAG_MARK}"`);
}

/** Codes of the releases, among those an answer read, that the public cannot see at `now`. */
export function notYetPublic(releases: readonly { readonly code: string; readonly announcedAt: string }[], now: Date): string[] {
  return releases.filter((r) => Date.parse(r.announcedAt) > now.getTime()).map((r) => r.code);
}
