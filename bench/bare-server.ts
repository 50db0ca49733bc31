/**
 * The BARE route of the repeated-query row (a child process of the benchmark): a Fastify app
 * with nothing registered but one wildcard GET route that answers each URL it was given with
 * the bytes and headers the real server sent for it, from memory. What serving a finished
 * answer costs with the framework alone: the server's cached path is measured against it.
 * Environment: BARE_ANSWERS (a JSON file of `BareAnswer`s, written by the benchmark), PORT.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

/** One recorded answer: the URL as requested (path and query), its headers and body. */
export interface BareAnswer {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyBase64: string;
}

/** Headers Node writes itself for every response; the bare route leaves them to it too. */
export const PER_CONNECTION_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

const file = process.env.BARE_ANSWERS;
if (!file) throw new Error('BARE_ANSWERS is not set');
const answers = new Map(
  (JSON.parse(readFileSync(file, 'utf8')) as BareAnswer[]).map((a) => [
    a.url,
    {
      headers: Object.fromEntries(Object.entries(a.headers).filter(([name]) => !PER_CONNECTION_HEADERS.has(name))),
      body: Buffer.from(a.bodyBase64, 'base64'),
    },
  ]),
);

const app = Fastify({ logger: false });
app.get('/health', async () => ({ status: 'ok' }));
app.get('/*', (request, reply) => {
  const answer = answers.get(request.url);
  if (!answer) return reply.code(404).send();
  return reply.headers(answer.headers).send(answer.body);
});

process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
