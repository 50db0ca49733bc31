/**
 * The response cache (response-cache.ts) for routes that build a finished body: hooks on a
 * scope, so its routes keep their own code. A public GET whose answer is kept for the current
 * visible state is sent from memory before routing work, validation or storage reads; a public
 * 200 is kept when it is sent: a whole body at once, a streamed one as it passes (unless it
 * grows past what one entry may hold). The SDMX data routes do the same
 * inside their handler (they also stream); the people's JSON API uses these hooks.
 *
 * Public means: no Authorization header (a preview answer is never kept, and the cache only ever
 * holds answers marked shareable). What a kept answer depends on is in its key: the URL as sent,
 * Accept, Accept-Language (response-cache.ts `requestKey`) and the Host and protocol, which the
 * absolute links in a body are built from. Headers that belong to one client or one moment are
 * never kept: Cache-Control is recomputed when a kept answer is sent, as its lifetime ends at the
 * next release instant, and the rate-limit headers are the client's own.
 */
import { Readable, Transform } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { compressible } from './conditional-requests.js';
import { requestKey, sendCached, type ResponseCache } from './response-cache.js';

export interface PublicAnswerCacheOptions {
  readonly cache: ResponseCache;
  /** Names what is visible now (DataService.visibleStateId): a kept answer serves only its own state. */
  readonly stateId: () => string;
  /** The Cache-Control of a public answer sent now (CacheLifetime.publicCacheControl). */
  readonly cacheControl: () => string;
}

/** Response headers that are not part of a kept answer (set per client, per moment or by Node). */
const NOT_KEPT = /^(?:content-type|content-length|cache-control|date|connection|keep-alive|transfer-encoding|retry-after|ratelimit-.*)$/i;

/** What a miss was made for (read before the route runs, so an entry is never newer than its data) and where it is kept. */
interface Miss {
  readonly key: string;
  readonly state: string;
  readonly cache: ResponseCache;
}
const misses = new WeakMap<FastifyRequest, Miss>();

function isPublicRead(request: FastifyRequest): boolean {
  return request.method === 'GET' && request.headers.authorization === undefined;
}

/** The people's API builds absolute links from the Host: it is part of what an answer depends on. */
function keyWithHost(request: FastifyRequest): string {
  return `${requestKey(request)}\u0000${request.protocol}://${request.host}`;
}

/**
 * Answers, in this scope, a public GET from a kept answer of the current state before any
 * routing work, parsing or validation; `onMiss` hears of the others. The SDMX scope uses it alone
 * (its data and availability handlers keep their answers themselves, under `requestKey`).
 */
export function answerFromCache(
  app: FastifyInstance,
  opts: PublicAnswerCacheOptions,
  keyOf: (request: FastifyRequest) => string = requestKey,
  onMiss?: (request: FastifyRequest, key: string, state: string) => void,
): void {
  const { cache } = opts;
  if (!cache.enabled) return;
  app.addHook('onRequest', (request, reply, done) => {
    if (!isPublicRead(request)) return done();
    const key = keyOf(request);
    const state = opts.stateId();
    const hit = cache.get(key);
    if (hit && hit.state === state) {
      sendCached(request, reply, hit, opts.cacheControl());
      return;
    }
    onMiss?.(request, key, state);
    done();
  });
}

/**
 * The scope's half: answers a public GET from a kept answer, or notes what its answer will be
 * kept as. Register on the scope whose routes' answers are kept.
 */
export function cachePublicAnswers(app: FastifyInstance, opts: PublicAnswerCacheOptions): void {
  answerFromCache(app, opts, keyWithHost, (request, key, state) => misses.set(request, { key, state, cache: opts.cache }));
}

/**
 * The root's half: keeps the body a noted miss sends. A hook of the root scope registered before
 * compression (@fastify/compress turns a body into a stream in its own onSend hook): the answer is
 * kept as the route made it, and a hit is compressed by `sendCached` as a miss would be.
 */
export function keepPublicAnswers(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    const miss = misses.get(request);
    if (!miss) return done();
    misses.delete(request);
    if (reply.statusCode !== 200) return done();
    if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
      keep(reply, payload, miss);
      return done();
    }
    // A streamed answer is kept as it passes, unless it grows past what one entry may hold.
    if (payload instanceof Readable) return done(null, keptWhileStreaming(payload, miss.cache.maxEntryBytes, (body) => keep(reply, body, miss)));
    done();
  });
}

/** `source` passed on unchanged; its bytes given to `whole` at its end, when they fit in `limit`. */
function keptWhileStreaming(source: Readable, limit: number, whole: (body: Buffer) => void): Readable {
  let chunks: Buffer[] | undefined = [];
  let size = 0;
  const passing = new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      if (chunks) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        size += bytes.length;
        if (size > limit) chunks = undefined;
        else chunks.push(Buffer.from(bytes));
      }
      callback(null, chunk);
    },
    flush(callback) {
      if (chunks) whole(Buffer.concat(chunks));
      callback();
    },
  });
  source.on('error', (err) => passing.destroy(err));
  passing.on('close', () => {
    // A client that left: stop producing.
    if (!source.destroyed && !passing.writableFinished) source.destroy();
  });
  return source.pipe(passing);
}

function keep(reply: FastifyReply, payload: string | Buffer, miss: Miss): void {
  const etag = reply.getHeader('etag');
  const lastModified = reply.getHeader('last-modified');
  const contentType = reply.getHeader('content-type');
  // Only answers with validators: a kept answer must answer conditional requests as the route would.
  if (typeof etag !== 'string' || typeof lastModified !== 'string' || typeof contentType !== 'string') return;
  const cacheControl = String(reply.getHeader('cache-control') ?? '');
  // The last line of defence (ResponseCache checks it too): only shareable answers.
  if (/\b(?:private|no-store)\b/i.test(cacheControl)) return;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value === undefined || NOT_KEPT.test(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  const body = Buffer.isBuffer(payload) ? Buffer.from(payload) : Buffer.from(payload, 'utf8');
  miss.cache.set(miss.key, { body, contentType, headers, etag, lastModifiedMs: Date.parse(lastModified), state: miss.state }, compressible(contentType));
}
