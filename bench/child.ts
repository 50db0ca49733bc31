/**
 * One measurement in a process of its own: a TypeScript file of bench/ run with the loader this
 * benchmark runs under (tsx), which prints its result as one JSON line on stdout. The process's
 * own peak memory is then the measurement's, and a hard time limit can end it: a run that does
 * not answer in time is killed and reported as not finished, never waited for.
 */
import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../src/project-root.js';

/** What a child prints last: `RESULT <json>`. */
export const RESULT_PREFIX = 'RESULT ';
/** Where a child stands, printed as it goes: `PROGRESS <json>` (the last one is kept). */
export const PROGRESS_PREFIX = 'PROGRESS ';

export type ChildOutcome<T, P = unknown> =
  | { readonly finished: true; readonly result: T }
  | { readonly finished: false; readonly reason: string; readonly progress?: P };

/** Prints a child's result the way `runChild` reads it. */
export function reportResult(result: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** Prints where a child stands, so that a child killed at its limit still tells how far it got. */
export function reportProgress(progress: unknown): void {
  process.stdout.write(`${PROGRESS_PREFIX}${JSON.stringify(progress)}\n`);
}

export function runChild<T, P = unknown>(file: string, args: readonly string[], limitSeconds: number, log: (line: string) => void): Promise<ChildOutcome<T, P>> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, file, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let progress: P | undefined;
    let result: string | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      // Complete lines: progress is kept (the last one), the result waits for the exit.
      const end = stdout.lastIndexOf('\n');
      if (end < 0) return;
      const lines = stdout.slice(0, end).split('\n');
      stdout = stdout.slice(end + 1);
      for (const line of lines) {
        if (line.startsWith(PROGRESS_PREFIX)) progress = JSON.parse(line.slice(PROGRESS_PREFIX.length)) as P;
        else if (line.startsWith(RESULT_PREFIX)) result = line;
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stderr = (stderr + text).slice(-16 * 1024);
      for (const line of text.split('\n')) if (line.trim()) log(`  ${line}`);
    });
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitSeconds * 1000);
    // 'close', not 'exit': by then everything the child wrote has been read.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
      const withProgress = progress === undefined ? {} : { progress };
      if (timedOut) return resolve({ finished: false, reason: `did not finish within ${limitSeconds} s (killed)`, ...withProgress });
      const line = result ?? (stdout.startsWith(RESULT_PREFIX) ? stdout : undefined);
      if (code !== 0 || !line) {
        return resolve({ finished: false, reason: `exited with ${signal ?? `code ${code}`}: ${stderr.trim().split('\n').slice(-3).join(' / ') || 'no output'}`, ...withProgress });
      }
      resolve({ finished: true, result: JSON.parse(line.slice(RESULT_PREFIX.length)) as T });
    });
  });
}
