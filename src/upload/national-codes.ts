/**
 * Plain CSV files with national offence codes: each row's national code is replaced by the ICCS
 * code a correspondence table maps it to. A code the table does not know, or maps to several
 * ICCS codes, is reported and the row is not used: the service never guesses a classification.
 */
import type { UploadRecord } from './records.js';
import type { ProblemLog } from './validation/problems.js';

export type NationalCodeMapping =
  | { readonly kind: 'mapped'; readonly iccs: string }
  | { readonly kind: 'ambiguous'; readonly iccs: readonly string[] }
  /** `declared`: the table lists the code without an ICCS counterpart. */
  | { readonly kind: 'unmapped'; readonly declared?: boolean };

export interface NationalMapping {
  /** `AGENCY:ID(VERSION)` of the correspondence table. */
  readonly table: string;
  /** The file column holding national codes. */
  readonly column: string;
  /** The DSD dimension the ICCS code goes into. */
  readonly target: string;
  readonly map: (nationalCode: string) => NationalCodeMapping;
}

/** The record with its national code replaced by the ICCS code, and that national code; undefined after a problem. */
export function mapNationalCode(record: UploadRecord, mapping: NationalMapping, log: ProblemLog): { record: UploadRecord; source: string } | undefined {
  const national = record.values[mapping.column]?.trim();
  if (!national) {
    log.add({ at: record.at, rule: 'missing-dimension', component: mapping.column, message: `Column ${mapping.column} (the national offence code) has no value` });
    return undefined;
  }
  const mapped = mapping.map(national);
  if (mapped.kind === 'unmapped') {
    log.add({
      at: record.at,
      rule: 'unmapped-national-code',
      component: mapping.column,
      value: national,
      message: mapped.declared
        ? `National code "${national}" has no ICCS counterpart in ${mapping.table}; leave it out of the file or map it in the table`
        : `National code "${national}" is not in correspondence table ${mapping.table}`,
    });
    return undefined;
  }
  if (mapped.kind === 'ambiguous') {
    log.add({
      at: record.at,
      rule: 'ambiguous-national-code',
      component: mapping.column,
      value: national,
      message: `National code "${national}" maps to several ICCS codes (${mapped.iccs.join(', ')}) in ${mapping.table}; split it in the file or fix the table`,
    });
    return undefined;
  }
  const values: Record<string, string> = { ...record.values, [mapping.target]: mapped.iccs };
  delete values[mapping.column];
  return { record: { ...record, values }, source: national };
}
