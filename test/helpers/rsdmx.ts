/**
 * What the end-to-end tests that drive R's rsdmx share: the environment R runs in, and whether
 * rsdmx can run here at all (CI installs it; locally such a test is skipped without it).
 */
import { spawnSync } from 'node:child_process';

/** UTF-8 whatever the machine's locale: R's XML package warns on non-ASCII content in a C locale. */
export const R_ENV = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };

/** Why rsdmx cannot run here, or undefined when it can. */
export function rsdmxMissing(): string | undefined {
  const probe = spawnSync('Rscript', ['-e', 'suppressPackageStartupMessages(library(rsdmx))'], { encoding: 'utf8', env: R_ENV, timeout: 60_000 });
  if (probe.error) {
    return (probe.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'Rscript is not installed' : `Rscript cannot run: ${probe.error.message}`;
  }
  if (probe.status !== 0) return `the R package rsdmx is not installed (${probe.stderr.trim().split('\n').pop()})`;
  return undefined;
}
