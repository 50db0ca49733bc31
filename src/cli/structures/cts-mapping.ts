/**
 * How the UNODC and Eurostat source files map onto the DSD_CTS series keys: the one table a
 * data loader needs to turn a row of `data_cts_*.csv`, of the Global Study on Homicide 2019
 * tables or of the Eurostat SDMX-CSV extracts into (dataflow, key). The Allowed content
 * constraints (`flows.ts`) are computed from these same rules, so loader and constraints
 * cannot drift apart.
 *
 * Choices (see `sdmx/README.md`):
 * - Offence categories follow `cts-category-to-iccs.csv` (shared ICCS reference data). Two
 *   judgement calls: "Theft: of a motorized vehicle" → 05021 (the code of Eurostat's 2024
 *   release); "Drug trafficking / possession" → 06012 / 06011.
 * - "Corruption: Other acts of corruption" has no single ICCS code (0703 minus 07031), so it
 *   maps to the extra CL_OFFENCE code `0703_OTH`.
 * - The ICCS cyber-related tag (Cy) is the DISAGGREGATION code `CY`, the offence keeps its code.
 * - Victims carry the ICCS code of the crime they suffered (0101, 020111, 0301); counts of
 *   persons not broken down by offence are `_T`; prison capacity, facilities and deaths are
 *   `_Z` (offence not applicable).
 * - "Persons held" by status are the indicators PRIS_SENT / PRIS_UNSENT (SDG 16.3.2);
 *   "Persons entering prison" by status use the DISAGGREGATION codes STA_SENT / STA_UNSENT.
 *   "Persons held unsentenced / Unsentenced: Total" is the same series as "Persons held /
 *   by status / Unsentenced" (the values agree wherever both exist): a loader keeps one.
 * - Source area codes GBR_EW, KOS and WORLD are aliases of GBR_E_W, XKX and 001.
 */
import type { DataflowId, SeriesKey } from './common.js';

export class CtsMappingError extends Error {
  override name = 'CtsMappingError';
}

/** What a (Indicator, Dimension, Category) triple of a UN-CTS file stands for. */
export interface CtsTarget {
  readonly dataflow: DataflowId;
  readonly indicator: string;
  readonly offence: string;
  readonly disaggregation: string;
}

export interface CtsRule extends CtsTarget {
  /** The exact strings of the UNODC file. */
  readonly ctsIndicator: string;
  readonly ctsDimension: string;
  readonly ctsCategory: string;
}

// ---------------------------------------------------------------------------------------------
// Category → offence / disaggregation, by UN-CTS dimension

type Part = Partial<Pick<CtsTarget, 'indicator' | 'offence' | 'disaggregation'>>;

/** `by type of criminal acts` = the 11 ICCS sections, in UN-CTS wording. */
const TYPE_OF_CRIMINAL_ACTS: Record<string, Part> = {
  'Acts leading to death or intending to cause death': { offence: '01' },
  'Acts leading to harm or intending to cause harm to the person': { offence: '02' },
  'Injurious acts of a sexual nature': { offence: '03' },
  'Acts against property involving violence': { offence: '04' },
  'Acts against property only': { offence: '05' },
  'Acts involving controlled psycho-active substances': { offence: '06' },
  'Acts involving fraud, deception or corruption': { offence: '07' },
  'Acts against public order': { offence: '08' },
  'Acts against public safety and state security': { offence: '09' },
  'Acts against the natural environment': { offence: '10' },
  // Hyphenation artefact of the prisons file.
  'Acts against the natural environ-ment': { offence: '10' },
  'Other criminal acts not elsewhere classified': { offence: '11' },
};

/** `by selected crime` (capitalisation differs between files, both spellings are listed). */
const SELECTED_CRIME: Record<string, Part> = {
  'Intentional Homicide': { offence: '0101' },
  Rape: { offence: '03011' },
  Bribery: { offence: '07031' },
  'Drug trafficking': { offence: '06012' },
  'Drug Trafficking': { offence: '06012' },
  'Drug possession': { offence: '06011' },
  'Drug Possession': { offence: '06011' },
};

const CITIZENSHIP: Record<string, Part> = {
  'National citizens': { disaggregation: 'CIT_NAT' },
  'Foreign citizens': { disaggregation: 'CIT_FOR' },
};

const LEGAL_REPRESENTATION: Record<string, Part> = {
  'With legal representation': { disaggregation: 'LEG_WITH' },
  'With no legal representation': { disaggregation: 'LEG_NONE' },
  'Paid legal representation: At no cost for the beneficiary': { disaggregation: 'LEG_PAID_FREE' },
  'Paid legal representation: Paid for by the beneficiary': { disaggregation: 'LEG_PAID_SELF' },
};

const RELATIONSHIP: Record<string, Part> = {
  'Intimate partner or family member': { disaggregation: 'REL_FAM' },
  'Other Perpetrator known to the victim': { disaggregation: 'REL_KNOWN' },
  'Perpetrator unknown to the victim': { disaggregation: 'REL_UNKNOWN' },
  'Relationship to perpetrator is not known': { disaggregation: 'REL_NK' },
};

/** Police-recorded offences, `by type of offence` (violent, economic and environmental files). */
const TYPE_OF_OFFENCE: Record<string, Part> = {
  'Serious assault': { offence: '020111' },
  Kidnapping: { offence: '020221' },
  'Sexual violence': { offence: '0301' },
  'Sexual violence: Rape': { offence: '03011' },
  'Sexual violence: Sexual assault': { offence: '03012' },
  'Sexual violence: Other acts of sexual violence': { offence: '03019' },
  'Sexual Exploitation': { offence: '0302' },
  'Acts intended to induce fear or emotional distress': { offence: '0208' },
  'Acts intended to induce fear or emotional distress: Cyber-related': { offence: '0208', disaggregation: 'CY' },
  Burglary: { offence: '0501' },
  Theft: { offence: '0502' },
  'Theft: of a motorized vehicle': { offence: '05021' },
  Fraud: { offence: '0701' },
  'Fraud: Cyber-related (Cy)': { offence: '0701', disaggregation: 'CY' },
  Corruption: { offence: '0703' },
  'Corruption: Bribery': { offence: '07031' },
  'Corruption: Other acts of corruption': { offence: '0703_OTH' },
  'Money laundering': { offence: '07041' },
  'Smuggling of migrants': { offence: '08051' },
  'Unlawful access to a computer system': { offence: '09031' },
  'Unlawful interference with a computer system or computer data': { offence: '09032' },
  'Unlawful interception or access of computer data': { offence: '09033' },
  // Typos ("of dumping", "faune", "depletion of degradation") are those of the UNODC file.
  'Acts that cause environmental pollution or degradation': { offence: '1001' },
  'Acts involving the movement of dumping of waste': { offence: '1002' },
  'Trade or possession of protected or prohibited species of faune and flora': { offence: '1003' },
  'Acts that result in the depletion of degradation of natural resources': { offence: '1004' },
};

const TYPE_OF_DEATH: Record<string, Part> = {
  'Deaths due to natural causes': { disaggregation: 'DEATH_NAT' },
  'Deaths due to external causes': { disaggregation: 'DEATH_EXT' },
  'Deaths due to external causes: by intentional homicide': { disaggregation: 'DEATH_EXT_HOM' },
  'Deaths due to external causes: by suicide': { disaggregation: 'DEATH_EXT_SUI' },
  'Deaths due to external causes: by accident or other causes': { disaggregation: 'DEATH_EXT_ACC' },
};

const TOTAL: Record<string, Part> = { Total: {} };

// ---------------------------------------------------------------------------------------------
// Indicator → dataflow and indicator code, with the dimensions each indicator has in the files

interface IndicatorSpec {
  readonly ctsIndicator: string;
  readonly base: CtsTarget;
  readonly dimensions: Readonly<Record<string, Record<string, Part>>>;
}

const base = (dataflow: DataflowId, indicator: string, offence = '_T'): CtsTarget => ({
  dataflow,
  indicator,
  offence,
  disaggregation: '_T',
});

const PERSONS_DIMENSIONS = {
  Total: TOTAL,
  'by citizenship': CITIZENSHIP,
  'by selected crime': SELECTED_CRIME,
  'by type of criminal acts': TYPE_OF_CRIMINAL_ACTS,
};

const INDICATORS: readonly IndicatorSpec[] = [
  // data_cts_violent_and_sexual_crime.csv, data_cts_corruption_and_economic_crime.csv
  { ctsIndicator: 'Violent offences', base: base('DF_CTS_OFFENCES', 'OFF'), dimensions: { 'by type of offence': TYPE_OF_OFFENCE } },
  { ctsIndicator: 'Offences', base: base('DF_CTS_OFFENCES', 'OFF'), dimensions: { 'by type of offence': TYPE_OF_OFFENCE } },
  {
    ctsIndicator: 'Acts against the environment',
    base: base('DF_CTS_OFFENCES', 'OFF'),
    dimensions: { 'by type of offence': TYPE_OF_OFFENCE },
  },
  {
    ctsIndicator: 'Victims of serious assault',
    base: base('DF_CTS_VICTIMS', 'VIC_SASSAULT', '020111'),
    dimensions: { 'by relationship to perpetrator': RELATIONSHIP },
  },
  {
    ctsIndicator: 'Victims of sexual violence',
    base: base('DF_CTS_VICTIMS', 'VIC_SEXVIOL', '0301'),
    dimensions: { 'by relationship to perpetrator': RELATIONSHIP },
  },
  // data_cts_access_and_functioning_of_justice.csv
  {
    ctsIndicator: 'Persons arrested/cautioned/suspected',
    base: base('DF_CTS_FORMAL_CONTACT', 'PER_CONTACT'),
    dimensions: PERSONS_DIMENSIONS,
  },
  { ctsIndicator: 'Persons prosecuted', base: base('DF_CTS_PROSECUTED', 'PER_PROSEC'), dimensions: PERSONS_DIMENSIONS },
  {
    ctsIndicator: 'Persons brought before criminal courts',
    base: base('DF_CTS_COURTS', 'PER_COURT'),
    dimensions: { Total: TOTAL, 'by type of legal representation': LEGAL_REPRESENTATION },
  },
  { ctsIndicator: 'Persons convicted', base: base('DF_CTS_CONVICTED', 'PER_CONVICT'), dimensions: PERSONS_DIMENSIONS },
  // data_cts_prisons_and_prisoners.csv
  {
    ctsIndicator: 'Persons held',
    base: base('DF_CTS_PRISONS', 'PRIS_HELD'),
    dimensions: {
      ...PERSONS_DIMENSIONS,
      'by status': { Sentenced: { indicator: 'PRIS_SENT' }, Unsentenced: { indicator: 'PRIS_UNSENT' } },
    },
  },
  {
    ctsIndicator: 'Persons held unsentenced',
    base: base('DF_CTS_PRISONS', 'PRIS_UNSENT'),
    dimensions: {
      'by length of detention': {
        'Unsentenced: Total': {},
        'Unsentenced for less than 6 months': { disaggregation: 'DET_LT6M' },
        'Unsentenced for less than 12 months': { disaggregation: 'DET_LT12M' },
        'Unsentenced for more than 12 months': { disaggregation: 'DET_GT12M' },
      },
    },
  },
  {
    // UNODC's world estimate of the unsentenced share (unit: percentage of total persons held).
    ctsIndicator: 'Persons held unsentenced - Regional Estimate',
    base: base('DF_CTS_PRISONS', 'PRIS_UNSENT'),
    dimensions: { 'by length of detention': { Unsentenced: {} } },
  },
  {
    ctsIndicator: 'Persons entering prison',
    base: base('DF_CTS_PRISONS', 'PRIS_ENTER'),
    dimensions: {
      Total: TOTAL,
      'by selected crime': SELECTED_CRIME,
      'by type of criminal acts': TYPE_OF_CRIMINAL_ACTS,
      'by status': { Sentenced: { disaggregation: 'STA_SENT' }, Unsentenced: { disaggregation: 'STA_UNSENT' } },
    },
  },
  {
    ctsIndicator: 'Mortality in prison',
    base: base('DF_CTS_PRISONS', 'PRIS_DEATH', '_Z'),
    dimensions: { Total: TOTAL, 'by type of death': TYPE_OF_DEATH },
  },
  {
    ctsIndicator: 'Persons held under other types of supervision',
    base: base('DF_CTS_PRISONS', 'PRIS_OTHER_SUP'),
    dimensions: { Total: TOTAL },
  },
  {
    ctsIndicator: 'Prisons facilities and capacity',
    base: base('DF_CTS_PRISONS', 'PRIS_CAPACITY', '_Z'),
    dimensions: {
      Total: {
        'Official prison capacity': { indicator: 'PRIS_CAPACITY' },
        'Number of facilities': { indicator: 'PRIS_FACILITIES' },
      },
    },
  },
];

/** Every (Indicator, Dimension, Category) the UN-CTS files may hold, with its target. */
export const CTS_RULES: readonly CtsRule[] = INDICATORS.flatMap((spec) =>
  Object.entries(spec.dimensions).flatMap(([ctsDimension, categories]) =>
    Object.entries(categories).map(([ctsCategory, part]) => ({
      ctsIndicator: spec.ctsIndicator,
      ctsDimension,
      ctsCategory,
      ...spec.base,
      ...part,
    })),
  ),
);

const ruleKey = (indicator: string, dimension: string, category: string) => `${indicator}\u0000${dimension}\u0000${category}`;
const RULE_INDEX = new Map(CTS_RULES.map((r) => [ruleKey(r.ctsIndicator, r.ctsDimension, r.ctsCategory), r]));

export function ctsRule(indicator: string, dimension: string, category: string): CtsRule | undefined {
  return RULE_INDEX.get(ruleKey(indicator, dimension, category));
}

// ---------------------------------------------------------------------------------------------
// Sex, age, unit and area columns

export const CTS_SEX: Readonly<Record<string, string>> = { Total: '_T', Female: 'F', Male: 'M' };
/** UN-CTS "Juveniles" are persons under the national age of criminal majority, usually 18. */
export const CTS_AGE: Readonly<Record<string, string>> = { Total: '_T', Adult: 'Y_GE18', Juveniles: 'Y_LT18' };
export const CTS_UNIT: Readonly<Record<string, string>> = {
  Counts: 'NR',
  'Rate per 100,000 population': 'P_HTHAB',
  'Percentage of total persons held': 'PC',
};
/** `Iso3_code` values of the UNODC files that are spelt differently in CL_AREA. */
export const CTS_AREA_ALIASES: Readonly<Record<string, string>> = { GBR_EW: 'GBR_E_W', KOS: 'XKX', WORLD: '001' };

export function ctsAreaCode(iso3: string): string {
  return CTS_AREA_ALIASES[iso3] ?? iso3;
}

/** The columns of a `data_cts_*.csv` row that make up the key. */
export interface CtsRow {
  readonly Iso3_code: string;
  readonly Indicator: string;
  readonly Dimension: string;
  readonly Category: string;
  readonly Sex: string;
  readonly Age: string;
  readonly 'Unit of measurement': string;
}

export interface MappedSeries {
  readonly dataflow: DataflowId;
  readonly key: SeriesKey;
}

const lookup = (table: Readonly<Record<string, string>>, value: string, what: string): string => {
  const code = Object.hasOwn(table, value) ? table[value] : undefined;
  if (code === undefined) throw new CtsMappingError(`unknown ${what} "${value}"`);
  return code;
};

/** A UN-CTS row → dataflow and series key. Throws CtsMappingError for anything unknown. */
export function mapCtsRow(row: CtsRow): MappedSeries {
  const rule = ctsRule(row.Indicator, row.Dimension, row.Category);
  if (!rule) {
    throw new CtsMappingError(`no rule for Indicator "${row.Indicator}", Dimension "${row.Dimension}", Category "${row.Category}"`);
  }
  return {
    dataflow: rule.dataflow,
    key: {
      FREQ: 'A',
      REF_AREA: ctsAreaCode(row.Iso3_code),
      INDICATOR: rule.indicator,
      OFFENCE: rule.offence,
      SEX: lookup(CTS_SEX, row.Sex, 'Sex'),
      AGE: lookup(CTS_AGE, row.Age, 'Age'),
      DISAGGREGATION: rule.disaggregation,
      UNIT_MEASURE: lookup(CTS_UNIT, row['Unit of measurement'], 'Unit of measurement'),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Global Study on Homicide 2019 tables (homicide_victims_total / _by_sex)

export const GSH_TARGET: CtsTarget = base('DF_CTS_HOMICIDE', 'VIC_HOM', '0101');
/** `Sex` column of the by-sex table; the total table has no Sex column (= `_T`). */
export const GSH_SEX: Readonly<Record<string, string>> = { Females: 'F', Males: 'M' };
export const GSH_UNIT: Readonly<Record<string, string>> = { count: 'NR', rate: 'P_HTHAB' };

/** `count_2016` → { unit: 'NR', year: '2016' }; undefined for a non-value column. */
export function gshValueColumn(column: string): { unit: string; year: string } | undefined {
  const m = /^(count|rate)_(\d{4})$/.exec(column);
  return m ? { unit: GSH_UNIT[m[1]], year: m[2] } : undefined;
}

/**
 * The `UNODC Name` of the GSH tables carries note markers (`*`, `#`) that point to the notes
 * under the table; the area itself is the name without them. Names map to CL_AREA codes
 * through `sdmx/sources/areas/unodc-area-names.csv` (see `readUnodcAreaNames` in areas.ts).
 */
export function gshAreaName(unodcName: string): string {
  return unodcName.replace(/[*#]+\s*$/, '').trim();
}

export function mapGshCell(args: { areaCode: string; sex?: string; column: string }): (MappedSeries & { year: string }) | undefined {
  const col = gshValueColumn(args.column);
  if (!col) return undefined;
  const sex = args.sex === undefined ? '_T' : lookup(GSH_SEX, args.sex, 'GSH Sex');
  return {
    dataflow: GSH_TARGET.dataflow,
    year: col.year,
    key: {
      FREQ: 'A',
      REF_AREA: args.areaCode,
      INDICATOR: GSH_TARGET.indicator,
      OFFENCE: GSH_TARGET.offence,
      SEX: sex,
      AGE: '_T',
      DISAGGREGATION: GSH_TARGET.disaggregation,
      UNIT_MEASURE: col.unit,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Eurostat (joint UNODC–Eurostat collection): crim_off_cat and crim_pris_age

/**
 * Eurostat's figures differ from UNODC's for the same keys (e.g. Switzerland, kidnapping 2008:
 * UNODC 309, Eurostat 2), so each Eurostat table has a dataflow of its own on DSD_CTS.
 */
export const ESTAT_TARGETS = {
  /** ESTAT:CRIM_OFF_CAT: police-recorded offences by ICCS code. */
  CRIM_OFF_CAT: base('DF_ESTAT_CRIM_OFF_CAT', 'OFF'),
  /** ESTAT:CRIM_PRIS_AGE: prisoners by age and sex. */
  CRIM_PRIS_AGE: base('DF_ESTAT_CRIM_PRIS_AGE', 'PRIS_HELD'),
} as const satisfies Record<string, CtsTarget>;

/** Eurostat `geo` codes (ISO alpha-2 with Eurostat's exceptions and UK NUTS-1 groups). */
export const ESTAT_GEO: Readonly<Record<string, string>> = {
  AL: 'ALB', AT: 'AUT', BA: 'BIH', BE: 'BEL', BG: 'BGR', CH: 'CHE', CY: 'CYP', CZ: 'CZE', DE: 'DEU', DK: 'DNK',
  EE: 'EST', EL: 'GRC', ES: 'ESP', FI: 'FIN', FR: 'FRA', HR: 'HRV', HU: 'HUN', IE: 'IRL', IS: 'ISL', IT: 'ITA',
  LI: 'LIE', LT: 'LTU', LU: 'LUX', LV: 'LVA', ME: 'MNE', MK: 'MKD', MT: 'MLT', NL: 'NLD', NO: 'NOR', PL: 'POL',
  PT: 'PRT', RO: 'ROU', RS: 'SRB', SE: 'SWE', SI: 'SVN', SK: 'SVK', TR: 'TUR', UK: 'GBR', XK: 'XKX',
  // NUTS-1 groups Eurostat uses for the three UK jurisdictions.
  'UKC-L': 'GBR_E_W', UKM: 'GBR_S', UKN: 'GBR_NI',
};
export const ESTAT_SEX: Readonly<Record<string, string>> = { T: '_T', F: 'F', M: 'M' };
export const ESTAT_AGE: Readonly<Record<string, string>> = { TOTAL: '_T', ADULT: 'Y_GE18', JUVENILE: 'Y_LT18' };
export const ESTAT_UNIT: Readonly<Record<string, string>> = { NR: 'NR', P_HTHAB: 'P_HTHAB' };

/** `ICCS0101` → `0101`. */
export function estatIccs(code: string): string {
  if (!/^ICCS[0-9]{2,6}$/.test(code)) throw new CtsMappingError(`not an Eurostat ICCS code: "${code}"`);
  return code.slice(4);
}

export interface EstatRow {
  readonly freq: string;
  readonly geo: string;
  readonly unit: string;
  readonly iccs?: string;
  readonly sex?: string;
  readonly age?: string;
}

/** A row of an Eurostat SDMX-CSV extract → dataflow and series key. */
export function mapEstatRow(flow: keyof typeof ESTAT_TARGETS, row: EstatRow): MappedSeries {
  const t = ESTAT_TARGETS[flow];
  if (row.freq !== 'A') throw new CtsMappingError(`unsupported frequency "${row.freq}"`);
  return {
    dataflow: t.dataflow,
    key: {
      FREQ: 'A',
      REF_AREA: lookup(ESTAT_GEO, row.geo, 'Eurostat geo'),
      INDICATOR: t.indicator,
      OFFENCE: row.iccs === undefined ? t.offence : estatIccs(row.iccs),
      SEX: row.sex === undefined ? '_T' : lookup(ESTAT_SEX, row.sex, 'Eurostat sex'),
      AGE: row.age === undefined ? '_T' : lookup(ESTAT_AGE, row.age, 'Eurostat age'),
      DISAGGREGATION: t.disaggregation,
      UNIT_MEASURE: lookup(ESTAT_UNIT, row.unit, 'Eurostat unit'),
    },
  };
}
