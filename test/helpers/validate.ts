/**
 * Validation of what we emit against the official schemas: SDMX-ML with xmllint (libxml2),
 * SDMX-JSON with ajv. Both return a list of problems (empty = valid) so tests can show them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { XSD_21, XSD_30 } from './shared.js';

/** Validates an XML document against an XSD; returns xmllint's complaints, [] when valid. */
export function validateXml(xml: string, xsd: string = XSD_21): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'sdmx-xsd-'));
  const file = path.join(dir, 'message.xml');
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', xsd, file], { stdio: 'pipe' });
    return [];
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    const out = e.stderr?.toString() ?? e.message;
    return out
      .split('\n')
      .filter((l) => l.trim() && !l.endsWith(' validates') && !l.includes('fails to validate'))
      .slice(0, 30);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const validateXml21 = (xml: string) => validateXml(xml, XSD_21);
export const validateXml30 = (xml: string) => validateXml(xml, XSD_30);

const validators = new Map<string, (doc: unknown) => string[]>();

/** Validates a JSON document against a JSON schema file (draft-07, formats asserted). */
export function validateJson(doc: unknown, schemaFile: string): string[] {
  let v = validators.get(schemaFile);
  if (!v) {
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    delete schema.$schema; // the SDMX files declare the bare draft URI; ajv defaults to draft-07
    // SDMX-JSON 1.0 (and the 2.0.0 data/metadata schemas) name themselves with the draft-04
    // keyword `id`, which ajv 8 refuses ("NOT SUPPORTED: keyword id"). Only the root carries it,
    // so renaming it to `$id` is the least intrusive fix: no constraint of the schema changes.
    if (typeof schema.id === 'string' && schema.$id === undefined) {
      schema.$id = schema.id;
      delete schema.id;
    }
    // unicodeRegExp: false because the SDMX-JSON 2.0.0 patterns escape characters that need no
    // escape (`\-` outside a class), which JavaScript rejects under the `u` flag ajv uses by
    // default; without it the (ASCII-only) patterns mean exactly what the schema authors wrote.
    const ajv = new Ajv.default({ allErrors: true, strict: false, validateFormats: true, unicodeRegExp: false });
    addFormats.default(ajv);
    const fn = ajv.compile(schema);
    v = (d: unknown) =>
      fn(d) ? [] : (fn.errors ?? []).slice(0, 30).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
    validators.set(schemaFile, v);
  }
  return v(doc);
}
