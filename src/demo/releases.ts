/**
 * The demo publication: which source files make up which release, in announcement order.
 *
 * Announced instants are the real dates the sources carry or are attested by (see the READMEs
 * under `data/demo/`); a date without a time of day is taken as midnight UTC:
 * - GSH 2019 tables: first attested 2018-10-14 (the commit of the source repository; the data
 *   file UNODC later published with the Global Study on Homicide 2019).
 * - UN-CTS exports: the date in each UNODC portal preamble (justice 06/06/2022, prisons
 *   11/05/2023). The violent/sexual and corruption/economic exports carry none; they are
 *   attested 2024-07-02 (commit of the source repository).
 * - Eurostat SDMX-CSV: `LAST UPDATE` 08/06/22 11:00:00, Luxembourg time (CEST) = 09:00 UTC.
 * - Eurostat bulk TSV (Eurostat's 2024 release, data 2008–2022): the file has no update stamp;
 *   2024-04-19 is the date Eurostat last updated the reference metadata of that release
 *   (crim_sims, "Metadata last update 19/04/2024").
 *
 * No UN-CTS export holds homicide victims, so none of them revises the GSH figures; the
 * revision history is Eurostat's: ESTAT-CRIM-2024 revises ESTAT-CRIM-2022 (e.g. Belgium,
 * intentional homicide 2018: 190 → 192).
 *
 * One release is held back, so that the calendar has an upcoming release and its embargo can be
 * seen lifting: the UN-CTS corruption and economic crime export (real figures, attested with the
 * violent and sexual crime export on 2024-07-02) is scheduled seven days after the demo is
 * loaded, at 10:00 UTC. Its title and note say so; until then every surface behaves as if it
 * did not exist, exactly as for any scheduled release.
 */
import type { DataflowId } from '../cli/structures/common.js';
import type { ReleaseCollector } from './collector.js';
import { readEstatSdmxCsv, readEstatTsv } from './eurostat.js';
import { gshContext, readGshFile } from './gsh.js';
import type { LoadLog } from './report.js';
import { readUnctsFile } from './uncts.js';

export type SourceReader = (demoDir: string, collector: ReleaseCollector, log: LoadLog) => void;

/** A release the demo schedules after the load instant instead of publishing it at once. */
export interface HeldBack {
  readonly daysAfterLoad: number;
  /** HH:MM:SS, UTC. */
  readonly timeOfDay: string;
}

export interface DemoRelease {
  readonly code: string;
  readonly title: string;
  readonly note: string;
  /** The real announced instant, or when the demo holds the release back, how far after the load. */
  readonly announcedAt: string | HeldBack;
  /** `AGENCY:ID` in DATA_PROVIDERS. */
  readonly provider: 'UNODC:UNODC' | 'UNODC:ESTAT';
  readonly dataflows: readonly DataflowId[];
  /** Code of the release this one revises. */
  readonly revises?: string;
  readonly sources: readonly SourceReader[];
}

const uncts =
  (file: string): SourceReader =>
  (dir, collector, log) =>
    readUnctsFile(dir, `unodc/${file}`, collector, log);

const UNCTS_NOTE = 'Source: UNODC Research – Data Portal (UN-CTS).';
const ESTAT_NOTE = 'Source: Eurostat (joint UNODC–Eurostat data collection).';

export const DEMO_RELEASES: readonly DemoRelease[] = [
  {
    code: 'GSH-2019',
    title: 'Global Study on Homicide 2019: victims of intentional homicide, 2000–2016',
    note: 'Source: UNODC, Global Study on Homicide 2019, data tables.',
    announcedAt: '2018-10-14T00:00:00.000Z',
    provider: 'UNODC:UNODC',
    dataflows: ['DF_CTS_HOMICIDE'],
    sources: [
      (dir, collector, log) => {
        const context = gshContext(dir);
        readGshFile(dir, 'homicide_victims_total_2000_2016.csv', false, collector, log, context);
        readGshFile(dir, 'homicide_victims_by_sex_2000_2016.csv', true, collector, log, context);
      },
    ],
  },
  {
    code: 'UNCTS-2022',
    title: 'UN-CTS: access to and functioning of justice (UNODC release of 6 June 2022)',
    note: UNCTS_NOTE,
    announcedAt: '2022-06-06T00:00:00.000Z',
    provider: 'UNODC:UNODC',
    dataflows: ['DF_CTS_FORMAL_CONTACT', 'DF_CTS_PROSECUTED', 'DF_CTS_COURTS', 'DF_CTS_CONVICTED'],
    sources: [uncts('cts_access_functioning_justice/data_cts_access_and_functioning_of_justice.csv')],
  },
  {
    code: 'ESTAT-CRIM-2022',
    title: 'Eurostat: offences recorded by the police and prisoners (update of 8 June 2022)',
    note: ESTAT_NOTE,
    announcedAt: '2022-06-08T09:00:00.000Z',
    provider: 'UNODC:ESTAT',
    dataflows: ['DF_ESTAT_CRIM_OFF_CAT', 'DF_ESTAT_CRIM_PRIS_AGE'],
    sources: [
      (dir, c, log) => readEstatSdmxCsv(dir, 'eurostat/estat_crim_off_cat_sdmx-csv.csv', 'CRIM_OFF_CAT', c, log),
      (dir, c, log) => readEstatSdmxCsv(dir, 'eurostat/estat_crim_pris_age_sdmx-csv.csv', 'CRIM_PRIS_AGE', c, log),
    ],
  },
  {
    code: 'UNCTS-2023',
    title: 'UN-CTS: prisons and prisoners (UNODC release of 11 May 2023)',
    note: UNCTS_NOTE,
    announcedAt: '2023-05-11T00:00:00.000Z',
    provider: 'UNODC:UNODC',
    dataflows: ['DF_CTS_PRISONS'],
    sources: [uncts('cts_prisons_prisoners/data_cts_prisons_and_prisoners.csv')],
  },
  {
    code: 'ESTAT-CRIM-2024',
    title: 'Eurostat: offences recorded by the police, 2008–2022 (2024 release)',
    note: `${ESTAT_NOTE} Revises the police-recorded offences of ESTAT-CRIM-2022 and adds 2021–2022.`,
    announcedAt: '2024-04-19T00:00:00.000Z',
    provider: 'UNODC:ESTAT',
    dataflows: ['DF_ESTAT_CRIM_OFF_CAT'],
    revises: 'ESTAT-CRIM-2022',
    sources: [(dir, c, log) => readEstatTsv(dir, 'eurostat/estat_crim_off_cat.tsv', 'CRIM_OFF_CAT', c, log)],
  },
  {
    code: 'UNCTS-2024',
    title: 'UN-CTS: violent and sexual crime (2003–2022)',
    note: UNCTS_NOTE,
    announcedAt: '2024-07-02T00:00:00.000Z',
    provider: 'UNODC:UNODC',
    dataflows: ['DF_CTS_OFFENCES', 'DF_CTS_VICTIMS'],
    sources: [uncts('cts_violent_sexual_crime/data_cts_violent_and_sexual_crime.csv')],
  },
  {
    code: 'UNCTS-2024-CORRUPTION',
    title: 'UN-CTS: corruption and economic crime (2003–2022), held back by the demo',
    note:
      `${UNCTS_NOTE} UNODC published these figures with the violent and sexual crime export (attested 2024-07-02); ` +
      'this demo holds them back and schedules them seven days after it was loaded, to show an upcoming release and its embargo.',
    announcedAt: { daysAfterLoad: 7, timeOfDay: '10:00:00' },
    provider: 'UNODC:UNODC',
    dataflows: ['DF_CTS_OFFENCES'],
    sources: [uncts('cts_corruption_economic_crime/data_cts_corruption_and_economic_crime.csv')],
  },
];

/** The instant a demo release is announced for, given the load instant. */
export function announcedInstant(release: DemoRelease, loadedAt: string): string {
  if (typeof release.announcedAt === 'string') return release.announcedAt;
  const day = new Date(Date.parse(loadedAt) + release.announcedAt.daysAfterLoad * 86_400_000).toISOString().slice(0, 10);
  return new Date(`${day}T${release.announcedAt.timeOfDay}.000Z`).toISOString();
}
