/**
 * Finished data responses, kept by what the request said (raw URL and negotiation headers, see
 * data-endpoint.ts) together with the visible-release state they were made for. An answer is
 * immutable while the same releases are visible, so a repeated identical query is served from
 * memory before any parsing, negotiation or hashing; an entry made for another state is stale
 * and never served. A gzip copy of the body is added once, in the background, for clients that
 * accept gzip. Bounded by total bytes; least recently used goes first; bodies above
 * `maxEntryBytes` are never kept (they would evict everything else). Also what identifies a
 * request for the cache, and answering it from an entry.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chosenEncoding, compressible, isNotModified, lastModifiedSeconds, VARY } from './conditional-requests.js';

export interface CachedResponse {
  readonly body: Buffer;
  readonly contentType: string;
  /** Response headers besides Content-Type (validators, Vary, Cache-Control...). */
  readonly headers: Readonly<Record<string, string>>;
  readonly etag: string;
  /** Last-Modified, whole seconds since the epoch, in ms. */
  readonly lastModifiedMs: number;
  /** The visible-release state the answer was made for (DataService.visibleStateId). */
  readonly state: string;
  /** Set once compressed; only for bodies worth compressing (see `compressible`). */
  gzip?: Buffer;
}

/** Entries read since eviction last passed them (a set of objects, so nothing is added to an entry). */
const recentlyUsed = new WeakSet<CachedResponse>();

export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  private bytes = 0;

  constructor(
    readonly maxBytes: number,
    readonly maxEntryBytes: number,
  ) {}

  get enabled(): boolean {
    return this.maxBytes > 0 && this.maxEntryBytes > 0;
  }

  get(key: string): CachedResponse | undefined {
    const hit = this.entries.get(key);
    // Marked, not moved: moving an entry to the end of the map on every hit cost as much as the
    // rest of the lookup. Eviction gives a marked entry a second chance (the CLOCK approximation
    // of least recently used).
    if (hit) recentlyUsed.add(hit);
    return hit;
  }

  /** Keeps `value`; with `compressible`, also a gzip copy once it is made (off the event loop). */
  set(key: string, value: CachedResponse, compressible = false): void {
    if (value.body.length > this.maxEntryBytes || !this.enabled || !shareable(value.headers)) return;
    this.remove(key);
    this.entries.set(key, value);
    this.bytes += sizeOf(value);
    this.evict(key);
    if (!compressible) return;
    gzip(value.body, (err, compressed) => {
      // Still the same entry (not replaced or evicted meanwhile): attach and count it.
      if (err || this.entries.get(key) !== value) return;
      value.gzip = compressed;
      this.bytes += compressed.length;
      this.evict();
    });
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= sizeOf(old);
  }

  /** Oldest first; an entry read since it was (re)placed goes to the end once instead; `kept`, the entry just placed, stays. */
  private evict(kept?: string): void {
    let chances = this.entries.size;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      if (k === kept) {
        if (this.entries.size === 1) break;
        this.entries.delete(k);
        this.entries.set(k, v);
        continue;
      }
      this.entries.delete(k);
      if (chances-- > 0 && recentlyUsed.delete(v)) {
        this.entries.set(k, v);
        continue;
      }
      this.bytes -= sizeOf(v);
    }
  }
}

/**
 * Whether an answer may be kept for other requests: not one marked private or no-store (a
 * preview answer, which only its token holder may see). The callers never offer one; this is
 * the last line of defence.
 */
function shareable(headers: Readonly<Record<string, string>>): boolean {
  const cacheControl = headers['cache-control'] ?? headers['Cache-Control'] ?? '';
  return !/\b(?:private|no-store)\b/i.test(cacheControl);
}

function sizeOf(r: CachedResponse): number {
  return r.body.length + (r.gzip?.length ?? 0);
}

/**
 * What a request says that can change its answer: the URL (path and query as sent) and the
 * headers negotiation reads. Accept-Encoding only picks the coding of the same body; the
 * conditional headers are checked against the cached validators.
 */
export function requestKey(request: FastifyRequest): string {
  return keyOf(request.raw.url ?? '', request.headers);
}

/** `requestKey` from the URL as sent and the request headers (the cache front has no Fastify request). */
export function keyOf(url: string, headers: IncomingHttpHeaders): string {
  return `${url}\u0000${headers.accept ?? '\u0001'}\u0000${headers['accept-language'] ?? '\u0001'}`;
}

/** A cached answer, as a miss would have sent it (304 when the client's copy is current). */
export function sendCached(request: FastifyRequest, reply: FastifyReply, hit: CachedResponse, cacheControl: string): FastifyReply {
  reply.headers(hit.headers).header('cache-control', cacheControl);
  if (isNotModified(request, hit.etag, hit.lastModifiedMs)) return reply.code(304).send();
  reply.code(200).header('Content-Type', hit.contentType);
  if (hit.gzip && request.headers['x-no-compression'] === undefined && chosenEncoding(request.headers['accept-encoding']) === 'gzip') {
    return reply.header('Content-Encoding', 'gzip').send(hit.gzip);
  }
  return reply.send(hit.body);
}

/**
 * Keeps a finished answer whose only headers besides Content-Type are its validators and Vary
 * (structure and availability messages), for the visible state it was made for.
 */
export function keepAnswer(cache: ResponseCache | undefined, key: string, state: string, answer: { body: Buffer; contentType: string; etag: string; lastModified: Date }): void {
  if (!cache) return;
  const lastModifiedMs = lastModifiedSeconds(answer.lastModified);
  const headers = { etag: answer.etag, 'last-modified': new Date(lastModifiedMs).toUTCString(), vary: VARY };
  cache.set(key, { body: answer.body, contentType: answer.contentType, headers, etag: answer.etag, lastModifiedMs, state }, compressible(answer.contentType));
}
