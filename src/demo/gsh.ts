/**
 * Reads the Global Study on Homicide 2019 tables (wide: one row per area, or area and sex,
 * with `count_YYYY` and `rate_YYYY` columns) into a release, one value per non-empty cell.
 *
 * Choices: an empty cell is "no data" (the tables' own note) and is skipped. The `Source`
 * codes are decoded with `source_codes.csv` into SOURCE_DETAIL text; a code with a qualifier
 * (`WHO Estimate`, `MD Adjusted`) becomes "label (qualifier)". Rows whose source is a model
 * estimate (`WHO Estimate`, `GHD Estimate`: the non-integer counts) get OBS_STATUS `E`
 * (estimated value); all others `A`.
 */
import { CtsMappingError, gshAreaName, gshValueColumn, mapGshCell } from '../cli/structures/cts-mapping.js';
import { readUnodcAreaNames } from '../cli/structures/sources.js';
import { parseValue, type ReleaseCollector } from './collector.js';
import type { LoadLog } from './report.js';
import { readDemoCsv } from './source-csv.js';

export const GSH_DIR = 'unodc/gsh2019_homicide_victims';

/** `source_codes.csv`: source code → label. */
export function readGshSourceCodes(demoDir: string): Map<string, string> {
  const table = readDemoCsv(demoDir, `${GSH_DIR}/source_codes.csv`, ['Source Code', 'Source Label']);
  return new Map(table.rows.map((r) => [r.get('Source Code'), r.get('Source Label')]));
}

/** `UNSDC/NP` → `UNODC Special Data Collection; National Police`. Unknown codes stay as written. */
export function decodeGshSource(source: string, labels: ReadonlyMap<string, string>): string {
  return source
    .split('/')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const label = labels.get(part);
      if (label) return label;
      const [code, ...qualifier] = part.split(/\s+/);
      const codeLabel = code === undefined ? undefined : labels.get(code);
      return codeLabel && qualifier.length ? `${codeLabel} (${qualifier.join(' ').toLowerCase()})` : part;
    })
    .join('; ');
}

const isModelEstimate = (source: string) => source.split('/').some((p) => /\bEstimate$/.test(p.trim()));

export function readGshFile(
  demoDir: string,
  fileName: string,
  bySex: boolean,
  collector: ReleaseCollector,
  log: LoadLog,
  context: { areaCodes: ReadonlyMap<string, string>; sourceLabels: ReadonlyMap<string, string> },
): void {
  const file = `${GSH_DIR}/${fileName}`;
  const tally = log.file(file);
  const table = readDemoCsv(demoDir, file, ['UNODC Name', 'Source', ...(bySex ? ['Sex'] : [])]);
  const valueColumns = table.header.filter((c) => gshValueColumn(c) !== undefined);
  for (const row of table.rows) {
    const name = row.get('UNODC Name');
    const areaCode = context.areaCodes.get(gshAreaName(name));
    const source = row.get('Source');
    const attributes = {
      OBS_STATUS: isModelEstimate(source) ? 'E' : 'A',
      ...(source ? { SOURCE_DETAIL: decodeGshSource(source, context.sourceLabels) } : {}),
    };
    for (const column of valueColumns) {
      tally.read += 1;
      const text = row.get(column);
      if (text === '') {
        log.skip(tally, 'no data (empty cell)');
        continue;
      }
      if (areaCode === undefined) {
        log.unmapped(tally, row.line, `${column}: no CL_AREA code for "${name}"`);
        continue;
      }
      const value = parseValue(text);
      if (value === undefined) {
        log.unmapped(tally, row.line, `${column}: "${text}" is not a number`);
        continue;
      }
      let mapped: ReturnType<typeof mapGshCell>;
      try {
        mapped = mapGshCell({ areaCode, sex: bySex ? row.get('Sex') : undefined, column });
      } catch (e) {
        if (!(e instanceof CtsMappingError)) throw e;
        log.unmapped(tally, row.line, `${column}: ${e.message}`);
        continue;
      }
      // Cannot happen: valueColumns are exactly the columns mapGshCell maps.
      if (!mapped) throw new Error(`${file}: ${column} is not a value column`);
      collector.add({ tally, line: row.line, mapped, year: mapped.year, value, attributes });
    }
  }
}

export function gshContext(demoDir: string) {
  return { areaCodes: readUnodcAreaNames(), sourceLabels: readGshSourceCodes(demoDir) };
}
