/**
 * The account a demo load gives of every source value: loaded, skipped for a documented
 * reason, or unmapped (reported with file, line and reason). Nothing is dropped silently, and
 * per file `loaded + skipped + unmapped = read`.
 *
 * A "value" is one observation candidate: a row of a long file (UN-CTS, Eurostat SDMX-CSV) or
 * a cell of a wide one (GSH tables, Eurostat bulk TSV).
 */

export interface DemoReleaseReport {
  readonly code: string;
  readonly title: string;
  /** `AGENCY:ID(VERSION)` */
  readonly dataflows: string[];
  readonly series: number;
  readonly observations: number;
  readonly announcedAt: string;
  /** published, or scheduled: the release the demo holds back until after the load. */
  readonly state: 'published' | 'scheduled';
  /** Per dataflow, what disclosure control did before the release was scheduled. */
  readonly protection: readonly DemoProtectionReport[];
}

export interface DemoProtectionReport {
  readonly dataflow: string;
  readonly primary: number;
  readonly secondary: number;
  readonly derived: number;
  /** Declared relations in the table, and how many the true figures break. */
  readonly relations: number;
  readonly brokenRelations: number;
}

export interface UnmappedValue {
  /** Path relative to the demo folder, e.g. `eurostat/estat_crim_off_cat.tsv`. */
  readonly file: string;
  /** 1-based line of the source file (the header is line 1). */
  readonly line: number;
  readonly reason: string;
}

export interface FileTally {
  readonly file: string;
  read: number;
  loaded: number;
  skipped: number;
  unmapped: number;
}

export interface DemoLoadReport {
  releases: DemoReleaseReport[];
  unmapped: UnmappedValue[];
  /** `<file>: <reason>` → count of values skipped for a documented reason (e.g. `:` in the TSV). */
  skipped: Record<string, number>;
  /** Per source file: values read and what became of them. */
  files: FileTally[];
}

/** Collects the report while sources are read. */
export class LoadLog {
  readonly report: DemoLoadReport = { releases: [], unmapped: [], skipped: {}, files: [] };

  file(file: string): FileTally {
    const tally: FileTally = { file, read: 0, loaded: 0, skipped: 0, unmapped: 0 };
    this.report.files.push(tally);
    return tally;
  }

  loaded(tally: FileTally): void {
    tally.loaded += 1;
  }

  skip(tally: FileTally, reason: string): void {
    tally.skipped += 1;
    const key = `${tally.file}: ${reason}`;
    this.report.skipped[key] = (this.report.skipped[key] ?? 0) + 1;
  }

  unmapped(tally: FileTally, line: number, reason: string): void {
    tally.unmapped += 1;
    this.report.unmapped.push({ file: tally.file, line, reason });
  }
}
