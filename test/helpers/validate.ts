/**
 * Validation of what we emit against the official schemas: SDMX-ML with libxml2 compiled to
 * WebAssembly (the npm package libxml2-wasm, so no system xmllint is needed), SDMX-JSON with ajv.
 * Both return a list of problems (empty = valid) so tests can show them.
 *
 * An XSD is read from disk by its path, and libxml2 loads the files it imports or includes by
 * relative path through libxml2-wasm's Node.js file input provider, so a multi-file XSD set (or
 * a generated schema written beside a copy of one) works as with `xmllint --schema`. A compiled
 * schema is kept for the next message that names the same file with the same content.
 * Problems are worded as xmllint words them (`file:line: element X: Schemas validity error : …`).
 */
import { cpSync, mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ParseOption, XmlDocument, XmlLibError, XsdValidator, type ErrorDetail } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
import { XSD_21, XSD_30, XSD_301, XSD_DIR } from './shared.js';

xmlRegisterFsInputProviders();

/** No network: an import by URL that is not a local file fails instead of being fetched. */
const PARSE = { option: ParseOption.XML_PARSE_NONET } as const;
const MAX_PROBLEMS = 30;

/** The element a diagnostic is about, as xmllint names it (local name), from its XPath. */
function elementOf(d: ErrorDetail): string | undefined {
  const last = d.xpath?.split('/').pop();
  if (!last) return undefined;
  const named = /name\(\)='([^']+)'/.exec(last)?.[1] ?? last.replace(/\[\d+\]$/, '');
  return named.replace(/^.*:/, '') || undefined;
}

function describe(details: readonly ErrorDetail[], kind: string, fallback: string): string[] {
  const lines = details
    .filter((d) => d.level >= 2)
    .map((d) => {
      const where = `${d.file ?? '-'}:${d.line}: `;
      const element = elementOf(d);
      return `${where}${element ? `element ${element}: ` : ''}${kind} : ${d.message.trim()}`;
    });
  return lines.length ? lines : [fallback];
}

interface Compiled {
  readonly source: string;
  readonly schema: XmlDocument;
  readonly validator: XsdValidator;
}
/** Compiled schemas by path, least recently used first; a few are enough (tests use one at a time). */
const compiled = new Map<string, Compiled>();
const MAX_COMPILED = 6;

function dispose(c: Compiled): void {
  c.validator.dispose();
  c.schema.dispose();
}

/** The validator for `xsd`, or the problems that kept it from compiling. */
function validatorFor(xsd: string): XsdValidator | string[] {
  const file = path.resolve(xsd);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    return [`cannot read the schema ${file}: ${(err as Error).message}`];
  }
  const known = compiled.get(file);
  if (known) {
    compiled.delete(file);
    if (known.source === source) {
      compiled.set(file, known);
      return known.validator;
    }
    dispose(known);
  }
  let schema: XmlDocument;
  try {
    schema = XmlDocument.fromString(source, { ...PARSE, url: file });
  } catch (err) {
    const details = err instanceof XmlLibError ? err.details : [];
    return describe(details, 'parser error', `the schema ${file} is not well-formed: ${(err as Error).message}`);
  }
  let validator: XsdValidator;
  try {
    validator = XsdValidator.fromDoc(schema);
  } catch (err) {
    schema.dispose();
    const details = err instanceof XmlLibError ? err.details : [];
    return [...describe(details, 'Schemas parser error', (err as Error).message), `WXS schema ${file} failed to compile`];
  }
  compiled.set(file, { source, schema, validator });
  while (compiled.size > MAX_COMPILED) {
    const [oldest, c] = compiled.entries().next().value as [string, Compiled];
    compiled.delete(oldest);
    dispose(c);
  }
  return validator;
}

/** Validates an XML document against an XSD; returns the problems found, [] when valid. */
export function validateXml(xml: string, xsd: string = XSD_21): string[] {
  const validator = validatorFor(xsd);
  if (Array.isArray(validator)) return validator.slice(0, MAX_PROBLEMS);
  let doc: XmlDocument;
  try {
    // As bytes, like a file: the XML declaration's encoding applies, as it did for xmllint.
    doc = XmlDocument.fromBuffer(Buffer.from(xml, 'utf8'), { ...PARSE, url: 'message.xml' });
  } catch (err) {
    const details = err instanceof XmlLibError ? err.details : [];
    return describe(details, 'parser error', `not well-formed: ${(err as Error).message}`).slice(0, MAX_PROBLEMS);
  }
  try {
    validator.validate(doc);
    return [];
  } catch (err) {
    const details = err instanceof XmlLibError ? err.details : [];
    return describe(details, 'Schemas validity error', `fails to validate: ${(err as Error).message}`).slice(0, MAX_PROBLEMS);
  } finally {
    doc.dispose();
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
 * develop, commit 9a65bea: "Parent item type ... → IDType"; test/fixtures/sdmx-standards/README.md).
 * A copy of the official files is patched at that one element, and the patch is checked to apply.
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
