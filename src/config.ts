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
  readonly migrationsDir: string;
  readonly logLevel: string;
  /** Sender id written in message headers. */
  readonly senderId: string;
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
  return {
    host: env.HOST ?? '127.0.0.1',
    port,
    databasePath: databasePathFrom(env.DATABASE_URL ?? './data/iccs.sqlite'),
    structuresDir: path.resolve(env.STRUCTURES_DIR ?? path.join(PROJECT_ROOT, 'sdmx')),
    migrationsDir: path.join(PROJECT_ROOT, 'migrations'),
    logLevel,
    senderId: env.SDMX_SENDER_ID ?? 'ICCS_SDMX_SERVER',
  };
}
