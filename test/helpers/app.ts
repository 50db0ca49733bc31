/**
 * A fresh app for integration tests: the real structures in `sdmx/`, real migrations, and a
 * new in-memory SQLite database per app, so tests never share state.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/clock.js';

export async function testApp(opts: { clock?: Clock; env?: NodeJS.ProcessEnv } = {}): Promise<FastifyInstance> {
  const config = loadConfig({ DATABASE_URL: ':memory:', LOG_LEVEL: 'silent', DEMO_DATA: 'off', RATE_LIMIT_PER_MINUTE: '0', ...opts.env });
  return buildApp({ config, clock: opts.clock });
}
