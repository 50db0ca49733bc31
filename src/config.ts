/**
 * Environment → typed configuration, validated once at start-up. A bad value stops the process
 * with a message that names the variable (fail fast, never a half-configured server).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from './project-root.js';

export interface Config {
  readonly host: string;
  readonly port: number;
  /** Absolute path of the SQLite file, or `:memory:`. */
  readonly databasePath: string;
  readonly structuresDir: string;
  /** The authored reference metadata (YAML, one file per metadata set version); absent = none. */
  readonly metadataDir: string;
  readonly migrationsDir: string;
  readonly logLevel: string;
  /** Sender id written in message headers. */
  readonly senderId: string;
  /** Load and publish the demo data when the database holds no release yet. */
  readonly demoData: boolean;
  /** Data queries matching more observations than this get 413. */
  readonly maxResponseObservations: number;
  /** Memory for finished data responses served again to identical queries (bytes). */
  readonly responseCacheBytes: number;
  /** Requests per client address per minute on the public API; 0 = no limit. */
  readonly rateLimitPerMinute: number;
  /** Largest request body accepted by default (bytes); upload routes set their own. */
  readonly maxJsonBodyBytes: number;
  /** Largest upload accepted (bytes, after gzip decoding); larger ones get 413 while streaming. */
  readonly maxUploadBytes: number;
  /** Where uploads are staged while they are checked (default: the OS temporary folder). */
  readonly uploadTmpDir: string | undefined;
  /** Fastify `trustProxy`: whom to believe about the client address (X-Forwarded-For). */
  readonly trustProxy: boolean | string;
  /** Serve GraphQL at /graphql and GraphiQL at /graphiql (GRAPHQL=on|off, on by default). */
  readonly graphql: boolean;
  /** Milliseconds a GraphQL query may run before it is stopped with a TIMEOUT error. */
  readonly graphqlTimeoutMs: number;
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** `DATABASE_URL` is a file path or a `file:` URL; relative paths are relative to the cwd. */
export function databasePathFrom(url: string): string {
  if (url === ':memory:' || url === 'file::memory:') return ':memory:';
  if (url.startsWith('file://')) return fileURLToPath(url);
  if (url.startsWith('file:')) return path.resolve(url.slice('file:'.length));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new ConfigError(`DATABASE_URL: only SQLite file paths or file: URLs are supported, got a ${url.split(':')[0]} URL`);
  }
  return path.resolve(url);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer between 0 and 65535, got "${env.PORT}"`);
  }
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const demo = env.DEMO_DATA ?? 'on';
  if (demo !== 'on' && demo !== 'off') throw new ConfigError(`DEMO_DATA must be on or off, got "${demo}"`);
  const graphql = env.GRAPHQL ?? 'on';
  if (graphql !== 'on' && graphql !== 'off') throw new ConfigError(`GRAPHQL must be on or off, got "${graphql}"`);
  return {
    host: env.HOST ?? '127.0.0.1',
    port,
    databasePath: databasePathFrom(env.DATABASE_URL ?? './data/iccs.sqlite'),
    structuresDir: path.resolve(env.STRUCTURES_DIR ?? path.join(PROJECT_ROOT, 'sdmx')),
    metadataDir: path.resolve(env.METADATA_DIR ?? path.join(PROJECT_ROOT, 'metadata')),
    migrationsDir: path.join(PROJECT_ROOT, 'migrations'),
    logLevel,
    senderId: env.SDMX_SENDER_ID ?? 'ICCS_SDMX_SERVER',
    demoData: demo === 'on',
    maxResponseObservations: positiveInteger(env, 'MAX_RESPONSE_OBSERVATIONS', 10_000_000),
    responseCacheBytes: positiveInteger(env, 'RESPONSE_CACHE_MB', 64, true) * 1024 * 1024,
    rateLimitPerMinute: positiveInteger(env, 'RATE_LIMIT_PER_MINUTE', 600, true),
    maxJsonBodyBytes: positiveInteger(env, 'MAX_JSON_BODY_KB', 1024) * 1024,
    maxUploadBytes: positiveInteger(env, 'UPLOAD_MAX_MB', 1024) * 1024 * 1024,
    uploadTmpDir: env.UPLOAD_TMP_DIR ? path.resolve(env.UPLOAD_TMP_DIR) : undefined,
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    graphql: graphql === 'on',
    graphqlTimeoutMs: positiveInteger(env, 'GRAPHQL_TIMEOUT_MS', 10_000),
  };
}

/**
 * Rate limits and the failed-auth throttle key on the client address, so behind a reverse
 * proxy it must be told which peers to believe: off (default), on (any peer: only when the
 * port is reachable through the proxy alone), or a comma-separated list of proxy addresses or
 * CIDR ranges. (Fastify ignores hop counts, so they are not offered.)
 */
function trustProxyFrom(raw: string | undefined): boolean | string {
  if (raw === undefined || raw === '' || raw === 'off' || raw === 'false') return false;
  if (raw === 'on' || raw === 'true') return true;
  if (/^[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*$/.test(raw) && /[.:]/.test(raw)) return raw;
  throw new ConfigError(`TRUST_PROXY must be off, on, or a comma-separated list of proxy addresses or CIDR ranges, got "${raw}"`);
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, zeroAllowed = false): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || (n === 0 && !zeroAllowed)) {
    throw new ConfigError(`${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} integer, got "${raw}"`);
  }
  return n;
}
