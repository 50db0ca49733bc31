/** Builds the SQLite-backed repositories. */
import type { Repositories } from '../repositories.js';
import { openSqlite } from './database.js';
import { SqliteDataRepository } from './data-repository.js';
import { SqliteReleaseRepository } from './release-repository.js';
import { SqliteStructureRepository } from './structure-repository.js';

export function sqliteRepositories(databasePath: string, migrationsDir: string): Repositories {
  const opened = openSqlite(databasePath, migrationsDir);
  return {
    structures: new SqliteStructureRepository(opened.db),
    releases: new SqliteReleaseRepository(opened),
    data: new SqliteDataRepository(opened.sqlite),
    close: () => opened.sqlite.close(),
  };
}
