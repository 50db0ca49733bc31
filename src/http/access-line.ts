/**
 * The access line of an answer the cache front sends (cache-front.ts), written straight to the
 * app logger's destination in the form pino gives the access log's own line (access-log.ts):
 * the same fields in the same order, the same JSON. pino's per-call work (the merge object, its
 * key loop, the string building) cost the front as much as its cache lookup, headers and rate
 * limit together (a CPU profile of the repeated-query row); here the line is one template.
 *
 * Only for a logger in pino's default shape (epoch-ms `time`, `msg` as the message key, no
 * formatters or mixin); any other logger gets the same fields through `log.info`.
 */
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';

export interface AccessFacts {
  readonly reqId: string;
  readonly url: string;
  readonly host: string;
  readonly remoteAddress: string;
  readonly statusCode: number;
  readonly responseTime: number;
}

/** pino's request for each line's level (log-output.ts): set it as pino would before writing. */
const PINO_METADATA = Symbol.for('pino.metadata');
const INFO = 30;

interface PinoInternals {
  readonly [key: symbol]: unknown;
}

type Destination = { write(line: string): unknown; lastLevel?: number; [PINO_METADATA]?: boolean };

/** The destination and bindings of a pino logger in its default shape, or undefined. */
function defaultShaped(log: FastifyBaseLogger): { destination: Destination; bindings: string } | undefined {
  const internals = log as unknown as PinoInternals;
  const s = pino.symbols;
  const destination = internals[s.streamSym] as Destination | undefined;
  const bindings = internals[s.chindingsSym];
  const formatters = internals[s.formattersSym] as { log?: unknown; level?: (label: string, value: number) => unknown } | undefined;
  const plain =
    destination !== undefined &&
    typeof destination.write === 'function' &&
    typeof bindings === 'string' &&
    internals[s.timeSym] === pino.stdTimeFunctions.epochTime &&
    internals[s.messageKeySym] === 'msg' &&
    internals[s.mixinSym] === undefined &&
    internals[s.nestedKeySym] === null &&
    // pino's default formatters: the level as a number, no transformation of the merge object.
    (formatters === undefined || (formatters.log === undefined && JSON.stringify(formatters.level?.('info', INFO)) === `{"level":${INFO}}`));
  return plain ? { destination, bindings: bindings as string } : undefined;
}

/** Writes access lines for the cache front on `log`. */
export function accessLineWriter(log: FastifyBaseLogger): (facts: AccessFacts) => void {
  const shaped = defaultShaped(log);
  if (!shaped) {
    return (facts) => log.info({ reqId: facts.reqId, method: 'GET', ...withoutReqId(facts) }, 'request completed');
  }
  const { destination, bindings } = shaped;
  const wantsLevel = destination[PINO_METADATA] === true;
  return (f) => {
    // The level can be changed at run time (`log.level = ...`).
    if ((log as unknown as { levelVal: number }).levelVal > INFO) return;
    if (wantsLevel) destination.lastLevel = INFO;
    destination.write(
      `{"level":${INFO},"time":${Date.now()}${bindings},"reqId":${JSON.stringify(f.reqId)},"method":"GET","url":${JSON.stringify(f.url)},` +
        `"host":${JSON.stringify(f.host)},"remoteAddress":${JSON.stringify(f.remoteAddress)},"statusCode":${f.statusCode},"responseTime":${f.responseTime},"msg":"request completed"}\n`,
    );
  };
}

function withoutReqId(f: AccessFacts): Omit<AccessFacts, 'reqId'> {
  return { url: f.url, host: f.host, remoteAddress: f.remoteAddress, statusCode: f.statusCode, responseTime: f.responseTime };
}
