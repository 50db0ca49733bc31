/**
 * Reads a UNODC Research Data Portal export (`data_cts_*.csv`, long format, one row per value)
 * into a release. The `Source` column (`CTS`, `CTS/MoI`…) becomes SOURCE_DETAIL as published;
 * the files carry no status flags, so every value is OBS_STATUS `A` (normal).
 */
import { CtsMappingError, mapCtsRow, type MappedSeries } from '../cli/structures/cts-mapping.js';
import { parseValue, type ReleaseCollector } from './collector.js';
import type { LoadLog } from './report.js';
import { readDemoCsv } from './source-csv.js';

const COLUMNS = ['Iso3_code', 'Indicator', 'Dimension', 'Category', 'Sex', 'Age', 'Year', 'Unit of measurement', 'VALUE', 'Source'];

export function readUnctsFile(demoDir: string, file: string, collector: ReleaseCollector, log: LoadLog): void {
  const tally = log.file(file);
  for (const row of readDemoCsv(demoDir, file, COLUMNS).rows) {
    tally.read += 1;
    let mapped: MappedSeries;
    try {
      mapped = mapCtsRow({
        Iso3_code: row.get('Iso3_code'),
        Indicator: row.get('Indicator'),
        Dimension: row.get('Dimension'),
        Category: row.get('Category'),
        Sex: row.get('Sex'),
        Age: row.get('Age'),
        'Unit of measurement': row.get('Unit of measurement'),
      });
    } catch (e) {
      if (!(e instanceof CtsMappingError)) throw e;
      log.unmapped(tally, row.line, e.message);
      continue;
    }
    const text = row.get('VALUE');
    const value = parseValue(text);
    if (value === undefined) {
      log.unmapped(tally, row.line, `VALUE "${text}" is not a number`);
      continue;
    }
    const source = row.get('Source');
    collector.add({
      tally,
      line: row.line,
      mapped,
      year: row.get('Year'),
      value,
      attributes: source ? { OBS_STATUS: 'A', SOURCE_DETAIL: source } : { OBS_STATUS: 'A' },
    });
  }
}
