/**
 * Reads a demo CSV file (RFC 4180) into records keyed by column name, each with the source
 * line it starts on, so that a value the loader cannot use is reported where a person can
 * find it. Fields are sliced, not built character by character: the UN-CTS files are large and
 * the demo load should take seconds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CsvError } from '../cli/structures/csv.js';

export interface CsvRow {
  /** 1-based line of the file the record starts on (the header is line 1). */
  readonly line: number;
  readonly get: (column: string) => string;
}

export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
}

export function readDemoText(demoDir: string, file: string): string {
  const text = readFileSync(path.join(demoDir, file), 'utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Records with their first line; a quoted field may hold commas, `""` and line breaks. */
export function parseCsvWithLines(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field: string;
      if (text[i] === '"') {
        let value = '';
        let from = i + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote === -1) throw new CsvError(`line ${start}: unterminated quoted field`);
          value += text.slice(from, quote);
          if (text[quote + 1] === '"') {
            value += '"';
            from = quote + 2;
            continue;
          }
          i = quote + 1;
          break;
        }
        for (let n = value.indexOf('\n'); n !== -1; n = value.indexOf('\n', n + 1)) line++;
        field = value;
      } else {
        let end = i;
        while (end < text.length && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') end++;
        field = text.slice(i, end);
        if (field.includes('"')) throw new CsvError(`line ${start}: quote inside an unquoted field`);
        i = end;
      }
      fields.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (i < text.length && text[i] !== '\n' && text[i] !== '\r') {
        throw new CsvError(`line ${line}: unexpected character after a closing quote`);
      }
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : i < text.length ? 1 : 0;
      line++;
      break;
    }
    out.push({ line: start, fields });
  }
  return out;
}

/** Throws CsvError when a required column is missing or a record has the wrong field count. */
export function readDemoCsv(demoDir: string, file: string, required: readonly string[]): CsvTable {
  const [header, ...records] = parseCsvWithLines(readDemoText(demoDir, file));
  if (!header) throw new CsvError(`${file}: empty`);
  const index = new Map(header.fields.map((h, i) => [h, i]));
  for (const c of required) if (!index.has(c)) throw new CsvError(`${file}: missing column "${c}"`);
  const rows = records.map(({ line, fields }) => {
    if (fields.length !== header.fields.length) {
      throw new CsvError(`${file} line ${line}: ${fields.length} fields, header has ${header.fields.length}`);
    }
    return {
      line,
      get: (column: string) => {
        const i = index.get(column);
        if (i === undefined) throw new CsvError(`${file}: no column "${column}"`);
        return fields[i]!;
      },
    };
  });
  return { header: header.fields, rows };
}
