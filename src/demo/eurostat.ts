/**
 * Reads Eurostat's crime files into a release: the SDMX-CSV 1.0 extracts (one row per value)
 * and the bulk TSV (one row per series, one column per year, values like `88 `, `12 p`, `:`).
 *
 * Eurostat observation flags → CL_OBS_STATUS (documented, single-letter flags only):
 * b break in series → B, d definition differs → D, e estimated → E, f forecast → F,
 * n not significant → N, p provisional → P, s Eurostat estimate → E, u low reliability → U.
 * Any other flag (c confidential, r revised, z not applicable…) or a combination of flags has
 * no single OBS_STATUS code, so the value is reported as unmapped. No flag → `A` (normal).
 * `:` (not available, with or without a flag) is skipped.
 */
import { CtsMappingError, ESTAT_TARGETS, mapEstatRow, type EstatRow, type MappedSeries } from '../cli/structures/cts-mapping.js';
import { parseValue, type ReleaseCollector } from './collector.js';
import type { FileTally, LoadLog } from './report.js';
import { tokenizeCsv } from '../text/csv.js';
import { readDemoCsv, readDemoText } from './source-csv.js';

export type EstatTable = keyof typeof ESTAT_TARGETS;

export const ESTAT_FLAG_STATUS: Readonly<Record<string, string>> = {
  b: 'B',
  d: 'D',
  e: 'E',
  f: 'F',
  n: 'N',
  p: 'P',
  s: 'E',
  u: 'U',
};

export function obsStatusOfFlag(flag: string): string | undefined {
  if (flag === '') return 'A';
  return Object.hasOwn(ESTAT_FLAG_STATUS, flag) ? ESTAT_FLAG_STATUS[flag] : undefined;
}

type Cell = { kind: 'value'; value: number; status: string } | { kind: 'missing' } | { kind: 'bad'; reason: string };

/** One value with its flag, as written in the bulk TSV (`88 `, `12 p`, `: c`) or SDMX-CSV. */
export function readEstatCell(valueText: string, flag: string): Cell {
  if (valueText === ':') return { kind: 'missing' };
  const value = parseValue(valueText);
  if (value === undefined) return { kind: 'bad', reason: `value "${valueText}" is not a number` };
  const status = obsStatusOfFlag(flag);
  if (status === undefined) return { kind: 'bad', reason: `Eurostat flag "${flag}" has no OBS_STATUS code` };
  return { kind: 'value', value, status };
}

function addCell(
  collector: ReleaseCollector,
  log: LoadLog,
  tally: FileTally,
  line: number,
  cell: Cell,
  map: () => MappedSeries,
  year: string,
): void {
  if (cell.kind === 'missing') return log.skip(tally, 'not available (:)');
  if (cell.kind === 'bad') return log.unmapped(tally, line, `${year}: ${cell.reason}`);
  let mapped: MappedSeries;
  try {
    mapped = map();
  } catch (e) {
    if (!(e instanceof CtsMappingError)) throw e;
    return log.unmapped(tally, line, `${year}: ${e.message}`);
  }
  collector.add({ tally, line, mapped, year, value: cell.value, attributes: { OBS_STATUS: cell.status } });
}

/** Eurostat SDMX-CSV 1.0 extract of `ESTAT:<table>(1.0)`. */
export function readEstatSdmxCsv(demoDir: string, file: string, table: EstatTable, collector: ReleaseCollector, log: LoadLog): void {
  const tally = log.file(file);
  const dataflow = `ESTAT:${table}(1.0)`;
  const csv = readDemoCsv(demoDir, file, ['DATAFLOW', 'freq', 'unit', 'geo', 'TIME_PERIOD', 'OBS_VALUE', 'OBS_FLAG']);
  const optional = (row: { get: (c: string) => string }, c: string) => (csv.header.includes(c) ? row.get(c) : undefined);
  for (const row of csv.rows) {
    tally.read += 1;
    if (row.get('DATAFLOW') !== dataflow) {
      log.unmapped(tally, row.line, `DATAFLOW "${row.get('DATAFLOW')}" is not ${dataflow}`);
      continue;
    }
    const key: EstatRow = {
      freq: row.get('freq'),
      geo: row.get('geo'),
      unit: row.get('unit'),
      iccs: optional(row, 'iccs'),
      sex: optional(row, 'sex'),
      age: optional(row, 'age'),
    };
    const cell = readEstatCell(row.get('OBS_VALUE').trim(), row.get('OBS_FLAG').trim());
    addCell(collector, log, tally, row.line, cell, () => mapEstatRow(table, key), row.get('TIME_PERIOD'));
  }
}

/** Eurostat bulk TSV: first column `freq,iccs,unit,geo\TIME_PERIOD`, then one column per year. */
export function readEstatTsv(demoDir: string, file: string, table: EstatTable, collector: ReleaseCollector, log: LoadLog): void {
  const tally = log.file(file);
  const [header, ...records] = tokenizeCsv(readDemoText(demoDir, file), { separator: '\t', lineBreaks: 'lf', strayQuotes: 'keep', skipEmptyLines: true });
  const [first = '', ...yearColumns] = header?.fields ?? [];
  const dimensions = first.replace(/\\TIME_PERIOD$/, '').split(',');
  const years = yearColumns.map((y) => y.trim());
  records.forEach(({ line, fields }) => {
    const [head = '', ...cells] = fields;
    const codes = head.split(',');
    const key = Object.fromEntries(dimensions.map((d, j) => [d, codes[j] ?? ''])) as Record<string, string>;
    const estatKey: EstatRow = { freq: key.freq ?? '', geo: key.geo ?? '', unit: key.unit ?? '', iccs: key.iccs, sex: key.sex, age: key.age };
    years.forEach((year, j) => {
      tally.read += 1;
      const raw = cells[j];
      if (raw === undefined || codes.length !== dimensions.length) {
        log.unmapped(tally, line, `${year}: malformed line (${codes.length} key codes, ${cells.length} values)`);
        return;
      }
      // A value is followed by a space and its flags, if any: `88 `, `12 p`, `: c`.
      const [valueText = '', flag = '', ...rest] = raw.trim().split(/\s+/);
      const cell: Cell = rest.length ? { kind: 'bad', reason: `cell "${raw}" is not "value flags"` } : readEstatCell(valueText, flag);
      addCell(collector, log, tally, line, cell, () => mapEstatRow(table, estatKey), year);
    });
  });
}
