/**
 * Conditional GET for SDMX responses: a weak ETag computed from what the answer contains (not
 * from the bytes, which carry a fresh message id and timestamp), Last-Modified from storage,
 * and 304 on If-None-Match or If-Modified-Since. If-Modified-Since is read with Date.parse
 * because real clients send ISO-8601 as well as HTTP-dates (conformance-kit.md §2.2).
 * Also which content coding the compression plugin would pick, so that a cached gzip body can
 * be sent as it is.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Lower case: @fastify/compress looks for `accept-encoding` verbatim before adding its own. */
export const VARY = 'accept, accept-encoding, accept-language';

/** The same inputs recur request after request; hashing them again is measurable on small answers. */
const etags = new Map<string, string>();
const MEMO_ENTRIES = 1024;

export function weakEtag(...parts: readonly string[]): string {
  const input = parts.join('\u0000');
  let etag = etags.get(input);
  if (etag === undefined) {
    const h = createHash('sha256');
    for (const p of parts) h.update(p).update('\u0000');
    etag = `W/"${h.digest('base64url').slice(0, 32)}"`;
    if (etags.size >= MEMO_ENTRIES) etags.clear();
    etags.set(input, etag);
  }
  return etag;
}

/** Whether an If-None-Match header names this ETag (weak comparison, `*` included). */
export function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => opaque(t) === opaque(etag));
}

/** Last-Modified in whole seconds (the resolution of an HTTP-date), in ms. */
export function lastModifiedSeconds(lastModified: Date): number {
  return Math.floor(lastModified.getTime() / 1000) * 1000;
}

/**
 * Sets the validators and answers 304 when the client's copy is current.
 * @returns true when a 304 was sent and the caller must not send a body.
 */
export function answerConditional(request: FastifyRequest, reply: FastifyReply, etag: string, lastModified: Date): boolean {
  const seconds = lastModifiedSeconds(lastModified);
  reply.header('ETag', etag);
  reply.header('Last-Modified', new Date(seconds).toUTCString());
  reply.header('Vary', VARY);
  if (!isNotModified(request, etag, seconds)) return false;
  reply.code(304).send();
  return true;
}

/** Whether the request's validators say its copy (ETag `etag`, modified at `seconds`) is current. */
export function isNotModified(request: { readonly headers: IncomingHttpHeaders }, etag: string, seconds: number): boolean {
  const inm = request.headers['if-none-match'];
  // If-None-Match takes precedence over If-Modified-Since (RFC 9110 §13.2.2).
  if (typeof inm === 'string') return etagMatches(inm, etag);
  const ims = request.headers['if-modified-since'];
  if (typeof ims === 'string') {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && seconds <= since;
  }
  return false;
}

/**
 * The media types the server compresses (app.ts gives this list to @fastify/compress: its
 * default list misses `+csv`, so SDMX-CSV is compressed too). A cached body is gzipped only
 * when the plugin would have compressed it, so a cache hit answers as a miss would.
 */
export const COMPRESSIBLE = /^text\/(?!event-stream)|(?:\+|\/)(?:json|xml|csv|text)(?:;|$)|octet-stream(?:;|$)/;

export function compressible(contentType: string): boolean {
  return COMPRESSIBLE.test(contentType);
}

const ENCODINGS = ['gzip', 'deflate', 'br'] as const;
const chosenEncodings = new Map<string, string | undefined>();

/**
 * The coding @fastify/compress picks for an Accept-Encoding header with our encodings (gzip,
 * deflate, br, in that preference on equal q): highest q wins, `*` and `x-gzip` count as gzip,
 * q=0 refuses. Undefined for no header or nothing acceptable (identity).
 */
export function chosenEncoding(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (chosenEncodings.has(header)) return chosenEncodings.get(header);
  let best: string | undefined;
  let bestQ = 0;
  let bestRank = Infinity;
  for (const part of header.toLowerCase().replace(/\*|x-gzip/gu, 'gzip').split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim());
    const rank = ENCODINGS.indexOf(name as (typeof ENCODINGS)[number]);
    if (rank < 0) continue;
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!(q > 0)) continue;
    if (q > bestQ || (q === bestQ && rank < bestRank)) {
      best = name;
      bestQ = q;
      bestRank = rank;
    }
  }
  if (chosenEncodings.size >= MEMO_ENTRIES) chosenEncodings.clear();
  chosenEncodings.set(header, best);
  return best;
}
