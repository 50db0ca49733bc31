/**
 * Releases as the publisher sees them (never public): every state including drafts, the staged
 * uploads, what blocks scheduling, the full event history with who did what, and the
 * disclosure-control runs with their outcome.
 */
import type { Clock } from '../../clock.js';
import type { Release, Repositories, StoredUpload } from '../../storage/repositories.js';
import type { ReleaseEventKind, ReleaseState } from '../../storage/schema.js';
import { isVisible } from '../visibility.js';
import { calendarStateOf, type CalendarState } from './calendar.js';
import type { Readiness, ReleaseWorkflow } from './workflow.js';

export interface ReleaseSummary {
  readonly code: string;
  readonly title: string;
  readonly note: string | null;
  readonly dataflows: readonly string[];
  readonly state: ReleaseState;
  /** As the public calendar shows it now; null while not on the calendar (drafts). */
  readonly calendarState: CalendarState | null;
  /** Public now (its instant has come): it can no longer be moved. */
  readonly visible: boolean;
  readonly createdAt: string;
  readonly announcedAt: string | null;
  readonly firstAnnouncedAt: string | null;
  readonly publishedAt: string | null;
  readonly revises: string | null;
  /** Number of staged uploads (GET .../uploads lists them). */
  readonly uploads: number;
  /** For drafts: whether it may be scheduled, and what blocks it. Null for other states. */
  readonly publishability: Readiness | null;
}

export interface ReleaseDetail extends ReleaseSummary {
  readonly events: readonly {
    readonly at: string;
    readonly kind: ReleaseEventKind;
    readonly announcedAt: string | null;
    readonly previousAnnouncedAt: string | null;
    readonly reason: string | null;
    readonly actor: string | null;
  }[];
  readonly protection: readonly {
    readonly dataflow: string;
    readonly ranAt: string;
    readonly ranBy: string | null;
    readonly method: string;
    readonly summary: unknown;
    readonly passed: boolean;
  }[];
}

export interface UploadView {
  readonly uploadId: string;
  readonly dataflow: string;
  readonly provider: string;
  readonly format: string;
  readonly mapping?: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly series: number;
  readonly observations: number;
  readonly uploadedBy: string;
  readonly uploadedAt: string;
}

export class ReleaseViews {
  constructor(
    private readonly repositories: Repositories,
    private readonly workflow: ReleaseWorkflow,
    private readonly clock: Clock,
  ) {}

  list(): ReleaseSummary[] {
    const now = this.clock.now().toISOString();
    const releases = this.repositories.releases.list();
    const codeOf = new Map(releases.map((r) => [r.pk, r.code]));
    return releases.map((r) => this.summaryOf(r, now, codeOf));
  }

  detail(code: string): ReleaseDetail | undefined {
    const release = this.repositories.releases.byCode(code);
    if (!release) return undefined;
    const now = this.clock.now().toISOString();
    const revised = release.revisesPk === null ? undefined : this.repositories.releases.list().find((r) => r.pk === release.revisesPk);
    const codeOf = new Map(revised ? [[revised.pk, revised.code]] : []);
    return {
      ...this.summaryOf(release, now, codeOf),
      events: this.repositories.releases.events(release.pk).map(({ releasePk: _pk, ...event }) => event),
      protection: this.repositories.protection.runsOf(release.pk).map((run) => ({
        dataflow: run.dataflow,
        ranAt: run.ranAt,
        ranBy: run.ranBy,
        method: run.method,
        summary: run.summary,
        passed: run.passed,
      })),
    };
  }

  /** The staged uploads of a release, oldest first; undefined for an unknown code. */
  uploads(code: string): UploadView[] | undefined {
    const release = this.repositories.releases.byCode(code);
    if (!release) return undefined;
    return this.repositories.uploads.listForRelease(release.pk).map(uploadView);
  }

  private summaryOf(release: Release, now: string, codeOf: ReadonlyMap<number, string>): ReleaseSummary {
    return {
      code: release.code,
      title: release.title,
      note: release.note,
      dataflows: [...release.dataflows],
      state: release.state,
      calendarState: calendarStateOf(release, now),
      visible: isVisible(release, now),
      createdAt: release.createdAt,
      announcedAt: release.announcedAt,
      firstAnnouncedAt: release.firstAnnouncedAt,
      publishedAt: release.publishedAt,
      revises: release.revisesPk === null ? null : (codeOf.get(release.revisesPk) ?? null),
      uploads: this.repositories.uploads.listForRelease(release.pk).length,
      publishability: release.state === 'draft' ? this.workflow.readiness(release) : null,
    };
  }
}

function uploadView(u: StoredUpload): UploadView {
  return {
    uploadId: u.uploadId,
    dataflow: u.dataflow,
    provider: u.provider,
    format: u.format,
    ...(u.mapping ? { mapping: u.mapping } : {}),
    sha256: u.sha256,
    bytes: u.bytes,
    series: u.series,
    observations: u.observations,
    uploadedBy: u.uploadedBy,
    uploadedAt: u.uploadedAt,
  };
}
