/**
 * The files the tests use instead of the shared folder (test/helpers/shared.ts) are the
 * unmodified copies their READMEs say they are: each fixture folder's MANIFEST.tsv lists every
 * file with its git blob SHA-1 at the source, and the files must still hash to it. When the
 * shared folder is beside the checkout (as on CI), every copy must also equal its original there,
 * and so must the demo data that the tests read as the shared folder's `data/eurostat` and
 * `data/unodc`. Without the shared folder that part is skipped: no other test reads it.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DATA, SDMX_STANDARDS, SHARED, SHARED_SAMPLES } from '../helpers/shared.js';

/** git's blob SHA-1 of a file's bytes (what `git hash-object` prints). */
const blobSha1 = (bytes: Buffer) => createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');

/** The files of a folder, relative and with `/` (the fixture folders' own README.md and MANIFEST.tsv left out). */
const filesIn = (dir: string, leaveOut: readonly string[] = []) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => !leaveOut.includes(f))
    .sort();
const OWN = ['README.md', 'MANIFEST.tsv'];

function manifest(dir: string): Map<string, string> {
  const [header, ...rows] = readFileSync(path.join(dir, 'MANIFEST.tsv'), 'utf8').trimEnd().split('\n');
  const columns = header.split('\t');
  const file = columns.indexOf('path');
  const sha = columns.indexOf('git_blob_sha1');
  return new Map(rows.map((r) => r.split('\t')).map((c) => [c[file], c[sha]]));
}

/** The vendored folders, and where each one's files are in the shared folder. */
const FOLDERS = [
  { dir: SDMX_STANDARDS, shared: path.join(SHARED, 'sdmx') },
  { dir: SHARED_SAMPLES, shared: SHARED },
];

for (const { dir } of FOLDERS) {
  t.test(`${path.basename(dir)}: every file is listed in MANIFEST.tsv and has the listed hash`, async (t) => {
    const listed = manifest(dir);
    const files = filesIn(dir, OWN);
    t.same(files, [...listed.keys()].sort(), 'the files are exactly those listed');
    for (const f of files) t.equal(blobSha1(readFileSync(path.join(dir, f))), listed.get(f), f);
  });
}

const noShared = !existsSync(SHARED) && 'no shared folder beside the checkout';

t.test('the copies equal their originals in the shared folder', { skip: noShared }, async (t) => {
  for (const { dir, shared } of FOLDERS) {
    for (const f of filesIn(dir, OWN)) {
      t.ok(readFileSync(path.join(dir, f)).equals(readFileSync(path.join(shared, f))), `${path.basename(dir)}/${f}`);
    }
  }
});

t.test('the demo data the tests read equals the shared data/eurostat and data/unodc', { skip: noShared }, async (t) => {
  for (const [ours, theirs] of [
    [DATA.eurostat, path.join(SHARED, 'data/eurostat')],
    [DATA.unodc, path.join(SHARED, 'data/unodc')],
  ]) {
    const files = filesIn(theirs);
    t.same(filesIn(ours), files, `${path.relative(SHARED, theirs)}: the same files`);
    for (const f of files) t.ok(readFileSync(path.join(ours, f)).equals(readFileSync(path.join(theirs, f))), `${path.relative(SHARED, theirs)}/${f}`);
  }
});
