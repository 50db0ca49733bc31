/**
 * The process: read the configuration, build the app, listen, and close gracefully on SIGINT
 * and SIGTERM. A configuration or structure problem ends the process with a clear message and
 * exit code 1 instead of a stack trace.
 */
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { StructureLoadError } from './services/structure-files.js';
import { processLogOutput } from './log-output.js';

async function main(): Promise<void> {
  const config = loadConfig();
  // Lines below warn are written in batches (log-output.ts): a write per line cost as much as a cached answer.
  const app = await buildApp({ config, logger: { level: config.logLevel, stream: processLogOutput() } });
  const close = async (signal: string) => {
    app.log.info({ signal }, 'closing');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  await app.listen({ host: config.host, port: config.port });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof StructureLoadError) {
    console.error(`Cannot start: ${err.message}`);
  } else {
    console.error('Cannot start:', err);
  }
  process.exit(1);
});
