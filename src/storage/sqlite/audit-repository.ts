/**
 * SQLite implementation of the audit log: inserts and filtered reads, newest first, paged by
 * primary key (a stable cursor even when many events share one instant).
 */
import { and, desc, eq, gte, lt, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { AuditEntry, AuditEntryToStore, AuditQuery, AuditRepository } from '../repositories.js';
import { auditEvents } from '../schema.js';
import type { SqliteDb } from './database.js';

type Row = typeof auditEvents.$inferSelect;

function entryOf(row: Row): AuditEntry {
  return {
    id: row.pk,
    at: row.at,
    actor: row.actor,
    role: row.role,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    client: row.client,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}

/** Not LIKE: it is case-insensitive and treats the `_` of token ids as a wildcard. */
function startsWith(column: AnyColumn, prefix: string): SQL {
  return sql`substr(${column}, 1, ${prefix.length}) = ${prefix}`;
}

export class SqliteAuditRepository implements AuditRepository {
  constructor(private readonly db: SqliteDb) {}

  append(entry: AuditEntryToStore): AuditEntry {
    const row = this.db
      .insert(auditEvents)
      .values({ ...entry, detail: JSON.stringify(entry.detail) })
      .returning()
      .get();
    return entryOf(row);
  }

  list(query: AuditQuery): AuditEntry[] {
    const conditions: SQL[] = [];
    if (query.since !== undefined) conditions.push(gte(auditEvents.at, query.since));
    if (query.until !== undefined) conditions.push(lt(auditEvents.at, query.until));
    if (query.actor !== undefined) {
      conditions.push(or(eq(auditEvents.actor, query.actor), startsWith(auditEvents.actor, `${query.actor}:`))!);
    }
    if (query.action !== undefined) {
      conditions.push(
        query.action.endsWith('*') ? startsWith(auditEvents.action, query.action.slice(0, -1)) : eq(auditEvents.action, query.action),
      );
    }
    if (query.outcome !== undefined) conditions.push(eq(auditEvents.outcome, query.outcome));
    if (query.before !== undefined) conditions.push(lt(auditEvents.pk, query.before));
    return this.db
      .select()
      .from(auditEvents)
      .where(and(...conditions))
      .orderBy(desc(auditEvents.pk))
      .limit(query.limit)
      .all()
      .map(entryOf);
  }
}
