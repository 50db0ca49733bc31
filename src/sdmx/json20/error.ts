/**
 * SDMX-JSON 2.0.0 error message: `{ meta?, errors: [{ code, title, titles, detail?, details? }] }`
 * (structure field guide 2.0.0 "error"; same shape as 1.0). `data` and `errors` must not coexist,
 * so there is no `data`. The schema does not require `meta`; it is written when the caller passes
 * a header. The title is the standard one for SDMX codes (REST 4_7_errors.md), the detail the
 * specific text.
 */
import type { Header } from '../message.js';
import { errorEntry, Localiser, meta } from '../json10/common.js';
import { SCHEMA_URL_20 } from './structure-writer.js';

export function jsonError20(err: { code: number; text: string }, header?: Header): object {
  const loc = new Localiser(header?.languages ?? []);
  const errors = [errorEntry(loc, err)];
  return header ? { meta: meta(header, SCHEMA_URL_20, loc), errors } : { errors };
}
