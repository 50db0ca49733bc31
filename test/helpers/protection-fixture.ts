/**
 * Disclosure control as the product runs it, on small hand-made tables: an in-memory SQLite
 * repository, the real structures in `sdmx/`, releases written through the release repository
 * (draft → data → schedule → published) and the real ProtectionService. The attacker's view of
 * the protected table (what the public sees once a release is out, earlier vintages included) is
 * rebuilt here from the values the test wrote and the stored suppression patterns, for
 * attacker-interval.ts to compute what can be worked out.
 */
import path from 'node:path';
import { fixedClock } from '../../src/clock.js';
import { PROJECT_ROOT } from '../../src/project-root.js';
import { periodRange } from '../../src/sdmx/time-period.js';
import { ProtectionService, type StoredCellAudit, type ProtectionSummary } from '../../src/services/protection/protection-service.js';
import type { RunFindings } from '../../src/services/protection/findings.js';
import { StructureService } from '../../src/services/structure-service.js';
import type { ProtectionRun, Release, Repositories } from '../../src/storage/repositories.js';
import { sqliteRepositories } from '../../src/storage/sqlite/index.js';
import type { AttackerCell } from './attacker-interval.js';
import { CTS_DIMENSIONS } from './data-app.js';

/** One count cell as the test writes it: a DSD_CTS series key (with the unit) and a period. */
export interface Cell {
  readonly key: string;
  readonly period: string;
  readonly value: number;
}

/** `key period`: how the tests name a cell. */
export const cellId = (key: string, period: string) => `${key} ${period}`;

/** A DSD_CTS count key: A.area.indicator.offence.sex.age.disaggregation.NR. */
export function ctsKey(area: string, indicator: string, offence: string, disaggregation: string, sex = '_T', age = '_T'): string {
  return ['A', area, indicator, offence, sex, age, disaggregation, 'NR'].join('.');
}

export interface StoredRun extends Omit<ProtectionRun, 'summary' | 'audit' | 'findings'> {
  readonly summary: ProtectionSummary;
  readonly audit: readonly StoredCellAudit[];
  readonly findings: RunFindings;
}

export interface ProtectionFixture {
  readonly repositories: Repositories;
  readonly service: ProtectionService;
  /** A draft release of `UNODC:<dataflow>(1.0)` holding `cells`, optionally revising an earlier one. */
  draft(code: string, dataflow: string, cells: readonly Cell[], revises?: Release): Release;
  /** Schedules and publishes a draft at `at`. */
  publish(release: Release, at: string): Release;
  /** The release's stored run for the dataflow. */
  runOf(release: Release, dataflow: string): StoredRun;
  /** The release's stored suppressions by cell id, with their kind. */
  suppressedOf(release: Release, dataflow: string): Map<string, string>;
  /**
   * The public table once `releases` (oldest first, each with the cells the test wrote) are all
   * out: every cell at its latest value, known to the attacker when that release published it or
   * any release published that same value.
   */
  publicView(releases: readonly { readonly release: Release; readonly dataflow: string; readonly cells: readonly Cell[] }[]): Map<string, AttackerCell>;
  close(): void;
}

export const flowRef = (dataflow: string) => `UNODC:${dataflow}(1.0)`;

export function protectionFixture(now: string): ProtectionFixture {
  const repositories = sqliteRepositories(':memory:', path.join(PROJECT_ROOT, 'migrations'));
  const clock = fixedClock(now);
  const structures = StructureService.load(repositories, path.join(PROJECT_ROOT, 'sdmx'), clock).service;
  const service = new ProtectionService(repositories, structures, clock);
  const suppressedOf = (release: Release, dataflow: string) =>
    new Map(repositories.protection.suppressionsOf(release.pk, flowRef(dataflow)).map((s) => [cellId(s.key, s.timePeriod), s.kind]));
  return {
    repositories,
    service,
    draft(code, dataflow, cells, revises) {
      const flow = flowRef(dataflow);
      const release = repositories.releases.createDraft({ code, title: code, dataflows: [flow], ...(revises ? { revisesPk: revises.pk } : {}) }, now);
      const byKey = new Map<string, Cell[]>();
      for (const c of cells) byKey.set(c.key, [...(byKey.get(c.key) ?? []), c]);
      repositories.releases.addData(
        release.pk,
        [...byKey].map(([key, observations]) => {
          const codes = key.split('.');
          if (codes.length !== CTS_DIMENSIONS.length) throw new Error(`key ${key} needs ${CTS_DIMENSIONS.length} codes`);
          return {
            dataflow: flow,
            provider: 'UNODC:UNODC',
            dimensions: Object.fromEntries(CTS_DIMENSIONS.map((d, i) => [d, codes[i]!])),
            observations: observations.map((o) => {
              const range = periodRange(o.period);
              if (!range) throw new Error(`${o.period} is not an SDMX period`);
              return { timePeriod: o.period, periodStart: range.start, periodEnd: range.end, value: o.value, attributes: { OBS_STATUS: 'A' } };
            }),
          };
        }),
      );
      return repositories.releases.byCode(code)!;
    },
    publish(release, at) {
      repositories.releases.schedule(release.pk, at);
      return repositories.releases.markPublished(release.pk, at);
    },
    runOf(release, dataflow) {
      const run = repositories.protection.runsOf(release.pk).find((r) => r.dataflow === flowRef(dataflow));
      if (!run) throw new Error(`${release.code} has no protection run for ${dataflow}`);
      return run as StoredRun;
    },
    suppressedOf,
    publicView(releases) {
      const current = new Map<string, AttackerCell>();
      const published = new Map<string, Set<number>>();
      for (const { release, dataflow, cells } of releases) {
        const hidden = suppressedOf(release, dataflow);
        for (const c of cells) {
          const id = cellId(c.key, c.period);
          const known = !hidden.has(id);
          current.set(id, { value: c.value, known });
          if (known) published.set(id, new Set([...(published.get(id) ?? []), c.value]));
        }
      }
      for (const [id, c] of current) if (!c.known && published.get(id)?.has(c.value)) current.set(id, { value: c.value, known: true });
      return current;
    },
    close: () => repositories.close(),
  };
}
