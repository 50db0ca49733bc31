/**
 * Times disclosure control: the largest demo table (UN-CTS prisons, from the benchmark
 * database's confidential true values) and a generated table of at least 100 000 cells (every
 * ICCS code × Western Europe and its countries × sex × age × three years). Reports the time to
 * build the table's relations, to protect it (primary and secondary suppression with every
 * protected cell proven, by hypercube or LP), secondary suppressions per primary, and whether
 * the audit passed (a table whose audit fails would not be publishable). For the demo table it
 * also times a full LP audit: both programmes for every protected cell.
 */
import path from 'node:path';
import { auditPattern, protectTable, PRIMARY, SECONDARY } from '../src/disclosure/protect.js';
import { DEFAULT_RULES } from '../src/disclosure/rules.js';
import { buildTable, type DeclaredRelations, type TableCell } from '../src/disclosure/table.js';
import { PROJECT_ROOT } from '../src/project-root.js';
import { sqliteRepositories } from '../src/storage/sqlite/index.js';
import { ctsRelations, syntheticCrimeTable } from '../test/helpers/synthetic-crime-table.js';

export interface ProtectionBench {
  readonly table: string;
  readonly cells: number;
  readonly relations: number;
  readonly primary: number;
  readonly secondary: number;
  readonly buildSeconds: number;
  readonly protectSeconds: number;
  readonly provenByHypercube: number;
  readonly linearProgrammes: number;
  readonly passed: boolean;
  readonly failed: number;
  /** Seconds for both LPs of every protected cell (undefined when not measured). */
  readonly exactAuditSeconds?: number;
}

async function measure(name: string, cells: readonly TableCell[], relations: DeclaredRelations, options: { budgetSeconds: number; exactAudit: boolean }): Promise<ProtectionBench> {
  const started = performance.now();
  const table = buildTable(cells, relations);
  const built = performance.now();
  const outcome = await protectTable(table, DEFAULT_RULES, { deadline: built + options.budgetSeconds * 1000 });
  const protectSeconds = (performance.now() - built) / 1000;
  let primary = 0;
  let secondary = 0;
  for (const s of outcome.status) {
    if (s === PRIMARY) primary += 1;
    else if (s === SECONDARY) secondary += 1;
  }
  let exactAuditSeconds: number | undefined;
  if (options.exactAudit) {
    const auditStarted = performance.now();
    const exact = await auditPattern(table, DEFAULT_RULES, outcome.status, { exactIntervals: true });
    exactAuditSeconds = (performance.now() - auditStarted) / 1000;
    if (!exact.passed) throw new Error(`${name}: the exact LP audit refuses a pattern the protection passed`);
  }
  return {
    table: name,
    cells: table.cells.length,
    relations: table.relations.length,
    primary,
    secondary,
    buildSeconds: (built - started) / 1000,
    protectSeconds,
    provenByHypercube: outcome.statistics.provenByHypercube,
    linearProgrammes: outcome.statistics.linearProgrammes,
    passed: outcome.passed,
    failed: outcome.audits.filter((a) => !a.safe).length,
    exactAuditSeconds,
  };
}

export async function protectionBench(databasePath: string, log: (line: string) => void): Promise<ProtectionBench[]> {
  const repositories = sqliteRepositories(databasePath, path.join(PROJECT_ROOT, 'migrations'));
  const out: ProtectionBench[] = [];
  try {
    const release = repositories.releases.byCode('UNCTS-2023');
    if (!release) throw new Error('the benchmark database holds no UNCTS-2023 release');
    const flow = 'UNODC:DF_CTS_PRISONS(1.0)';
    const counts = repositories.protection.cellsOf(release.pk, flow).filter((c) => c.dimensions.UNIT_MEASURE === 'NR' && c.value !== null);
    const cells = counts.map((c) => {
      const { UNIT_MEASURE: _unit, ...dimensions } = c.dimensions;
      return { dimensions, timePeriod: c.timePeriod, value: c.value! };
    });
    log(`protection of the largest demo table (${flow}, ${cells.length} count cells)...`);
    out.push(await measure(`demo: ${flow} in UNCTS-2023`, cells, ctsRelations(), { budgetSeconds: 300, exactAudit: true }));
  } finally {
    repositories.close();
  }
  const synthetic = syntheticCrimeTable({ years: ['2021', '2022', '2023'] });
  log(`protection of a generated table (${synthetic.cells.length} cells)...`);
  // Bounded all the same: were the hypercubes to fail, the LP fallback on components of tens of
  // thousands of cells could run for hours; cells not audited in time count as failed.
  out.push(
    await measure('generated: 321 offence codes × 10 areas × 3 sexes × 4 ages × 3 years', synthetic.cells, synthetic.relations, { budgetSeconds: 300, exactAudit: false }),
  );
  return out;
}

export function renderProtection(rows: readonly ProtectionBench[]): string {
  const lines = [
    '## Disclosure control',
    '',
    'Threshold rule k = 3, protection interval [v − min(v, 3), v + 3]. "protect" = primary and complementary suppression with every protected cell proven (by its hypercube, else by LP); "exact LP audit" = both programmes (HiGHS) for every protected cell of the finished pattern. Target: protect under 10 s for 100 000 cells.',
    '',
    '| table | cells | relations | primary | secondary | secondary per primary | build relations s | protect s | proven by hypercube | LPs | audit | exact LP audit s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.table} | ${r.cells} | ${r.relations} | ${r.primary} | ${r.secondary} | ${(r.secondary / Math.max(1, r.primary)).toFixed(2)} | ${r.buildSeconds.toFixed(2)} | ${r.protectSeconds.toFixed(2)} | ${r.provenByHypercube} | ${r.linearProgrammes} | ${r.passed ? 'passed' : `not passed (${r.failed} cells narrower than required or not audited in time)`} | ${r.exactAuditSeconds === undefined ? '—' : r.exactAuditSeconds.toFixed(2)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
