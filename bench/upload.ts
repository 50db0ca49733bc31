/**
 * The upload measurement: a SYNTHETIC SDMX-CSV file of about 200 MB for DF_CTS_OFFENCES (every
 * ISO area of CL_AREA × every CL_OFFENCE code × three sexes × years; values are made up and the
 * file is labelled so in its name) is POSTed to the real server as a producer, streamed, checked
 * against the DSD and stored as a draft release. Reported: time, MB/s, rows/s and the server's
 * peak RSS, next to `sqlite3 .import` of the same file into a bare table (no checks at all).
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, createWriteStream } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { PROJECT_ROOT } from '../src/project-root.js';
import { systemClock } from '../src/clock.js';
import { TokenService } from '../src/auth/token-service.js';
import { sqliteRepositories } from '../src/storage/sqlite/index.js';
import { MEDIA } from '../src/sdmx/media-types.js';
import { sampleRss, startServer, procStatusKb } from './processes.js';

export const UPLOAD_DATAFLOW = 'UNODC:DF_CTS_OFFENCES(1.0)';
const YEARS = Array.from({ length: 14 }, (_, i) => String(2009 + i));
const SEXES = ['_T', 'F', 'M'];

export interface UploadBench {
  readonly file: string;
  readonly bytes: number;
  readonly rows: number;
  readonly server: { readonly seconds: number; readonly status: number; readonly observations: number; readonly idleRssKb: number; readonly peakRssKb: number };
  readonly cli?: { readonly seconds: number; readonly rows: number };
  readonly cliSkipped?: string;
}

const codesOf = (file: string, pattern: RegExp) => [...readFileSync(path.join(PROJECT_ROOT, 'sdmx/codelists', file), 'utf8').matchAll(pattern)].map((m) => m[1]!);

/** Writes the synthetic file once (reused while it exists); returns its path and row count. */
async function syntheticFile(dir: string): Promise<{ file: string; rows: number }> {
  const areas = codesOf('UNODC-CL_AREA-1.0.xml', /<structure:Code id="([A-Z]{3})"/g);
  const offences = codesOf('UNODC-CL_OFFENCE-1.0.xml', /<structure:Code id="([^"]+)"/g);
  const rows = areas.length * offences.length * SEXES.length * YEARS.length;
  const file = path.join(dir, `SYNTHETIC-upload-${rows}-rows.csv`);
  if (existsSync(file)) return { file, rows };
  const out = createWriteStream(`${file}.part`);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('DATAFLOW,FREQ,REF_AREA,INDICATOR,OFFENCE,SEX,AGE,DISAGGREGATION,UNIT_MEASURE,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n');
  let n = 0;
  for (const area of areas) {
    for (const offence of offences) {
      for (const sex of SEXES) {
        let chunk = '';
        for (const year of YEARS) chunk += `${UPLOAD_DATAFLOW},A,${area},OFF,${offence},${sex},_T,_T,NR,${year},${(n++ * 7919) % 100_000},A\n`;
        await write(chunk);
      }
    }
  }
  out.end();
  await once(out, 'finish');
  const { renameSync } = await import('node:fs');
  renameSync(`${file}.part`, file);
  return { file, rows };
}

function post(url: string, token: string, file: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': MEDIA.dataCsv10 } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}

function sqliteImport(file: string, dir: string): Promise<{ seconds: number; rows: number }> {
  const db = path.join(dir, 'import.sqlite');
  rmSync(db, { force: true });
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('sqlite3', [db, '.mode csv', `.import ${file} staged`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`sqlite3 .import exited with ${code}: ${stderr}`));
      const count = spawn('sqlite3', [db, 'SELECT count(*) FROM staged']);
      let out = '';
      count.stdout.on('data', (c: Buffer) => (out += c.toString()));
      count.on('close', () => resolve({ seconds, rows: Number(out.trim()) }));
    });
  });
}

export async function uploadBench(workDir: string, cliAvailable: boolean, log: (line: string) => void): Promise<UploadBench> {
  const { file, rows } = await syntheticFile(workDir);
  const bytes = statSync(file).size;
  log(`upload: ${(bytes / 1e6).toFixed(0)} MB synthetic SDMX-CSV, ${rows} rows`);
  const dbDir = mkdtempSync(path.join(os.tmpdir(), 'iccs-upload-bench-'));
  const databasePath = path.join(dbDir, 'upload.sqlite');
  try {
    const server = await startServer(databasePath, { UPLOAD_TMP_DIR: dbDir });
    let result: UploadBench['server'];
    try {
      // The server has created and migrated the database; a producer token is issued beside it.
      const repositories = sqliteRepositories(databasePath, path.join(PROJECT_ROOT, 'migrations'));
      const token = new TokenService(repositories.tokens, systemClock).create({ name: 'bench', role: 'producer', dataflows: [UPLOAD_DATAFLOW], createdBy: 'bench' }).token;
      repositories.close();
      const idleRssKb = procStatusKb(server.pid, 'VmRSS') ?? 0;
      const sampler = sampleRss(server.pid);
      const started = process.hrtime.bigint();
      const res = await post(`${server.baseUrl}/api/v1/uploads?dataflow=${encodeURIComponent(UPLOAD_DATAFLOW)}`, token, file);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const peakRssKb = sampler.stop();
      if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${res.body.slice(0, 500)}`);
      result = { seconds, status: res.status, observations: (JSON.parse(res.body) as { observations: number }).observations, idleRssKb, peakRssKb };
    } finally {
      await server.stop();
    }
    log(`upload: ${result.seconds.toFixed(1)} s, peak RSS ${(result.peakRssKb / 1024).toFixed(0)} MB`);
    if (!cliAvailable) return { file: path.basename(file), bytes, rows, server: result, cliSkipped: 'sqlite3 command line not installed' };
    const cli = await sqliteImport(file, dbDir);
    log(`upload: sqlite3 .import ${cli.seconds.toFixed(1)} s`);
    return { file: path.basename(file), bytes, rows, server: result, cli };
  } finally {
    rmSync(dbDir, { recursive: true, force: true });
  }
}

/** The report section (markdown lines). */
export function renderUploadBench(u: UploadBench): string[] {
  const mb = u.bytes / 1e6;
  const lines = [
    '## Upload (SDMX-CSV, streamed, checked against the DSD, stored as a draft release)',
    '',
    `File: \`${u.file}\`: ${mb.toFixed(0)} MB, ${u.rows} rows, SYNTHETIC (every ISO area × CL_OFFENCE code × 3 sexes × ${YEARS.length} years, values made up).`,
    '',
    '| | Time s | MB/s | rows/s | Peak RSS MB (idle) |',
    '|---|--:|--:|--:|--:|',
    `| Server: POST /api/v1/uploads (201, ${u.server.observations} observations stored) | ${u.server.seconds.toFixed(1)} | ${(mb / u.server.seconds).toFixed(1)} | ${Math.round(u.rows / u.server.seconds)} | ${(u.server.peakRssKb / 1024).toFixed(0)} (${(u.server.idleRssKb / 1024).toFixed(0)}) |`,
  ];
  if (u.cli) {
    lines.push(`| sqlite3 \`.import\` into a bare table (no checks, ${u.cli.rows} rows) | ${u.cli.seconds.toFixed(1)} | ${(mb / u.cli.seconds).toFixed(1)} | ${Math.round(u.cli.rows / u.cli.seconds)} | |`);
    lines.push('', `Ratio server / sqlite3 .import: ${(u.server.seconds / u.cli.seconds).toFixed(2)}×.`);
  } else {
    lines.push('', `sqlite3 .import not measured: ${u.cliSkipped}.`);
  }
  return lines;
}
