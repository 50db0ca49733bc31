/**
 * The cache front: a public GET whose answer the response cache already holds for the current
 * visible state is answered from the Node request, before Fastify builds its request, reply,
 * child logger and hook chain. Everything else, and every case this module is not sure of, goes
 * on to Fastify unchanged, where the same cache answers the same request through the scopes'
 * hooks (public-answer-cache.ts): the front is an accelerator, never the only way to an answer.
 *
 * Why: a repeated query answered through Fastify cost about twice the CPU of a bare Fastify route
 * sending the same bytes (bench/results/latest.md, the repeated-query row); the difference was
 * the framework's per-request objects and the hooks, spread thin. Here a hit costs the cache
 * lookup, the rate-limit count, the headers and the access line.
 *
 * What a hit carries is what the Fastify path sends for the same request (test/http/cache-front.test.ts
 * compares them): the rate-limit headers, the kept headers, Cache-Control recomputed for now, the
 * CORS headers, the body (or its gzip copy, or 304). It falls through to Fastify for: another
 * method, a request with Authorization (a preview token sees other releases), a client the rate
 * limit is about to refuse (Fastify words the 429 in the surface's format), a coding only the
 * compression plugin makes (deflate, br, or gzip before the gzip copy exists), and a closing server.
 */
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger, FastifyServerFactory } from 'fastify';
import type { RateLimiter } from '../plugins/rate-limit.js';
import { chosenEncoding, isNotModified } from './conditional-requests.js';
import { keyOf, type CachedResponse, type ResponseCache } from './response-cache.js';
import type { ClientFacts } from './client-facts.js';
import { accessLineWriter, type AccessFacts } from './access-line.js';

/** One surface whose public answers are kept in the cache under a prefix of the URL. */
export interface FrontScope {
  /** The URL prefix, e.g. `/sdmx/`. */
  readonly prefix: string;
  /** Whether its keys name the protocol and host (answers with absolute links; public-answer-cache.ts). */
  readonly keyedByHost: boolean;
  /** What is visible now (an entry serves only its own state). */
  readonly stateId: () => string;
  /** The Cache-Control of a public answer sent now. */
  readonly cacheControl: () => string;
}

export interface CacheFrontSetup {
  readonly cache: ResponseCache;
  readonly scopes: readonly FrontScope[];
  readonly limiter: RateLimiter | undefined;
  readonly client: ClientFacts;
  /** Headers every answer of the app carries (CORS), as the root onSend hook sets them. */
  readonly everyAnswer: Readonly<Record<string, string>>;
  readonly log: FastifyBaseLogger;
}

/** The setup as the front uses it. */
interface Ready extends CacheFrontSetup {
  readonly accessLine: (facts: AccessFacts) => void;
}

export class CacheFront {
  private setup: Ready | undefined;
  private closing = false;
  private answered = 0;

  /** Turns the front on once the app knows its cache and scopes (buildApp); until then everything goes to Fastify. */
  configure(setup: CacheFrontSetup): void {
    this.setup = setup.cache.enabled && setup.scopes.length > 0 ? { ...setup, accessLine: accessLineWriter(setup.log) } : undefined;
  }

  /** From now on every request goes to Fastify, which answers 503 while it closes. */
  close(): void {
    this.closing = true;
  }

  /** A fault of `answer`, logged as Fastify logs a handler's. */
  fault(err: unknown): void {
    this.setup?.log.error({ err }, 'cache front failed');
  }

  /** Requests answered here so far. */
  get answeredCount(): number {
    return this.answered;
  }

  /** Answers `req` from the cache and returns true, or returns false and leaves it untouched. */
  answer(req: IncomingMessage, res: ServerResponse): boolean {
    const setup = this.setup;
    if (!setup || this.closing || req.method !== 'GET' || req.headers.authorization !== undefined) return false;
    const url = req.url ?? '';
    const scope = setup.scopes.find((s) => url.startsWith(s.prefix));
    if (!scope) return false;
    const key = scope.keyedByHost ? `${keyOf(url, req.headers)}\u0000${setup.client.protocol(req)}://${setup.client.host(req)}` : keyOf(url, req.headers);
    const hit = setup.cache.get(key);
    if (!hit || hit.state !== scope.stateId()) return false;
    const body = bodyFor(req, hit);
    if (body === undefined) return false;
    const started = performance.now();
    const client = setup.client.address(req);
    if (setup.limiter?.wouldRefuse(client)) return false;

    const headers: Record<string, string> = {};
    setup.limiter?.count(client, (name, value) => (headers[name.toLowerCase()] = value));
    Object.assign(headers, hit.headers);
    headers['cache-control'] = scope.cacheControl();
    Object.assign(headers, setup.everyAnswer);
    let status = 200;
    if (isNotModified(req, hit.etag, hit.lastModifiedMs)) {
      status = 304;
      res.writeHead(status, headers);
      res.end();
    } else {
      headers['content-type'] = hit.contentType;
      if (body.gzip) headers['content-encoding'] = 'gzip';
      headers['content-length'] = String(body.bytes.length);
      res.writeHead(status, headers);
      res.end(body.bytes);
    }
    this.answered += 1;
    // As the access log (access-log.ts), one line, written once the whole answer is handed to the
    // socket (a listener for its 'finish' cost more than the line).
    setup.accessLine({
      reqId: `cached-${this.answered.toString(36)}`,
      url,
      host: setup.client.host(req),
      remoteAddress: client,
      statusCode: status,
      responseTime: performance.now() - started,
    });
    return true;
  }
}

/**
 * The bytes to send for a client's Accept-Encoding, or undefined when only the compression
 * plugin can make them: as `sendCached` and @fastify/compress would answer.
 */
function bodyFor(req: IncomingMessage, hit: CachedResponse): { bytes: Buffer; gzip: boolean } | undefined {
  // No coding asked (or none the plugin makes), or coding refused: the body as it is.
  if (req.headers['x-no-compression'] !== undefined) return { bytes: hit.body, gzip: false };
  const coding = chosenEncoding(req.headers['accept-encoding']);
  if (coding === undefined) return { bytes: hit.body, gzip: false };
  if (coding === 'gzip' && hit.gzip) return { bytes: hit.gzip, gzip: true };
  return undefined;
}

/**
 * A Fastify `serverFactory`: the HTTP server Fastify would make (fastify/lib/server.js: the
 * `http` options, the timeouts, the requests per socket), with the front before Fastify's handler.
 */
export function serverWithFront(front: CacheFront): FastifyServerFactory<Server> {
  return (handler, options) => {
    const opts = options as ServerShape;
    const server = http.createServer(opts.http ?? {}, (req, res) => {
      let answered = false;
      try {
        answered = front.answer(req, res);
      } catch (err) {
        // A fault of the front must not cost the request: Fastify answers it if nothing was sent.
        front.fault(err);
        answered = res.headersSent;
        if (answered && !res.writableEnded) res.destroy();
      }
      if (!answered) handler(req, res);
    });
    if (opts.keepAliveTimeout !== undefined) server.keepAliveTimeout = opts.keepAliveTimeout;
    if (opts.requestTimeout !== undefined) server.requestTimeout = opts.requestTimeout;
    if (opts.connectionTimeout !== undefined) server.setTimeout(opts.connectionTimeout);
    if (opts.maxRequestsPerSocket) server.maxRequestsPerSocket = opts.maxRequestsPerSocket;
    return server;
  };
}

/** The options Fastify applies to the server it makes itself (after its defaults). */
interface ServerShape {
  readonly http?: http.ServerOptions;
  readonly keepAliveTimeout?: number;
  readonly requestTimeout?: number;
  readonly connectionTimeout?: number;
  readonly maxRequestsPerSocket?: number;
}
