/**
 * Where an ICCS category is reported, for its page: each dataflow whose OFFENCE dimension holds
 * public data for the code or for a code under it (the catalogue's tree of the dimension, the
 * same as `/api/v1/dataflows/{id}`), its series and value counts summed over that subtree, and
 * the areas that report it there, as the JSON API's observations route would give them for
 * `OFFENCE=<code>` (or `OFFENCE=<code>*` when codes under it hold data).
 *
 * Areas are found by matching series in the dataflow's view (no value read), then reading one
 * series per area to confirm it holds a current value (a series whose values were all withdrawn
 * is in the view but holds no data); an area whose first series holds none tries its next one.
 */
import type { StoredSeries } from '../../../storage/repositories.js';
import type { ObservationsApi } from '../../../services/data/observations.js';
import { parseObservationsRequest } from '../../../services/data/observations-query.js';
import type { PortalLanguage } from '../i18n.js';
import { AREA_DIMENSION, dimensionOf, nodeOf, nodesWithData, OFFENCE_DIMENSION, type PublicFlow } from './public-facts.js';

export interface OffenceInFlow {
  readonly flow: PublicFlow;
  /** The OFFENCE filter that gives these figures: the code, or `code*` when codes under it hold data. */
  readonly filter: string;
  /** Codes of the subtree that hold data themselves. */
  readonly codes: readonly string[];
  readonly series: number;
  readonly observations: number;
  /** Area codes with a value for the filter, in code order. */
  readonly areas: readonly string[];
}

export function offenceInFlows(observations: ObservationsApi, flows: readonly PublicFlow[], code: string, lang: PortalLanguage): OffenceInFlow[] {
  const out: OffenceInFlow[] = [];
  for (const flow of flows) {
    const node = nodeOf(dimensionOf(flow.detail, OFFENCE_DIMENSION)?.tree ?? [], code);
    const withData = node ? nodesWithData(node) : [];
    if (!withData.length) continue;
    const filter = withData.some((n) => n.id !== code) ? `${code}*` : code;
    out.push({
      flow,
      filter,
      codes: withData.map((n) => n.id),
      series: withData.reduce((sum, n) => sum + n.series, 0),
      observations: withData.reduce((sum, n) => sum + n.observations, 0),
      areas: areasReporting(observations, flow, filter, lang),
    });
  }
  return out;
}

function areasReporting(observations: ObservationsApi, flow: PublicFlow, filter: string, lang: PortalLanguage): string[] {
  const query = `${OFFENCE_DIMENSION}=${encodeURIComponent(filter)}`;
  const answer = observations.answer({ ...parseObservationsRequest(flow.ref, `${query}&lang=${lang}`, undefined, undefined), walk: 'series', limit: undefined }, query);
  const byArea = new Map<string, StoredSeries[]>();
  for (const s of answer.seriesPage(Number.MAX_SAFE_INTEGER).series) {
    const area = s.dimensions[AREA_DIMENSION];
    if (area === undefined) continue;
    const list = byArea.get(area);
    if (list) list.push(s);
    else byArea.set(area, [s]);
  }
  const confirmed = new Set<string>();
  let pending = [...byArea.keys()];
  for (let round = 0; pending.length; round++) {
    const batch = pending.map((a) => byArea.get(a)![round]!);
    // Only series with a current value are yielded.
    for (const { series } of answer.valuesOf(batch)) confirmed.add(series.dimensions[AREA_DIMENSION]!);
    pending = pending.filter((a) => !confirmed.has(a) && byArea.get(a)!.length > round + 1);
  }
  return [...confirmed].sort();
}
