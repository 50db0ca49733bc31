/**
 * Child processes of the benchmark: the real server (built JS) and the baseline, each on a free
 * loopback port, ready once GET /health answers 200; and a sampler of a process's resident
 * memory from /proc. Every child is killed when the benchmark exits, whatever happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/project-root.js';

export interface Child {
  readonly name: string;
  readonly baseUrl: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const OUTPUT_LIMIT = 16 * 1024;
const START_TIMEOUT_MS = 60_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/**
 * Standard output goes to a file (bench/.tmp/logs/), as a deployed server's log would: a pipe
 * read by this process, busy generating load, fills, and Node's writes to a full pipe block the
 * child's event loop (they are synchronous on Linux), which the figures would then show as
 * latency. Standard error is collected, with the file's tail, for a start that fails.
 */
async function startChild(name: string, args: readonly string[], env: Record<string, string>): Promise<Child> {
  const port = await freePort();
  const logDir = path.join(PROJECT_ROOT, 'bench/.tmp/logs');
  mkdirSync(logDir, { recursive: true });
  // One file per kind of child, overwritten by the next one of its kind (they run one at a time).
  const logFile = path.join(logDir, `${name.split(' ')[0]}.log`);
  const logFd = openSync(logFile, 'w');
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', logFd, 'pipe'],
  });
  closeSync(logFd);
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString('utf8')).slice(-OUTPUT_LIMIT)));
  const output = () => `${readFileSync(logFile, 'utf8').slice(-OUTPUT_LIMIT)}${errors}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (running()) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', killOnExit);
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!running()) throw new Error(`${name} exited before answering /health:\n${output()}`);
    const ok = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) })
      .then(async (res) => (await res.arrayBuffer(), res.status === 200))
      .catch(() => false);
    if (ok) return { name, baseUrl, pid: child.pid!, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${name} did not answer /health within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

/**
 * The production build of the server, compiled by `npm run bench` into bench/.tmp/dist rather
 * than dist/: a build someone else starts meanwhile cannot swap the code under a running bench.
 */
export const SERVER_ENTRY = path.join(PROJECT_ROOT, 'bench/.tmp/dist/src/server.js');

/** The production server (`node <build>/src/server.js`) on the benchmark database. */
export function startServer(databasePath: string, env: Record<string, string> = {}): Promise<Child> {
  // Request logging off, as in the baseline: both are measured without log I/O.
  const base = { DATABASE_URL: databasePath, DEMO_DATA: 'off', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0' };
  return startChild(`server ${JSON.stringify(env)}`, [SERVER_ENTRY], { ...base, ...env });
}

export function startBaseline(databasePath: string): Promise<Child> {
  return startChild('baseline', ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench/baseline-server.ts')], { BENCH_DB: databasePath });
}

/** The bare Fastify route of the repeated-query row, answering the recorded answers in `answersFile`. */
export function startBare(answersFile: string): Promise<Child> {
  return startChild('bare', ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench/bare-server.ts')], { BARE_ANSWERS: answersFile });
}

/** A field of /proc/<pid>/status in kB (e.g. VmRSS, VmHWM), or undefined once the process is gone. */
export function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time a process has used so far (user + system), in ms; undefined once it is gone. */
export function cpuTimeMs(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
/** USER_HZ: 100 on Linux for every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Samples VmRSS every `everyMs` until stopped; returns the highest value seen (kB). */
export function sampleRss(pid: number, everyMs = 50): { stop(): number } {
  let peak = procStatusKb(pid, 'VmRSS') ?? 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, procStatusKb(pid, 'VmRSS') ?? 0);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, procStatusKb(pid, 'VmRSS') ?? 0);
    },
  };
}
