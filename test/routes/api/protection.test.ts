/**
 * The publisher's disclosure-control workflow end to end: protection runs on a draft over the
 * API (publishers only, audited), its pattern, LP audit and findings are readable (each read
 * audited), a weak supplied pattern
 * fails the audit and blocks scheduling, and once the protected release is public every surface
 * serves the suppressed cells without values and with their confidentiality status, the rate
 * of a suppressed count included. Rules per dataflow are validated.
 */
import t from 'tap';
import { fixedClock } from '../../../src/clock.js';
import { dataApp } from '../../helpers/data-app.js';

const NOW = '2026-11-21T12:00:00.000Z';
const AT = '2026-12-01T08:00:00.000Z';
const FLOW = 'UNODC:DF_CTS_HOMICIDE(1.0)';
const key = (area: string, sex: string, unit = 'NR') => `A.${area}.VIC_HOM.0101.${sex}._T._T.${unit}`;

async function setup() {
  const clock = fixedClock(NOW);
  const { app, repositories } = await dataApp(
    [
      {
        code: 'HOM-P',
        dataflow: 'DF_CTS_HOMICIDE',
        announcedAt: AT,
        state: 'draft',
        series: [
          { key: key('AUT', '_T'), observations: [{ period: '2019', value: 10 }, { period: '2020', value: 40 }] },
          { key: key('AUT', 'F'), observations: [{ period: '2019', value: 2 }, { period: '2020', value: 15 }] },
          { key: key('AUT', 'M'), observations: [{ period: '2019', value: 8 }, { period: '2020', value: 25 }] },
          { key: key('AUT', 'F', 'P_HTHAB'), observations: [{ period: '2019', value: 0.04 }, { period: '2020', value: 0.33 }] },
        ],
      },
    ],
    { clock },
  );
  t.teardown(() => app.close());
  const token = (role: 'publisher' | 'producer') => app.tokens.create({ name: role, role, dataflows: role === 'producer' ? [FLOW] : [], createdBy: 'cli' }).token;
  return { app, repositories, clock, publisher: token('publisher'), producer: token('producer') };
}

t.test('protect, inspect, refuse a weak pattern, schedule, and serve the protected table at the instant', async (t) => {
  const { app, repositories, clock, publisher, producer } = await setup();
  const as = (tokenValue: string | null) => (tokenValue === null ? {} : { authorization: `Bearer ${tokenValue}` });
  const run = (body?: unknown, who: string | null = publisher) =>
    app.inject({ method: 'POST', url: '/api/v1/releases/HOM-P/protection', headers: { ...as(who), ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });

  t.equal((await run(undefined, null)).statusCode, 401, 'anonymous');
  t.equal((await run(undefined, producer)).statusCode, 403, 'a producer may not');

  const weak = await run({ dataflow: FLOW, pattern: [{ key: key('AUT', 'F'), period: '2019' }] });
  t.equal(weak.statusCode, 200);
  t.equal(weak.json().passed, false, 'suppressing only the small count: F = _T − M gives it away');
  const refused = await app.inject({
    method: 'POST',
    url: '/api/v1/releases/HOM-P/schedule',
    headers: { ...as(publisher), 'content-type': 'application/json' },
    payload: JSON.stringify({ announcedAt: '2026-12-01T08:00:00Z' }),
  });
  t.equal(refused.statusCode, 409, 'a release whose audit failed cannot be scheduled');
  t.match(JSON.stringify(refused.json()), /audit failed/);

  const computed = await run();
  t.equal(computed.statusCode, 200);
  const [result] = computed.json().dataflows;
  t.equal(result.dataflow, FLOW);
  t.equal(result.passed, true);
  t.match(result.summary, { primary: 1, derived: 1, audit: { protectedCells: 1, failed: 0, passed: true }, pattern: 'computed' });
  t.ok(result.summary.secondary >= 1, 'at least one complementary suppression');

  const detail = await app.inject({ url: '/api/v1/releases/HOM-P/protection', headers: as(publisher) });
  t.equal(detail.statusCode, 200);
  t.equal(detail.headers['cache-control'], 'no-store');
  const runInfo = detail.json().runs[0];
  t.match(runInfo.suppressed, [{ key: key('AUT', 'F'), period: '2019', kind: 'primary', value: 2 }]);
  t.ok(runInfo.suppressed.some((s: { kind: string; key: string }) => s.kind === 'derived' && s.key === key('AUT', 'F', 'P_HTHAB')), 'the rate of the suppressed count');
  const cellAudit = runInfo.audit[0];
  t.match(cellAudit, { key: key('AUT', 'F'), period: '2019', value: 2, required: [0, 5], safe: true });
  t.ok(cellAudit.attacker[0] <= 0 && (cellAudit.attacker[1] === null || cellAudit.attacker[1] >= 5), `attacker interval ${JSON.stringify(cellAudit.attacker)}`);
  t.equal((await app.inject({ url: '/api/v1/releases/HOM-P/protection', headers: as(producer) })).statusCode, 403);

  t.same(runInfo.findings, { brokenRelations: [], unprotectable: [] }, 'the publisher-only findings: the figures add up, nothing published before');
  t.match(result.summary, { relationsByHierarchy: { 'HCL_SEX.SEX_TOTAL': { relations: 2, broken: 0 } }, dataQuality: { brokenRelations: 0, unprotectable: 0 } }, 'the relations come from the declared hierarchies');

  const runs = repositories.audit.list({ action: 'protection.*', limit: 50 });
  t.same(
    runs.map((e) => `${e.action}:${e.outcome}`),
    ['protection.read:success', 'protection.run:success', 'protection.run:success'],
    'both runs audited, and the read of true values by the publisher',
  );
  t.match(runs[0]!.detail, { dataflows: [FLOW], suppressedCells: runInfo.suppressed.length }, 'what was read');
  t.match(runs[2]!.detail, { supplied: true, dataflows: [{ dataflow: FLOW, passed: false }] }, 'the weak pattern and its failed audit');
  t.ok(repositories.audit.list({ action: 'auth.*', limit: 50 }).some((e) => e.action === 'auth.forbidden' && e.role === 'producer'), 'the attempt by the producer too');

  const scheduled = await app.inject({
    method: 'POST',
    url: '/api/v1/releases/HOM-P/schedule',
    headers: { ...as(publisher), 'content-type': 'application/json' },
    payload: JSON.stringify({ announcedAt: '2026-12-01T08:00:00Z' }),
  });
  t.equal(scheduled.statusCode, 200, 'schedulable once the audit passed');
  const again = await run();
  t.equal(again.statusCode, 409, 'a scheduled release is not protected again');
  t.match(again.json(), { type: 'https://iccs-sdmx.org/problems/release-state', title: 'Conflict', status: 409, detail: "Release HOM-P is scheduled: only a draft's data can be protected" });

  clock.set(AT);
  const csv = await app.inject({ url: '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.AUT.VIC_HOM.0101.._T._T.?startPeriod=2019&endPeriod=2019', headers: { accept: 'application/vnd.sdmx.data+csv;version=1.0.0' } });
  t.equal(csv.statusCode, 200);
  const [header, ...lines] = csv.body.trim().split(/\r?\n/);
  const columns = header!.split(',');
  const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [columns[i], v])));
  const row = (sex: string, unit: string) => rows.find((r) => r.SEX === sex && r.UNIT_MEASURE === unit)!;
  t.match(row('F', 'NR'), { OBS_VALUE: '', CONF_STATUS: 'A', OBS_STATUS: 'Q' }, 'the small count: no value, primary confidentiality');
  t.match(row('F', 'P_HTHAB'), { OBS_VALUE: '', CONF_STATUS: 'C', OBS_STATUS: 'Q' }, 'its rate is protected too');
  const complements = rows.filter((r) => r.CONF_STATUS === 'D');
  t.equal(complements.length, result.summary.secondary, 'the complementary suppressions, flagged D');
  t.ok(complements.every((r) => r.OBS_VALUE === ''));
  t.notOk(csv.body.includes(',2,') || /,2\r?\n/.test(csv.body), 'the true value 2 is nowhere in the public answer');
  const later = await app.inject({ url: '/api/v1/data/UNODC/DF_CTS_HOMICIDE/1.0?key=A.AUT.VIC_HOM.0101.F._T._T.NR' });
  const observations = later.json().series[0].observations;
  t.match(observations.find((o: { period: string }) => o.period === '2019'), { value: null, attributes: { CONF_STATUS: 'A', OBS_STATUS: 'Q' } });
  t.match(observations.find((o: { period: string }) => o.period === '2020'), { value: 15 }, 'a safe count is published');
});

t.test('rules per dataflow: defaults, a valid change, invalid rules refused', async (t) => {
  const { app, publisher, producer } = await setup();
  const headers = { authorization: `Bearer ${publisher}`, 'content-type': 'application/json' };
  const url = '/api/v1/protection-rules/UNODC/DF_CTS_HOMICIDE/1.0';
  const initial = await app.inject({ url, headers });
  t.equal(initial.statusCode, 200);
  t.match(initial.json(), { default: true, rules: { threshold: 3, zerosSafe: true } });
  const invalid = await app.inject({ method: 'PUT', url, headers, payload: JSON.stringify({ threshold: -2 }) });
  t.equal(invalid.statusCode, 400);
  t.equal(invalid.headers['content-type'], 'application/problem+json');
  t.match(invalid.json(), { type: 'https://iccs-sdmx.org/problems/invalid-request', title: 'Bad Request', status: 400, problems: [/threshold/] });
  t.match(app.audit.list({ action: 'protection.rules', limit: 1 })[0], { outcome: 'failure', detail: { status: 400, problems: [/threshold/] } });
  t.equal((await app.inject({ method: 'PUT', url, headers: { ...headers, authorization: `Bearer ${producer}` }, payload: '{}' })).statusCode, 403);
  const unknown = await app.inject({ method: 'PUT', url: '/api/v1/protection-rules/UNODC/NOPE/1.0', headers, payload: '{}' });
  t.equal(unknown.statusCode, 404);
  t.match(unknown.json(), { type: 'https://iccs-sdmx.org/problems/not-found', title: 'Not Found', status: 404 });
  const changed = await app.inject({ method: 'PUT', url, headers, payload: JSON.stringify({ threshold: 1, zerosSafe: false }) });
  t.equal(changed.statusCode, 200);
  t.match((await app.inject({ url, headers })).json(), { default: false, rules: { threshold: 1, zerosSafe: false } });
  const protectedRun = await app.inject({ method: 'POST', url: '/api/v1/releases/HOM-P/protection', headers: { authorization: `Bearer ${publisher}` } });
  t.equal(protectedRun.json().dataflows[0].summary.primary, 0, 'with k = 1 the count of 2 is no longer primary');
});
