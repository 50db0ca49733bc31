import { readFileSync } from 'node:fs';
import t from 'tap';
import { ERROR_CODES, ERROR_KINDS, ServiceError, invalidParameter } from '../src/errors.js';
import { sdmxErrorOf } from '../src/sdmx/errors.js';
import { httpStatusOf, problemOf } from '../src/http/problem-errors.js';
import { PROBLEM_BASE } from '../src/http/problem.js';

t.test('every error code is documented in docs/api-errors.md', async (t) => {
  const doc = readFileSync(new URL('../docs/api-errors.md', import.meta.url), 'utf8');
  const documented = new Set([...doc.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]));
  for (const code of Object.keys(ERROR_CODES)) t.ok(documented.has(code), `${code} is documented`);
  for (const code of documented) t.ok(code! in ERROR_CODES, `documented ${code} is in the catalogue`);
});

t.test('each kind has one status on the JSON surfaces and one SDMX error per API', async (t) => {
  for (const kind of ERROR_KINDS) {
    const err = new ServiceError(kind, `a ${kind} failure`);
    const problem = problemOf(err);
    t.equal(problem.status, httpStatusOf(kind), `${kind}: problem status`);
    t.equal(problem.type, `${PROBLEM_BASE}${err.code}`, `${kind}: problem type from the code`);
    t.equal(problem.detail, `a ${kind} failure`, `${kind}: the message is the detail`);
    for (const api of ['2.1', '3.0'] as const) {
      const sdmx = sdmxErrorOf(err, api);
      t.equal(sdmx.text, `a ${kind} failure`, `${kind} ${api}: SDMX text`);
      // The two surfaces agree on the status, except where SDMX 1.x numbers a semantic error 403.
      if (kind === 'unprocessable' && api === '2.1') t.equal(sdmx.status, 403, 'REST 1.x semantic error is 403');
      else t.equal(sdmx.status, problem.status, `${kind} ${api}: same HTTP status as the problem`);
      t.ok(sdmx.code < 1000 || sdmx.code === 1000 + sdmx.status, `${kind} ${api}: SDMX code ${sdmx.code} is standard or 1000 + status`);
    }
  }
  t.match(sdmxErrorOf(new ServiceError('invalid-input', 'x'), '3.0'), { code: 140, status: 400 });
  t.match(sdmxErrorOf(new ServiceError('not-found', 'x'), '2.1'), { code: 100, status: 404 });
  t.match(sdmxErrorOf(new ServiceError('too-large', 'x'), '2.1'), { code: 130, status: 413 });
  t.match(sdmxErrorOf(new ServiceError('unprocessable', 'x'), '3.0'), { code: 150, status: 422 });
});

t.test('a parameter error names the parameter and the allowed values', async (t) => {
  const problem = problemOf(invalidParameter('lang', 'Invalid lang "fr"', ['en', 'es']));
  t.match(problem, { status: 400, type: `${PROBLEM_BASE}invalid-request`, parameter: 'lang', allowed: ['en', 'es'] });
  const precise = new ServiceError('not-found', 'No public release has this code', { code: 'unknown-release' });
  t.equal(problemOf(precise).type, `${PROBLEM_BASE}unknown-release`);
});
