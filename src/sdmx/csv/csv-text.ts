/**
 * RFC 4180 text for the SDMX-CSV writers (SDMX-CSV 1.0 and 2.0 both build on RFC 4180).
 *
 * Choices:
 * - A field is quoted only when it must be (RFC 4180 §2.6): it holds a comma, a double quote,
 *   CR or LF. Inner quotes are doubled (§2.7). Spaces are data (§2.4) and are left alone.
 * - Records end with CRLF (§2.1, §2.2); every common CSV reader also accepts it where LF is usual.
 * - No byte-order mark: the media type already says UTF-8 is not assumed by RFC 4180 readers,
 *   and a BOM would become part of the first header term (`DATAFLOW`/`STRUCTURE`), which SDMX
 *   readers use to find the separator (SDMX-CSV 1.0 "Design principles").
 */

export const CSV_EOL = '\r\n';

const NEEDS_QUOTES = /[",\r\n]/;

/** One field, quoted when RFC 4180 requires it. */
export function csvField(s: string): string {
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, fields separated by commas, terminated by CRLF. */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + CSV_EOL;
}
