/**
 * SQLite implementation of the release repository. Releases start as drafts; the calendar and
 * publication workflow (later issues) move them on.
 */
import { asc, eq } from 'drizzle-orm';
import type { NewRelease, Release, ReleaseRepository } from '../repositories.js';
import { releaseDataflows, releases } from '../schema.js';
import type { SqliteDb } from './database.js';

export class SqliteReleaseRepository implements ReleaseRepository {
  constructor(private readonly db: SqliteDb) {}

  createDraft(release: NewRelease, now: string): Release {
    return this.db.transaction((tx) => {
      const row = tx
        .insert(releases)
        .values({
          code: release.code,
          title: release.title,
          state: 'draft',
          revisesPk: release.revisesPk ?? null,
          note: release.note ?? null,
          createdAt: now,
        })
        .returning()
        .get();
      for (const dataflow of release.dataflows) {
        tx.insert(releaseDataflows).values({ releasePk: row.pk, dataflow }).run();
      }
      return { ...row, dataflows: [...release.dataflows] };
    });
  }

  byCode(code: string): Release | undefined {
    const row = this.db.select().from(releases).where(eq(releases.code, code)).get();
    return row ? { ...row, dataflows: this.dataflowsOf(row.pk) } : undefined;
  }

  list(): Release[] {
    return this.db
      .select()
      .from(releases)
      .orderBy(asc(releases.pk))
      .all()
      .map((row) => ({ ...row, dataflows: this.dataflowsOf(row.pk) }));
  }

  private dataflowsOf(pk: number): string[] {
    return this.db
      .select({ dataflow: releaseDataflows.dataflow })
      .from(releaseDataflows)
      .where(eq(releaseDataflows.releasePk, pk))
      .all()
      .map((r) => r.dataflow);
  }
}
