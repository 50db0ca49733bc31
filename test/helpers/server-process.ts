/**
 * The real server as a child process, for end-to-end tests that drive it over HTTP (e.g. with
 * R's rsdmx). It runs `node --import tsx src/server.ts`, exactly the process `npm run dev` runs,
 * so nothing is built first.
 *
 * Choices: the port is picked here (listen on 0, read it, close) rather than passing PORT=0,
 * because the server does not print the port it got at LOG_LEVEL=warn; the tiny race with
 * another process taking the port is covered by one retry. Each start gets a fresh SQLite file
 * in its own temp dir, removed by stop().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './shared.js';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:41234`, without a trailing slash. */
  readonly baseUrl: string;
  /** SIGTERM, then wait for the exit (SIGKILL after 10 s); removes the temp database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment for the child (e.g. STRUCTURES_DIR); overrides the defaults below. */
  readonly env?: Record<string, string>;
  /** How long to wait for GET /health to answer 200. */
  readonly timeoutMs?: number;
}

const OUTPUT_LIMIT = 64 * 1024;

/** A port nobody listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

class StartError extends Error {
  constructor(message: string, readonly portTaken: boolean) {
    super(message);
  }
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  try {
    return await startOnce(options);
  } catch (err) {
    if (err instanceof StartError && err.portTaken) return startOnce(options);
    throw err;
  }
}

async function startOnce(options: StartOptions): Promise<RunningServer> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'iccs-e2e-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: path.join(dataDir, 'iccs.sqlite'),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test that throws before stop() must not leave a server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const cleanUp = () => {
    process.removeListener('exit', killOnExit);
    rmSync(dataDir, { recursive: true, force: true });
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    cleanUp();
  };

  try {
    await waitForHealth(baseUrl, child, timeoutMs, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { baseUrl, stop };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitForHealth(
  baseUrl: string,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(child)) {
      const text = output();
      throw new StartError(
        `the server exited (code ${child.exitCode ?? child.signalCode}) before GET /health answered:\n${text}`,
        text.includes('EADDRINUSE'),
      );
    }
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new StartError(`GET ${baseUrl}/health did not answer 200 within ${timeoutMs} ms; output:\n${output()}`, false);
}
