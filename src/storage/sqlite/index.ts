/** Builds the SQLite-backed repositories. */
import type { Repositories } from '../repositories.js';
import { openSqlite } from './database.js';
import { SqliteReleaseRepository } from './release-repository.js';
import { SqliteStructureRepository } from './structure-repository.js';

export function sqliteRepositories(databasePath: string, migrationsDir: string): Repositories {
  const { sqlite, db } = openSqlite(databasePath, migrationsDir);
  return {
    structures: new SqliteStructureRepository(db),
    releases: new SqliteReleaseRepository(db),
    close: () => sqlite.close(),
  };
}
