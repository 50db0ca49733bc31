/**
 * Validation of what we emit against the official schemas: SDMX-ML with xmllint (libxml2),
 * SDMX-JSON with ajv. Both return a list of problems (empty = valid) so tests can show them.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { XSD_21, XSD_30, XSD_301, XSD_DIR } from './shared.js';

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
/** Against the official SDMX-ML 3.0.0 XSDs, unchanged. */
export const validateXml30Official = (xml: string) => validateXml(xml, XSD_30);
/** Against the official SDMX-ML 3.0.1 XSDs, unchanged (3.0.1 fixes the Code/Parent erratum). */
export const validateXml301 = (xml: string) => validateXml(xml, XSD_301);

let erratumFixed30: string | undefined;
/**
 * The SDMX-ML 3.0.0 XSDs with one published erratum fixed: `Code/Parent` is typed
 * `SingleNCNameIDType` (must start with a letter) although code ids are `IDType`, so numeric
 * codes such as ICCS `0101` cannot name their parent. The TWG fixed it in 3.0.1 (sdmx-ml branch
 * develop, commit 9a65bea: "Parent item type ... → IDType"; test/fixtures/sdmx-standards/README.md). A copy of
 * the official files is patched at that one element, and the patch is checked to apply.
 */
function xsd30WithErratumFixed(): string {
  if (erratumFixed30) return erratumFixed30;
  const dir = mkdtempSync(path.join(tmpdir(), 'sdmx30-xsd-'));
  cpSync(XSD_DIR.v30, dir, { recursive: true });
  const file = path.join(dir, 'SDMXStructureCodelist.xsd');
  const original = readFileSync(file, 'utf8');
  const from = '<xs:element name="Parent" type="common:SingleNCNameIDType">';
  if (!original.includes(from)) throw new Error('SDMX-ML 3.0 Code/Parent erratum not found: has the XSD changed?');
  writeFileSync(file, original.replace(from, '<xs:element name="Parent" type="common:IDType">'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  erratumFixed30 = path.join(dir, 'SDMXMessage.xsd');
  return erratumFixed30;
}

/** Against the SDMX-ML 3.0 XSDs with the 3.0.1 Code/Parent erratum fixed (see above). */
export const validateXml30 = (xml: string) => validateXml(xml, xsd30WithErratumFixed());

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

let ssDir: string | undefined;
let ssCount = 0;
/**
 * A structure-specific SDMX-ML 2.1 message against the official XSDs plus its DSD-specific
 * schema (as served by /schema): the schema is written beside a copy of the official files
 * (it imports SDMXDataStructureSpecific.xsd by relative path) and a driver imports both.
 */
export function validateStructureSpecific21(xml: string, dsdSchema: string): string[] {
  if (!ssDir) {
    const dir = mkdtempSync(path.join(tmpdir(), 'sdmx21-ss-'));
    cpSync(XSD_DIR.v21, dir, { recursive: true });
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    ssDir = dir;
  }
  const namespace = /targetNamespace="([^"]+)"/.exec(dsdSchema)?.[1];
  if (!namespace) return ['the DSD-specific schema has no targetNamespace'];
  const i = ssCount++;
  writeFileSync(path.join(ssDir, `dsd-${i}.xsd`), dsdSchema);
  writeFileSync(
    path.join(ssDir, `driver-${i}.xsd`),
    '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:local:driver">' +
      '<xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" schemaLocation="SDMXMessage.xsd"/>' +
      `<xs:import namespace="${namespace}" schemaLocation="dsd-${i}.xsd"/>` +
      '</xs:schema>',
  );
  return validateXml(xml, path.join(ssDir, `driver-${i}.xsd`));
}
