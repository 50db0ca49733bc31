/**
 * For the tests of the people's JSON API (dataflows, codelists, observations): an app with the
 * real demo data at an injected instant, the instant the held-back demo release becomes public,
 * a response-schema check (ajv over the schemas the routes declare) and a problem+json check.
 */
import type { Test } from 'tap';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { fixedClock } from '../../src/clock.js';
import { problemSchema } from '../../src/http/problem.js';
import { announcedInstant, DEMO_RELEASES } from '../../src/demo/releases.js';
import { testApp } from './app.js';

/** The demo is loaded at this instant; the held-back release is announced a week later at 10:00 UTC. */
export const LOADED_AT = '2026-12-06T12:00:00.000Z';
export const HELD_BACK = DEMO_RELEASES.find((r) => typeof r.announcedAt !== 'string')!;
export const HELD_BACK_AT = announcedInstant(HELD_BACK, LOADED_AT);

export const PROBLEM_TYPE = 'https://iccs-sdmx.org/problems/';

export async function demoApp(): Promise<{ app: FastifyInstance; clock: ReturnType<typeof fixedClock> }> {
  const clock = fixedClock(LOADED_AT);
  const app = await testApp({ clock, env: { DEMO_DATA: 'on' } });
  return { app, clock };
}

export function shifted(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

const ajv = new Ajv2020.default({ allErrors: true, strict: false });
addFormats.default(ajv);
ajv.addSchema(problemSchema);
const compiled = new Map<object, ReturnType<typeof ajv.compile>>();

/** Whether `body` is valid against `schema` (a route's declared response schema); the errors as text when not. */
export function schemaErrors(schema: object, body: unknown): string | null {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  return validate(body) ? null : ajv.errorsText(validate.errors, { separator: '\n' });
}

/** Asserts a 4xx problem+json (never 5xx) of the given status, naming the parameter when given. */
export function assertProblem(t: Test, res: LightMyRequestResponse, status: number, parameter?: string, what = ''): Record<string, unknown> {
  t.equal(res.statusCode, status, `${what} answers ${status} (${res.body.slice(0, 300)})`);
  t.match(res.headers['content-type'], /^application\/problem\+json/, `${what} is problem+json`);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  t.equal(schemaErrors(problemSchema, body), null, `${what}: a Problem document`);
  t.equal(body.status, status);
  t.match(body.type, new RegExp(`^${PROBLEM_TYPE.replaceAll('.', '\\.')}`), `${what}: one of our problem types`);
  if (parameter !== undefined) t.equal(body.parameter, parameter, `${what} names the parameter ${parameter}`);
  return body;
}
