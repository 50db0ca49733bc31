/**
 * Reads a demo CSV file (RFC 4180, tokenised by src/text/csv.ts through the source-table
 * reader of src/cli/structures/csv.ts) into records keyed by column name, each with the source
 * line it starts on, so that a value the loader cannot use is reported where a person can find
 * it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CsvError, parseCsvWithLines } from '../cli/structures/csv.js';

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
