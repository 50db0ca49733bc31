/**
 * The BASELINE server (a child process of the benchmark): a bare Fastify app over the same
 * SQLite file, answering each benchmark query with the equivalent SQL (baseline-sql.ts) and
 * `JSON.stringify(rows)` (`limit=N`: the first N rows of a whole dataflow; `series=N`: the rows of
 * the first N matching series). No SDMX, no visibility service, no caching: what the same rows cost
 * with nothing around them. Environment: BENCH_DB (file), PORT.
 */
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { baselineSelect, type KeyFilter } from './baseline-sql.js';

const file = process.env.BENCH_DB;
if (!file) throw new Error('BENCH_DB is not set');
const db = new Database(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');

const statements = {
  series: db.prepare(baselineSelect('series')),
  area: db.prepare(baselineSelect('area')),
  all: db.prepare(baselineSelect('all')),
};
/** The first `limit` rows of a whole dataflow: the baseline of one page of the JSON API. */
const firstRows = db.prepare(`${baselineSelect('all')}\nLIMIT @limit`);
/** The rows of the first `series` matching series: the baseline of one page of GraphQL's series. */
const firstSeries = {
  series: db.prepare(baselineSelect('series', undefined, true)),
  area: db.prepare(baselineSelect('area', undefined, true)),
  all: db.prepare(baselineSelect('all', undefined, true)),
};

const app = Fastify({ logger: false });
app.get('/health', async () => ({ status: 'ok' }));
app.get<{ Params: { kind: KeyFilter['kind'] }; Querystring: Record<string, string> }>('/baseline/:kind', async (request, reply) => {
  const statement = statements[request.params.kind];
  if (!statement) return reply.code(404).send();
  const { dataflow, key, area, limit, series } = request.query;
  const now = new Date().toISOString();
  const params = { dataflow, now, ...(key === undefined ? {} : { key }), ...(area === undefined ? {} : { area }) };
  const rows =
    limit !== undefined && request.params.kind === 'all'
      ? firstRows.all({ dataflow, now, limit: Number(limit) })
      : series !== undefined
        ? firstSeries[request.params.kind].all({ ...params, series: Number(series) })
        : statement.all(params);
  return reply.type('application/json').send(JSON.stringify(rows));
});

process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
