/**
 * The list of everything wrong with an upload: every problem is counted, the first few hundred
 * are kept with their location, component, value and rule, so a statistician can fix the file
 * in one pass instead of one error per attempt.
 */

/** The rules an upload is checked against; each is documented in docs/uploads.md. */
export const RULES = [
  'unreadable',
  'wrong-structure',
  'unknown-component',
  'microdata',
  'missing-dimension',
  'series-key-arity',
  'unknown-code',
  'not-allowed',
  'malformed-period',
  'period-frequency',
  'missing-value',
  'not-numeric',
  'not-a-count',
  'missing-mandatory-attribute',
  'duplicate-observation',
  'unmapped-national-code',
  'ambiguous-national-code',
  'aggregation-conflict',
  'empty-upload',
] as const;
export type Rule = (typeof RULES)[number];

export interface UploadProblem {
  /** Where: `line 12`, `Series 3, Obs 2`, a JSON path; `file` for the file as a whole. */
  readonly at: string;
  readonly rule: Rule;
  readonly component?: string;
  readonly value?: string;
  readonly message: string;
}

export class ProblemLog {
  private readonly kept: UploadProblem[] = [];
  private readonly counts = new Map<Rule, number>();
  private count = 0;

  constructor(readonly cap = 200) {}

  add(problem: UploadProblem): void {
    this.count += 1;
    this.counts.set(problem.rule, (this.counts.get(problem.rule) ?? 0) + 1);
    if (this.kept.length < this.cap) this.kept.push(problem);
  }

  get total(): number {
    return this.count;
  }

  get problems(): readonly UploadProblem[] {
    return this.kept;
  }

  /** Problems per rule, for the summary of a long list. */
  byRule(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
