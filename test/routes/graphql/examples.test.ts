/**
 * The example queries of docs/graphql.md and the README (src/routes/graphql/examples.ts) work
 * against the demo data, say what the documentation says they say, and run by their hash with
 * GET from the start (they are the persisted queries every process knows). The documentation
 * shows each query verbatim: a test holds the two equal.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GRAPHQL_EXAMPLES } from '../../../src/routes/graphql/examples.js';
import { GRAPHQL_ERROR_CODES } from '../../../src/routes/graphql/errors.js';
import { LIMITS } from '../../../src/routes/graphql/limits.js';
import { HELD_BACK, demoApp } from '../../helpers/json-api-demo.js';
import { REPO_ROOT } from '../../helpers/shared.js';

const { app } = await demoApp();
t.teardown(() => app.close());

type Answer = { data: Record<string, any>; errors?: unknown[] };

const answers = new Map<string, Answer>();

t.test('every example answers without errors', async (t) => {
  for (const example of GRAPHQL_EXAMPLES) {
    const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query: example.query, variables: example.variables } });
    answers.set(example.name, JSON.parse(res.body) as Answer);
    t.equal(res.statusCode, 200, `${example.name}: 200`);
  }
  for (const [name, answer] of answers) {
    t.same(answer.errors, undefined, `${name}: no errors`);
    t.ok(answer.data && Object.values(answer.data).every((v) => v !== null), `${name}: data`);
  }
});

t.test('each says what the documentation says', async (t) => {
  const flows = answers.get('dataflows')!.data.dataflows as { code: string; seriesCount: number; nextRelease: { code: string } | null }[];
  t.equal(flows.length, 10, 'ten dataflows');
  t.equal(flows.find((f) => f.code === 'DF_CTS_OFFENCES')?.nextRelease?.code, HELD_BACK.code, 'the held-back release is the next of DF_CTS_OFFENCES');

  const rates = answers.get('central-america-homicide-rates')!.data;
  t.equal(rates.series.totalCount, 7, 'seven countries of Central America');
  const belize = rates.series.nodes.find((n: { area: { code: string } }) => n.area.code === 'BLZ');
  t.equal(belize.area.name, 'Belize');
  t.ok(belize.observations.every((o: { period: string }) => o.period >= '2010' && o.period <= '2022'), '2010–2022');
  t.match(rates.dataflow.metadata.report.attribute.text, /each person killed counts once/, 'the counting note');

  const iccs = answers.get('iccs-tree')!.data.codelist;
  t.equal(iccs.roots.length, 11, 'the eleven ICCS sections');
  t.equal(iccs.levels[1].name, 'División');
  t.ok(iccs.roots[0].descendants.every((d: { level: number }) => d.level === 2), 'divisions under each section');

  const history = answers.get('revision-history')!.data.series.nodes[0].observations.find((o: { period: string }) => o.period === '2018');
  t.equal(history.value, 192);
  t.same(history.history.map((h: { value: number }) => h.value), [190, 192], 'revised from 190 to 192');

  const calendar = answers.get('release-calendar')!.data.releases as { code: string; state: string }[];
  t.equal(calendar.find((r) => r.code === HELD_BACK.code)?.state, 'SCHEDULED', 'the announced release');
  t.ok(calendar.filter((r) => r.state === 'PUBLISHED').length >= 6, 'the published ones');

  const prisons = answers.get('dataflow-dimensions')!.data.dataflow;
  t.ok(prisons.dimensions.find((d: { code: string }) => d.code === 'REF_AREA').codes.length > 100, 'areas with data');
});

t.test('every example runs by its hash with GET, without registering it first', async (t) => {
  for (const example of GRAPHQL_EXAMPLES) {
    const hash = createHash('sha256').update(example.query).digest('hex');
    const params = new URLSearchParams({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }) });
    if (example.variables) params.set('variables', JSON.stringify(example.variables));
    const res = await app.inject({ url: `/graphql?${params}` });
    t.equal(res.statusCode, 200, `${example.name}: 200 by hash`);
    t.same((JSON.parse(res.body) as Answer).data, answers.get(example.name)!.data, `${example.name}: the same data as the POST`);
    t.match(res.headers['cache-control'], /^public, max-age=\d+/, `${example.name}: cacheable`);
  }
});

t.test('docs/graphql.md shows every example verbatim, every error code and the limits as configured', async (t) => {
  const doc = readFileSync(`${REPO_ROOT}/docs/graphql.md`, 'utf8');
  for (const example of GRAPHQL_EXAMPLES) t.ok(doc.includes(example.query), `${example.name} is in the docs as it is run`);
  const documented = new Set([...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]));
  t.same([...documented].sort(), Object.keys(GRAPHQL_ERROR_CODES).sort(), 'the error table lists exactly the codes of the catalogue');
  for (const [name, value] of Object.entries(LIMITS)) {
    const shown = name === 'timeoutMs' ? `${value / 1000} s` : name === 'maxCost' ? String(value) : value.toLocaleString('en');
    t.ok(doc.includes(shown), `${name} (${shown}) is documented`);
  }
});
