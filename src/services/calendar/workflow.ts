/**
 * The publisher's release workflow: create a draft (or a correction of a published release),
 * schedule it for an announced instant, postpone or cancel it before that instant. Each move is
 * checked here against the clock and the release's state, and every refusal says why in terms
 * the publisher can act on; the repository only records. A release that is visible (its instant
 * has come) can never be moved again: what the public has seen stays on the calendar.
 */
import type { Clock } from '../../clock.js';
import { publishability } from '../../disclosure/publishability.js';
import { ServiceError } from '../../errors.js';
import type { Release, Repositories } from '../../storage/repositories.js';
import { isVisible } from '../visibility.js';
import { ANNOUNCED_INSTANT_FORMAT, parseAnnouncedInstant } from './instants.js';

export interface FieldFault {
  readonly in: 'body';
  readonly pointer: string;
  readonly message: string;
}

/**
 * A move's result: the release after it (and before it, for the audit), or why it was refused,
 * in the terms of the error catalogue (src/errors.ts): `invalid-request` (invalid input, with
 * `errors` naming each body field at fault), `not-found`, `release-exists`, `release-state` or
 * `release-not-publishable` (conflicts; the last with `problems`).
 */
export type Outcome = { readonly ok: true; readonly release: Release; readonly before?: Release } | { readonly ok: false; readonly refusal: ServiceError };

export interface NewReleaseRequest {
  readonly code: string;
  readonly title: string;
  readonly dataflows: readonly string[];
  readonly note?: string;
  readonly revises?: string;
}

/** What must hold before a draft may be scheduled. */
export interface Readiness {
  readonly ok: boolean;
  readonly problems: readonly string[];
  /** Not blocking, but to be read before scheduling (publishability.ts). */
  readonly warnings: readonly string[];
}

export const RELEASE_CODE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

const refused = (refusal: ServiceError): Outcome => ({ ok: false, refusal });

const invalid = (faults: FieldFault[]): Outcome =>
  refused(
    new ServiceError('invalid-input', faults.map((f) => `body field ${f.pointer.slice(2).replaceAll('/', '.')} ${f.message}`).join('; '), {
      extensions: { errors: faults },
    }),
  );

const fault = (pointer: string, message: string): FieldFault => ({ in: 'body', pointer, message });

const notFound = (code: string): Outcome => refused(new ServiceError('not-found', `No release ${code}`));

const conflict = (detail: string): Outcome => refused(new ServiceError('conflict', detail, { code: 'release-state' }));

export class ReleaseWorkflow {
  constructor(
    private readonly repositories: Repositories,
    private readonly clock: Clock,
    /** `AGENCY:ID(VERSION)` of every stored dataflow. */
    private readonly knownDataflows: () => ReadonlySet<string>,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  /**
   * A new draft; with `revises`, a correction of a release the public can already see. (Who
   * created it is in the audit log: the `created` event carries no actor.)
   */
  create(request: NewReleaseRequest): Outcome {
    const faults: FieldFault[] = [];
    const title = request.title.trim();
    if (!title) faults.push(fault('#/title', 'must not be blank'));
    const known = this.knownDataflows();
    request.dataflows.forEach((df, i) => {
      if (!known.has(df)) faults.push(fault(`#/dataflows/${i}`, `is not a stored dataflow: ${df}`));
    });
    let revised: Release | undefined;
    if (request.revises !== undefined) {
      revised = this.repositories.releases.byCode(request.revises);
      if (!revised) faults.push(fault('#/revises', `is not a release code: ${request.revises}`));
    }
    if (faults.length) return invalid(faults);
    const now = this.now();
    if (revised && !isVisible(revised, now)) {
      return conflict(`Release ${revised.code} is ${revised.state === 'scheduled' ? 'not yet published' : revised.state}: only a published release can be corrected`);
    }
    if (this.repositories.releases.byCode(request.code)) {
      return refused(new ServiceError('conflict', `A release with the code ${request.code} already exists`, { code: 'release-exists' }));
    }
    const note = request.note?.trim();
    const release = this.repositories.releases.createDraft(
      { code: request.code, title, dataflows: [...request.dataflows], ...(note ? { note } : {}), ...(revised ? { revisesPk: revised.pk } : {}) },
      now,
    );
    return { ok: true, release };
  }

  /** Whether a draft may be scheduled: it holds data, and disclosure control passed on all of it. */
  readiness(release: Release): Readiness {
    const { problems, warnings } = publishability(this.repositories, release);
    const empty = this.repositories.protection.dataflowsWithData(release.pk).length === 0;
    const all = empty ? ['the release holds no data (upload data to it first)', ...problems] : [...problems];
    return { ok: all.length === 0, problems: all, warnings };
  }

  schedule(code: string, announcedAtText: string, actor: string): Outcome {
    const release = this.repositories.releases.byCode(code);
    if (!release) return notFound(code);
    if (release.state !== 'draft') return conflict(`Release ${code} is ${release.state}: only a draft can be scheduled${release.state === 'scheduled' ? ' (postpone it to move its instant)' : ''}`);
    const now = this.now();
    const announcedAt = this.futureInstant(announcedAtText, now);
    if (typeof announcedAt !== 'string') return invalid([announcedAt]);
    const ready = this.readiness(release);
    if (!ready.ok) {
      return refused(new ServiceError('conflict', ready.problems.join('; '), { code: 'release-not-publishable', extensions: { problems: ready.problems } }));
    }
    return this.move(release, () => this.repositories.releases.schedule(release.pk, announcedAt, { at: now, actor }));
  }

  postpone(code: string, announcedAtText: string, reasonText: string, actor: string): Outcome {
    const release = this.repositories.releases.byCode(code);
    if (!release) return notFound(code);
    const now = this.now();
    const fixed = this.fixedReason(release, now, 'postponed');
    if (fixed) return fixed;
    if (release.state !== 'scheduled') return conflict(`Release ${code} is ${release.state}: only a scheduled release can be postponed`);
    const faults: FieldFault[] = [];
    const announcedAt = this.futureInstant(announcedAtText, now);
    if (typeof announcedAt !== 'string') faults.push(announcedAt);
    else if (announcedAt === release.announcedAt) faults.push(fault('#/announcedAt', `is the instant already announced (${announcedAt})`));
    const reason = reasonText.trim();
    if (!reason) faults.push(fault('#/reason', 'must say why the release moves'));
    if (faults.length) return invalid(faults);
    return this.move(release, () => this.repositories.releases.postpone(release.pk, announcedAt as string, reason, { at: now, actor }));
  }

  cancel(code: string, reasonText: string, actor: string): Outcome {
    const release = this.repositories.releases.byCode(code);
    if (!release) return notFound(code);
    const now = this.now();
    const fixed = this.fixedReason(release, now, 'cancelled');
    if (fixed) return fixed;
    if (release.state !== 'draft' && release.state !== 'scheduled') return conflict(`Release ${code} is ${release.state}: only a draft or a scheduled release can be cancelled`);
    const reason = reasonText.trim();
    if (!reason) return invalid([fault('#/reason', 'must say why the release is cancelled')]);
    return this.move(release, () => this.repositories.releases.cancel(release.pk, reason, { at: now, actor }));
  }

  /** A release the public can see (or has seen) is fixed: nothing may move it. */
  private fixedReason(release: Release, now: string, verb: string): Outcome | undefined {
    if (isVisible(release, now)) return conflict(`Release ${release.code} has been public since ${release.announcedAt}: it can no longer be ${verb}`);
    return undefined;
  }

  private futureInstant(text: string, now: string): string | FieldFault {
    const instant = parseAnnouncedInstant(text);
    if (!instant) return fault('#/announcedAt', `must be ${ANNOUNCED_INSTANT_FORMAT}; not ${JSON.stringify(text)}`);
    if (Date.parse(instant) <= Date.parse(now)) return fault('#/announcedAt', `must be in the future (now is ${now})`);
    return instant;
  }

  /**
   * The repository re-checks the state in its transaction: a lost race is a conflict (its
   * ReleaseStateError is a `release-state` ServiceError), not a crash.
   */
  private move(before: Release, write: () => Release): Outcome {
    try {
      return { ok: true, release: write(), before };
    } catch (err) {
      if (err instanceof ServiceError) return refused(err);
      throw err;
    }
  }
}
