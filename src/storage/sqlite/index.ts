/** Builds the SQLite-backed repositories. */
import type { Repositories } from '../repositories.js';
import { openSqlite } from './database.js';
import { SqliteDataRepository } from './data-repository.js';
import { SqliteReleaseRepository } from './release-repository.js';
import { SqliteStructureRepository } from './structure-repository.js';
import { SqliteTokenRepository } from './token-repository.js';
import { SqliteAuditRepository } from './audit-repository.js';
import { SqliteUploadRepository } from './upload-repository.js';
import { SqliteProtectionRepository } from './protection-repository.js';
import { SqliteMetadataSetRepository } from './metadata-set-repository.js';

export function sqliteRepositories(databasePath: string, migrationsDir: string): Repositories {
  const opened = openSqlite(databasePath, migrationsDir);
  const releases = new SqliteReleaseRepository(opened);
  return {
    structures: new SqliteStructureRepository(opened.db),
    releases,
    data: new SqliteDataRepository(opened.sqlite),
    tokens: new SqliteTokenRepository(opened.db),
    audit: new SqliteAuditRepository(opened.db),
    uploads: new SqliteUploadRepository(opened, releases),
    protection: new SqliteProtectionRepository(opened),
    metadataSets: new SqliteMetadataSetRepository(opened.db),
    close: () => opened.sqlite.close(),
  };
}
