/**
 * CSV uploads into records: SDMX-CSV 1.0 (shared/sdmx/csv/1.0), SDMX-CSV 2.0
 * (shared/sdmx/csv/2.0.0) and plain "national" CSV with any column names.
 *
 * - Separator: SDMX-CSV readers take it from the character after the first header term
 *   (`DATAFLOW` / `STRUCTURE` / `STRUCTURE[;]`); a national file uses whichever of comma,
 *   semicolon or tab its header line holds most.
 * - Labels (`labels=both`): a header `ID: Name` names component ID, and in such a column a
 *   value `CODE: Name` is read as CODE when CODE looks like an SDMX id or period (so free text
 *   holding ": " is left alone). The structure cell (`AGENCY:ID(1.0): Name`) likewise.
 * - SDMX-CSV 2.0: STRUCTURE must be dataflow/datastructure/dataprovision; STRUCTURE_ID becomes
 *   the record's structure; ACTION (I/A/R/D, empty = none) its action. STRUCTURE_NAME,
 *   SERIES_KEY and OBS_KEY restate other cells and are dropped; with STRUCTURE_NAME
 *   (`labels=name`) every component column is followed by a name column, which is dropped too.
 *   A header `ATTR[]` or `ATTR[en;fr]` names ATTR; multi-valued cells are kept as written.
 * - SDMX values are kept exactly as written (spaces are data, RFC 4180 §2.4); national cells and
 *   every header are trimmed. Empty cells are omitted; a row of empty cells is skipped.
 * - A row with more or fewer fields than the header is a format error.
 */
import { CsvSyntaxError, CsvTokenizer } from '../../text/csv.js';
import { UploadFormatError, type UploadAction, type UploadFormat, type UploadRecord } from '../records.js';
import { MAX_TOKEN } from './text-stream.js';
import type { TextParser } from './text-parser.js';

type CsvFormat = Extract<UploadFormat, 'sdmx-csv-1.0' | 'sdmx-csv-2.0' | 'csv-national'>;

interface Column {
  readonly index: number;
  readonly id: string;
  /** The header had `ID: Name`, so values may be `CODE: Name`. */
  readonly labelled: boolean;
}

interface Layout {
  readonly width: number;
  readonly columns: readonly Column[];
  readonly structureColumn?: number;
  /** SDMX-CSV 2.0 STRUCTURE column, whose cells must name an artefact type. */
  readonly typeColumn?: number;
  readonly actionColumn?: number;
  readonly trimValues: boolean;
}

const STRUCTURE_TYPES = new Set(['dataflow', 'datastructure', 'dataprovision']);
const ACTIONS = new Set<string>(['I', 'A', 'R', 'D']);
/** What may stand before ": " in a labelled value: SDMX ids and reporting periods. */
const CODE_LIKE = /^[A-Za-z0-9_@$.\-]+$/;
const SDMX_20_FIRST = /^STRUCTURE(\[.*\])?$/;

export function isCsvFormat(format: UploadFormat): format is CsvFormat {
  return format === 'sdmx-csv-1.0' || format === 'sdmx-csv-2.0' || format === 'csv-national';
}

export function csvParser(format: CsvFormat, out: UploadRecord[]): TextParser {
  /** Text before the header's line end, in pieces. */
  const head: string[] = [];
  let headLength = 0;
  let tokenizer: CsvTokenizer | undefined;
  let layout: Layout | undefined;

  const onRow = (fields: string[], line: number) => {
    if (!layout) {
      layout = headerLayout(format, fields);
      return;
    }
    const record = rowRecord(layout, fields, line);
    if (record) out.push(record);
  };
  /** The separator is known once the header line is complete: then the tokenizer starts. */
  const start = () => {
    const text = head.join('');
    const nl = text.indexOf('\n');
    tokenizer = new CsvTokenizer(onRow, {
      separator: separatorOf(format, nl === -1 ? text : text.slice(0, nl)),
      lineBreaks: 'lf',
      strayQuotes: 'keep',
      skipEmptyLines: true,
      maxLength: MAX_TOKEN,
    });
    tokenizer.write(text);
  };
  return {
    write(text) {
      try {
        if (tokenizer) return tokenizer.write(text);
        head.push(text);
        headLength += text.length;
        if (text.includes('\n')) start();
        else if (headLength > MAX_TOKEN) throw new UploadFormatError('no line end within 16 MiB: this is not a CSV file', 'line 1');
      } catch (e) {
        throw uploadError(e);
      }
    },
    end() {
      if (!tokenizer && head.join('').trim() === '') throw new UploadFormatError('the file is empty', 'line 1');
      try {
        if (!tokenizer) start();
        tokenizer!.end();
      } catch (e) {
        throw uploadError(e);
      }
      if (!layout) throw new UploadFormatError('the file has no header row', 'line 1');
    },
  };
}

/** A CSV syntax error in the words and at the place an upload's problems are reported. */
function uploadError(e: unknown): unknown {
  if (!(e instanceof CsvSyntaxError)) return e;
  switch (e.reason) {
    case 'unterminated':
      return new UploadFormatError('the file ends inside a quoted field', `line ${e.recordLine}`);
    case 'text-after-quote':
      return e.char === '\r'
        ? new UploadFormatError('a carriage return after a closing quote must end the line', `line ${e.line}`)
        : new UploadFormatError(`unexpected ${JSON.stringify(e.char)} after a closing quote`, `line ${e.line}`);
    case 'line-too-long':
      return new UploadFormatError('no line end within 16 MiB: this is not a CSV file', `line ${e.line}`);
    case 'field-too-long':
      return new UploadFormatError('a field is longer than 16 MiB', `line ${e.recordLine}`);
    case 'quote-in-field': // stray quotes are kept
      return new UploadFormatError(e.message, `line ${e.line}`);
  }
}

function separatorOf(format: CsvFormat, headerLine: string): string {
  const line = headerLine.replace(/^"/, '');
  if (format === 'csv-national') {
    let best = ',';
    let bestCount = 0;
    for (const sep of [',', ';', '\t']) {
      const count = line.split(sep).length - 1;
      if (count > bestCount) [best, bestCount] = [sep, count];
    }
    return best;
  }
  const m = format === 'sdmx-csv-1.0' ? /^DATAFLOW"?(.)/.exec(line) : /^STRUCTURE(?:\[[^\]]*\])?"?(.)/.exec(line);
  const sep = m?.[1];
  if (sep === undefined || /[\w\r\n"]/.test(sep)) {
    const first = format === 'sdmx-csv-1.0' ? 'DATAFLOW' : 'STRUCTURE';
    throw new UploadFormatError(`the header must start with ${first} followed by the separator`, 'line 1');
  }
  return sep;
}

/** `ID: Name` → ID (labelled); a header `ATTR[]` names ATTR (SDMX-CSV 2.0 multi-valued). */
function column(index: number, cell: string, stripBrackets: boolean): Column {
  let id = cell.trim();
  const colon = id.indexOf(': ');
  const labelled = colon > 0;
  if (labelled) id = id.slice(0, colon).trim();
  if (stripBrackets) id = id.replace(/\[[^\]]*\]$/, '');
  if (id === '') throw new UploadFormatError(`column ${index + 1} of the header has no name`, 'line 1');
  return { index, id, labelled };
}

function headerLayout(format: CsvFormat, cells: string[]): Layout {
  const trimmed = cells.map((c) => c.trim());
  const columns: Column[] = [];
  let structureColumn: number | undefined;
  let typeColumn: number | undefined;
  let actionColumn: number | undefined;
  let i = 0;
  if (format === 'sdmx-csv-1.0') {
    if (trimmed[0] !== 'DATAFLOW') throw new UploadFormatError('the first column of SDMX-CSV 1.0 must be DATAFLOW', 'line 1');
    structureColumn = 0;
    i = 1;
  } else if (format === 'sdmx-csv-2.0') {
    if (!SDMX_20_FIRST.test(trimmed[0] ?? '') || trimmed[1] !== 'STRUCTURE_ID') {
      throw new UploadFormatError('SDMX-CSV 2.0 must start with the columns STRUCTURE and STRUCTURE_ID', 'line 1');
    }
    typeColumn = 0;
    structureColumn = 1;
    i = 2;
  }
  const withNames = format === 'sdmx-csv-2.0' && trimmed[i] === 'STRUCTURE_NAME';
  if (format === 'sdmx-csv-2.0') {
    if (withNames) i++;
    if (trimmed[i] === 'ACTION') actionColumn = i++;
    if (trimmed[i] === 'SERIES_KEY') i++;
    if (trimmed[i] === 'OBS_KEY') i++;
  }
  for (; i < cells.length; i += withNames ? 2 : 1) {
    columns.push(format === 'csv-national' ? { index: i, id: nonEmpty(i, trimmed[i]!), labelled: false } : column(i, cells[i]!, format === 'sdmx-csv-2.0'));
  }
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.id)) throw new UploadFormatError(`the header names column ${c.id} twice`, 'line 1');
    seen.add(c.id);
  }
  return { width: cells.length, columns, structureColumn, typeColumn, actionColumn, trimValues: format === 'csv-national' };
}

function nonEmpty(index: number, id: string): string {
  if (id === '') throw new UploadFormatError(`column ${index + 1} of the header has no name`, 'line 1');
  return id;
}

/** `CODE: Name` → CODE, when CODE looks like an id; anything else as written. */
function codePart(value: string): string {
  const colon = value.indexOf(': ');
  if (colon <= 0) return value;
  const code = value.slice(0, colon);
  return CODE_LIKE.test(code) ? code : value;
}

/** `AGENCY:ID(VERSION): Name` → `AGENCY:ID(VERSION)`. */
function structurePart(value: string): string {
  const colon = value.indexOf(': ');
  return colon > 0 ? value.slice(0, colon) : value;
}

function rowRecord(layout: Layout, fields: string[], line: number): UploadRecord | undefined {
  const at = `line ${line}`;
  const blank = () => fields.every((f) => f.trim() === '');
  if (fields.length !== layout.width) {
    if (blank()) return undefined;
    throw new UploadFormatError(`the row has ${fields.length} fields where the header has ${layout.width}`, at);
  }
  const values: Record<string, string> = {};
  let any = false;
  for (const c of layout.columns) {
    let v = fields[c.index]!;
    if (layout.trimValues) v = v.trim();
    if (v === '') continue;
    values[c.id] = c.labelled ? codePart(v) : v;
    any = true;
  }
  if (!any && blank()) return undefined;
  const record: { values: Record<string, string>; at: string; action?: UploadAction; structure?: string } = { values, at };
  if (layout.structureColumn !== undefined) {
    const cell = fields[layout.structureColumn]!;
    if (cell !== '') record.structure = structurePart(cell);
  }
  if (layout.typeColumn !== undefined && !STRUCTURE_TYPES.has(fields[layout.typeColumn]!)) {
    const type = JSON.stringify(fields[layout.typeColumn]);
    throw new UploadFormatError(`STRUCTURE must be dataflow, datastructure or dataprovision, not ${type}`, at);
  }
  if (layout.actionColumn !== undefined) {
    const cell = fields[layout.actionColumn]!;
    if (cell !== '') {
      if (!ACTIONS.has(cell)) throw new UploadFormatError(`ACTION must be I, A, R or D, not ${JSON.stringify(cell)}`, at);
      record.action = cell as UploadAction;
    }
  }
  return record;
}
