/**
 * The benchmark report as markdown: the machine, the database, the count checks, the load
 * table with each figure's ratio to the baseline and its PASS/MISS, and the full export. The
 * same text is printed and written to bench/results/latest.md.
 */
import os from 'node:os';
import type { CliExport, ServerExport } from './export.js';
import type { LoadResult } from './load.js';
import { renderMixedLoad, type MixedLoadRow } from './mixed.js';
import { renderRepeated, type RepeatedRow } from './repeated.js';
import { renderUploadBench, type UploadBench } from './upload.js';
import { GRAPHQL_FIRST } from './queries.js';

export interface LoadRow {
  readonly query: string;
  readonly format: string;
  readonly mode: 'cold' | 'cached';
  readonly result: LoadResult;
  readonly baseline: LoadResult;
  /** The ratio to the baseline aimed at, when not the mode's (TARGETS.coldRatio, TARGETS.cachedRatio). */
  readonly target?: number;
}

export interface CountCheck {
  readonly query: string;
  readonly format: string;
  readonly server: number;
  readonly baseline: number;
}

export interface BenchReport {
  readonly startedAt: Date;
  readonly settings: string;
  readonly database: readonly string[];
  readonly counts: readonly CountCheck[];
  readonly load: readonly LoadRow[];
  readonly repeated: readonly RepeatedRow[];
  readonly mixed?: { readonly row: MixedLoadRow; readonly rate: number };
  readonly export: { readonly dataflow: string; readonly server: ServerExport; readonly cli?: CliExport; readonly cliSkipped?: string };
  readonly upload?: UploadBench;
  readonly totalSeconds: number;
}

/**
 * Targets (docs/performance.md): cold ≥ 0.8× baseline, cached > 1×, export ≤ 2× sqlite3 and
 * < 150 MB; GraphQL without cache (POST) ≥ 0.7×, its persisted GET with the cache > 1×.
 */
export const TARGETS = { coldRatio: 0.8, cachedRatio: 1, graphqlColdRatio: 0.7, exportRatio: 2, exportRssMb: 150 } as const;

const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const fixed = (n: number, digits = 1) => n.toFixed(digits);
const mb = (kb: number) => kb / 1024;

function machine(startedAt: Date): string {
  const cpus = os.cpus();
  return `${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}) · ${fixed(os.totalmem() / 2 ** 30)} GiB RAM · Node ${process.version} · ${os.platform()} ${os.release()}`;
}

export function loadTable(rows: readonly LoadRow[]): string[] {
  const lines = [
    '| Query | Format | Server | req/s | p50 ms | p99 ms | Baseline req/s | Baseline p50 / p99 ms | Ratio | Target | |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const r of rows) {
    const ratio = r.result.requestsPerSecond / r.baseline.requestsPerSecond;
    const target = r.target ?? (r.mode === 'cold' ? TARGETS.coldRatio : TARGETS.cachedRatio);
    const ok = r.mode === 'cold' ? ratio >= target : ratio > target;
    const failed = r.result.failures + r.baseline.failures > 0 ? ' (errors!)' : '';
    lines.push(
      `| ${r.query} | ${r.format} | ${r.mode === 'cold' ? 'no cache' : 'cache on'} | ${fixed(r.result.requestsPerSecond)} | ${r.result.p50Ms} | ${r.result.p99Ms} | ` +
        `${fixed(r.baseline.requestsPerSecond)} | ${r.baseline.p50Ms} / ${r.baseline.p99Ms} | ${fixed(ratio, 2)}× | ${r.mode === 'cold' ? '≥' : '>'} ${target}× | ${mark(ok)}${failed} |`,
    );
  }
  return lines;
}

function exportSection(e: BenchReport['export']): string[] {
  const s = e.server;
  const lines = [
    `| | Wall time s | Observations | obs/s | MB | MB/s | Peak RSS MB |`,
    '|---|--:|--:|--:|--:|--:|--:|',
    `| Server, SDMX-CSV 1.0 | ${fixed(s.seconds, 2)} | ${s.observations} | ${fixed(s.observations / s.seconds, 0)} | ${fixed(s.bytes / 1e6)} | ${fixed(s.bytes / 1e6 / s.seconds)} | ${fixed(mb(s.peakRssKb))} (before: ${fixed(mb(s.rssBeforeKb))}, VmHWM: ${fixed(mb(s.hwmKb))}) |`,
  ];
  if (e.cli) lines.push(`| \`sqlite3 -csv\` | ${fixed(e.cli.seconds, 2)} | ${e.cli.rows} | ${fixed(e.cli.rows / e.cli.seconds, 0)} | – | – | ${fixed(mb(e.cli.peakRssKb))} |`);
  lines.push('');
  if (e.cli) {
    const ratio = s.seconds / e.cli.seconds;
    lines.push(`- Time vs sqlite3 -csv: ${fixed(ratio, 2)}× (target ≤ ${TARGETS.exportRatio}×): **${mark(ratio <= TARGETS.exportRatio)}**`);
    lines.push(`- Same rows: server ${s.observations}, sqlite3 ${e.cli.rows}: ${s.observations === e.cli.rows ? 'match' : '**MISMATCH**'}`);
  } else {
    lines.push(`- SKIPPED the sqlite3 comparison: ${e.cliSkipped ?? 'not run'}`);
  }
  lines.push(`- Server peak RSS during the export: ${fixed(mb(s.peakRssKb))} MB (target < ${TARGETS.exportRssMb} MB): **${mark(mb(s.peakRssKb) < TARGETS.exportRssMb)}**`);
  lines.push(`- Of which the export added ${fixed(mb(s.peakRssKb - s.rssBeforeKb))} MB to the idle server's ${fixed(mb(s.rssBeforeKb))} MB (measured after start-up, before the request)`);
  return lines;
}

export function renderCounts(counts: readonly CountCheck[]): string[] {
  return [
    '| Query | Format | Server observations | Baseline rows | |',
    '|---|---|--:|--:|---|',
    ...counts.map((c) => `| ${c.query} | ${c.format} | ${c.server} | ${c.baseline} | ${c.server === c.baseline ? 'match' : '**MISMATCH**'} |`),
  ];
}

export function renderReport(r: BenchReport): string {
  return [
    '# Data-query benchmark',
    '',
    `Run: ${machine(r.startedAt)}`,
    '',
    `Settings: ${r.settings}`,
    '',
    '## Database',
    '',
    ...r.database.map((line) => `- ${line}`),
    '',
    '## Same rows as the baseline (checked once per query, outside the timed runs)',
    '',
    ...renderCounts(r.counts),
    '',
    '## Typical queries under load',
    '',
    ...loadTable(r.load),
    '',
    "The people's JSON API answers rows (count, rate and percentage of a series key and period side by side); its whole-dataflow row is the first page (1000 rows), against the baseline's first rows holding as many observations.",
    '',
    `GraphQL asks the series connection for each series' key and its observations' period and value (${GRAPHQL_FIRST} series per page at most). Without cache it is a POST of the query and variables (POST answers are never cached); with the cache, a persisted GET (the query by its SHA-256, registered once by a POST, and the variables in the URL). A query matching more series than a page is measured on its first page, against the baseline's rows of the same first series in key order (same keys, periods and values: bench/bench.test.ts).`,
    '',
    ...(r.repeated.length ? [...renderRepeated(r.repeated), ''] : []),
    ...(r.mixed ? [...renderMixedLoad(r.mixed.row, r.mixed.rate), ''] : []),
    `## Full export of ${r.export.dataflow} (SDMX-CSV, one GET, fresh server process)`,
    '',
    ...exportSection(r.export),
    '',
    ...(r.upload ? [...renderUploadBench(r.upload), ''] : []),
    `Total benchmark time: ${fixed(r.totalSeconds, 0)} s.`,
    '',
  ].join('\n');
}
