/**
 * SQLite implementation of the structure repository: artefacts stored whole as JSON, keyed by
 * (agency, id, version).
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Maintainable } from '../../sdmx/model.js';
import type { ArtefactToStore, StoredArtefact, StructureRepository, SyncReport } from '../repositories.js';
import { structureArtefacts } from '../schema.js';
import type { SqliteDb } from './database.js';

const identity = (agencyId: string, id: string, version: string) => `${agencyId}:${id}(${version})`;

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
      const existing = new Map(
        tx
          .select()
          .from(structureArtefacts)
          .all()
          .map((r) => [identity(r.agencyId, r.artefactId, r.version), r]),
      );
      let added = 0;
      let changed = 0;
      let unchanged = 0;
      const seen = new Set<string>();
      for (const { artefact: a, source } of items) {
        const key = identity(a.agencyID, a.id, a.version);
        seen.add(key);
        const body = JSON.stringify(a);
        const sha256 = createHash('sha256').update(body).digest('hex');
        const row = existing.get(key);
        if (!row) {
          tx.insert(structureArtefacts)
            .values({ class: a.class, agencyId: a.agencyID, artefactId: a.id, version: a.version, isFinal: a.isFinal, body, sha256, source, storedAt: now })
            .run();
          added++;
        } else if (row.sha256 !== sha256 || row.class !== a.class || row.source !== source) {
          tx.update(structureArtefacts)
            .set({ class: a.class, isFinal: a.isFinal, body, sha256, source, storedAt: row.sha256 === sha256 ? row.storedAt : now })
            .where(eq(structureArtefacts.pk, row.pk))
            .run();
          changed++;
        } else {
          unchanged++;
        }
      }
      let removed = 0;
      for (const [key, row] of existing) {
        if (!seen.has(key)) {
          tx.delete(structureArtefacts).where(eq(structureArtefacts.pk, row.pk)).run();
          removed++;
        }
      }
      return { added, changed, removed, unchanged };
    });
  }
}
