/**
 * The admin CLI: `npm run admin -- create-token` prints the token as its last line, and that
 * token then works against a running server on the same database file; the other commands,
 * argument errors with exit code 2, and the audit trail (actor `cli`). A --dataflow may be a bare
 * ID or AGENCY:ID when exactly one stored dataflow matches; the grant is the full reference.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { fixedClock } from '../../src/clock.js';
import { PROJECT_ROOT } from '../../src/project-root.js';
import { resolveDataflow, runAdmin, USAGE } from '../../src/cli/admin.js';
import { sqliteRepositories } from '../../src/storage/sqlite/index.js';
import { TokenService } from '../../src/auth/token-service.js';
import type { Dataflow } from '../../src/sdmx/model.js';

const dir = mkdtempSync(path.join(tmpdir(), 'admin-cli-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const OFFENCES = 'UNODC:DF_CTS_OFFENCES(1.0)';

function cli(databaseFile: string, argv: string[], clock = fixedClock('2026-03-01T12:00:00.000Z')) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runAdmin(argv, { env: { DATABASE_URL: databaseFile }, out: (l) => out.push(l), err: (l) => err.push(l), clock });
  return { code, out, err: err.join('\n') };
}

t.test('a database without structures cannot grant dataflows yet', async (t) => {
  const r = cli(path.join(dir, 'fresh.sqlite'), ['create-token', '--role', 'producer', '--name', 'p', '--dataflow', OFFENCES]);
  t.equal(r.code, 2);
  t.match(r.err, /no structures yet: start the server once/);
  t.same(r.out, []);
});

t.test('npm run admin -- create-token; the token works against a started server', async (t) => {
  const databaseFile = path.join(dir, 'served.sqlite');
  const app = await buildApp({ config: loadConfig({ DATABASE_URL: databaseFile, DEMO_DATA: 'off', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0' }) });
  t.teardown(() => app.close());
  const address = await app.listen({ host: '127.0.0.1', port: 0 });

  const run = (args: string[]) =>
    promisify(execFile)('npm', ['run', 'admin', '--', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: databaseFile } });
  const { stdout } = await run(['create-token', '--role', 'admin', '--name', 'first admin', '--expires', '30d']);
  const lines = stdout.trimEnd().split('\n');
  const token = lines.at(-1)!;
  t.match(token, /^iccs_[A-Za-z0-9_-]{43}$/, 'the token is the last line');
  t.match(stdout, /Created token tok_[0-9a-f]{12} "first admin" with the role admin/);
  t.match(stdout, /Expires: \d{4}-\d{2}-\d{2}T/);
  t.equal(stdout.split(token).length, 2, 'printed once');

  const listed = await fetch(`${address}/api/v1/admin/tokens`, { headers: { authorization: `Bearer ${token}` } });
  t.equal(listed.status, 200, 'the running server accepts it at once');
  const body = (await listed.json()) as { tokens: { name: string; createdBy: string; expiresAt: string }[] };
  t.match(body.tokens, [{ name: 'first admin', createdBy: 'cli', expiresAt: /^\d{4}-/ }]);
  t.equal((await fetch(`${address}/api/v1/admin/tokens`, { headers: { authorization: `Bearer ${token}x` } })).status, 401);

  const producer = await run(['create-token', '--role', 'producer', '--name', 'police', '--dataflow', OFFENCES, '--dataflow', 'UNODC:DF_CTS_COURTS(1.0)']);
  const producerToken = producer.stdout.trimEnd().split('\n').at(-1)!;
  t.match(producer.stdout, /Dataflows: UNODC:DF_CTS_OFFENCES\(1\.0\), UNODC:DF_CTS_COURTS\(1\.0\)/);
  const refused = await fetch(`${address}/api/v1/admin/tokens`, { headers: { authorization: `Bearer ${producerToken}` } });
  t.equal(refused.status, 403, 'the producer token authenticates, and is not an admin');
  t.match(app.tokens.authenticate(producerToken), { principal: { role: 'producer', dataflows: [OFFENCES, 'UNODC:DF_CTS_COURTS(1.0)'] } });
});

t.test('list, revoke and audit; every change audited as cli', async (t) => {
  const databaseFile = path.join(dir, 'served.sqlite');
  const clock = fixedClock('2026-03-01T12:00:00.000Z');
  const created = cli(databaseFile, ['create-token', '--role', 'publisher', '--name', 'release team', '--expires', '12h'], clock);
  t.equal(created.code, 0, created.err);
  t.match(created.out, [/Created token (tok_[0-9a-f]{12}) "release team" with the role publisher/, 'Expires: 2026-03-02T00:00:00.000Z', /cannot be shown again/, /^iccs_/]);
  const tokenId = /tok_[0-9a-f]{12}/.exec(created.out[0]!)![0];

  const list = cli(databaseFile, ['list-tokens'], clock);
  t.equal(list.code, 0);
  t.match(list.out[0], /^TOKEN\s+STATUS\s+ROLE\s+NAME\s+EXPIRES\s+LAST USED\s+DATAFLOWS$/);
  t.match(list.out.join('\n'), new RegExp(`${tokenId}\\s+active\\s+publisher\\s+release team\\s+2026-03-02T00:00:00.000Z\\s+never`));
  t.match(list.out.join('\n'), /police .*UNODC:DF_CTS_OFFENCES\(1\.0\) UNODC:DF_CTS_COURTS\(1\.0\)/);
  t.notOk(list.out.join('\n').includes(created.out.at(-1)!), 'no secret in the listing');

  const revoke = cli(databaseFile, ['revoke-token', tokenId], clock);
  t.equal(revoke.code, 0);
  t.same(revoke.out, [`Revoked ${tokenId} "release team"`]);
  t.match(cli(databaseFile, ['list-tokens'], clock).out.join('\n'), new RegExp(`${tokenId}\\s+revoked`));
  t.match(cli(databaseFile, ['revoke-token', tokenId], clock).out, [/already revoked at 2026-03-01T12:00:00.000Z/]);
  const unknown = cli(databaseFile, ['revoke-token', 'tok_000000000000'], clock);
  t.equal(unknown.code, 2);
  t.match(unknown.err, /no token tok_000000000000/);

  const audit = cli(databaseFile, ['audit', '--limit', '4'], clock);
  t.equal(audit.code, 0);
  t.equal(audit.out.length, 5, 'a header and four entries');
  t.match(audit.out[1], /^2026-03-01T12:00:00.000Z\s+failure\s+token\.revoke\s+cli\s+tok_000000000000\s+-\s+\{"reason":"unknown token"\}/);
  t.match(audit.out[2], /success\s+token\.revoke\s+cli\s+tok_[0-9a-f]{12}.*"alreadyRevoked":true/);
  t.match(audit.out[3], /success\s+token\.revoke\s+cli/);
  t.match(audit.out[4], /success\s+token\.create\s+cli\s+tok_[0-9a-f]{12}.*"role":"publisher"/);
  t.notOk(audit.out.join('\n').includes(created.out.at(-1)!), 'no secret in the audit log');
});

t.test('argument errors exit 2 with a message that says what is wrong', async (t) => {
  const databaseFile = path.join(dir, 'served.sqlite');
  const before = cli(databaseFile, ['list-tokens']).out.length;
  const cases: [string[], RegExp][] = [
    [[], /Usage: npm run admin/],
    [['make-coffee'], /Unknown command "make-coffee"/],
    [['create-token', '--name', 'x'], /needs --role/],
    [['create-token', '--role', 'root', '--name', 'x'], /unknown role "root": use one of producer, publisher, admin/],
    [['create-token', '--role', 'admin'], /needs --name/],
    [['create-token', '--role', 'producer', '--name', 'x'], /--dataflow: a producer token needs at least one dataflow/],
    [['create-token', '--role', 'producer', '--name', 'x', '--dataflow', 'DF_CTS_NOPE'], /unknown dataflow "DF_CTS_NOPE": the stored dataflows are UNODC:DF_CTS_CONVICTED\(1\.0\), /],
    [['create-token', '--role', 'producer', '--name', 'x', '--dataflow', 'UNODC:DF_CTS_OFFENCES(9.9)'], /unknown dataflow "UNODC:DF_CTS_OFFENCES\(9\.9\)": expected AGENCY:ID\(VERSION\) of a stored dataflow/],
    [['create-token', '--role', 'producer', '--name', ' ', '--dataflow', 'DF_CTS_NOPE'], /--name: name must be .*\n--dataflow: unknown dataflow "DF_CTS_NOPE"/],
    [['create-token', '--role', 'admin', '--name', 'x', '--dataflow', 'DF_CTS_OFFENCES'], /only producer tokens carry dataflows/],
    [['create-token', '--role', 'admin', '--name', 'x', '--dataflow', OFFENCES], /only producer tokens carry dataflows/],
    [['create-token', '--role', 'admin', '--name', 'x', '--expires', 'soon'], /--expires: expiry must be a duration/],
    [['create-token', '--role', 'admin', '--name', 'x', '--expires', '2020-01-01T00:00:00Z'], /not in the future/],
    [['create-token', '--role', 'admin', '--name', 'x', '--colour', 'red'], /Unknown option '--colour'/],
    [['revoke-token'], /exactly one token id/],
    [['audit', '--limit', 'lots'], /--limit must be an integer/],
  ];
  for (const [argv, message] of cases) {
    const r = cli(databaseFile, argv);
    t.equal(r.code, 2, argv.join(' '));
    t.match(r.err, message, argv.join(' '));
    t.same(r.out, [], `${argv.join(' ')} prints nothing on stdout`);
  }
  t.equal(cli(databaseFile, ['list-tokens']).out.length, before, 'no token was created');
  const badConfig = runAdmin(['list-tokens'], { env: { DATABASE_URL: 'postgres://db/x' }, out: () => {}, err: () => {} });
  t.equal(badConfig, 1, 'a configuration error exits 1');
});

/** The token's grants as the server would read them from the database. */
function grantsOf(databaseFile: string, token: string): readonly string[] | undefined {
  const repositories = sqliteRepositories(databaseFile, loadConfig({ DATABASE_URL: databaseFile }).migrationsDir);
  try {
    const { principal } = new TokenService(repositories.tokens, fixedClock('2026-03-01T12:00:00.000Z')).authenticate(token);
    return principal?.dataflows;
  } finally {
    repositories.close();
  }
}

t.test('--dataflow may be a bare ID or AGENCY:ID when one stored dataflow matches; the grant is the full reference', async (t) => {
  const databaseFile = path.join(dir, 'served.sqlite');
  const bare = cli(databaseFile, ['create-token', '--role', 'producer', '--name', 'homicide upload', '--dataflow', 'DF_CTS_HOMICIDE']);
  t.equal(bare.code, 0, bare.err);
  t.match(bare.out, [/Created token tok_/, 'Resolved --dataflow DF_CTS_HOMICIDE to UNODC:DF_CTS_HOMICIDE(1.0)', 'Dataflows: UNODC:DF_CTS_HOMICIDE(1.0)']);
  t.same(grantsOf(databaseFile, bare.out.at(-1)!), ['UNODC:DF_CTS_HOMICIDE(1.0)'], 'stored as the full reference');

  const agency = cli(databaseFile, ['create-token', '--role', 'producer', '--name', 'courts', '--dataflow', 'UNODC:DF_CTS_COURTS', '--dataflow', 'DF_CTS_PRISONS']);
  t.equal(agency.code, 0, agency.err);
  t.match(agency.out, [
    /Created token tok_/,
    'Resolved --dataflow UNODC:DF_CTS_COURTS to UNODC:DF_CTS_COURTS(1.0)',
    'Resolved --dataflow DF_CTS_PRISONS to UNODC:DF_CTS_PRISONS(1.0)',
    'Dataflows: UNODC:DF_CTS_COURTS(1.0), UNODC:DF_CTS_PRISONS(1.0)',
  ]);
  t.same(grantsOf(databaseFile, agency.out.at(-1)!), ['UNODC:DF_CTS_COURTS(1.0)', 'UNODC:DF_CTS_PRISONS(1.0)']);

  const same = cli(databaseFile, ['create-token', '--role', 'producer', '--name', 'twice', '--dataflow', 'DF_CTS_HOMICIDE', '--dataflow', 'UNODC:DF_CTS_HOMICIDE(1.0)']);
  t.equal(same.code, 0, same.err);
  t.same(grantsOf(databaseFile, same.out.at(-1)!), ['UNODC:DF_CTS_HOMICIDE(1.0)'], 'a short and a full form of one dataflow grant it once');

  const full = cli(databaseFile, ['create-token', '--role', 'producer', '--name', 'full', '--dataflow', OFFENCES]);
  t.equal(full.code, 0, full.err);
  t.notOk(full.out.some((l) => l.startsWith('Resolved')), 'the full form is taken as it is');
  t.match(full.out, [/Created token tok_/, `Dataflows: ${OFFENCES}`]);
  t.same(grantsOf(databaseFile, full.out.at(-1)!), [OFFENCES]);

  const unknown = cli(databaseFile, ['create-token', '--role', 'producer', '--name', 'x', '--dataflow', 'df_cts_homicide', '--dataflow', 'ESTAT:DF_CTS_HOMICIDE']);
  t.equal(unknown.code, 2);
  t.same(unknown.out, []);
  t.match(unknown.err, /--dataflow: unknown dataflow "df_cts_homicide": did you mean UNODC:DF_CTS_HOMICIDE\(1\.0\)\?/, 'a case-insensitive match is suggested, not taken');
  t.match(unknown.err, /--dataflow: unknown dataflow "ESTAT:DF_CTS_HOMICIDE": did you mean UNODC:DF_CTS_HOMICIDE\(1\.0\)\?/, 'the same id under another agency is suggested');
  t.match(USAGE, /--dataflow <ID\|AGENCY:ID\|AGENCY:ID\(VERSION\)>/);
});

t.test('a short --dataflow that several stored dataflows match is refused with the candidates', async (t) => {
  const databaseFile = path.join(dir, 'versions.sqlite');
  const flow = (agencyID: string, id: string, version: string): Dataflow => ({
    class: 'Dataflow',
    agencyID,
    id,
    version,
    isFinal: true,
    name: { en: id },
    structure: { class: 'DataStructure', agencyID: 'UNODC', id: 'DSD_CTS', version: '1.0' },
  });
  const repositories = sqliteRepositories(databaseFile, loadConfig({ DATABASE_URL: databaseFile }).migrationsDir);
  repositories.structures.synchronise(
    [flow('UNODC', 'DF_CTS_OFFENCES', '1.0'), flow('UNODC', 'DF_CTS_OFFENCES', '2.0'), flow('UNODC', 'DF_CTS_HOMICIDE', '1.0'), flow('ESTAT', 'DF_CTS_HOMICIDE', '1.0')].map(
      (artefact) => ({ artefact, source: `sdmx/dataflows/${artefact.agencyID}-${artefact.id}-${artefact.version}.xml` }),
    ),
    '2026-01-01T00:00:00.000Z',
  );
  repositories.close();

  const versions = cli(databaseFile, ['create-token', '--role', 'producer', '--name', 'x', '--dataflow', 'UNODC:DF_CTS_OFFENCES']);
  t.equal(versions.code, 2);
  t.same(versions.out, []);
  t.match(versions.err, /--dataflow: "UNODC:DF_CTS_OFFENCES" matches 2 dataflows: UNODC:DF_CTS_OFFENCES\(1\.0\), UNODC:DF_CTS_OFFENCES\(2\.0\); name one of them in full/);
  const bare = cli(databaseFile, ['create-token', '--role', 'producer', '--name', 'x', '--dataflow', 'DF_CTS_OFFENCES']);
  t.equal(bare.code, 2);
  t.match(bare.err, /"DF_CTS_OFFENCES" matches 2 dataflows: UNODC:DF_CTS_OFFENCES\(1\.0\), UNODC:DF_CTS_OFFENCES\(2\.0\)/);
  const agencies = cli(databaseFile, ['create-token', '--role', 'producer', '--name', 'x', '--dataflow', 'DF_CTS_HOMICIDE']);
  t.equal(agencies.code, 2);
  t.match(agencies.err, /"DF_CTS_HOMICIDE" matches 2 dataflows: ESTAT:DF_CTS_HOMICIDE\(1\.0\), UNODC:DF_CTS_HOMICIDE\(1\.0\)/);
  t.equal(cli(databaseFile, ['list-tokens']).out.join('\n'), 'No tokens.', 'nothing was created');

  const agency = cli(databaseFile, ['create-token', '--role', 'producer', '--name', 'unodc homicide', '--dataflow', 'UNODC:DF_CTS_HOMICIDE']);
  t.equal(agency.code, 0, agency.err);
  t.same(grantsOf(databaseFile, agency.out.at(-1)!), ['UNODC:DF_CTS_HOMICIDE(1.0)'], 'the agency settles it');
  const version = cli(databaseFile, ['create-token', '--role', 'producer', '--name', 'offences 2', '--dataflow', 'UNODC:DF_CTS_OFFENCES(2.0)']);
  t.equal(version.code, 0, version.err);
  t.same(grantsOf(databaseFile, version.out.at(-1)!), ['UNODC:DF_CTS_OFFENCES(2.0)'], 'the full form names one version');
});

t.test('resolveDataflow', async (t) => {
  const known = new Set(['UNODC:DF_A(1.0)', 'UNODC:DF_A(1.1)', 'UNODC:DF_B(1.0)', 'ESTAT:DF_B(2.0)', 'UNODC:DF_C(1.0)']);
  t.same(resolveDataflow('DF_C', known), { given: 'DF_C', reference: 'UNODC:DF_C(1.0)' });
  t.same(resolveDataflow('ESTAT:DF_B', known), { given: 'ESTAT:DF_B', reference: 'ESTAT:DF_B(2.0)' });
  t.same(resolveDataflow('UNODC:DF_B', known), { given: 'UNODC:DF_B', reference: 'UNODC:DF_B(1.0)' });
  t.same(resolveDataflow('X:DF_NOPE(1.0)', known), { given: 'X:DF_NOPE(1.0)', reference: 'X:DF_NOPE(1.0)' }, 'a full form is for the rules to check');
  t.match(resolveDataflow('DF_A', known), { problem: '"DF_A" matches 2 dataflows: UNODC:DF_A(1.0), UNODC:DF_A(1.1); name one of them in full' });
  t.match(resolveDataflow('DF_B', known), { problem: '"DF_B" matches 2 dataflows: ESTAT:DF_B(2.0), UNODC:DF_B(1.0); name one of them in full' });
  t.match(resolveDataflow('df_a', known), { problem: 'unknown dataflow "df_a": did you mean one of UNODC:DF_A(1.0), UNODC:DF_A(1.1)?' });
  t.match(resolveDataflow('OECD:DF_C', known), { problem: 'unknown dataflow "OECD:DF_C": did you mean UNODC:DF_C(1.0)?' });
  t.match(resolveDataflow('DF_Z', known), {
    problem: 'unknown dataflow "DF_Z": the stored dataflows are ESTAT:DF_B(2.0), UNODC:DF_A(1.0), UNODC:DF_A(1.1), UNODC:DF_B(1.0), UNODC:DF_C(1.0)',
  });
  for (const malformed of ['A:B:C', ':DF_C', 'UNODC:', '']) {
    t.match(resolveDataflow(malformed, known), { problem: /is not a dataflow: use ID, AGENCY:ID or AGENCY:ID\(VERSION\)/ }, JSON.stringify(malformed));
  }
});
