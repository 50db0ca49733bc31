/**
 * The committed source tables in `sdmx/sources/` (and the demo inputs, src/demo/source-csv.ts)
 * as CSV records, tokenised by src/text/csv.ts the strict RFC 4180 way: a quote only around a
 * whole field, which may hold commas, newlines and doubled quotes (`""`). Every value stays a
 * string (ICCS codes keep their leading zeros). A UTF-8 BOM and a final line break are ignored;
 * CRLF, LF and CR end a record. Any problem is a CsvError naming the line. Pure, no I/O. Also
 * writes one record (`csvLine`), for the derived source tables.
 */
import { CsvSyntaxError, tokenizeCsv, type CsvRecord } from '../../text/csv.js';

export class CsvError extends Error {
  override name = 'CsvError';
}

/** Records with the line each starts on; an empty line is a record of one empty field. */
export function parseCsvWithLines(text: string): CsvRecord[] {
  try {
    return tokenizeCsv(text);
  } catch (e) {
    throw e instanceof CsvSyntaxError ? new CsvError(e.message) : e;
  }
}

/** Splits CSV text into records of raw string fields. */
export function parseCsv(text: string): string[][] {
  return parseCsvWithLines(text).map((r) => r.fields);
}

/**
 * Parses CSV with a header row into objects keyed by column name. Checks that the header has
 * the expected columns and that every record has as many fields as the header.
 */
export function parseCsvRecords<K extends string>(text: string, columns: readonly K[]): Record<K, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new CsvError('empty CSV');
  const index = new Map(header.map((h, i) => [h, i]));
  for (const c of columns) {
    if (!index.has(c)) throw new CsvError(`missing column "${c}" (header: ${header.join(',')})`);
  }
  return rows.map((fields, n) => {
    if (fields.length !== header.length) {
      throw new CsvError(`record ${n + 2}: ${fields.length} fields, header has ${header.length}`);
    }
    const out = {} as Record<K, string>;
    for (const c of columns) out[c] = fields[index.get(c)!];
    return out;
  });
}

/** Writes one CSV record; quotes a field only when it needs it (RFC 4180 §2.6–2.7). */
export function csvLine(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}
