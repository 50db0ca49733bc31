/**
 * buildApp loads the reference metadata after the structures and before it listens: a bad file
 * stops start-up with the loader's message (file, line, field) and the database is closed; a
 * missing folder is no metadata at all. The service is exposed as `app.metadata`.
 */
import t from 'tap';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../src/project-root.js';
import { testApp } from '../../helpers/app.js';

t.test('a bad metadata file stops start-up, naming file, line and field', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'iccs-metadata-app-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const dir = path.join(root, 'metadata');
  cpSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'metadata', 'files'), dir, { recursive: true });
  const file = path.join(dir, 'DF_CTS_HOMICIDE', 'report-1.0.0.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('release: Q-R1', 'release: Q-R1: x'));
  await t.rejects(testApp({ env: { METADATA_DIR: dir } }), {
    name: 'MetadataLoadError',
    message: /metadata\/DF_CTS_HOMICIDE\/report-1\.0\.0\.yaml:5: \(yaml\): not valid YAML/,
  });
});

t.test('no metadata folder: the app starts without metadata', async (t) => {
  const app = await testApp({ env: { METADATA_DIR: path.join(tmpdir(), 'no-such-metadata-folder') } });
  t.teardown(() => app.close());
  const health = await app.inject({ url: '/health' });
  t.equal(health.statusCode, 200);
  t.same(await app.metadata.sets({ version: 'all' }), [], 'the service is exposed, and has nothing to serve');
  t.match(app.metadata.visibleStateTag(), /^[A-Za-z0-9_-]{16}$/);
});
