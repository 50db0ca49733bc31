/**
 * Comparing public answers as a client sees them: status, validators and body. Message ids are
 * random per response and the `prepared` instant is the clock's; everything else must match
 * byte for byte. Shared by the tests that prove a hidden release (draft, embargoed, cancelled)
 * changes nothing.
 */
import type { Test } from 'tap';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export interface PublicRequest {
  readonly url: string;
  readonly accept?: string;
}

export const describeRequest = (r: PublicRequest): string => `${r.url}${r.accept ? ` (${r.accept})` : ''}`;

export function get(app: FastifyInstance, r: PublicRequest, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({ url: r.url, headers: { ...(r.accept ? { accept: r.accept } : {}), ...headers } });
}

/** Message ids (`IREF` + 16 hex digits) made equal. */
export const withoutMessageIds = (body: string): string => body.replace(/IREF[0-9A-F]{16}/g, 'IREF');

/** Message ids and the `prepared` instant of the header (SDMX-ML and SDMX-JSON) made equal. */
export const withoutMessageHeaderFacts = (body: string): string =>
  withoutMessageIds(body)
    .replace(/(<(?:\w+:)?Prepared>)[^<]*(<)/g, '$1$2')
    .replace(/("prepared":")[^"]*(")/g, '$1$2');

/** Same status, ETag, Last-Modified and body (ids aside): a client cannot tell them apart. */
export function sameAnswer(t: Test, actual: LightMyRequestResponse, expected: LightMyRequestResponse, what: string): void {
  t.equal(actual.statusCode, expected.statusCode, `${what}: status`);
  t.equal(actual.headers.etag, expected.headers.etag, `${what}: ETag`);
  t.equal(actual.headers['last-modified'], expected.headers['last-modified'], `${what}: Last-Modified`);
  t.equal(withoutMessageIds(actual.body), withoutMessageIds(expected.body), `${what}: body`);
}
