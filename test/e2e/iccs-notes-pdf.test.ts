/**
 * End to end with the official PDF: `src/cli/extract-iccs-notes.ts` run on the copy of the
 * official document in sdmx/sources/iccs/ (its SHA-256 is the one the notes record) writes
 * exactly the committed sdmx/sources/iccs/iccs-notes.json, byte for byte, and reports no anomaly.
 *
 * Needs poppler's `pdftotext` (Debian: poppler-utils; .ci/run installs it): without it, skipped
 * locally and failed on CI (`CI` set), so CI cannot pass by not running it.
 */
import t from 'tap';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/shared.js';
import { DEFAULT_PDF } from '../../src/cli/extract-iccs-notes.js';

const PDF = DEFAULT_PDF;
const COMMITTED = path.join(REPO_ROOT, 'sdmx/sources/iccs/iccs-notes.json');
const CLI = path.join(REPO_ROOT, 'src/cli/extract-iccs-notes.ts');

function pdftotextMissing(): string | undefined {
  const probe = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' });
  if (probe.error) {
    return (probe.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'pdftotext is not installed (Debian: apt-get install poppler-utils)' : `pdftotext cannot run: ${probe.error.message}`;
  }
  return undefined;
}

const missing = pdftotextMissing();
if (!existsSync(PDF)) {
  // `1..0 # SKIP reason`: the whole file is reported as skipped.
  t.fail(`the ICCS PDF is missing from ${PDF}: it is committed with the notes`);
} else if (missing) {
  if (process.env.CI) t.fail(`${missing}: CI must install the Debian package poppler-utils (.ci/run does)`);
  else t.plan(0, `${missing}: the ICCS notes end-to-end test needs pdftotext`);
} else {
  t.test('the extractor writes the committed notes from the PDF, byte for byte', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'iccs-notes-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const out = path.join(dir, 'iccs-notes.json');
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', CLI, PDF, '--out', out],
        { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    t.equal(run.code, 0, 'exit code 0 (no anomaly)');
    if (run.code !== 0) t.comment(`${run.stdout}\n${run.stderr}`);
    t.match(run.stdout, /320 codes/);
    t.match(run.stdout, /no anomalies/);
    const written = readFileSync(out);
    const committed = readFileSync(COMMITTED);
    t.ok(written.equals(committed), 'same bytes as sdmx/sources/iccs/iccs-notes.json (regenerate with `npm run iccs-notes` and review the diff)');
    if (!written.equals(committed)) {
      const a = written.toString('utf8').split('\n');
      const b = committed.toString('utf8').split('\n');
      const i = a.findIndex((line, k) => line !== b[k]);
      t.comment(`first difference at line ${i + 1}:\n  extracted: ${a[i]}\n  committed: ${b[i]}`);
    }
  });
}
