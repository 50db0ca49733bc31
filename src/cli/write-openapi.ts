/**
 * `npm run openapi`: writes the OpenAPI document the server generates (plugins/openapi.ts) to
 * openapi/openapi.json, where it is committed and reviewed like code.
 * test/routes/docs.test.ts fails when the committed file differs from what the server serves.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { PROJECT_ROOT } from '../project-root.js';

export const OPENAPI_FILE = path.join(PROJECT_ROOT, 'openapi', 'openapi.json');

/** The document as the server serves it, formatted for review. */
export async function generatedOpenApi(): Promise<string> {
  const app = await buildApp({ config: loadConfig({ DATABASE_URL: ':memory:', LOG_LEVEL: 'silent', DEMO_DATA: 'off' }) });
  try {
    await app.ready();
    return JSON.stringify(app.swagger(), null, 2) + '\n';
  } finally {
    await app.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(PROJECT_ROOT, 'src/cli/write-openapi.ts')) {
  writeFileSync(OPENAPI_FILE, await generatedOpenApi());
  console.log(`wrote ${path.relative(PROJECT_ROOT, OPENAPI_FILE)}`);
}
