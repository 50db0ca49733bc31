/**
 * An app over a small, hand-written data set written through the real release path (draft →
 * data → schedule → publish), for tests that need exact control of releases and vintages. The
 * demo data has its own tests; these fixtures make parameter edge cases easy to state.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { periodRange } from '../../src/sdmx/time-period.js';
import type { Repositories } from '../../src/storage/repositories.js';
import { sqliteRepositories } from '../../src/storage/sqlite/index.js';

export const CTS_DIMENSIONS = ['FREQ', 'REF_AREA', 'INDICATOR', 'OFFENCE', 'SEX', 'AGE', 'DISAGGREGATION', 'UNIT_MEASURE'] as const;

export interface FixtureObservation {
  readonly period: string;
  readonly value: number | null;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly deleted?: boolean;
}

export interface FixtureSeries {
  /** Dot-separated DSD_CTS key, e.g. `A.AUT.VIC_HOM.0101._T._T._Z.NR`. */
  readonly key: string;
  readonly provider?: string;
  readonly observations: readonly FixtureObservation[];
}

export interface FixtureRelease {
  readonly code: string;
  /** Dataflow id under UNODC, version 1.0. */
  readonly dataflow: string;
  readonly announcedAt: string;
  /** published (default), scheduled (visible from announcedAt on) or draft (never visible). */
  readonly state?: 'published' | 'scheduled' | 'draft';
  readonly series: readonly FixtureSeries[];
}

export function writeFixtureReleases(repositories: Repositories, releases: readonly FixtureRelease[]): void {
  for (const r of releases) {
    const flow = `UNODC:${r.dataflow}(1.0)`;
    const release = repositories.releases.createDraft({ code: r.code, title: r.code, dataflows: [flow] }, '2000-01-01T00:00:00.000Z');
    repositories.releases.addData(
      release.pk,
      r.series.map((s) => {
        const codes = s.key.split('.');
        if (codes.length !== CTS_DIMENSIONS.length) throw new Error(`fixture key ${s.key} needs ${CTS_DIMENSIONS.length} codes`);
        return {
          dataflow: flow,
          provider: s.provider ?? 'UNODC:UNODC',
          dimensions: Object.fromEntries(CTS_DIMENSIONS.map((d, i) => [d, codes[i]!])),
          observations: s.observations.map((o) => {
            const range = periodRange(o.period);
            if (!range) throw new Error(`fixture period ${o.period} is not an SDMX period`);
            return {
              timePeriod: o.period,
              periodStart: range.start,
              periodEnd: range.end,
              value: o.value,
              attributes: o.attributes ?? { OBS_STATUS: 'A' },
              deleted: o.deleted,
            };
          }),
        };
      }),
    );
    if ((r.state ?? 'published') === 'draft') continue;
    repositories.releases.schedule(release.pk, r.announcedAt);
    if ((r.state ?? 'published') === 'published') repositories.releases.markPublished(release.pk, r.announcedAt);
  }
}

export async function dataApp(
  releases: readonly FixtureRelease[],
  opts: { clock?: Clock; env?: NodeJS.ProcessEnv } = {},
): Promise<{ app: FastifyInstance; repositories: Repositories }> {
  const config = loadConfig({ DATABASE_URL: ':memory:', LOG_LEVEL: 'silent', DEMO_DATA: 'off', RATE_LIMIT_PER_MINUTE: '0', ...opts.env });
  const repositories = sqliteRepositories(config.databasePath, config.migrationsDir);
  writeFixtureReleases(repositories, releases);
  const app = await buildApp({ config, clock: opts.clock, repositories });
  return { app, repositories };
}
