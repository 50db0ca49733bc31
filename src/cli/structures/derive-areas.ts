/**
 * One-off derivation of the committed area tables in `sdmx/sources/areas/` (kept so the
 * derivation can be re-run and reviewed; the structure build never runs it):
 *
 * - `iso3166-1.csv` (code,name_en,name_es): ISO 3166-1 from Debian's iso-codes JSON, Spanish
 *   names from its gettext catalogue (`.mo`), with the corrections listed below.
 * - `iso3166-1-numeric.csv` (code,numeric): the ISO 3166-1 numeric code of each, from the same
 *   JSON (the UN M49 country codes).
 * - `unodc-area-subregion.csv` (code,subregion_m49,source_subregion,source): each area's UNODC
 *   subregion, from the `Iso3_code`/`Subregion` columns of the UN-CTS files, then, for areas
 *   only the Global Study on Homicide 2019 tables list, from their `Subregion` column (an M49
 *   intermediate region there, lifted to the UNODC subregion).
 * - `unodc-area-names.csv` (name,code): every area name spelling of those files → CL_AREA code.
 *
 * Usage (paths are arguments, the product never reads the shared data itself):
 *   npx tsx src/cli/structures/derive-areas.ts \
 *     --iso-json /usr/share/iso-codes/json/iso_3166-1.json \
 *     --iso-mo /usr/share/locale/es/LC_MESSAGES/iso_3166-1.mo \
 *     --unodc data/demo/unodc [--out sdmx/sources/areas]
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../../project-root.js';
import { M49_AREAS, OTHER_AREAS, SUBNATIONAL_AREAS, SUBREGION_IDS } from './areas.js';
import { csvLine, parseCsvRecords } from './csv.js';
import { ctsAreaCode, gshAreaName } from './cts-mapping.js';
import { parseMo } from './mo.js';

/** Errors in the iso-codes 4.15 Spanish catalogue ("Algeria" untranslated, misspellings). */
export const SPANISH_CORRECTIONS: Readonly<Record<string, string>> = {
  DZA: 'Argelia',
  CIV: "Côte d'Ivoire",
  ALA: 'Islas Åland',
};

/** GSH 2019 names that neither the UN-CTS files nor ISO spell the same way. */
export const GSH_NAME_CODES: Readonly<Record<string, string>> = {
  Swaziland: 'SWZ',
  'Saint Helena': 'SHN',
  'China, Taiwan Province of China': 'TWN',
  Turkey: 'TUR',
  'Channel Islands': '830',
  'The former Yugoslav Republic of Macedonia': 'MKD',
};

/** M49 intermediate regions (GSH 2019) → the UNODC subregion that contains them. */
const GSH_SUBREGION: Readonly<Record<string, string>> = {
  'Eastern Africa': '202',
  'Middle Africa': '202',
  'Southern Africa': '202',
  'Western Africa': '202',
  Caribbean: '419',
  'Central America': '419',
  'South America': '419',
  'South-Eastern Asia': '035',
};

interface IsoEntry {
  alpha_3: string;
  numeric: string;
  name: string;
  official_name?: string;
  common_name?: string;
}

const SUBREGION_BY_NAME = new Map(M49_AREAS.filter((a) => SUBREGION_IDS.has(a.id)).map((a) => [a.en, a.id]));
const REGION_NAME = new Map(M49_AREAS.map((a) => [a.id, a.en]));
const PARENT = new Map(M49_AREAS.map((a) => [a.id, a.parent]));

const csvText = (header: readonly string[], rows: readonly (readonly string[])[]) =>
  [header, ...rows].map(csvLine).join('\n') + '\n';

const byFirst = (a: readonly string[], b: readonly string[]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

export interface DeriveInputs {
  readonly isoJson: string;
  readonly isoMo: string;
  /** Folder holding the UN-CTS files (any depth) and `gsh2019_homicide_victims/`. */
  readonly unodc: string;
}

/** Derives the three tables; returns file name → CSV text, and a log. Throws on any inconsistency. */
export function deriveAreaTables(values: DeriveInputs): { files: Map<string, string>; log: string[] } {
  const log: string[] = [];
  const problems: string[] = [];

  // 1. ISO 3166-1 names.
  const iso = (JSON.parse(readFileSync(values.isoJson, 'utf8'))['3166-1'] as IsoEntry[]).slice();
  const es = parseMo(readFileSync(values.isoMo));
  const fallbacks: string[] = [];
  const isoRows = iso.map((c) => {
    const translated = SPANISH_CORRECTIONS[c.alpha_3] ?? es.get(c.name);
    if (!translated) fallbacks.push(c.name);
    return [c.alpha_3, c.name, translated || c.name];
  });
  const files = new Map<string, string>();
  files.set('iso3166-1.csv', csvText(['code', 'name_en', 'name_es'], isoRows.sort(byFirst)));
  log.push(`iso3166-1.csv: ${isoRows.length} countries; no Spanish name (English kept): ${fallbacks.join('; ') || 'none'}`);
  // The numeric codes, which are the UN M49 codes of the countries: the SDG codelist of areas
  // uses them (the UNODC → SDG area map, src/cli/structures/sdg-maps.ts).
  files.set('iso3166-1-numeric.csv', csvText(['code', 'numeric'], iso.map((c) => [c.alpha_3, c.numeric]).sort(byFirst)));

  // 2. UN-CTS files: Iso3_code → Subregion, Country → code.
  const subregion = new Map<string, { m49: string; name: string; source: string }>();
  const names = new Map<string, string>();
  const addName = (name: string, code: string) => {
    const had = names.get(name);
    if (had && had !== code) problems.push(`name "${name}" → ${had} and ${code}`);
    names.set(name, code);
  };
  const countryLevel = (code: string) => !SUBNATIONAL_AREAS.some((s) => s.id === code) && !PARENT.has(code);
  const ctsFiles = readdirSync(values.unodc, { recursive: true, encoding: 'utf8' })
    .filter((f) => /(^|\/)data_cts_[^/]*\.csv$/.test(f))
    .sort();
  for (const f of ctsFiles) {
    const rows = parseCsvRecords(readFileSync(path.join(values.unodc, f), 'utf8'), [
      'Iso3_code',
      'Country',
      'Region',
      'Subregion',
    ] as const);
    for (const r of rows) {
      const code = ctsAreaCode(r.Iso3_code);
      addName(r.Country, code);
      if (!countryLevel(code)) continue;
      const m49 = SUBREGION_BY_NAME.get(r.Subregion);
      if (!m49) {
        problems.push(`${f}: ${code}: unknown subregion "${r.Subregion}"`);
        continue;
      }
      if (REGION_NAME.get(PARENT.get(m49)!) !== r.Region) problems.push(`${f}: ${code}: ${r.Subregion} is not in ${r.Region}`);
      const had = subregion.get(code);
      if (had && had.m49 !== m49) problems.push(`${code}: subregion ${had.m49} and ${m49}`);
      subregion.set(code, { m49, name: r.Subregion, source: 'UN-CTS' });
    }
    log.push(`read ${f}: ${rows.length} rows`);
  }
  for (const s of SUBNATIONAL_AREAS) addName(s.en, s.id);

  // 3. GSH 2019 tables: names (markers stripped) and subregions of areas the UN-CTS lacks.
  const isoByName = new Map<string, string>();
  for (const c of iso) for (const n of [c.name, c.official_name, c.common_name]) if (n) isoByName.set(n, c.alpha_3);
  const gshDir = path.join(values.unodc, 'gsh2019_homicide_victims');
  for (const f of ['homicide_victims_total_2000_2016.csv', 'homicide_victims_by_sex_2000_2016.csv']) {
    const rows = parseCsvRecords(readFileSync(path.join(gshDir, f), 'utf8'), ['Subregion', 'UNODC Name'] as const);
    for (const r of rows) {
      const name = gshAreaName(r['UNODC Name']);
      const code = names.get(name) ?? GSH_NAME_CODES[name] ?? isoByName.get(name);
      if (!code) {
        problems.push(`${f}: no code for "${name}"`);
        continue;
      }
      addName(name, code);
      if (!countryLevel(code)) continue;
      const m49 = GSH_SUBREGION[r.Subregion] ?? SUBREGION_BY_NAME.get(r.Subregion);
      if (!m49) {
        problems.push(`${f}: ${code}: unknown subregion "${r.Subregion}"`);
        continue;
      }
      const had = subregion.get(code);
      if (had && had.m49 !== m49) problems.push(`${code}: UN-CTS subregion ${had.m49}, GSH 2019 ${r.Subregion} (${m49})`);
      if (!had) subregion.set(code, { m49, name: r.Subregion, source: 'GSH2019' });
    }
    log.push(`read ${f}: ${rows.length} rows`);
  }

  const known = new Set([...iso.map((c) => c.alpha_3), ...OTHER_AREAS.map((a) => a.id)]);
  for (const code of subregion.keys()) if (!known.has(code)) problems.push(`${code}: not an ISO 3166-1 code nor a known extra area`);
  for (const code of new Set(names.values())) {
    if (!known.has(code) && !PARENT.has(code) && !SUBNATIONAL_AREAS.some((s) => s.id === code)) problems.push(`name → unknown code ${code}`);
  }
  if (problems.length) throw new Error(`derivation problems:\n${problems.join('\n')}`);

  const subRows = [...subregion].map(([code, s]) => [code, s.m49, s.name, s.source]);
  files.set('unodc-area-subregion.csv', csvText(['code', 'subregion_m49', 'source_subregion', 'source'], subRows.sort(byFirst)));
  const nameRows = [...names].map(([name, code]) => [name, code]);
  files.set('unodc-area-names.csv', csvText(['name', 'code'], nameRows.sort(byFirst)));
  log.push(`unodc-area-subregion.csv: ${subRows.length} areas; unodc-area-names.csv: ${nameRows.length} names`);
  return { files, log };
}

function main() {
  const { values } = parseArgs({
    options: {
      'iso-json': { type: 'string' },
      'iso-mo': { type: 'string' },
      unodc: { type: 'string' },
      out: { type: 'string', default: path.join(PROJECT_ROOT, 'sdmx/sources/areas') },
    },
  });
  if (!values['iso-json'] || !values['iso-mo'] || !values.unodc) {
    throw new Error('usage: derive-areas --iso-json FILE --iso-mo FILE --unodc DIR [--out DIR]');
  }
  const { files, log } = deriveAreaTables({ isoJson: values['iso-json'], isoMo: values['iso-mo'], unodc: values.unodc });
  for (const line of log) console.log(line);
  for (const [name, text] of files) writeFileSync(path.join(values.out!, name), text);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
