/**
 * A small RFC 4180 CSV reader for the committed source tables in `sdmx/sources/`.
 *
 * Fields may be quoted; a quoted field may hold commas, newlines and doubled quotes (`""`).
 * Every value stays a string (ICCS codes keep their leading zeros). A UTF-8 BOM and a final
 * line break are ignored; CRLF and LF both end a record. Pure, no I/O.
 */

export class CsvError extends Error {
  override name = 'CsvError';
}

/** Splits CSV text into records of raw string fields. */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  let line = 1;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < src.length) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        const next = src[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new CsvError(`line ${line}: unexpected character after a closing quote`);
        }
        continue;
      }
      if (ch === '\n') line += 1;
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"') {
      if (field !== '') throw new CsvError(`line ${line}: quote inside an unquoted field`);
      quoted = true;
      i += 1;
    } else if (ch === ',') {
      endField();
      i += 1;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line += 1;
    } else {
      field += ch;
      i += 1;
    }
  }
  if (quoted) throw new CsvError(`line ${line}: unterminated quoted field`);
  // A last record without a final line break.
  if (field !== '' || record.length > 0) endRecord();
  return records;
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
