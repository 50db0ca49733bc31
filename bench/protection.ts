/**
 * Times disclosure control: the largest demo table (UN-CTS prisons, from the benchmark
 * database's confidential true values) and a generated table of at least 100 000 cells (every
 * ICCS code × Western Europe and its countries × sex × age × three years). Reports the time of
 * the suppression heuristic and of the LP audit, secondary suppressions per primary, and whether
 * the audit passed (a table whose audit fails would not be publishable).
 */
import path from 'node:path';
import { protectTable, PRIMARY, SECONDARY } from '../src/disclosure/protect.js';
import { DEFAULT_RULES } from '../src/disclosure/rules.js';
import { buildTable, type AdditiveTable } from '../src/disclosure/table.js';
import { PROJECT_ROOT } from '../src/project-root.js';
import { sqliteRepositories } from '../src/storage/sqlite/index.js';
import { ctsHierarchies, syntheticCrimeTable } from '../test/helpers/synthetic-crime-table.js';

export interface ProtectionBench {
  readonly table: string;
  readonly cells: number;
  readonly relations: number;
  readonly primary: number;
  readonly secondary: number;
  readonly heuristicSeconds: number;
  readonly auditSeconds: number;
  readonly totalSeconds: number;
  readonly linearProgrammes: number;
  readonly largestComponent: number;
  readonly passed: boolean;
  readonly failed: number;
}

async function measure(name: string, table: AdditiveTable, maxRounds: number, budgetSeconds = Infinity): Promise<ProtectionBench> {
  const started = performance.now();
  const outcome = await protectTable(table, DEFAULT_RULES, { maxRounds, deadline: started + budgetSeconds * 1000 });
  const totalSeconds = (performance.now() - started) / 1000;
  let primary = 0;
  let secondary = 0;
  for (const s of outcome.status) {
    if (s === PRIMARY) primary += 1;
    else if (s === SECONDARY) secondary += 1;
  }
  return {
    table: name,
    cells: table.cells.length,
    relations: table.relations.length,
    primary,
    secondary,
    heuristicSeconds: outcome.statistics.protectMs / 1000,
    auditSeconds: outcome.statistics.auditMs / 1000,
    totalSeconds,
    linearProgrammes: outcome.statistics.linearProgrammes,
    largestComponent: outcome.statistics.largestComponent,
    passed: outcome.passed,
    failed: outcome.audits.filter((a) => !a.safe).length,
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
    out.push(await measure(`demo: ${flow} in UNCTS-2023`, buildTable(cells, ctsHierarchies()), 50));
  } finally {
    repositories.close();
  }
  const synthetic = syntheticCrimeTable({ years: ['2021', '2022', '2023'] });
  log(`protection of a generated table (${synthetic.cells.length} cells)...`);
  // Bounded: the benchmark reports where protection stands after 5 minutes rather than running
  // for hours (cells whose audit did not run count as failed).
  out.push(await measure('generated: 321 offence codes × 10 areas × 3 sexes × 4 ages × 3 years', buildTable(synthetic.cells, synthetic.hierarchies), 50, 300));
  return out;
}

export function renderProtection(rows: readonly ProtectionBench[]): string {
  const lines = [
    '## Disclosure control',
    '',
    'Threshold rule k = 3, protection interval [v − min(v, 3), v + 3]; heuristic = primary and complementary suppression, audit = exact LP intervals (HiGHS).',
    '',
    '| table | cells | relations | primary | secondary | secondary per primary | heuristic s | LP audit s | total s | LPs | largest component | audit |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.table} | ${r.cells} | ${r.relations} | ${r.primary} | ${r.secondary} | ${(r.secondary / Math.max(1, r.primary)).toFixed(2)} | ${r.heuristicSeconds.toFixed(2)} | ${r.auditSeconds.toFixed(1)} | ${r.totalSeconds.toFixed(1)} | ${r.linearProgrammes} | ${r.largestComponent} | ${r.passed ? 'passed' : `not passed (${r.failed} cells narrower than required or not audited in time)`} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
