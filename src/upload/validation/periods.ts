/**
 * Does a time period fit the series' frequency? An annual series holds `2023` (or `2023-A1`),
 * a quarterly one `2023-Q1`, and so on (SDMX standard reporting periods and Gregorian forms).
 * Time ranges (`2023-01-01/P1Y`) state their own extent and are accepted for any frequency.
 */

const FORMS: Readonly<Record<string, { readonly pattern: RegExp; readonly example: string }>> = {
  A: { pattern: /^\d{4}(-A1)?$/, example: '2023' },
  S: { pattern: /^\d{4}-S[12]$/, example: '2023-S1' },
  Q: { pattern: /^\d{4}-Q[1-4]$/, example: '2023-Q1' },
  M: { pattern: /^\d{4}-M?(0[1-9]|1[0-2])$/, example: '2023-03' },
  W: { pattern: /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, example: '2023-W05' },
  D: { pattern: /^\d{4}-(\d{2}-\d{2}|D\d{3})$/, example: '2023-03-31' },
};

/** A message when `period` does not fit `freq`, undefined when it does (or the frequency is not one we know). */
export function frequencyMismatch(freq: string, period: string): string | undefined {
  if (period.includes('/')) return undefined;
  const form = FORMS[freq];
  if (!form || form.pattern.test(period)) return undefined;
  return `"${period}" is not a period of frequency ${freq} (expected e.g. ${form.example})`;
}

/** A calendar date or date-time: the period of one event rather than of an aggregate. */
export function isEventDate(period: string): boolean {
  return /^\d{4}-\d{2}-\d{2}(T|$)/.test(period);
}
