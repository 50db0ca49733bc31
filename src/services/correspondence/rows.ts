/**
 * The rows of a correspondence table (national offence code → ICCS code) and the rules they
 * obey, shared by the CSV reader and by tables given as data:
 * - a national code is an SDMX code id (IDType: letters, digits, `_ @ $ -`);
 * - an ICCS code must be one the server holds (CL_ICCS, or the extra codes of CL_OFFENCE);
 * - an empty ICCS code declares a national code with no ICCS counterpart (it is listed in the
 *   national codelist and reported as unmapped, never guessed);
 * - a pair appears once; a national code with several ICCS codes is kept (lookups report it as
 *   ambiguous) but cannot also be declared unmapped;
 * - the rows of one national code agree on its names (or leave them empty).
 */

export interface CorrespondenceRow {
  readonly nationalCode: string;
  /** English name of the national code. */
  readonly nationalName?: string;
  /** Names in other languages, by language tag (the CSV column NATIONAL_NAME_FR gives `fr`). */
  readonly otherNames?: Readonly<Record<string, string>>;
  /** Absent or empty: the national code has no ICCS counterpart. */
  readonly iccsCode?: string;
}

export interface RowProblem {
  /** Index of the row in the list. */
  readonly index: number;
  readonly column: 'NATIONAL_CODE' | 'NATIONAL_NAME' | 'ICCS_CODE';
  readonly value: string;
  readonly message: string;
}

/** SDMX 2.1 IDType, the syntax of code ids. */
export const CODE_ID = /^[A-Za-z0-9_@$-]+$/;

/**
 * Every rule broken by the rows, in row order. `where(i)` names a row in messages (e.g. "line 7"),
 * so problems can point at their earlier counterpart.
 */
export function rowProblems(rows: readonly CorrespondenceRow[], iccsCodes: ReadonlySet<string>, where: (index: number) => string): RowProblem[] {
  const problems: RowProblem[] = [];
  const firstPair = new Map<string, number>();
  const mappedAt = new Map<string, number>();
  const unmappedAt = new Map<string, number>();
  const namesOf = new Map<string, { index: number; names: Record<string, string> }>();
  rows.forEach((row, index) => {
    const code = row.nationalCode;
    const iccs = row.iccsCode ?? '';
    if (code === '') {
      problems.push({ index, column: 'NATIONAL_CODE', value: code, message: 'The national code is missing' });
      return;
    }
    if (!CODE_ID.test(code)) {
      problems.push({ index, column: 'NATIONAL_CODE', value: code, message: `"${code}" is not a valid code id: use letters, digits, _ @ $ or -` });
    }
    if (iccs !== '' && !iccsCodes.has(iccs)) {
      problems.push({ index, column: 'ICCS_CODE', value: iccs, message: `"${iccs}" is not an ICCS code (not in CL_ICCS nor among the extra codes of CL_OFFENCE)` });
    }
    const pair = `${code}\u0000${iccs}`;
    const earlier = firstPair.get(pair);
    if (earlier !== undefined) {
      const what = iccs === '' ? `National code ${code} is declared unmapped twice` : `The pair ${code} → ${iccs} is given twice`;
      problems.push({ index, column: iccs === '' ? 'NATIONAL_CODE' : 'ICCS_CODE', value: iccs || code, message: `${what} (first on ${where(earlier)})` });
    } else {
      firstPair.set(pair, index);
    }
    const [mine, other] = iccs === '' ? [unmappedAt, mappedAt] : [mappedAt, unmappedAt];
    if (!mine.has(code)) mine.set(code, index);
    const clash = other.get(code);
    if (clash !== undefined && earlier === undefined) {
      problems.push({
        index,
        column: 'ICCS_CODE',
        value: iccs,
        message: `National code ${code} is both mapped and declared unmapped (${where(clash)} and here)`,
      });
    }
    const names = namesOfRow(row);
    const seen = namesOf.get(code);
    if (!seen) {
      namesOf.set(code, { index, names });
      return;
    }
    for (const [lang, name] of Object.entries(names)) {
      const before = seen.names[lang];
      if (before === undefined) seen.names[lang] = name;
      else if (before !== name) {
        problems.push({
          index,
          column: 'NATIONAL_NAME',
          value: name,
          message: `National code ${code} is named "${before}" (${lang}) on ${where(seen.index)}: the rows of one code must agree on its names`,
        });
      }
    }
  });
  return problems;
}

/** The non-empty names of a row, by language (`en` from nationalName). */
export function namesOfRow(row: CorrespondenceRow): Record<string, string> {
  const names: Record<string, string> = {};
  if (row.nationalName) names.en = row.nationalName;
  for (const [lang, name] of Object.entries(row.otherNames ?? {})) if (name && lang !== 'en') names[lang] = name;
  return names;
}
