/**
 * Reads a correspondence table from CSV (RFC 4180 as src/text/csv.ts tokenises it: UTF-8,
 * optional BOM, CRLF, LF or CR; a stray quote inside an unquoted field is kept):
 *
 *   NATIONAL_CODE,NATIONAL_NAME,ICCS_CODE
 *   HOM-01,Murder,0101
 *
 * Column names are matched without regard to case; NATIONAL_NAME (English) is optional, and
 * NATIONAL_NAME_<LANG> columns add names in other languages (NATIONAL_NAME_ES → `es`). Any other
 * column is refused, so that a misspelt one is not silently dropped. Values are trimmed; blank
 * lines are skipped. Every problem is reported with its physical line (the header is line 1),
 * column and value, and then no rows are returned: a table is taken whole or not at all.
 */
import { CsvSyntaxError, tokenizeCsv, type CsvRecord } from '../../text/csv.js';
import { rowProblems, type CorrespondenceRow } from './rows.js';

export interface CorrespondenceCsvError {
  readonly line: number;
  readonly column: string;
  readonly value: string;
  readonly message: string;
}

export type CorrespondenceCsvResult = { readonly rows: CorrespondenceRow[] } | { readonly errors: CorrespondenceCsvError[] };

/** Records with the physical line each starts on (blank lines left out), or the syntax error. */
function records(text: string): { records: CsvRecord[]; error?: CorrespondenceCsvError } {
  try {
    return { records: tokenizeCsv(text, { strayQuotes: 'keep' }).filter((r) => r.fields.length > 1 || r.fields[0] !== '') };
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    if (e.reason === 'unterminated') return { records: [], error: { line: e.recordLine, column: '', value: e.field.slice(0, 40), message: 'A quoted field is not closed' } };
    return { records: [], error: { line: e.line, column: '', value: e.field, message: 'A closing quote must end the field' } };
  }
}

type ColumnRole = { kind: 'code' } | { kind: 'iccs' } | { kind: 'name'; lang: string };

const LANG = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/;

function columnRole(name: string): ColumnRole | undefined {
  const n = name.trim().toUpperCase();
  if (n === 'NATIONAL_CODE') return { kind: 'code' };
  if (n === 'ICCS_CODE') return { kind: 'iccs' };
  if (n === 'NATIONAL_NAME') return { kind: 'name', lang: 'en' };
  const m = /^NATIONAL_NAME_(.+)$/.exec(n);
  if (m) {
    const lang = m[1].toLowerCase().replace(/_/g, '-');
    if (LANG.test(lang)) return { kind: 'name', lang };
  }
  return undefined;
}

/**
 * @param iccsCodes the ICCS codes a row may map to (see CorrespondenceService.iccsCodes()).
 */
export function parseCorrespondenceCsv(text: string, iccsCodes: ReadonlySet<string>): CorrespondenceCsvResult {
  const read = records(text);
  if (read.error) return { errors: [read.error] };
  const [header, ...body] = read.records;
  if (!header) return { errors: [{ line: 1, column: '', value: '', message: 'The file is empty: expected the header NATIONAL_CODE,NATIONAL_NAME,ICCS_CODE' }] };

  const errors: CorrespondenceCsvError[] = [];
  const roles: ColumnRole[] = [];
  const seen = new Set<string>();
  header.fields.forEach((name) => {
    const role = columnRole(name);
    const key = role ? (role.kind === 'name' ? `name:${role.lang}` : role.kind) : undefined;
    if (!role || !key) {
      errors.push({ line: 1, column: name, value: name, message: `Unknown column "${name}": expected NATIONAL_CODE, ICCS_CODE, NATIONAL_NAME or NATIONAL_NAME_<language>` });
    } else if (seen.has(key)) {
      errors.push({ line: 1, column: name, value: name, message: `Column "${name}" appears twice` });
    }
    if (key) seen.add(key);
    roles.push(role ?? { kind: 'name', lang: '' });
  });
  for (const required of ['NATIONAL_CODE', 'ICCS_CODE']) {
    if (!seen.has(required === 'NATIONAL_CODE' ? 'code' : 'iccs')) {
      errors.push({ line: 1, column: required, value: '', message: `Column ${required} is missing (header: ${header.fields.join(',')})` });
    }
  }
  if (errors.length) return { errors };
  if (body.length === 0) return { errors: [{ line: 2, column: '', value: '', message: 'The table has no rows' }] };

  const rows: CorrespondenceRow[] = [];
  const lines: number[] = [];
  for (const rec of body) {
    if (rec.fields.length !== header.fields.length) {
      errors.push({ line: rec.line, column: '', value: rec.fields.join(','), message: `${rec.fields.length} fields, but the header has ${header.fields.length}` });
      continue;
    }
    let nationalCode = '';
    let iccsCode = '';
    const names: Record<string, string> = {};
    rec.fields.forEach((raw, i) => {
      const role = roles[i];
      const value = raw.trim();
      if (role.kind === 'code') nationalCode = value;
      else if (role.kind === 'iccs') iccsCode = value;
      else if (value) names[role.lang] = value;
    });
    const { en, ...otherNames } = names;
    rows.push({
      nationalCode,
      ...(en ? { nationalName: en } : {}),
      ...(Object.keys(otherNames).length ? { otherNames } : {}),
      ...(iccsCode ? { iccsCode } : {}),
    });
    lines.push(rec.line);
  }
  const columnName = (c: string) => header.fields.find((f) => f.trim().toUpperCase() === c) ?? c;
  for (const p of rowProblems(rows, iccsCodes, (i) => `line ${lines[i]}`)) {
    errors.push({ line: lines[p.index], column: columnName(p.column), value: p.value, message: p.message });
  }
  if (errors.length) return { errors: errors.sort((a, b) => a.line - b.line) };
  return { rows };
}
