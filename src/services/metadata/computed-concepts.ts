/**
 * The concepts the server fills in at request time (annotation COMPUTED in the MSD), by id,
 * from what the server itself knows: the quality indicators of the dataflow (or dataflow ×
 * area) at the instant, the instant the version became public, and its own public URLs.
 * Figures go in the numeric child concepts (rounded to two decimals), their explanation in the
 * parent's sentence (quality-sentences.ts). A null figure is left out, never written as 0.
 * Which of these an answer holds is the MSD's choice: nestByStructure keeps only the ids it
 * defines, in its order.
 */
import type { Text } from '../../sdmx/model.js';
import type { QualityIndicators, Quantity } from '../quality/index.js';
import type { AttributeContent } from './attribute-tree.js';
import { completenessSentence, punctualitySentence, revisionSentence, timelinessSentence } from './quality-sentences.js';

/** Where the public surfaces are mounted (relative URLs, as the server's own links are). */
export interface PublicPaths {
  /** The people's JSON API, e.g. `/api/v1`. */
  readonly api: string;
  /** The release calendar (JSON; `.ics` and `.atom` beside it), e.g. `/api/v1/calendar`. */
  readonly calendar: string;
  /** SDMX REST, e.g. `/sdmx` (versions `2.1` and `3.0` below it). */
  readonly sdmx: string;
}

export const DEFAULT_PUBLIC_PATHS: PublicPaths = { api: '/api/v1', calendar: '/api/v1/calendar', sdmx: '/sdmx' };

export interface ComputedConceptsInput {
  readonly indicators: QualityIndicators;
  /** When this version became public (its release's instant). */
  readonly validFrom: string;
  readonly dataflow: { readonly agencyID: string; readonly id: string; readonly version: string };
  /** The dataflow's name in the people's API paths (its id unless another agency uses it too). */
  readonly dataflowPath: string;
  readonly area: string | null;
  readonly paths: PublicPaths;
  /** Names of the unit-of-measure codes (CL_UNIT_MEASURE), so revisions read "(Number)", not "in unit NR". */
  readonly unitNames?: ReadonlyMap<string, Text>;
}

/** Decimal values as SDMX writes them: two decimals at most, no trailing zeros. */
const decimal = (q: Quantity | null | undefined) => (q ? String(Math.round(q.value * 100) / 100) : undefined);

function put(out: Map<string, AttributeContent>, id: string, content: { text?: Text; value?: string | undefined }): void {
  if (content.text === undefined && content.value === undefined) return;
  out.set(id, { ...(content.text ? { text: content.text } : {}), ...(content.value !== undefined ? { value: content.value } : {}) });
}

function calendarAccess(input: ComputedConceptsInput): Text {
  const cal = input.paths.calendar;
  const mine = `${cal}?dataflow=${encodeURIComponent(input.dataflow.id)}`;
  return {
    en: `The release calendar is public at ${cal} (JSON), ${cal}.ics (iCalendar) and ${cal}.atom (Atom feed), with every release announced, postponed, cancelled or published; the releases of this dataflow alone: ${mine}.`,
    es: `El calendario de difusión es público en ${cal} (JSON), ${cal}.ics (iCalendar) y ${cal}.atom (canal Atom), con cada difusión anunciada, aplazada, cancelada o publicada; solo las difusiones de este flujo de datos: ${mine}.`,
  };
}

function onlineDatabase(input: ComputedConceptsInput): Text {
  const { api, sdmx } = input.paths;
  const f = input.dataflow;
  const flow = `${api}/dataflows/${input.dataflowPath}`;
  const observations = `${flow}/observations${input.area ? `?REF_AREA=${encodeURIComponent(input.area)}` : ''}`;
  const sdmx21 = `${sdmx}/2.1/data/${f.agencyID},${f.id},${f.version}/all`;
  const sdmx30 = `${sdmx}/3.0/data/dataflow/${f.agencyID}/${f.id}/${f.version}`;
  return {
    en: `The data are online without registration: ${flow} describes the dataflow and ${observations} serves ${input.area ? `the figures of ${input.area}` : 'its figures'} (JSON, CSV or XLSX); SDMX REST serves the dataflow at ${sdmx21} (SDMX 2.1) and ${sdmx30} (SDMX 3.0).`,
    es: `Los datos están en línea sin registro: ${flow} describe el flujo de datos y ${observations} sirve ${input.area ? `las cifras de ${input.area}` : 'sus cifras'} (JSON, CSV o XLSX); SDMX REST sirve el flujo de datos en ${sdmx21} (SDMX 2.1) y ${sdmx30} (SDMX 3.0).`,
  };
}

export function computedConcepts(input: ComputedConceptsInput): Map<string, AttributeContent> {
  const q = input.indicators;
  const out = new Map<string, AttributeContent>();
  put(out, 'META_LAST_UPDATE', { value: input.validFrom });

  put(out, 'PUNCTUALITY', { text: punctualitySentence(q.punctuality, q.at) });
  put(out, 'PUNCT_ON_TIME_PCT', { value: decimal(q.punctuality.onTimeShare) });
  put(out, 'PUNCT_MEAN_DELAY_D', { value: decimal(q.punctuality.meanDelay) });
  put(out, 'PUNCT_MAX_DELAY_D', { value: decimal(q.punctuality.maxDelay) });

  put(out, 'TIMELINESS', { text: timelinessSentence(q.timeliness) });
  put(out, 'TIMELINESS_MEAN_LAG_D', { value: decimal(q.timeliness.firstResults.meanLag) });

  const revisedShare = q.revisions.compared > 0 ? { value: (100 * q.revisions.revised) / q.revisions.compared, unit: 'percent' } : null;
  put(out, 'REV_PRACTICE', { text: revisionSentence(q.revisions, q.releases.length > 0, input.unitNames) });
  put(out, 'REV_REVISED_PCT', { value: decimal(revisedShare) });

  put(out, 'COMPLETENESS', { text: completenessSentence(q.completeness, input.area) });
  // The series fill (see completenessSentence): the cube share is near 0 for any real source.
  put(out, 'COMPLETENESS_PCT', { value: decimal(q.completeness.seriesFill) });

  put(out, 'SUPPRESSED_PCT', { value: decimal(q.suppression.share) });

  put(out, 'REL_CAL_ACCESS', { text: calendarAccess(input) });
  put(out, 'ONLINE_DB', { text: onlineDatabase(input) });
  return out;
}
