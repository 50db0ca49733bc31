/**
 * Opens the embedded SQLite database (better-sqlite3 + drizzle), creating the file and its
 * folder on first start and applying the committed migrations. WAL lets readers go on while a
 * release is written; foreign keys are enforced.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../schema.js';

export type SqliteDb = BetterSQLite3Database<typeof schema>;

export interface OpenedDatabase {
  readonly sqlite: Database.Database;
  readonly db: SqliteDb;
}

export function openSqlite(databasePath: string, migrationsDir: string): OpenedDatabase {
  if (databasePath !== ':memory:') mkdirSync(path.dirname(databasePath), { recursive: true });
  const sqlite = new Database(databasePath);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // SQLite's own default page cache (2 MB; better-sqlite3 sets 16 MB): large exports and
  // uploads stream through it, and the smaller cache keeps peak memory down at the same speed.
  sqlite.pragma('cache_size = -2000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: migrationsDir });
  return { sqlite, db };
}
