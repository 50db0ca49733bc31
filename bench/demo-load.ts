/**
 * The demo load as a benchmark figure (it is not a test assertion: its duration depends on the
 * machine and what else runs on it). `loadDemoData` with `standaloneProtector`, as
 * test/demo/load-demo.test.ts runs it, into a fresh in-memory database: the wall time of the
 * whole load (reading data/demo, writing six releases and the held-back one, protecting each),
 * and per release the time its disclosure-control runs report (`statistics.protectMs` and
 * `auditMs` of each dataflow's run summary).
 *
 * Run as a process of its own (`tsx bench/demo-load.ts` prints the result as JSON): the figure is
 * a fresh process's, and the same file measures an earlier commit in a worktree of it.
 */
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDemoData } from '../src/demo/load-demo.js';
import { PROJECT_ROOT } from '../src/project-root.js';
import { standaloneProtector } from '../src/services/protection/protection-service.js';
import { sqliteRepositories } from '../src/storage/sqlite/index.js';
import { reportResult, runChild } from './child.js';

/** The load instant of test/demo/load-demo.test.ts. */
const NOW = '2026-01-15T12:00:00.000Z';

export interface DemoLoadRelease {
  readonly code: string;
  readonly observations: number;
  readonly dataflows: number;
  /** Count cells protected (the runs' summaries), when the summary gives them. */
  readonly countCells?: number;
  readonly protectSeconds: number;
  readonly auditSeconds: number;
  readonly passed: boolean;
}

export interface DemoLoadBench {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly observations: number;
  readonly releases: readonly DemoLoadRelease[];
  readonly peakRssMb: number;
  readonly loadAverage: number;
}

interface RunSummary {
  readonly countCells?: number;
  readonly statistics?: { readonly protectMs?: number; readonly auditMs?: number };
}

export async function measureDemoLoad(): Promise<DemoLoadBench> {
  const loadAverage = os.loadavg()[0]!;
  const repositories = sqliteRepositories(':memory:', path.join(PROJECT_ROOT, 'migrations'));
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const protect = standaloneProtector(repositories, path.join(PROJECT_ROOT, 'sdmx'), NOW);
    const report = await loadDemoData({ repositories, demoDir: path.join(PROJECT_ROOT, 'data', 'demo'), now: NOW, protect });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const releases = report.releases.map((r): DemoLoadRelease => {
      const runs = repositories.protection.runsOf(repositories.releases.byCode(r.code)!.pk);
      let protectMs = 0;
      let auditMs = 0;
      let countCells: number | undefined;
      for (const run of runs) {
        const summary = run.summary as RunSummary;
        protectMs += summary.statistics?.protectMs ?? 0;
        auditMs += summary.statistics?.auditMs ?? 0;
        if (summary.countCells !== undefined) countCells = (countCells ?? 0) + summary.countCells;
      }
      return {
        code: r.code,
        observations: r.observations,
        dataflows: runs.length,
        ...(countCells === undefined ? {} : { countCells }),
        protectSeconds: protectMs / 1000,
        auditSeconds: auditMs / 1000,
        passed: runs.every((run) => run.passed),
      };
    });
    return {
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      observations: report.releases.reduce((n, r) => n + r.observations, 0),
      releases,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      loadAverage,
    };
  } finally {
    repositories.close();
  }
}

/** The demo load in a fresh process, killed after `limitSeconds`. */
export async function demoLoadBench(limitSeconds: number, log: (line: string) => void): Promise<{ result?: DemoLoadBench; notFinished?: string }> {
  log('demo load (loadDemoData with standaloneProtector, fresh in-memory database, own process)...');
  const outcome = await runChild<DemoLoadBench>(path.join(PROJECT_ROOT, 'bench/demo-load.ts'), [], limitSeconds, log);
  return outcome.finished ? { result: outcome.result } : { notFinished: outcome.reason };
}

export function renderDemoLoad(bench: { result?: DemoLoadBench; notFinished?: string }): string[] {
  const lines = [
    '## Demo load',
    '',
    '`loadDemoData` with `standaloneProtector` (as test/demo/load-demo.test.ts runs it), fresh in-memory database, a process of its own: read data/demo, write the releases, protect each before it is scheduled. Protection and audit seconds are the runs\' own `statistics.protectMs` and `auditMs`, summed over each release\'s dataflows.',
    '',
  ];
  const r = bench.result;
  if (!r) return [...lines, `Not finished: ${bench.notFinished ?? 'not run'}.`, ''];
  const fixed = (n: number) => n.toFixed(2);
  lines.push(
    `Whole load: **${fixed(r.seconds)} s** wall (${fixed(r.cpuSeconds)} s CPU), ${r.observations} observations in ${r.releases.length} releases; peak RSS ${r.peakRssMb.toFixed(0)} MB; 1-minute load average ${r.loadAverage.toFixed(2)} at the start.`,
    '',
    '| release | observations | dataflows protected | count cells | protect s | audit s | audit |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...r.releases.map((x) => `| ${x.code} | ${x.observations} | ${x.dataflows} | ${x.countCells ?? '—'} | ${fixed(x.protectSeconds)} | ${fixed(x.auditSeconds)} | ${x.passed ? 'passed' : 'not passed'} |`),
    `| all | ${r.observations} | ${r.releases.reduce((n, x) => n + x.dataflows, 0)} | | ${fixed(r.releases.reduce((s, x) => s + x.protectSeconds, 0))} | ${fixed(r.releases.reduce((s, x) => s + x.auditSeconds, 0))} | |`,
    '',
  );
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  reportResult(await measureDemoLoad());
}
