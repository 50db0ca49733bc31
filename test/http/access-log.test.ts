/**
 * The access log (http/access-log.ts) and the batched log output (log-output.ts): one line per
 * request carrying what Fastify's two lines did, no credentials, and batches that keep order and
 * reach the output when due.
 */
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { BatchedLogOutput } from '../../src/log-output.js';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  method?: string;
  url?: string;
  statusCode?: number;
  responseTime?: number;
}

t.test('one access-log line per request, with request, status and time, and no token', async (t) => {
  const written: string[] = [];
  const config = loadConfig({ DATABASE_URL: ':memory:', LOG_LEVEL: 'info', DEMO_DATA: 'off', RATE_LIMIT_PER_MINUTE: '0' });
  const app = await buildApp({ config, logger: { level: 'info', stream: { write: (line: string) => void written.push(line) } } });
  t.teardown(() => app.close());
  await app.ready();
  written.length = 0;

  const health = await app.inject({ url: '/health', headers: { authorization: 'Bearer secret-token-value' } });
  t.equal(health.statusCode, 200);
  const missing = await app.inject({ url: '/sdmx/2.1/dataflow/NOBODY' });
  t.equal(missing.statusCode, 404);

  const lines = written.map((l) => JSON.parse(l) as LogLine).filter((l) => l.reqId);
  t.equal(lines.length, 2, 'one line per request, not two');
  t.match(lines[0], { level: 30, msg: 'request completed', method: 'GET', url: '/health', host: 'localhost:80', remoteAddress: '127.0.0.1', statusCode: 200 });
  t.type(lines[0]!.responseTime, 'number');
  t.match(lines[1], { url: '/sdmx/2.1/dataflow/NOBODY', statusCode: 404 });
  t.notOk(written.some((l) => l.includes('incoming request')), 'no line on arrival');
  t.notOk(written.some((l) => l.includes('secret-token-value')), 'the bearer token is never logged');
});

t.test('batched output: lines gather until due, urgent lines flush everything in order', async (t) => {
  const writes: string[] = [];
  const output = new BatchedLogOutput({ out: { write: (text: string) => writes.push(text) }, maxBytes: 100, maxDelayMs: 20 });

  output.lastLevel = 30;
  output.write('a\n');
  output.write('b\n');
  t.same(writes, [], 'info lines wait');
  output.lastLevel = 50;
  output.write('urgent\n');
  t.same(writes, ['a\nb\nurgent\n'], 'an error line is written at once, after what gathered before it');

  output.lastLevel = 30;
  output.write('x'.repeat(120) + '\n');
  t.equal(writes.length, 2, 'a batch past maxBytes is written at once');

  output.write('late\n');
  t.equal(writes.length, 2);
  await new Promise((resolve) => setTimeout(resolve, 60));
  t.same(writes.at(-1), 'late\n', 'a pending batch is written after maxDelayMs');

  output.write('last\n');
  output.flush();
  t.same(writes.at(-1), 'last\n', 'flush writes what gathered');
  output.flush();
  t.equal(writes.length, 4, 'an empty flush writes nothing');
});
