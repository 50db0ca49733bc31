/**
 * Decides how an uploaded file is to be read: from its Content-Type when that names an SDMX
 * data format (src/sdmx/media-types.ts, version parameter included), else by looking at the
 * first bytes: the XML root element and its namespace, the SDMX-JSON layout, or the first CSV
 * header cell.
 *
 * The SDMX-JSON reader reads 1.0 and 2.0 alike, so telling them apart only names the format:
 * `meta.schema` decides; else `data.structures` or a data set's `structure` index say 2.0, and
 * `data.structure`, the early root-level layout, or a data set whose data starts without a
 * `structure` index say 1.0 (our own 1.0 exports write dataSets first).
 */
import { UploadFormatError, type UploadFormat } from './records.js';
import { JsonTokenizer, type JsonPath, type JsonValue, type Treatment } from './readers/json-tokenizer.js';
import { mlRootFormat } from './readers/ml-message.js';
import { XmlTokenizer } from './readers/xml-tokenizer.js';

export type FormatDetection = { format: UploadFormat } | { error: string };

type Family = 'xml' | 'json' | 'csv';

const JSON_SNIFF_BYTES = 64 * 1024;

/** SDMX data media types with a version (absent = any family member, sniffed). */
const SDMX_TYPES: Readonly<Record<string, { family: Family; versions: Readonly<Record<string, UploadFormat>>; unversioned?: UploadFormat }>> = {
  'application/vnd.sdmx.genericdata+xml': { family: 'xml', versions: { '2.1': 'sdmx-ml-2.1-generic' }, unversioned: 'sdmx-ml-2.1-generic' },
  'application/vnd.sdmx.generictimeseriesdata+xml': { family: 'xml', versions: { '2.1': 'sdmx-ml-2.1-generic' }, unversioned: 'sdmx-ml-2.1-generic' },
  'application/vnd.sdmx.structurespecificdata+xml': {
    family: 'xml',
    versions: { '2.1': 'sdmx-ml-2.1-structure-specific' },
    unversioned: 'sdmx-ml-2.1-structure-specific',
  },
  'application/vnd.sdmx.structurespecifictimeseriesdata+xml': {
    family: 'xml',
    versions: { '2.1': 'sdmx-ml-2.1-structure-specific' },
    unversioned: 'sdmx-ml-2.1-structure-specific',
  },
  'application/vnd.sdmx.data+xml': { family: 'xml', versions: { '3.0.0': 'sdmx-ml-3.0', '3.0': 'sdmx-ml-3.0' } },
  'application/vnd.sdmx.data+json': { family: 'json', versions: { '1.0.0': 'sdmx-json-1.0', '1.0': 'sdmx-json-1.0', '2.0.0': 'sdmx-json-2.0', '2.0': 'sdmx-json-2.0' } },
  'application/vnd.sdmx.data+csv': { family: 'csv', versions: { '1.0.0': 'sdmx-csv-1.0', '1.0': 'sdmx-csv-1.0', '2.0.0': 'sdmx-csv-2.0', '2.0': 'sdmx-csv-2.0' } },
  'text/csv': { family: 'csv', versions: { '1.0.0': 'sdmx-csv-1.0', '2.0.0': 'sdmx-csv-2.0' } },
};

/** Generic types: the family is known (or not), the format is sniffed. */
const GENERIC_TYPES: Readonly<Record<string, Family | undefined>> = {
  'application/csv': 'csv',
  'text/plain': undefined,
  'application/xml': 'xml',
  'text/xml': 'xml',
  'application/json': 'json',
  'text/json': 'json',
  'application/octet-stream': undefined,
};

/** Chooses the format from the request Content-Type and, when that is generic or missing, from the first bytes. */
export function detectUploadFormat(contentType: string | undefined, head: Buffer): FormatDetection {
  const { type, params } = parseContentType(contentType ?? '');
  const charset = params.charset?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
    return { error: `the file must be UTF-8, not ${params.charset}` };
  }
  let family: Family | undefined;
  if (type === '' || Object.hasOwn(GENERIC_TYPES, type)) family = type === '' ? undefined : GENERIC_TYPES[type];
  else if (Object.hasOwn(SDMX_TYPES, type)) {
    const known = SDMX_TYPES[type]!;
    const version = params.version;
    if (version !== undefined) {
      const format = Object.hasOwn(known.versions, version) ? known.versions[version] : undefined;
      if (format) return { format };
      return { error: `${type} version ${version} is not supported (supported: ${Object.keys(known.versions).join(', ')})` };
    }
    if (known.unversioned) return { format: known.unversioned };
    family = known.family;
  } else return { error: unsupportedType(type) };
  return sniff(head, family);
}

function unsupportedType(type: string): string {
  if (/^application\/vnd\.sdmx\.(structure|schema)\+/.test(type)) return `${type} is a structure message; upload data messages only`;
  if (type === 'multipart/form-data') return 'send the file itself as the request body, not as a form';
  if (/gzip|zip|compress|spreadsheet|excel/.test(type)) return `${type} is not supported: send the data uncompressed as SDMX-ML, SDMX-JSON or CSV`;
  return `Content-Type ${type} is not a data format we read (SDMX-ML, SDMX-JSON, SDMX-CSV or CSV)`;
}

function parseContentType(value: string): { type: string; params: Record<string, string> } {
  const [type = '', ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq === -1) continue;
    params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { type: type.trim().toLowerCase(), params };
}

function sniff(head: Buffer, declared: Family | undefined): FormatDetection {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { error: 'the file is gzip-compressed: send it uncompressed' };
  if (head.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    return { error: 'the file is a ZIP archive or a spreadsheet (xlsx): save the sheet as CSV or send SDMX-ML/JSON/CSV' };
  }
  if (head.subarray(0, 4096).includes(0)) return { error: 'the file is binary, not text' };
  const text = new TextDecoder('utf-8').decode(head).replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (start === '') return { error: 'the body is empty' };
  const found: Family = start.startsWith('<') ? 'xml' : start.startsWith('{') || start.startsWith('[') ? 'json' : 'csv';
  if (declared !== undefined && declared !== found) {
    return { error: `the Content-Type says ${declared.toUpperCase()} but the file looks like ${found.toUpperCase()}` };
  }
  if (found === 'xml') return sniffXml(text);
  if (found === 'json') return sniffJson(text.slice(0, JSON_SNIFF_BYTES));
  return sniffCsv(text);
}

class Found {
  constructor(readonly result: FormatDetection) {}
}

function sniffXml(text: string): FormatDetection {
  const tokenizer = new XmlTokenizer({
    wantText: false,
    open: (local, uri) => {
      throw new Found(mlRootFormat(local, uri));
    },
    close: () => undefined,
    text: () => undefined,
  });
  const found = feedUntilFound(() => tokenizer.write(text));
  if (found) return found;
  return { error: 'no XML root element in the first bytes of the file' };
}

/** Runs a sniffing tokenizer: the verdict it throws as Found, a format error as a reason, or undefined. */
function feedUntilFound(feed: () => void): FormatDetection | undefined {
  try {
    feed();
    return undefined;
  } catch (e) {
    if (e instanceof Found) return e.result;
    if (e instanceof UploadFormatError) return { error: `${e.message} (${e.at})` };
    throw e;
  }
}

function sniffJson(text: string): FormatDetection {
  const v1: FormatDetection = { format: 'sdmx-json-1.0' };
  const v2: FormatDetection = { format: 'sdmx-json-2.0' };
  const decide = (result: FormatDetection): never => {
    throw new Found(result);
  };
  const at = (p: JsonPath, ...names: (string | number | undefined)[]) =>
    p.length === names.length && names.every((n, i) => n === undefined || p[i] === n);
  const tokenizer = new JsonTokenizer({
    enter(p: JsonPath): Treatment {
      if (p.length === 0) return 'descend';
      if (at(p, 'meta')) return 'descend';
      if (at(p, 'meta', 'schema')) return 'capture';
      if (at(p, 'structure') || at(p, 'dataSets') || at(p, 'header')) decide(v1);
      if (at(p, 'data')) return 'descend';
      if (at(p, 'data', 'structures')) decide(v2);
      if (at(p, 'data', 'structure')) decide(v1);
      if (at(p, 'data', 'dataSets') || at(p, 'data', 'dataSets', undefined)) return 'descend';
      if (at(p, 'data', 'dataSets', undefined, 'structure') || at(p, 'data', 'dataSets', undefined, 'dimensionGroupAttributes')) decide(v2);
      if (at(p, 'data', 'dataSets', undefined, 'series') || at(p, 'data', 'dataSets', undefined, 'observations')) decide(v1);
      return 'skip';
    },
    value(p: JsonPath, value: JsonValue) {
      if (p.length === 0) decide({ error: 'the JSON document is not an object, so not an SDMX-JSON message' });
      if (at(p, 'meta', 'schema') && typeof value === 'string') {
        if (/\/2\.\d+(\.\d+)?\//.test(value)) decide(v2);
        if (/\/1\.0(\.\d+)?\//.test(value)) decide(v1);
      }
    },
    leave(p: JsonPath) {
      if (p.length === 0) decide({ error: 'the JSON document is not an SDMX-JSON data message (no data.dataSets or structure)' });
    },
  });
  const found = feedUntilFound(() => tokenizer.write(text));
  if (found) return found;
  return {
    error:
      'could not tell SDMX-JSON 1.0 from 2.0 in the first 64 KiB: send Content-Type application/vnd.sdmx.data+json;version=1.0.0 or version=2.0.0',
  };
}

function sniffCsv(text: string): FormatDetection {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  if (line.trim() === '') return { error: 'the first line of the CSV file (its header) is empty' };
  const first = /^"?(DATAFLOW|STRUCTURE(?:\[[^\]]*\])?)"?(?:[,;\t|]|$)/.exec(line)?.[1];
  if (first === 'DATAFLOW') return { format: 'sdmx-csv-1.0' };
  if (first !== undefined) return { format: 'sdmx-csv-2.0' };
  return { format: 'csv-national' };
}
