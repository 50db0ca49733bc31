/**
 * A broken structure file stops start-up with a message that names the file and the problem;
 * a good set loads.
 */
import t from 'tap';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.js';
import { loadConfig, ConfigError, databasePathFrom } from '../../src/config.js';
import { StructureLoadError } from '../../src/services/structure-files.js';
import { REPO_ROOT } from '../helpers/shared.js';

function structuresCopy(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'iccs-sdmx-'));
  cpSync(path.join(REPO_ROOT, 'sdmx'), path.join(dir, 'sdmx'), { recursive: true });
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'sdmx');
}

async function startWith(dir: string) {
  return buildApp({ config: loadConfig({ DATABASE_URL: ':memory:', STRUCTURES_DIR: dir }) });
}

t.test('the real structures load', async (t) => {
  const app = await startWith(structuresCopy(t));
  t.equal((await app.inject({ url: '/health' })).statusCode, 200);
  await app.close();
});

const breakages: [string, string, (xml: string) => string, RegExp][] = [
  ['not XML at all', 'codelists/UNODC-CL_SEX-1.0.xml', () => 'hello', /codelists\/UNODC-CL_SEX-1\.0\.xml/],
  ['truncated', 'codelists/UNODC-CL_SEX-1.0.xml', (x) => x.slice(0, x.length / 2), /codelists\/UNODC-CL_SEX-1\.0\.xml/],
  ['a code without a name', 'codelists/UNODC-CL_SEX-1.0.xml', (x) => x.replace(/<common:Name xml:lang="en">Female<\/common:Name>/, '').replace(/<common:Name xml:lang="es">Mujeres<\/common:Name>/, ''), /CL_SEX.*F|F.*Name/],
  ['a dangling codelist reference', 'datastructures/UNODC-DSD_CTS-1.0.xml', (x) => x.replace(/id="CL_SEX"/g, 'id="CL_GONE"'), /CL_GONE/],
  ['a constraint on an unknown code', 'constraints/UNODC-CR_A_DF_CTS_HOMICIDE-1.0.xml', (x) => x.replace('>VIC_HOM<', '>NOT_A_CODE<'), /NOT_A_CODE/],
];

for (const [what, file, breakIt, message] of breakages) {
  t.test(`start-up stops on ${what}`, async (t) => {
    const dir = structuresCopy(t);
    const target = path.join(dir, file);
    const before = readFileSync(target, 'utf8');
    const after = breakIt(before);
    t.not(after, before, 'the file was changed');
    writeFileSync(target, after);
    const err = await startWith(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.ok(err instanceof StructureLoadError, 'a structure load error');
    t.match((err as Error).message, message, 'the message names the problem');
    t.match((err as Error).message, /sdmx/, 'and where it is');
  });
}

t.test('a duplicate definition names both files', async (t) => {
  const dir = structuresCopy(t);
  cpSync(path.join(dir, 'codelists/UNODC-CL_SEX-1.0.xml'), path.join(dir, 'codelists/copy-of-sex.xml'));
  await t.rejects(startWith(dir), /copy-of-sex\.xml.*CL_SEX.*already defined in sdmx\/codelists\/UNODC-CL_SEX-1\.0\.xml/);
});

t.test('an empty or missing folder', async (t) => {
  const empty = mkdtempSync(path.join(tmpdir(), 'iccs-empty-'));
  t.teardown(() => rmSync(empty, { recursive: true, force: true }));
  await t.rejects(startWith(empty), /No structure files/);
  await t.rejects(startWith(path.join(empty, 'nope')), /Cannot read the structures folder/);
});

t.test('configuration', async (t) => {
  let configError: unknown;
  try {
    loadConfig({ PORT: 'eighty' });
  } catch (e) {
    configError = e;
  }
  t.ok(configError instanceof ConfigError, 'a configuration error');
  t.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
  t.throws(() => loadConfig({ DATABASE_URL: 'postgres://db/iccs' }), /DATABASE_URL/);
  t.equal(databasePathFrom('file:///var/db/x.sqlite'), '/var/db/x.sqlite');
  t.equal(databasePathFrom('file:data/x.sqlite'), path.resolve('data/x.sqlite'));
  t.equal(databasePathFrom(':memory:'), ':memory:');
  const c = loadConfig({});
  t.equal(c.port, 3000);
  t.equal(c.host, '127.0.0.1');
  t.equal(c.databasePath, path.resolve('data/iccs.sqlite'));
});
