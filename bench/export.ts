/**
 * The full-export measurement: one GET of a whole dataflow in SDMX-CSV, read and thrown away,
 * timed, with the server's resident memory sampled meanwhile; and the same rows written by the
 * sqlite3 command line (`sqlite3 -csv <db> "<SELECT>" > /dev/null`), timed the same way.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import http from 'node:http';
import Database from 'better-sqlite3';
import { exportSelect } from './baseline-sql.js';
import { procStatusKb, sampleRss, type Child } from './processes.js';

export interface ServerExport {
  readonly seconds: number;
  readonly bytes: number;
  readonly observations: number;
  readonly rssBeforeKb: number;
  /** Highest VmRSS sampled every 50 ms during the export. */
  readonly peakRssKb: number;
  /** The kernel's high-water mark for the whole process life (start-up included). */
  readonly hwmKb: number;
}

export interface CliExport {
  readonly seconds: number;
  readonly rows: number;
  readonly peakRssKb: number;
}

/** GETs `path` with no compression, counting bytes and lines as they stream by. */
function streamToNowhere(url: string, accept: string): Promise<{ bytes: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept, 'accept-encoding': 'identity' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url} answered ${res.statusCode}`));
        return;
      }
      let bytes = 0;
      let lines = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines += 1;
      });
      res.on('end', () => resolve({ bytes, lines }));
      res.on('error', reject);
    });
    req.setTimeout(600_000, () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

export async function serverExport(server: Child, path: string, accept: string): Promise<ServerExport> {
  const rssBeforeKb = procStatusKb(server.pid, 'VmRSS') ?? 0;
  const sampler = sampleRss(server.pid);
  const started = performance.now();
  const { bytes, lines } = await streamToNowhere(`${server.baseUrl}${path}`, accept);
  const seconds = (performance.now() - started) / 1000;
  const peakRssKb = sampler.stop();
  // SDMX-CSV 1.0: a header line, then one line per observation, each ending in a line break.
  return { seconds, bytes, observations: lines - 1, rssBeforeKb, peakRssKb, hwmKb: procStatusKb(server.pid, 'VmHWM') ?? 0 };
}

export function sqliteCliAvailable(): boolean {
  return spawnSync('sqlite3', ['-version'], { stdio: 'ignore' }).status === 0;
}

/** Times `sqlite3 -csv` writing the dataflow's rows to /dev/null; counts the rows separately. */
export async function cliExport(databasePath: string, dataflow: string, now: string): Promise<CliExport> {
  const sql = exportSelect(dataflow, now);
  const devNull = openSync('/dev/null', 'w');
  try {
    const started = performance.now();
    const child = spawn('sqlite3', ['-csv', databasePath, sql], { stdio: ['ignore', devNull, 'pipe'] });
    const sampler = sampleRss(child.pid!);
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c) => resolve(c));
    });
    const seconds = (performance.now() - started) / 1000;
    const peakRssKb = sampler.stop();
    if (code !== 0) throw new Error(`sqlite3 -csv exited with ${code}: ${stderr}`);
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      const rows = (db.prepare(`SELECT count(*) AS n FROM (${sql})`).get() as { n: number }).n;
      return { seconds, rows, peakRssKb };
    } finally {
      db.close();
    }
  } finally {
    closeSync(devNull);
  }
}
