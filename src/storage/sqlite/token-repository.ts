/**
 * SQLite implementation of the token repository. Rows hold the SHA-256 of each secret, never
 * the secret; look-ups by hash use the unique index.
 */
import { asc, eq, isNull, and } from 'drizzle-orm';
import type { StoredToken, TokenRepository, TokenToStore } from '../repositories.js';
import { apiTokens } from '../schema.js';
import type { SqliteDb } from './database.js';

type Row = typeof apiTokens.$inferSelect;

function tokenOf(row: Row): StoredToken {
  return {
    tokenId: row.tokenId,
    name: row.name,
    role: row.role,
    secretHash: row.secretHash,
    dataflows: JSON.parse(row.dataflows) as string[],
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

export class SqliteTokenRepository implements TokenRepository {
  constructor(private readonly db: SqliteDb) {}

  insert(token: TokenToStore): StoredToken {
    const row = this.db
      .insert(apiTokens)
      .values({ ...token, dataflows: JSON.stringify(token.dataflows) })
      .returning()
      .get();
    return tokenOf(row);
  }

  bySecretHash(secretHash: string): StoredToken | undefined {
    const row = this.db.select().from(apiTokens).where(eq(apiTokens.secretHash, secretHash)).get();
    return row && tokenOf(row);
  }

  byTokenId(tokenId: string): StoredToken | undefined {
    const row = this.db.select().from(apiTokens).where(eq(apiTokens.tokenId, tokenId)).get();
    return row && tokenOf(row);
  }

  list(): StoredToken[] {
    return this.db.select().from(apiTokens).orderBy(asc(apiTokens.pk)).all().map(tokenOf);
  }

  revoke(tokenId: string, at: string): StoredToken | undefined {
    this.db
      .update(apiTokens)
      .set({ revokedAt: at })
      .where(and(eq(apiTokens.tokenId, tokenId), isNull(apiTokens.revokedAt)))
      .run();
    return this.byTokenId(tokenId);
  }

  touch(tokenId: string, at: string): void {
    this.db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.tokenId, tokenId)).run();
  }
}
