/**
 * `npm run bench`: builds (or reuses) the benchmark database, measures the typical queries on
 * the real server, in SDMX, in the people's JSON API and in GraphQL (response cache off, then
 * on; GraphQL by POST without the cache, by persisted GET with it) against the baseline, the
 * repeated query against a bare Fastify route and the mixed load at a fixed rate (cache on),
 * then one full export against the sqlite3 command line, then a 200 MB upload against
 * `sqlite3 .import`, then the demo load and disclosure control (bench/demo-load.ts,
 * bench/protection.ts), and prints the report (also written to bench/results/latest.md). A
 * missed target is reported, not fatal: the exit code is 0 unless something broke. Settings:
 * BENCH_DURATION, BENCH_WARMUP (seconds), BENCH_CONNECTIONS, BENCH_MIXED_RATE (requests/s of the
 * mixed load).
 *
 * `npm run bench -- protection` (or `npx tsx bench/run.ts protection`) runs only the demo load and
 * disclosure control (it still builds or reuses the benchmark database, which holds the largest
 * demo table). It replaces those two sections of bench/results/latest.md and keeps the rest of the
 * file, from the last full run, as it was.
 *
 * `npm run bench -- graphql` runs only the GraphQL rows of the typical queries (with their
 * baselines and count checks) and prints them; bench/results/latest.md is not written.
 * `npm run bench -- portal` likewise runs only the portal's pages against the JSON API (bench/portal.ts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PROJECT_ROOT } from '../src/project-root.js';
import { benchDatabase, digestOf, type BenchDatabase } from './bench-db.js';
import { demoLoadBench, renderDemoLoad } from './demo-load.js';
import { portalBench, renderPortal } from './portal.js';
import { protectionBench, renderProtection } from './protection.js';
import { cliExport, serverExport, sqliteCliAvailable, type ServerExport } from './export.js';
import { fetchBody, measureLoad, type LoadSettings } from './load.js';
import { SERVER_ENTRY, startBaseline, startServer, type Child } from './processes.js';
import { mixedLoad, type MixedLoadRow } from './mixed.js';
import { BASELINE_FORMAT, baselinePath, FORMATS, GRAPHQL_ENDPOINT, GRAPHQL_FORMAT, graphqlGetPath, graphqlPage, graphqlRegisterBody, JSON_API_FORMAT, QUERIES, type BenchQuery } from './queries.js';
import { repeatedQueries, REPEATED_CONNECTIONS, type RepeatedQuery, type RepeatedRow } from './repeated.js';
import { loadTable, renderCounts, renderReport, TARGETS, type BenchReport, type CountCheck, type LoadRow } from './report.js';
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
async function measureServer(server: Child, baseline: Child, mode: LoadRow['mode'], settings: LoadSettings, counts: CountCheck[], graphqlOnly: boolean): Promise<LoadRow[]> {
  const rows: LoadRow[] = [];
  for (const q of QUERIES) {
    const targets = graphqlOnly ? [] : FORMATS.map((f) => ({ format: f, path: q.sdmxPath }));
    if (!graphqlOnly) targets.push({ format: JSON_API_FORMAT, path: q.jsonPath });
    for (const { format: f, path: serverPath } of targets) {
      const url = `${server.baseUrl}${serverPath}`;
      const headers = { accept: f.accept };
      const observations = f.count(await fetchBody(url, headers));
      // A page of a whole dataflow is measured against the same number of the baseline's first rows.
      const page = f === JSON_API_FORMAT && q.filter.kind === 'all' ? observations : undefined;
      const baselineUrl = `${baseline.baseUrl}${baselinePath(q, { limit: page })}`;
      const baselineRows = (JSON.parse(await fetchBody(baselineUrl, {})) as unknown[]).length;
      if (mode === 'cold') counts.push({ query: page ? `${q.name}, first page` : q.name, format: f.name, server: observations, baseline: baselineRows });
      log(`${mode} ${q.name} ${f.name}: ${observations} observations (baseline ${baselineRows}); measuring...`);
      const baselineResult = await measureLoad(baselineUrl, {}, settings);
      rows.push({ query: page ? `${q.name}, first page` : q.name, format: f.name, mode, result: await measureLoad(url, headers, settings), baseline: baselineResult });
    }
    rows.push(await measureGraphql(server, baseline, q, mode, settings, counts));
  }
  return rows;
}

/**
 * GraphQL's row of a query. Without cache ('cold'): a POST of the query and its variables (the
 * server never caches a POST answer). With the cache: the persisted GET, the query named by its
 * hash, registered once before (a POST of the query with its hash, as a client does after its
 * first PersistedQueryNotFound), the variables in the URL. A query matching more series than a
 * page is measured on its first page, against the baseline's rows of the same first series.
 */
async function measureGraphql(server: Child, baseline: Child, q: BenchQuery, mode: LoadRow['mode'], settings: LoadSettings, counts: CountCheck[]): Promise<LoadRow> {
  const graphqlUrl = `${server.baseUrl}${GRAPHQL_ENDPOINT}`;
  const accept = { accept: GRAPHQL_FORMAT.accept };
  const postHeaders = { ...accept, 'content-type': 'application/json' };
  let url = graphqlUrl;
  let headers: Record<string, string> = postHeaders;
  let body: string | undefined = JSON.stringify(q.graphql);
  if (mode === 'cached') {
    graphqlPage(await fetchBody(graphqlUrl, postHeaders, graphqlRegisterBody(q.graphql)));
    url = `${server.baseUrl}${graphqlGetPath(q.graphql)}`;
    headers = accept;
    body = undefined;
  }
  const format = `${GRAPHQL_FORMAT.name} (${mode === 'cold' ? 'POST' : 'persisted GET'})`;
  const page = graphqlPage(await fetchBody(url, headers, body));
  const paged = page.totalCount > page.series;
  const baselineUrl = `${baseline.baseUrl}${baselinePath(q, paged ? { series: page.series } : {})}`;
  const baselineRows = (JSON.parse(await fetchBody(baselineUrl, {})) as unknown[]).length;
  const query = paged ? `${q.name}, first page (${page.series} of ${page.totalCount} series)` : q.name;
  counts.push({ query, format, server: page.observations.length, baseline: baselineRows });
  log(`${mode} ${q.name} ${format}: ${page.observations.length} observations in ${page.series} of ${page.totalCount} series (baseline ${baselineRows}); measuring...`);
  const baselineResult = await measureLoad(baselineUrl, {}, settings);
  const result = await measureLoad(url, headers, settings, undefined, body);
  return { query, format, mode, result, baseline: baselineResult, target: mode === 'cold' ? TARGETS.graphqlColdRatio : TARGETS.cachedRatio };
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

/** The typical queries under load, response cache off then on (only their GraphQL rows with `graphqlOnly`). */
async function typicalQueries(databasePath: string, settings: LoadSettings, graphqlOnly: boolean): Promise<{ load: LoadRow[]; counts: CountCheck[] }> {
  const baseline = await startBaseline(databasePath);
  const load: LoadRow[] = [];
  const counts: CountCheck[] = [];
  try {
    for (const mode of ['cold', 'cached'] as const) {
      const server = await startServer(databasePath, mode === 'cold' ? { RESPONSE_CACHE_MB: '0' } : {});
      try {
        load.push(...(await measureServer(server, baseline, mode, settings, counts, graphqlOnly)));
      } finally {
        await server.stop();
      }
    }
  } finally {
    await baseline.stop();
  }
  return { load, counts };
}

/** `graphql`: only the GraphQL rows of the typical queries, printed; latest.md is left as it is. */
async function graphqlOnly(settings: LoadSettings): Promise<void> {
  const db = await benchDatabase(log);
  const { load, counts } = await typicalQueries(db.path, settings, true);
  console.log([...renderCounts(counts), '', ...loadTable(load), ''].join('\n'));
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const only = process.argv[2];
  if (only === 'protection') return protectionOnly(startedAt);
  if (only !== undefined && only !== 'graphql' && only !== 'portal') throw new Error(`unknown section "${only}" (those that run alone are "protection", "graphql" and "portal")`);
  const settings: LoadSettings = {
    durationSeconds: setting('BENCH_DURATION', 8),
    warmupSeconds: setting('BENCH_WARMUP', 2),
    connections: setting('BENCH_CONNECTIONS', 4),
  };
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${path.relative(PROJECT_ROOT, SERVER_ENTRY)} is missing: start the benchmark with npm run bench, which builds it`);
  if (only === 'graphql') return graphqlOnly(settings);
  if (only === 'portal') {
    console.log(renderPortal(await portalBench((await benchDatabase(log)).path, settings, log)).join('\n'));
    return;
  }
  const mixedRate = setting('BENCH_MIXED_RATE', 200);
  const db = await benchDatabase(log);
  const database = describeDatabase(db);

  const { load, counts } = await typicalQueries(db.path, settings, false);
  let repeated: RepeatedRow[] = [];
  let mixed: MixedLoadRow | undefined;
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

  const portal = await portalBench(db.path, settings, log);

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
  const text = `${renderReport(report)}\n${renderPortal(portal).join('\n')}\n${disclosure}`;
  console.log(text);
  writeReport(text);
}

main().catch((err: unknown) => {
  console.error('[bench] failed:', err);
  process.exit(1);
});
