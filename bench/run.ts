/**
 * `npm run bench`: builds (or reuses) the benchmark database, measures the typical queries on
 * the real server, in SDMX and in the people's JSON API (response cache off, then on) against
 * the baseline, the repeated query against a bare Fastify route and the mixed load at a fixed
 * rate (cache on), then one full export
 * against the sqlite3 command line, then a 200 MB upload against `sqlite3 .import`, then the
 * demo load and disclosure control (bench/demo-load.ts, bench/protection.ts), and prints the
 * report (also written to bench/results/latest.md). A missed target is reported, not fatal: the
 * exit code is 0 unless something broke. Settings: BENCH_DURATION, BENCH_WARMUP (seconds),
 * BENCH_CONNECTIONS, BENCH_MIXED_RATE (requests/s of the mixed load).
 *
 * `npm run bench -- protection` (or `npx tsx bench/run.ts protection`) runs only the demo load and
 * disclosure control (it still builds or reuses the benchmark database, which holds the largest
 * demo table). It replaces those two sections of bench/results/latest.md and keeps the rest of the
 * file, from the last full run, as it was.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PROJECT_ROOT } from '../src/project-root.js';
import { benchDatabase, digestOf, type BenchDatabase } from './bench-db.js';
import { demoLoadBench, renderDemoLoad } from './demo-load.js';
import { protectionBench, renderProtection } from './protection.js';
import { cliExport, serverExport, sqliteCliAvailable, type ServerExport } from './export.js';
import { fetchBody, measureLoad, type LoadSettings } from './load.js';
import { SERVER_ENTRY, startBaseline, startServer, type Child } from './processes.js';
import { mixedLoad, type MixedLoadRow } from './mixed.js';
import { BASELINE_FORMAT, baselinePath, FORMATS, JSON_API_FORMAT, QUERIES } from './queries.js';
import { repeatedQueries, REPEATED_CONNECTIONS, type RepeatedQuery, type RepeatedRow } from './repeated.js';
import { renderReport, type BenchReport, type CountCheck, type LoadRow } from './report.js';
import { uploadBench } from './upload.js';
import { SYNTHETIC_DATAFLOW, SYNTHETIC_RELEASE, SYNTHETIC_YEARS } from './synthetic.js';

const log = (line: string) => console.error(`[bench] ${line}`);

function setting(name: string, fallback: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
}

function describeDatabase(db: BenchDatabase): string[] {
  const sqlite = new Database(db.path, { readonly: true, fileMustExist: true });
  try {
    const count = (sql: string, ...params: unknown[]) => (sqlite.prepare(sql).get(...params) as { n: number }).n;
    const total = count('SELECT count(*) AS n FROM observations');
    const synthetic = count('SELECT count(*) AS n FROM observations o JOIN releases r ON r.pk = o.release_pk WHERE r.code = ?', SYNTHETIC_RELEASE.code);
    const flowRows = count('SELECT count(*) AS n FROM observations o JOIN series s ON s.pk = o.series_pk WHERE s.dataflow = ?', SYNTHETIC_DATAFLOW);
    return [
      `${total} observation rows: ${total - synthetic} real (the demo releases) + ${synthetic} SYNTHETIC (release ${SYNTHETIC_RELEASE.code}, see bench/synthetic.ts)`,
      `${SYNTHETIC_DATAFLOW}: ${flowRows} rows (real series + synthetic series for every CL_AREA code × SEX _T/F/M × the real offence/unit templates, years ${SYNTHETIC_YEARS.first}–${SYNTHETIC_YEARS.last})`,
      db.build
        ? `Built this run in ${db.build.seconds.toFixed(1)} s (demo load + synthetic write through repositories.releases)`
        : 'Reused from an earlier run (inputs unchanged); delete bench/.tmp/ to time a build',
    ];
  } finally {
    sqlite.close();
  }
}

/**
 * Each row's baseline is measured right before it, so both see the same machine: on a shared
 * VM the speed drifts between minutes, and a baseline from earlier would skew the ratio.
 */
async function measureServer(server: Child, baseline: Child, mode: LoadRow['mode'], settings: LoadSettings, counts: CountCheck[]): Promise<LoadRow[]> {
  const rows: LoadRow[] = [];
  for (const q of QUERIES) {
    const targets = FORMATS.map((f) => ({ format: f, path: q.sdmxPath }));
    targets.push({ format: JSON_API_FORMAT, path: q.jsonPath });
    for (const { format: f, path: serverPath } of targets) {
      const url = `${server.baseUrl}${serverPath}`;
      const headers = { accept: f.accept };
      const observations = f.count(await fetchBody(url, headers));
      // A page of a whole dataflow is measured against the same number of the baseline's first rows.
      const page = f === JSON_API_FORMAT && q.filter.kind === 'all' ? observations : undefined;
      const baselineUrl = `${baseline.baseUrl}${baselinePath(q, page)}`;
      const baselineRows = (JSON.parse(await fetchBody(baselineUrl, {})) as unknown[]).length;
      if (mode === 'cold') counts.push({ query: page ? `${q.name}, first page` : q.name, format: f.name, server: observations, baseline: baselineRows });
      log(`${mode} ${q.name} ${f.name}: ${observations} observations (baseline ${baselineRows}); measuring...`);
      const baselineResult = await measureLoad(baselineUrl, {}, settings);
      rows.push({ query: page ? `${q.name}, first page` : q.name, format: f.name, mode, result: await measureLoad(url, headers, settings), baseline: baselineResult });
    }
  }
  return rows;
}

/** The repeated-query row's URLs: answers of 10–20 KB, where what surrounds the body counts most. */
const THREE_COUNTRIES = '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.MEX+GTM+SLV.VIC_HOM.0101._T._T._T.';
const REPEATED: readonly RepeatedQuery[] = [
  { name: 'homicide, Mexico + Guatemala + El Salvador, SDMX-CSV 1.0', path: THREE_COUNTRIES, accept: FORMATS[1]!.accept },
  { name: 'homicide, Mexico + Guatemala + El Salvador, SDMX-JSON 1.0', path: THREE_COUNTRIES, accept: FORMATS[0]!.accept },
  { name: `homicide, Mexico, ${JSON_API_FORMAT.name}`, path: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?REF_AREA=MEX&OFFENCE=0101&SEX=_T&AGE=_T', accept: JSON_API_FORMAT.accept },
];

/** The export runs on its own server process, so its memory figures are the export's alone. */
async function exportOnFreshServer(databasePath: string): Promise<ServerExport> {
  const exporter = await startServer(databasePath);
  const [agency, rest] = SYNTHETIC_DATAFLOW.split(':') as [string, string];
  const flowPath = `/sdmx/2.1/data/${agency},${rest.replace('(', ',').replace(')', '')}/all`;
  try {
    return await serverExport(exporter, flowPath, FORMATS.find((f) => f.name.startsWith('SDMX-CSV'))!.accept);
  } finally {
    await exporter.stop();
  }
}

/** Seconds after which the demo load's process is killed and reported as not finished. */
const DEMO_LOAD_LIMIT_SECONDS = 600;
/** The sections a protection-only run writes; the first of them starts the part of latest.md it replaces. */
const PROTECTION_SECTIONS = ['\n## Demo load', '\n## Disclosure control'];

/** The demo load and disclosure control, as report sections. */
async function disclosureSections(databasePath: string, startedAt: Date): Promise<string> {
  const demoLoad = await demoLoadBench(DEMO_LOAD_LIMIT_SECONDS, log);
  const protection = await protectionBench(databasePath, log);
  return `${renderDemoLoad(demoLoad).join('\n')}\n${renderProtection(protection, startedAt)}`;
}

function writeReport(text: string): void {
  const out = path.join(PROJECT_ROOT, 'bench/results/latest.md');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, text);
  log(`report written to ${path.relative(PROJECT_ROOT, out)}`);
}

/** `protection`: only the demo load and disclosure control, replacing their sections of latest.md. */
async function protectionOnly(startedAt: Date): Promise<void> {
  const db = await benchDatabase(log);
  const sections = await disclosureSections(db.path, startedAt);
  const out = path.join(PROJECT_ROOT, 'bench/results/latest.md');
  const previous = existsSync(out) ? readFileSync(out, 'utf8') : '';
  const cut = Math.min(...PROTECTION_SECTIONS.map((s) => previous.indexOf(s)).filter((i) => i >= 0), previous.length);
  const kept = previous.slice(0, cut).trimEnd();
  console.log(sections);
  writeReport(kept ? `${kept}\n\n${sections}` : sections);
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const only = process.argv[2];
  if (only === 'protection') return protectionOnly(startedAt);
  if (only !== undefined) throw new Error(`unknown section "${only}" (the only one that runs alone is "protection")`);
  const settings: LoadSettings = {
    durationSeconds: setting('BENCH_DURATION', 8),
    warmupSeconds: setting('BENCH_WARMUP', 2),
    connections: setting('BENCH_CONNECTIONS', 4),
  };
  const mixedRate = setting('BENCH_MIXED_RATE', 200);
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${path.relative(PROJECT_ROOT, SERVER_ENTRY)} is missing: start the benchmark with npm run bench, which builds it`);
  const db = await benchDatabase(log);
  const database = describeDatabase(db);

  const baseline = await startBaseline(db.path);
  const load: LoadRow[] = [];
  const counts: CountCheck[] = [];
  let repeated: RepeatedRow[] = [];
  let mixed: MixedLoadRow | undefined;
  try {
    for (const mode of ['cold', 'cached'] as const) {
      const server = await startServer(db.path, mode === 'cold' ? { RESPONSE_CACHE_MB: '0' } : {});
      try {
        load.push(...(await measureServer(server, baseline, mode, settings, counts)));
      } finally {
        await server.stop();
      }
    }
  } finally {
    await baseline.stop();
  }
  // The repeated query and the mixed load on the server as deployed: default configuration,
  // access log at the default level (info) included.
  const deployed = await startServer(db.path, { LOG_LEVEL: 'info' });
  try {
    log('repeated query against a bare Fastify route...');
    repeated = await repeatedQueries(deployed, REPEATED, { ...settings, connections: REPEATED_CONNECTIONS }, path.join(PROJECT_ROOT, 'bench/.tmp'));
    log(`mixed load at ${mixedRate} requests/s...`);
    mixed = await mixedLoad(deployed.baseUrl, mixedRate, settings);
  } finally {
    await deployed.stop();
  }

  log(`full export of ${SYNTHETIC_DATAFLOW} on a fresh server...`);
  const serverResult = await exportOnFreshServer(db.path);
  const cliSkipped = sqliteCliAvailable() ? undefined : 'the sqlite3 command line is not installed (apt-get install sqlite3)';
  if (cliSkipped) log(`SKIP sqlite3 -csv comparison: ${cliSkipped}`);
  else log('sqlite3 -csv export...');
  const cli = cliSkipped ? undefined : await cliExport(db.path, SYNTHETIC_DATAFLOW, new Date().toISOString());

  log('upload of a 200 MB SDMX-CSV file...');
  const upload = await uploadBench(path.join(PROJECT_ROOT, 'bench/.tmp'), !cliSkipped, log);

  const disclosure = await disclosureSections(db.path, startedAt);

  const report: BenchReport = {
    startedAt,
    settings: `server build ${digestOf([path.relative(PROJECT_ROOT, path.dirname(SERVER_ENTRY))])} (digest of the compiled src/ measured); ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s measured per row, the baseline measured the same way right before each row; baseline = ${BASELINE_FORMAT}`,
    database,
    counts,
    load,
    repeated,
    mixed: mixed ? { row: mixed, rate: mixedRate } : undefined,
    export: { dataflow: SYNTHETIC_DATAFLOW, server: serverResult, cli, cliSkipped },
    upload,
    totalSeconds: (Date.now() - startedAt.getTime()) / 1000,
  };
  const text = `${renderReport(report)}\n${disclosure}`;
  console.log(text);
  writeReport(text);
}

main().catch((err: unknown) => {
  console.error('[bench] failed:', err);
  process.exit(1);
});
