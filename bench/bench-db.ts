/**
 * The benchmark database: the real demo data plus the synthetic scale-up, built under
 * bench/.tmp/ (git-ignored, never the user's data/). Rebuilt only when its inputs change (the
 * demo files, the loader and storage code, the migrations, this generator): their digest names
 * the file, so an existing file is the right one. Built under a temporary name and renamed when
 * complete, so an interrupted build is never reused.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/project-root.js';
import { loadDemoData } from '../src/demo/load-demo.js';
import { readStructureFiles } from '../src/services/structure-files.js';
import { standaloneProtector } from '../src/services/protection/protection-service.js';
import { sqliteRepositories } from '../src/storage/sqlite/index.js';
import { SYNTHETIC_DATAFLOW, SYNTHETIC_RELEASE, syntheticSeries } from './synthetic.js';

/** The load instant, fixed so that every build of the same inputs holds the same rows. */
const BUILD_NOW = '2025-01-01T00:00:00.000Z';
const MIN_FLOW_OBSERVATIONS = 1_000_000;

const INPUTS = ['data/demo', 'src/demo', 'src/disclosure', 'src/services/protection', 'src/cli/structures', 'src/storage', 'migrations', 'sdmx/codelists', 'sdmx/hierarchicalcodelists', 'bench/synthetic.ts', 'bench/bench-db.ts'];

export interface BenchDatabase {
  readonly path: string;
  /** Set when this run built the file (a reused file has no build to report). */
  readonly build?: { readonly seconds: number; readonly realObservations: number; readonly syntheticObservations: number };
}

function filesUnder(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => filesUnder(path.join(p, e.name)));
}

/** SHA-256 (16 hex digits) of the files under `inputs` (paths relative to the project root). */
export function digestOf(inputs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const input of inputs) {
    for (const file of filesUnder(path.join(PROJECT_ROOT, input))) {
      hash.update(path.relative(PROJECT_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

function areaCodes(): string[] {
  const cl = readStructureFiles(path.join(PROJECT_ROOT, 'sdmx')).find((a) => a.artefact.class === 'Codelist' && a.artefact.id === 'CL_AREA');
  if (!cl || cl.artefact.class !== 'Codelist') throw new Error('sdmx/ holds no codelist CL_AREA');
  return cl.artefact.items.map((item) => item.id);
}

async function build(file: string): Promise<NonNullable<BenchDatabase['build']>> {
  const started = performance.now();
  const repositories = sqliteRepositories(file, path.join(PROJECT_ROOT, 'migrations'));
  try {
    const demo = await loadDemoData({
      repositories,
      demoDir: path.join(PROJECT_ROOT, 'data/demo'),
      now: BUILD_NOW,
      protect: standaloneProtector(repositories, path.join(PROJECT_ROOT, 'sdmx'), BUILD_NOW),
    });
    const realObservations = demo.releases.reduce((n, r) => n + r.observations, 0);
    const real = repositories.data.seriesOf(SYNTHETIC_DATAFLOW);
    const draft = repositories.releases.createDraft({ ...SYNTHETIC_RELEASE, dataflows: [SYNTHETIC_DATAFLOW] }, BUILD_NOW);
    const written = repositories.releases.addData(draft.pk, syntheticSeries(real, areaCodes()));
    repositories.releases.schedule(draft.pk, SYNTHETIC_RELEASE.announcedAt);
    repositories.releases.markPublished(draft.pk, SYNTHETIC_RELEASE.announcedAt);
    const releasePks = repositories.releases.list().map((r) => r.pk);
    const flowRows = [...repositories.data.rowCounts(SYNTHETIC_DATAFLOW, releasePks).values()].reduce((a, b) => a + b, 0);
    if (flowRows < MIN_FLOW_OBSERVATIONS) throw new Error(`${SYNTHETIC_DATAFLOW} holds ${flowRows} rows, fewer than ${MIN_FLOW_OBSERVATIONS}`);
    return { seconds: (performance.now() - started) / 1000, realObservations, syntheticObservations: written.observations };
  } finally {
    repositories.close();
  }
}

export async function benchDatabase(log: (line: string) => void): Promise<BenchDatabase> {
  const dir = path.join(PROJECT_ROOT, 'bench/.tmp');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${digestOf(INPUTS)}.sqlite`);
  if (existsSync(file)) {
    log(`Reusing the benchmark database ${path.relative(PROJECT_ROOT, file)} (inputs unchanged)`);
    return { path: file };
  }
  for (const old of readdirSync(dir)) if (old.startsWith('bench-')) rmSync(path.join(dir, old), { force: true });
  log('Building the benchmark database (demo data + synthetic scale-up)...');
  const partial = path.join(dir, 'building.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  const report = await build(partial);
  renameSync(partial, file);
  log(`Built in ${report.seconds.toFixed(1)} s: ${report.realObservations} real + ${report.syntheticObservations} synthetic observations`);
  return { path: file, build: report };
}
