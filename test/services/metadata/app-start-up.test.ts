/**
 * buildApp loads the reference metadata after the structures and before it listens: a bad file
 * stops start-up with the loader's message (file, line, field) and the database is closed; a
 * missing folder is no metadata at all. The service is exposed as `app.metadata`. With the real
 * metadata/ and structures: without demo data the sets are stored and none is visible (their
 * releases do not exist); with it, they are public from their release instants.
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

t.test('the real metadata: invisible without its releases, public with the demo data', async (t) => {
  const bare = await testApp();
  t.teardown(() => bare.close());
  t.same(await bare.metadata.sets({ version: 'all' }), [], 'DEMO_DATA=off: no release exists, no set is visible');

  const demo = await testApp({ env: { DEMO_DATA: 'on' } });
  t.teardown(() => demo.close());
  const homicide = await demo.metadata.report('DF_CTS_HOMICIDE', 'KAZ');
  t.match(homicide, {
    report: { id: 'MS_DF_CTS_HOMICIDE', release: 'GSH-2019', validFrom: /^\d{4}-/ },
    countryNote: { id: 'MS_DF_CTS_HOMICIDE_KAZ', release: 'GSH-2019' },
  });
  const punctuality = homicide.report?.attributes.find((a) => a.id === 'TIMELINESS_PUNCT')?.children.find((a) => a.id === 'PUNCTUALITY');
  t.match(punctuality, { text: { en: /on time/, es: /puntuales/ }, children: [{ id: 'PUNCT_ON_TIME_PCT', value: '100' }] }, 'computed from the demo calendar');
});
