/**
 * Publishes the demo data (`data/demo/`, real UNODC and Eurostat figures) into an empty
 * database through the same path as real releases: per release, draft → all data in one write →
 * disclosure control (primary and secondary suppression and its audit; a release whose audit
 * fails is not published) → scheduled → published at its real announced instant. The release
 * the demo holds back (releases.ts) stays scheduled, for an instant after the load. Returns an
 * account of every source value (see report.ts).
 */
import type { Release, Repositories } from '../storage/repositories.js';
import { ReleaseCollector, dataflowRef } from './collector.js';
import { DEMO_RELEASES, announcedInstant } from './releases.js';
import { LoadLog, type DemoLoadReport } from './report.js';

export type { DemoLoadReport } from './report.js';

/** What the loader needs of a protection run (the protection service's result per dataflow). */
export interface ProtectionResult {
  readonly dataflow: string;
  readonly passed: boolean;
  readonly summary: {
    readonly primary: number;
    readonly secondary: number;
    readonly derived: number;
    readonly relations: number;
    readonly dataQuality: { readonly brokenRelations: number };
  };
}

export class DemoDatabaseNotEmptyError extends Error {
  override name = 'DemoDatabaseNotEmptyError';
}

export async function loadDemoData(args: {
  repositories: Repositories;
  demoDir: string;
  /** The load instant (ISO-8601 UTC): drafts' creation time, and the last plausible reference year. */
  now: string;
  /** Protects a draft, per dataflow (a release whose audit fails is not published). */
  protect: (release: Release) => Promise<readonly ProtectionResult[]>;
}): Promise<DemoLoadReport> {
  const { repositories, demoDir, now, protect } = args;
  const existing = repositories.releases.list().length;
  if (existing > 0) {
    throw new DemoDatabaseNotEmptyError(`The demo data loads into an empty database only; this one holds ${existing} releases`);
  }
  const lastYear = new Date(now).getUTCFullYear();
  if (!Number.isFinite(lastYear)) throw new RangeError(`now is not an instant: "${now}"`);
  const log = new LoadLog();
  // Every file is read before anything is written, so an unreadable file leaves the database
  // empty (and the next start tries again) instead of half a publication.
  const collected = DEMO_RELEASES.map((plan) => {
    const collector = new ReleaseCollector(plan.provider, plan.dataflows, log, lastYear);
    for (const read of plan.sources) read(demoDir, collector, log);
    return { plan, series: collector.toSeries() };
  });
  const pkByCode = new Map<string, number>();
  for (const { plan, series } of collected) {
    const revisesPk = plan.revises === undefined ? undefined : pkByCode.get(plan.revises);
    if (plan.revises !== undefined && revisesPk === undefined) {
      throw new Error(`${plan.code} revises ${plan.revises}, which is not loaded before it`);
    }
    const dataflows = plan.dataflows.map(dataflowRef);
    const draft = repositories.releases.createDraft(
      { code: plan.code, title: plan.title, dataflows, note: plan.note, ...(revisesPk === undefined ? {} : { revisesPk }) },
      now,
    );
    const written = repositories.releases.addData(draft.pk, series);
    const protection = await protect(draft);
    const failed = protection.filter((p) => !p.passed);
    if (failed.length > 0) throw new Error(`${plan.code}: the disclosure-control audit failed for ${failed.map((f) => f.dataflow).join(', ')}`);
    const announcedAt = announcedInstant(plan, now);
    repositories.releases.schedule(draft.pk, announcedAt);
    if (typeof plan.announcedAt === 'string') repositories.releases.markPublished(draft.pk, announcedAt);
    pkByCode.set(plan.code, draft.pk);
    log.report.releases.push({
      code: plan.code,
      title: plan.title,
      dataflows,
      series: written.series,
      observations: written.observations,
      announcedAt,
      state: typeof plan.announcedAt === 'string' ? 'published' : 'scheduled',
      protection: protection.map((p) => ({
        dataflow: p.dataflow,
        primary: p.summary.primary,
        secondary: p.summary.secondary,
        derived: p.summary.derived,
        relations: p.summary.relations,
        brokenRelations: p.summary.dataQuality.brokenRelations,
      })),
    });
  }
  return log.report;
}
