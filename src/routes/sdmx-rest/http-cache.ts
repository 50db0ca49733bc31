/**
 * Conditional GET for SDMX responses: a weak ETag computed from what the answer contains (not
 * from the bytes, which carry a fresh message id and timestamp), Last-Modified from storage,
 * and 304 on If-None-Match or If-Modified-Since. If-Modified-Since is read with Date.parse
 * because real clients send ISO-8601 as well as HTTP-dates (conformance-kit.md §2.2).
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Lower case: @fastify/compress looks for `accept-encoding` verbatim before adding its own. */
export const VARY = 'accept, accept-encoding, accept-language';

export function weakEtag(...parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return `W/"${h.digest('base64url').slice(0, 32)}"`;
}

function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => opaque(t) === opaque(etag));
}

/**
 * Sets the validators and answers 304 when the client's copy is current.
 * @returns true when a 304 was sent and the caller must not send a body.
 */
export function answerConditional(request: FastifyRequest, reply: FastifyReply, etag: string, lastModified: Date): boolean {
  const seconds = Math.floor(lastModified.getTime() / 1000) * 1000;
  reply.header('ETag', etag);
  reply.header('Last-Modified', new Date(seconds).toUTCString());
  reply.header('Vary', VARY);
  const inm = request.headers['if-none-match'];
  if (typeof inm === 'string') {
    // If-None-Match takes precedence over If-Modified-Since (RFC 9110 §13.2.2).
    if (etagMatches(inm, etag)) {
      reply.code(304).send();
      return true;
    }
    return false;
  }
  const ims = request.headers['if-modified-since'];
  if (typeof ims === 'string') {
    const since = Date.parse(ims);
    if (!Number.isNaN(since) && seconds <= since) {
      reply.code(304).send();
      return true;
    }
  }
  return false;
}
