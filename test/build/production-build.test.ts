/**
 * `npm start` compiles src/ with tsconfig.build.json before it serves (prestart). The tests run
 * the sources through tsx, which does not type-check, so this test is what keeps that build
 * passing: the compiler must accept the production sources as they are.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/project-root.js';

t.test('the production build (tsconfig.build.json) compiles without errors', async (t) => {
  const tsc = path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noEmit'], { cwd: PROJECT_ROOT }).then(
    () => ({ code: 0, output: '' }),
    (err: { code?: number; stdout?: string }) => ({ code: err.code ?? 1, output: err.stdout ?? String(err) }),
  );
  t.equal(result.code, 0, result.output.split('\n').slice(0, 20).join('\n') || 'tsc exited 0');
});
