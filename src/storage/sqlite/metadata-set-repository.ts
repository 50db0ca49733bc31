/**
 * SQLite implementation of the metadata set repository: one row per version, the set stored
 * whole as JSON. Two owners share the table, as for structures: the metadata files
 * (synchroniseFiles, sources `file:...`) and the publisher API (storeApiVersion, sources `api:...`);
 * neither touches the other's rows. Whether a version may still change is the caller's rule.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';
import {
  API_SOURCE_PREFIX,
  FILE_SOURCE_PREFIX,
  MetadataVersionConflictError,
  StorageConflictError,
  type MetadataSetFilter,
  type MetadataSetRepository,
  type MetadataSetToStore,
  type MetadataSyncReport,
  type StoredMetadataSet,
} from '../repositories.js';
import { metadataSets } from '../schema.js';
import type { SqliteDb } from './database.js';

type Row = typeof metadataSets.$inferSelect;

const identity = (r: { agencyID: string; setID: string; version: string }) => `${r.agencyID}:${r.setID}(${r.version})`;
const sha256Of = (body: string) => createHash('sha256').update(body).digest('hex');

function stored(row: Row): StoredMetadataSet {
  return {
    pk: row.pk,
    agencyID: row.agencyId,
    setID: row.setId,
    version: row.version,
    metadataflow: row.metadataflow,
    dataflow: row.dataflow,
    area: row.area,
    releaseCode: row.releaseCode,
    source: row.source,
    body: row.body,
    sha256: row.sha256,
    createdAt: row.createdAt,
  };
}

function columnsOf(item: MetadataSetToStore, now: string) {
  return {
    setId: item.setID,
    agencyId: item.agencyID,
    version: item.version,
    metadataflow: item.metadataflow,
    dataflow: item.dataflow,
    area: item.area,
    releaseCode: item.releaseCode,
    source: item.source,
    body: item.body,
    sha256: sha256Of(item.body),
    createdAt: now,
  };
}

function conditionsOf(filter: MetadataSetFilter): SQL[] {
  const out: SQL[] = [];
  if (filter.agencyID !== undefined) out.push(eq(metadataSets.agencyId, filter.agencyID));
  if (filter.setID !== undefined) out.push(eq(metadataSets.setId, filter.setID));
  if (filter.version !== undefined) out.push(eq(metadataSets.version, filter.version));
  if (filter.metadataflow !== undefined) out.push(eq(metadataSets.metadataflow, filter.metadataflow));
  if (filter.dataflow !== undefined) out.push(eq(metadataSets.dataflow, filter.dataflow));
  if (filter.area === null) out.push(isNull(metadataSets.area));
  else if (filter.area !== undefined) out.push(eq(metadataSets.area, filter.area));
  return out;
}

export class SqliteMetadataSetRepository implements MetadataSetRepository {
  constructor(private readonly db: SqliteDb) {}

  find(filter: MetadataSetFilter = {}): StoredMetadataSet[] {
    return this.db
      .select()
      .from(metadataSets)
      .where(and(...conditionsOf(filter)))
      .orderBy(asc(metadataSets.agencyId), asc(metadataSets.setId), asc(metadataSets.pk))
      .all()
      .map(stored);
  }

  synchroniseFiles(items: readonly MetadataSetToStore[], now: string, mayChange: (stored: StoredMetadataSet) => boolean): MetadataSyncReport {
    return this.db.transaction((tx) => {
      const existing = new Map(
        tx
          .select()
          .from(metadataSets)
          .all()
          .map((r) => [identity({ agencyID: r.agencyId, setID: r.setId, version: r.version }), stored(r)]),
      );
      let added = 0;
      let replaced = 0;
      let unchanged = 0;
      const named = new Set<string>();
      for (const item of items) {
        if (!item.source.startsWith(FILE_SOURCE_PREFIX)) throw new StorageConflictError(`metadata files need a source starting with ${FILE_SOURCE_PREFIX}, got ${item.source}`);
        const key = identity(item);
        named.add(key);
        const row = existing.get(key);
        if (!row) {
          tx.insert(metadataSets).values(columnsOf(item, now)).run();
          added++;
          continue;
        }
        if (row.source.startsWith(API_SOURCE_PREFIX)) throw new StorageConflictError(`${item.source} defines ${key}, which was written over the API (${row.source})`);
        if (row.sha256 === sha256Of(item.body) && row.source === item.source) {
          unchanged++;
          continue;
        }
        if (row.sha256 !== sha256Of(item.body) && !mayChange(row)) throw new MetadataVersionConflictError(item, row);
        const columns = columnsOf(item, row.sha256 === sha256Of(item.body) ? row.createdAt : now);
        tx.update(metadataSets).set(columns).where(eq(metadataSets.pk, row.pk)).run();
        replaced++;
      }
      let removed = 0;
      const kept: StoredMetadataSet[] = [];
      for (const [key, row] of existing) {
        if (named.has(key) || !row.source.startsWith(FILE_SOURCE_PREFIX)) continue;
        if (mayChange(row)) {
          tx.delete(metadataSets).where(eq(metadataSets.pk, row.pk)).run();
          removed++;
        } else kept.push(row);
      }
      return { added, replaced, unchanged, removed, kept };
    });
  }

  storeApiVersion(item: MetadataSetToStore, now: string, guard: (stored: StoredMetadataSet | undefined) => void): StoredMetadataSet {
    if (!item.source.startsWith(API_SOURCE_PREFIX)) throw new StorageConflictError(`API metadata set versions need a source starting with ${API_SOURCE_PREFIX}, got ${item.source}`);
    return this.db.transaction((tx) => {
      const found = tx
        .select()
        .from(metadataSets)
        .where(and(eq(metadataSets.agencyId, item.agencyID), eq(metadataSets.setId, item.setID), eq(metadataSets.version, item.version)))
        .get();
      const row = found ? stored(found) : undefined;
      guard(row);
      if (!row) return stored(tx.insert(metadataSets).values(columnsOf(item, now)).returning().get());
      if (!row.source.startsWith(API_SOURCE_PREFIX)) throw new StorageConflictError(`${item.source} would replace ${identity(item)}, which comes from ${row.source}`);
      const columns = columnsOf(item, row.sha256 === sha256Of(item.body) ? row.createdAt : now);
      return stored(tx.update(metadataSets).set(columns).where(eq(metadataSets.pk, row.pk)).returning().get()!);
    });
  }
}
