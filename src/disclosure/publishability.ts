/**
 * Whether a release may be scheduled (and so, at its instant, published): every dataflow it
 * holds data for must have a disclosure-control run that passed its audit and is not stale (a
 * later upload deletes the release's runs). The release workflow asks here before scheduling.
 */
import type { Release, Repositories } from '../storage/repositories.js';

export interface Publishability {
  readonly ok: boolean;
  /** One sentence per dataflow that blocks it. */
  readonly problems: readonly string[];
  /**
   * What the publisher must know before scheduling but that does not block it: small counts an
   * earlier release published with the same value (they cannot be protected again), and declared
   * relations the figures break.
   */
  readonly warnings: readonly string[];
}

export function publishability(repositories: Repositories, release: Release): Publishability {
  const runs = new Map(repositories.protection.runsOf(release.pk).map((r) => [r.dataflow, r]));
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const dataflow of repositories.protection.dataflowsWithData(release.pk)) {
    const run = runs.get(dataflow);
    if (!run) problems.push(`${dataflow}: disclosure control has not run on the data as it is now (run protection first)`);
    else if (!run.passed) problems.push(`${dataflow}: the disclosure-control audit failed (${failedCells(run.summary)} protected cells could be narrowed below their protection interval)`);
    if (!run) continue;
    const quality = (run.summary as { dataQuality?: { unprotectable?: number; brokenRelations?: number } } | null)?.dataQuality;
    if (quality?.unprotectable) {
      warnings.push(
        `${dataflow}: ${quality.unprotectable} small counts were published by an earlier release with the same value and cannot be protected again ` +
          '(listed in the run\'s findings, GET /api/v1/releases/{code}/protection)',
      );
    }
    if (quality?.brokenRelations) {
      warnings.push(`${dataflow}: the figures break ${quality.brokenRelations} declared relations (totals that are not the sum of their parts, or parts larger than their whole; listed in the run's findings)`);
    }
  }
  return { ok: problems.length === 0, problems, warnings };
}

function failedCells(summary: unknown): string {
  const failed = (summary as { audit?: { failed?: unknown } } | null)?.audit?.failed;
  return typeof failed === 'number' ? String(failed) : 'some';
}
