/**
 * Persisted queries, by Apollo's automatic persisted queries protocol (what Apollo Client,
 * urql and graphql-request speak): a request names its query by the hex SHA-256 of its text in
 * `extensions.persistedQuery.sha256Hash`, so a GET URL stays short and cacheable. A hash the
 * service does not know is answered PERSISTED_QUERY_NOT_FOUND (message `PersistedQueryNotFound`,
 * which clients recognise); the client then sends the query with its hash once, and the service
 * keeps it (after it has run without a request error) for every later request.
 *
 * Queries given at start-up (the documented examples) are known from the first request, in every
 * process. Registered ones live in memory, least recently used first out; a query is only kept
 * if it is within the query length limit, so the store's size is bounded.
 */
import { createHash } from 'node:crypto';
import type { GraphqlErrorCode } from './errors.js';
import { LIMITS } from './limits.js';

export interface PersistedQueryExtension {
  readonly version?: unknown;
  readonly sha256Hash?: unknown;
}

/** Registered queries kept at most. */
const KEPT = 1000;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export class PersistedQueries {
  private readonly known: ReadonlyMap<string, string>;
  private readonly registered = new Map<string, string>();

  constructor(queries: readonly string[]) {
    this.known = new Map(queries.map((q) => [sha256Hex(q), q]));
  }

  /**
   * The query a persisted-query request runs, and what to register once it has run; or why it
   * is refused (a bad extension, a hash that does not match the query, an unknown hash).
   */
  resolve(
    extension: PersistedQueryExtension,
    query: string | undefined,
  ): { query: string; persist: { hash: string; query: string } | undefined } | { refusal: { code: GraphqlErrorCode; message: string } } {
    const hash = extension?.sha256Hash;
    if (extension?.version !== 1 || typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) {
      return { refusal: { code: 'BAD_REQUEST', message: 'extensions.persistedQuery must be {"version": 1, "sha256Hash": "<64 lower-case hex digits>"}' } };
    }
    if (query !== undefined) {
      if (sha256Hex(query) !== hash) return { refusal: { code: 'PERSISTED_QUERY_MISMATCH', message: 'provided sha does not match query: sha256Hash must be the hex SHA-256 of the query text' } };
      const stored = this.known.has(hash) || this.registered.has(hash) || query.length > LIMITS.maxQueryChars;
      return { query, persist: stored ? undefined : { hash, query } };
    }
    const found = this.known.get(hash) ?? this.lookup(hash);
    if (found === undefined) return { refusal: { code: 'PERSISTED_QUERY_NOT_FOUND', message: 'PersistedQueryNotFound' } };
    return { query: found, persist: undefined };
  }

  /** Keeps a query that ran (its hash checked by `resolve`). */
  remember(persist: { hash: string; query: string } | undefined): void {
    if (!persist) return;
    this.registered.set(persist.hash, persist.query);
    while (this.registered.size > KEPT) this.registered.delete(this.registered.keys().next().value!);
  }

  private lookup(hash: string): string | undefined {
    const query = this.registered.get(hash);
    if (query !== undefined) {
      // Refresh its place: the map's insertion order is the eviction order.
      this.registered.delete(hash);
      this.registered.set(hash, query);
    }
    return query;
  }
}
