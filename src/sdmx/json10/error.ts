/**
 * SDMX-JSON 1.0 error message: `{ meta?, errors: [{ code, title, titles, detail?, details? }] }`
 * (structure field guide "error"; the schema's root `errors` array). `data` and `errors` must not
 * coexist, so there is no `data`. The schema does not require `meta`; it is written when the
 * caller passes a header. The title is the standard one for SDMX codes (REST 4_7_errors.md), the
 * detail the specific text.
 */
import type { Header } from '../message.js';
import { errorEntry, Localiser, meta } from './common.js';
import { SCHEMA_URL_10 } from './structure-writer.js';

export function jsonError10(err: { code: number; text: string }, header?: Header): object {
  const loc = new Localiser(header?.languages ?? []);
  const errors = [errorEntry(loc, err)];
  return header ? { meta: meta(header, SCHEMA_URL_10, loc), errors } : { errors };
}
