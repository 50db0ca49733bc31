/**
 * The addresses and code that give the figures of an explorer view elsewhere: the downloads
 * (the JSON API's CSV and XLSX, SDMX-CSV, SDMX-JSON, SDMX-ML), the SDMX REST and JSON API URLs,
 * a GraphQL query, and short R (rsdmx) and Python (sdmx1) snippets. All are built from the same
 * view state and the API answer's resolved key, so each asks for exactly the view's selection
 * (tests run them and compare their figures with the page's).
 */
import type { DataflowDetail } from '../../../services/catalogue/dataflows.js';
import type { ObservationsAnswer } from '../../../services/data/observations.js';
import type { PortalLanguage } from '../i18n.js';
import { apiQueryOf, type ViewState } from './view-state.js';

export interface ReuseLinks {
  readonly csv: string;
  readonly xlsx: string;
  readonly json: string;
  /** SDMX 2.1 data URL (SDMX-ML generic data by default). */
  readonly sdmx: string;
  /** Download paths of the SDMX formats. */
  readonly sdmxMl: string;
  readonly sdmxCsv: string;
  readonly sdmxJson: string;
  readonly graphql: string;
  readonly r: string;
  readonly python: string;
}

const join = (path: string, query: string) => (query ? `${path}?${query}` : path);

/** The SDMX 2.1 data path of the view: the flow's path with the resolved key and the period. */
export function sdmxDataPath(flow: DataflowDetail, answer: ObservationsAnswer, state: ViewState): string {
  const key = answer.sdmxKey().replaceAll('.', '') === '' ? 'all' : answer.sdmxKey();
  const path = flow.links.sdmxData.replace(/\/all$/, `/${key}`);
  const period = [state.from && `startPeriod=${encodeURIComponent(state.from)}`, state.to && `endPeriod=${encodeURIComponent(state.to)}`].filter(Boolean).join('&');
  return join(path, period);
}

export function reuseLinks(origin: string, flow: DataflowDetail, answer: ObservationsAnswer, state: ViewState, lang: PortalLanguage): ReuseLinks {
  const api = apiQueryOf(state);
  const observations = flow.links.observations;
  const sdmx = sdmxDataPath(flow, answer, state);
  const withParam = (url: string, param: string) => `${url}${url.includes('?') ? '&' : '?'}${param}`;
  const sdmxUrl = `${origin}${sdmx}`;
  return {
    csv: join(observations, [api, 'format=csv', `lang=${lang}`, 'footnotes=true'].filter(Boolean).join('&')),
    xlsx: join(observations, [api, 'format=xlsx', `lang=${lang}`].filter(Boolean).join('&')),
    json: `${origin}${join(observations, [api, `lang=${lang}`].filter(Boolean).join('&'))}`,
    sdmx: sdmxUrl,
    sdmxMl: sdmx,
    sdmxCsv: withParam(sdmx, 'format=csv'),
    sdmxJson: withParam(sdmx, 'format=jsondata'),
    graphql: graphqlQuery(flow.id, state),
    r: `library(rsdmx)\nfigures <- as.data.frame(readSDMX("${sdmxUrl}"))\nhead(figures)`,
    python: `import sdmx\nmessage = sdmx.read_url("${sdmxUrl}")\nfigures = sdmx.to_pandas(message)\nprint(figures.head())`,
  };
}

/** The GraphQL document that asks for the view's series, with labels, flags and releases. */
export function graphqlQuery(flowId: string, state: ViewState): string {
  const dims = [...state.filters.entries()].sort(([a], [b]) => a.localeCompare(b));
  const filterParts: string[] = [];
  if (dims.length) {
    const list = dims.map(([id, codes]) => `{ dimension: "${id}", codes: [${codes.map((c) => JSON.stringify(c)).join(', ')}] }`);
    filterParts.push(`dimensions: [\n      ${list.join(',\n      ')}\n    ]`);
  }
  if (state.from) filterParts.push(`from: ${JSON.stringify(state.from)}`);
  if (state.to) filterParts.push(`to: ${JSON.stringify(state.to)}`);
  const args = [`dataflow: ${JSON.stringify(flowId)}`];
  if (filterParts.length) args.push(`filter: {\n    ${filterParts.join('\n    ')}\n  }`);
  args.push('first: 100');
  if (state.release) args.push(`release: ${JSON.stringify(state.release)}`);
  else if (state.asOf) args.push(`asOf: ${JSON.stringify(state.asOf)}`);
  return `{
  series(${args.join(', ')}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      key
      dimensions { dimension code name }
      observations { period value suppressed flags { meaning } release { code } }
    }
  }
}`;
}
