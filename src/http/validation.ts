/**
 * Schema validation for the JSON surfaces (admin, publisher and public JSON APIs). Fastify's default ajv silently drops unknown body
 * properties; here they are refused, so a misspelt `expiresAt` cannot quietly create a token
 * that never expires. Bodies are taken as sent (no type coercion); query strings and path
 * parameters are coerced, since everything in a URL is text.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

function makeAjv(coerceTypes: boolean | 'array') {
  const ajv = new Ajv.default({ allErrors: true, coerceTypes, useDefaults: true, removeAdditional: false });
  addFormats.default(ajv, ['date-time']);
  return ajv;
}

const strict = makeAjv(false);
const coercing = makeAjv('array');

export const strictValidatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strict : coercing).compile(schema);
