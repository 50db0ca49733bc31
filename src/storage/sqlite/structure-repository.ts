/**
 * SQLite implementation of the structure repository: artefacts stored whole as JSON, keyed by
 * (agency, id, version). Two owners share the table: the structure files (synchronise) and the
 * API (applyApiChange, sources `api:...`); neither may touch the other's rows.
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Maintainable } from '../../sdmx/model.js';
import {
  API_SOURCE_PREFIX,
  StorageConflictError,
  type ApiArtefactChange,
  type ArtefactIdentity,
  type ArtefactToStore,
  type StoredArtefact,
  type StructureRepository,
  type SyncReport,
} from '../repositories.js';
import { structureArtefacts } from '../schema.js';
import type { SqliteDb } from './database.js';

type Row = typeof structureArtefacts.$inferSelect;
type Tx = Parameters<Parameters<SqliteDb['transaction']>[0]>[0];

const identity = (r: ArtefactIdentity) => `${r.agencyID}:${r.id}(${r.version})`;
const rowIdentity = (r: Row) => `${r.agencyId}:${r.artefactId}(${r.version})`;
const isApi = (source: string) => source.startsWith(API_SOURCE_PREFIX);

function existingRows(tx: Tx): Map<string, Row> {
  return new Map(tx.select().from(structureArtefacts).all().map((r) => [rowIdentity(r), r]));
}

/** Inserts or updates one artefact; returns what happened. storedAt moves only with content. */
function put(tx: Tx, row: Row | undefined, a: Maintainable, source: string, now: string): 'added' | 'changed' | 'unchanged' {
  const body = JSON.stringify(a);
  const sha256 = createHash('sha256').update(body).digest('hex');
  if (!row) {
    tx.insert(structureArtefacts)
      .values({ class: a.class, agencyId: a.agencyID, artefactId: a.id, version: a.version, isFinal: a.isFinal, body, sha256, source, storedAt: now })
      .run();
    return 'added';
  }
  if (row.sha256 === sha256 && row.class === a.class && row.source === source) return 'unchanged';
  tx.update(structureArtefacts)
    .set({ class: a.class, isFinal: a.isFinal, body, sha256, source, storedAt: row.sha256 === sha256 ? row.storedAt : now })
    .where(eq(structureArtefacts.pk, row.pk))
    .run();
  return 'changed';
}

export class SqliteStructureRepository implements StructureRepository {
  constructor(private readonly db: SqliteDb) {}

  all(): StoredArtefact[] {
    return this.db
      .select()
      .from(structureArtefacts)
      .orderBy(structureArtefacts.pk)
      .all()
      .map((row) => ({
        artefact: JSON.parse(row.body) as Maintainable,
        source: row.source,
        storedAt: row.storedAt,
        sha256: row.sha256,
      }));
  }

  synchronise(items: readonly ArtefactToStore[], now: string): SyncReport {
    return this.db.transaction((tx) => {
      const existing = existingRows(tx);
      const counts = { added: 0, changed: 0, unchanged: 0 };
      const seen = new Set<string>();
      for (const { artefact: a, source } of items) {
        const key = identity(a);
        seen.add(key);
        const row = existing.get(key);
        if (row && isApi(row.source)) {
          throw new StorageConflictError(`${source} defines ${key}, which was created over the API (${row.source})`);
        }
        counts[put(tx, row, a, source, now)]++;
      }
      let removed = 0;
      for (const [key, row] of existing) {
        if (!seen.has(key) && !isApi(row.source)) {
          tx.delete(structureArtefacts).where(eq(structureArtefacts.pk, row.pk)).run();
          removed++;
        }
      }
      return { added: counts.added, changed: counts.changed, removed, unchanged: counts.unchanged };
    });
  }

  applyApiChange(change: ApiArtefactChange, now: string): void {
    this.db.transaction((tx) => {
      const existing = existingRows(tx);
      for (const r of change.remove) {
        const row = existing.get(identity(r));
        if (!row) continue;
        if (!isApi(row.source)) throw new StorageConflictError(`${identity(r)} comes from ${row.source}, not from the API`);
        tx.delete(structureArtefacts).where(eq(structureArtefacts.pk, row.pk)).run();
        existing.delete(identity(r));
      }
      for (const { artefact: a, source } of change.store) {
        if (!isApi(source)) throw new StorageConflictError(`API artefacts need a source starting with ${API_SOURCE_PREFIX}, got ${source}`);
        const row = existing.get(identity(a));
        if (row && !isApi(row.source)) throw new StorageConflictError(`${identity(a)} comes from ${row.source}, not from the API`);
        put(tx, row, a, source, now);
      }
    });
  }
}
