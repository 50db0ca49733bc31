/**
 * `npm run admin -- <command>`: token and audit administration on the command line, against the
 * database the server uses (DATABASE_URL, as the server reads it; opening it applies pending
 * migrations). Changes made here are audited with the actor `cli`.
 *
 *   create-token --role <role> --name <name> [--dataflow <ID|AGENCY:ID|AGENCY:ID(VERSION)>...] [--expires <ISO|30d|12h>]
 *   list-tokens
 *   revoke-token <tokenId>
 *   audit [--limit N]
 *
 * create-token prints a short summary, then the token alone on the last line (so scripts can
 * take `tail -n 1`). A grant is always stored as the full `AGENCY:ID(VERSION)`; on the command
 * line `--dataflow` may also be a bare `ID` or `AGENCY:ID` when exactly one stored dataflow
 * matches (the summary shows what it resolved to). Several matches (versions, agencies) are
 * refused with the candidates listed, never resolved to the "latest". The admin API takes only
 * the full form.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { systemClock, type Clock } from '../clock.js';
import { ConfigError, loadConfig } from '../config.js';
import { sqliteRepositories } from '../storage/sqlite/index.js';
import type { Repositories } from '../storage/repositories.js';
import { TokenService, type TokenInfo } from '../auth/token-service.js';
import { AuditLog, CLI_ACTOR, MAX_AUDIT_PAGE } from '../audit/audit-log.js';
import { isRole, ROLES } from '../auth/roles.js';
import { ExpiryError, parseExpiry } from '../auth/expiry.js';
import { tokenRuleViolations } from '../auth/token-rules.js';
import { dataflowReferences } from '../auth/dataflow-grants.js';

export const USAGE = `Usage: npm run admin -- <command>
  create-token --role <${ROLES.join('|')}> --name <name> [--dataflow <ID|AGENCY:ID|AGENCY:ID(VERSION)>...] [--expires <ISO instant|30d|12h|90m|2w>]
  list-tokens
  revoke-token <tokenId>
  audit [--limit N]
A --dataflow without (VERSION), or without AGENCY:, is accepted when exactly one stored dataflow matches.`;

export interface AdminIo {
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly clock?: Clock;
}

class UsageError extends Error {}

interface Context {
  readonly repositories: Repositories;
  readonly tokens: TokenService;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly out: (line: string) => void;
}

export interface ResolvedDataflow {
  readonly given: string;
  /** `AGENCY:ID(VERSION)`; a given full form is passed on as it is, for the token rules to check. */
  readonly reference: string;
}

export interface UnresolvedDataflow {
  readonly given: string;
  /** Why not, with the candidates or near matches in full form. */
  readonly problem: string;
}

const FULL_REFERENCE = /^([^:()]+):([^:()]+)\(([^()]+)\)$/;

/**
 * What a `--dataflow` names among the known `AGENCY:ID(VERSION)` references: a full reference
 * (anything with a parenthesis) is passed on unchanged; a bare `ID` or an `AGENCY:ID` resolves
 * when exactly one known dataflow has that id (and agency). Ids are matched exactly, as SDMX
 * compares them; a match that differs only in case is suggested, not taken.
 */
export function resolveDataflow(given: string, known: ReadonlySet<string>): ResolvedDataflow | UnresolvedDataflow {
  if (given.includes('(') || given.includes(')')) return { given, reference: given };
  const parts = given.split(':');
  if (parts.length > 2 || parts.some((p) => p === '')) {
    return { given, problem: `"${given}" is not a dataflow: use ID, AGENCY:ID or AGENCY:ID(VERSION)` };
  }
  const [agency, id] = parts.length === 2 ? [parts[0]!, parts[1]!] : [undefined, parts[0]!];
  const refs = [...known]
    .sort()
    .flatMap((reference) => {
      const m = FULL_REFERENCE.exec(reference);
      return m ? [{ reference, agency: m[1]!, id: m[2]! }] : [];
    });
  const matches = refs.filter((r) => r.id === id && (agency === undefined || r.agency === agency)).map((r) => r.reference);
  if (matches.length === 1) return { given, reference: matches[0]! };
  if (matches.length > 1) {
    return { given, problem: `"${given}" matches ${matches.length} dataflows: ${matches.join(', ')}; name one of them in full` };
  }
  const near = refs.filter((r) => r.id.toLowerCase() === id.toLowerCase()).map((r) => r.reference);
  const hint = near.length
    ? `did you mean ${near.length === 1 ? near[0] : `one of ${near.join(', ')}`}?`
    : `the stored dataflows are ${refs.map((r) => r.reference).join(', ')}`;
  return { given, problem: `unknown dataflow "${given}": ${hint}` };
}

function createToken(args: string[], ctx: Context): void {
  const { values } = parseArgs({
    args,
    options: { role: { type: 'string' }, name: { type: 'string' }, dataflow: { type: 'string', multiple: true }, expires: { type: 'string' } },
    strict: true,
  });
  if (values.role === undefined) throw new UsageError('create-token needs --role');
  if (!isRole(values.role)) throw new UsageError(`unknown role "${values.role}": use one of ${ROLES.join(', ')}`);
  if (values.name === undefined) throw new UsageError('create-token needs --name');
  const role = values.role;
  const known = dataflowReferences(ctx.repositories.structures.all().map((s) => s.artefact));
  if (role === 'producer' && known.size === 0) {
    throw new UsageError('this database holds no structures yet: start the server once against it so that it loads them');
  }
  // Only a producer's dataflows are resolved; any other role's are refused by the rules as given.
  const requested = [...new Set(values.dataflow ?? [])];
  const resolutions = role === 'producer' ? requested.map((given) => resolveDataflow(given, known)) : requested.map((given) => ({ given, reference: given }));
  const unresolved = resolutions.filter((r): r is UnresolvedDataflow => 'problem' in r);
  const dataflows = [...new Set(resolutions.map((r) => ('reference' in r ? r.reference : r.given)))];
  // The rules judge everything else; the unresolved short forms are reported in their own words
  // below, so the rules are told they exist (else each would also be "unknown dataflow").
  const violations = tokenRuleViolations({ name: values.name, role, dataflows }, new Set([...known, ...unresolved.map((r) => r.given)]));
  const messages = [
    ...violations.map((v) => `--${v.field === 'dataflows' ? 'dataflow' : v.field}: ${v.message}`),
    ...unresolved.map((r) => `--dataflow: ${r.problem}`),
  ];
  if (messages.length) throw new UsageError(messages.join('\n'));
  let expiresAt: string | null = null;
  if (values.expires !== undefined) {
    try {
      expiresAt = parseExpiry(values.expires, ctx.clock.now());
    } catch (err) {
      if (err instanceof ExpiryError) throw new UsageError(`--expires: ${err.message}`);
      throw err;
    }
  }
  const { token, info } = ctx.tokens.create({ name: values.name.trim(), role, dataflows, expiresAt, createdBy: CLI_ACTOR });
  ctx.audit.record({
    actor: CLI_ACTOR,
    action: 'token.create',
    target: info.tokenId,
    outcome: 'success',
    detail: { name: info.name, role: info.role, dataflows: info.dataflows, expiresAt: info.expiresAt },
  });
  ctx.out(`Created token ${info.tokenId} "${info.name}" with the role ${info.role}`);
  for (const r of resolutions) if ('reference' in r && r.reference !== r.given) ctx.out(`Resolved --dataflow ${r.given} to ${r.reference}`);
  if (info.dataflows.length) ctx.out(`Dataflows: ${info.dataflows.join(', ')}`);
  ctx.out(`Expires: ${info.expiresAt ?? 'never'}`);
  ctx.out('Keep the token now: it is stored hashed and cannot be shown again.');
  ctx.out(token);
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

function listTokens(args: string[], ctx: Context): void {
  parseArgs({ args, options: {}, strict: true });
  const tokens = ctx.tokens.list();
  if (tokens.length === 0) {
    ctx.out('No tokens.');
    return;
  }
  const row = (t: TokenInfo) => [t.tokenId, t.status, t.role, t.name, t.expiresAt ?? 'never', t.lastUsedAt ?? 'never', t.dataflows.join(' ')];
  for (const line of table([['TOKEN', 'STATUS', 'ROLE', 'NAME', 'EXPIRES', 'LAST USED', 'DATAFLOWS'], ...tokens.map(row)])) ctx.out(line);
}

function revokeToken(args: string[], ctx: Context): number {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('revoke-token needs exactly one token id (tok_…)');
  const tokenId = positionals[0]!;
  const before = ctx.tokens.get(tokenId);
  const revoked = before && ctx.tokens.revoke(tokenId);
  ctx.audit.record({
    actor: CLI_ACTOR,
    action: 'token.revoke',
    target: tokenId,
    outcome: revoked ? 'success' : 'failure',
    detail: revoked ? { name: revoked.name, role: revoked.role, alreadyRevoked: before.status === 'revoked' } : { reason: 'unknown token' },
  });
  if (!revoked) throw new UsageError(`no token ${tokenId}`);
  ctx.out(before.status === 'revoked' ? `${tokenId} was already revoked at ${revoked.revokedAt}` : `Revoked ${tokenId} "${revoked.name}"`);
  return 0;
}

function audit(args: string[], ctx: Context): void {
  const { values } = parseArgs({ args, options: { limit: { type: 'string' } }, strict: true });
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) throw new UsageError(`--limit must be an integer from 1 to ${MAX_AUDIT_PAGE}`);
  const entries = ctx.audit.list({ limit });
  if (entries.length === 0) {
    ctx.out('The audit log is empty.');
    return;
  }
  const rows = entries.map((e) => [e.at, e.outcome, e.action, e.actor ?? '-', e.target ?? '-', e.client ?? '-', JSON.stringify(e.detail)]);
  for (const line of table([['AT', 'OUTCOME', 'ACTION', 'ACTOR', 'TARGET', 'CLIENT', 'DETAIL'], ...rows])) ctx.out(line);
}

const COMMANDS: Record<string, (args: string[], ctx: Context) => void | number> = {
  'create-token': createToken,
  'list-tokens': listTokens,
  'revoke-token': revokeToken,
  audit,
};

/** Runs one command; returns the exit code (0 done, 1 could not run, 2 bad usage). */
export function runAdmin(argv: readonly string[], io: AdminIo): number {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    (command === undefined ? io.err : io.out)(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`Unknown command "${command}".\n${USAGE}`);
    return 2;
  }
  let repositories: Repositories | undefined;
  try {
    const config = loadConfig(io.env);
    const clock = io.clock ?? systemClock;
    repositories = sqliteRepositories(config.databasePath, config.migrationsDir);
    const ctx: Context = { repositories, tokens: new TokenService(repositories.tokens, clock), audit: new AuditLog(repositories.audit, clock), clock, out: io.out };
    return run(args, ctx) ?? 0;
  } catch (err) {
    // parseArgs reports unknown or incomplete options with this code.
    const code = (err as { code?: string }).code;
    if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.err(`${command}: ${(err as Error).message}`);
      return 2;
    }
    io.err(err instanceof ConfigError ? `Cannot run: ${err.message}` : `Cannot run: ${String(err)}`);
    return 1;
  } finally {
    repositories?.close();
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  process.exitCode = runAdmin(process.argv.slice(2), {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
