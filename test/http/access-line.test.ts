/**
 * The cache front's access line (src/http/access-line.ts): for a pino logger in its default
 * shape, byte for byte the line pino writes for the same fields (its time aside); for any other
 * logger, the same fields through `log.info`; nothing below the logger's level.
 */
import t from 'tap';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { accessLineWriter, type AccessFacts } from '../../src/http/access-line.js';
import { BatchedLogOutput } from '../../src/log-output.js';
import { withCredentialsRedacted } from '../../src/auth/log-redaction.js';

const FACTS: AccessFacts = {
  reqId: 'cached-1f',
  url: '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.MEX+GTM.VIC_HOM.0101._T._T._T.?x="quoted"\\back',
  host: 'data.example.org',
  remoteAddress: '::ffff:203.0.113.7',
  statusCode: 304,
  responseTime: 0.123456789,
};

function capture(options: pino.LoggerOptions = {}) {
  const written: { line: string; level: number }[] = [];
  const output = new BatchedLogOutput({ out: { write: () => undefined } });
  // Record each line with the level the output was told, as log-output.ts reads it.
  output.write = function (line: string) {
    written.push({ line, level: this.lastLevel });
  };
  const redaction = withCredentialsRedacted({ level: 'info', ...options });
  const logger = pino(redaction as pino.LoggerOptions, output) as unknown as FastifyBaseLogger;
  return { logger, written };
}

const withoutTime = (line: string) => line.replace(/"time":\d+/, '"time":0');

t.test("a default-shaped pino logger: pino's own line, written straight to its destination", async (t) => {
  const { logger, written } = capture();
  accessLineWriter(logger)(FACTS);
  logger.info({ reqId: FACTS.reqId, method: 'GET', url: FACTS.url, host: FACTS.host, remoteAddress: FACTS.remoteAddress, statusCode: FACTS.statusCode, responseTime: FACTS.responseTime }, 'request completed');
  t.equal(written.length, 2);
  t.equal(withoutTime(written[0]!.line), withoutTime(written[1]!.line), 'the same bytes as pino writes');
  t.equal(written[0]!.level, 30, 'the output is told the level, as pino tells it');
  t.same(JSON.parse(written[0]!.line).url, FACTS.url, 'quotes and backslashes escaped');
});

t.test('below the level, nothing; the level is read at each line', async (t) => {
  const { logger, written } = capture({ level: 'warn' });
  const write = accessLineWriter(logger);
  write(FACTS);
  t.equal(written.length, 0);
  logger.level = 'info';
  write(FACTS);
  t.equal(written.length, 1);
});

t.test('a logger of another shape gets the fields through log.info', async (t) => {
  const { logger, written } = capture({ messageKey: 'message', formatters: { level: (label) => ({ severity: label }) } });
  accessLineWriter(logger)(FACTS);
  t.equal(written.length, 1);
  const line = JSON.parse(written[0]!.line);
  t.match(line, { severity: 'info', message: 'request completed', reqId: FACTS.reqId, method: 'GET', url: FACTS.url, statusCode: 304 });
});
