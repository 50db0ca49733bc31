/**
 * The append-only audit trail: who did what, to what, when, from where and with what outcome.
 * Every write and every failed authentication is recorded here; secrets never are (actors are
 * named by token id). Instants come from the injected clock.
 */
import type { Clock } from '../clock.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { AUDIT_OUTCOMES, type AuditOutcome } from '../storage/schema.js';
import type { AuditEntry, AuditRepository } from '../storage/repositories.js';

export type { AuditEntry };

/** The actor of changes made on the command line, which holds no token. */
export const CLI_ACTOR = 'cli';

export interface AuditEvent {
  readonly actor: Principal | typeof CLI_ACTOR | null;
  /** What was attempted, e.g. `token.create`, `upload.create`, `auth.failed`. */
  readonly action: string;
  /** What it was attempted on, e.g. a token id or a dataflow. */
  readonly target?: string;
  readonly outcome: AuditOutcome;
  /** Client address as seen by the server. */
  readonly client?: string;
  /** Extra facts; never secrets. */
  readonly detail?: Record<string, unknown>;
}

export interface AuditFilter {
  readonly since?: string;
  readonly until?: string;
  readonly actor?: string;
  readonly action?: string;
  readonly outcome?: string;
  readonly limit?: number;
  /** Only entries older than this id (the previous page's last id). */
  readonly before?: number;
}

export const DEFAULT_AUDIT_PAGE = 100;
export const MAX_AUDIT_PAGE = 1000;

export class AuditLog {
  constructor(
    private readonly repository: AuditRepository,
    private readonly clock: Clock,
  ) {}

  record(e: AuditEvent): void {
    const actor = e.actor === null ? null : e.actor === CLI_ACTOR ? CLI_ACTOR : actorOf(e.actor);
    const role = e.actor === null || e.actor === CLI_ACTOR ? null : e.actor.role;
    this.repository.append({
      at: this.clock.now().toISOString(),
      actor,
      role,
      action: e.action,
      target: e.target ?? null,
      outcome: e.outcome,
      client: e.client ?? null,
      detail: e.detail ?? {},
    });
  }

  /** Newest first; an unknown outcome matches nothing rather than everything. */
  list(filter: AuditFilter): AuditEntry[] {
    return this.read(filter, pageSizeOf(filter.limit));
  }

  /** One page, newest first, and the cursor of the next page (null on the last). */
  page(filter: AuditFilter): { entries: AuditEntry[]; next: number | null } {
    const size = pageSizeOf(filter.limit);
    // One more than asked tells whether another page exists without a count query.
    const entries = this.read(filter, size + 1);
    if (entries.length <= size) return { entries, next: null };
    entries.length = size;
    return { entries, next: entries[size - 1]!.id };
  }

  private read(filter: AuditFilter, limit: number): AuditEntry[] {
    const outcome = filter.outcome;
    if (outcome !== undefined && !(AUDIT_OUTCOMES as readonly string[]).includes(outcome)) return [];
    return this.repository.list({
      since: instantOf(filter.since, 'since'),
      until: instantOf(filter.until, 'until'),
      actor: filter.actor,
      action: filter.action,
      outcome: outcome as AuditOutcome | undefined,
      before: filter.before,
      limit,
    });
  }
}

function pageSizeOf(limit: number | undefined): number {
  return Math.min(Math.max(1, Math.trunc(limit ?? DEFAULT_AUDIT_PAGE)), MAX_AUDIT_PAGE);
}

/** Stored instants are ISO-8601 UTC with milliseconds; bounds are compared in the same form. */
function instantOf(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new RangeError(`${name} is not an instant: "${value}"`);
  return new Date(t).toISOString();
}
