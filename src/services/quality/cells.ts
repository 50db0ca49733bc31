/**
 * What a stored observation row says for the quality indicators, decided once for all of them:
 * whether it is a withdrawal, a value, a cell withheld for confidentiality (disclosure control
 * hides a cell by storing no value with a CONF_STATUS; protection-service.ts), or a cell that
 * holds nothing (no value and no confidentiality: a missing value, OBS_STATUS M, L or O).
 * A cell "holds data" when it has a value or is withheld: the data exist, whether the public
 * may read them or not.
 */
import type { ObservationRow } from '../../storage/repositories.js';
import { parseAttributes } from '../data/observation-reader.js';

/** The attribute disclosure control sets on a withheld cell (SDMX CL_CONF_STATUS). */
export const CONF_STATUS = 'CONF_STATUS';
/** CL_CONF_STATUS F: free for publication. Every other code withholds a cell without a value. */
const FREE = 'F';

/** The CONF_STATUS code that withholds this row, or undefined when it is not withheld. */
export function withheldBy(row: ObservationRow): string | undefined {
  if (row[3] !== null || row[5] === 1) return undefined;
  const status = parseAttributes(row[4])[CONF_STATUS];
  return status !== undefined && status !== FREE ? status : undefined;
}

/**
 * A value, or a cell withheld for confidentiality (never a withdrawal or a missing value);
 * `withheld` is the row's `withheldBy`, computed once by the caller.
 */
export function holdsData(row: ObservationRow, withheld: string | undefined): boolean {
  return row[5] !== 1 && (row[3] !== null || withheld !== undefined);
}

/** The row withdraws the cell (a revision that deletes it). */
export function isWithdrawal(row: ObservationRow): boolean {
  return row[5] === 1;
}

/** The row's value when it has one (withdrawals and withheld cells have none). */
export function numericValue(row: ObservationRow): number | undefined {
  return row[5] !== 1 && row[3] !== null ? row[3] : undefined;
}
