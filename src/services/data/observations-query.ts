/**
 * What a request to `/api/v1/dataflows/{id}/observations` asks, checked for syntax: filters by
 * dimension id in plain parameters (`REF_AREA=MEX,GTM`, or repeated: `REF_AREA=MEX&REF_AREA=GTM`;
 * any letter case), a code with a
 * trailing `*` or `descendants=true` for a code and everything under it in its hierarchy, the
 * period (`from`, `to`), the state of the data (`asOf` or `release`), the label language, the
 * page (`limit`, `cursor`) and the format. Whether a dimension or a code exists is checked once
 * the dataflow is resolved (observations.ts). Every refusal names its parameter.
 */
import { queryPeriodEnd, queryPeriodStart } from '../../sdmx/time-period.js';
import { invalidParameter } from '../../errors.js';
import { languageOf, type Language } from '../catalogue/artefacts.js';
import { listName, pinParameters, readParameters } from '../catalogue/query-parameters.js';

export const OBSERVATION_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ObservationFormat = (typeof OBSERVATION_FORMATS)[number];

export const FORMAT_MEDIA_TYPES: Readonly<Record<ObservationFormat, string>> = {
  json: 'application/json',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Rows per JSON page unless `limit` says otherwise, and the most a page may hold. */
export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 10_000;

/** Parameters that are not dimension filters. */
export const RESERVED_PARAMETERS = ['agency', 'version', 'from', 'to', 'asOf', 'release', 'lang', 'limit', 'cursor', 'format', 'descendants', 'footnotes'] as const;
/** On a cursor page these may change (the last value counts, so `&limit=50` appended to a `next` link works). */
export const PAGE_PARAMETERS = ['limit', 'lang', 'format'] as const;

export interface DimensionFilter {
  /** The parameter as written (`ref_area`), for errors. */
  readonly parameter: string;
  /** Codes as written, a trailing `*` kept. */
  readonly codes: readonly string[];
}

export interface ObservationsRequest {
  readonly idText: string;
  readonly agency?: string;
  readonly version?: string;
  /** Keyed by the parameter name in upper case (`REF_AREA`). */
  readonly filters: ReadonlyMap<string, DimensionFilter>;
  readonly descendants: boolean;
  readonly from?: string;
  readonly to?: string;
  /** Normalised ISO-8601 instant. */
  readonly asOf?: string;
  readonly release?: string;
  readonly lang: Language;
  /** undefined = every row (CSV and XLSX without `limit`). */
  readonly limit?: number;
  readonly cursor?: string;
  readonly format: ObservationFormat;
  /** CSV only: the reference metadata's headline notes after the rows (XLSX always has them on its Notes sheet). */
  readonly footnotes: boolean;
  /** What a cursor walks: rows (this route's pages) or series (GraphQL's series connection). */
  readonly walk?: 'rows' | 'series';
  /** The parameters as given (normalised), echoed and part of the ETag; the cursor is not. */
  readonly echo: Readonly<Record<string, string | number | boolean>>;
}

/** What a code looks like (checked where a dimension has no codelist to look codes up in). */
export const CODE = /^[A-Za-z\d_@$-]+\*?$/;
const PERIOD_FORMS = 'a period such as 2019, 2019-Q3, 2019-07 or 2019-07-01';

/**
 * Reads a request: `rawQuery` is the text after `?`, still percent-encoded; `accept` and
 * `acceptLanguage` choose the format and the language when no parameter does.
 */
export function parseObservationsRequest(idText: string, rawQuery: string, accept: string | undefined, acceptLanguage: string | undefined): ObservationsRequest {
  // A malformed query string is refused by queryPairs itself (invalid input, 400). A name that is
  // none of ours is a dimension filter (any letter case), checked against the DSD once resolved.
  const read = readParameters(rawQuery, {
    single: RESERVED_PARAMETERS,
    other: (name) => name.toUpperCase(),
    lastWins: { names: PAGE_PARAMETERS, when: 'cursor' },
  });
  const params = { get: (name: string) => read.single(name) };
  const echo: Record<string, string | number | boolean> = {};
  const filters = new Map<string, DimensionFilter>();
  for (const [key, { names, values }] of read.others) {
    const name = listName(names[0]!);
    const codes: string[] = [];
    for (const [i, value] of values.entries()) {
      const written = listName(names[i]!);
      const some = value.split(',').map((c) => c.trim());
      if (value === '' || some.some((c) => c === '')) throw invalidParameter(written, `Empty code in ${written}=${value}: give codes separated by commas, e.g. ${written}=MEX,GTM`);
      for (const c of some) {
        // Any text is looked up in the codelist (a label or a code in the wrong case gets a did-you-mean there).
        if (c === '*' || c.slice(0, -1).includes('*')) throw invalidParameter(written, `Invalid code "${c}" in ${written}: a * may only follow a code, for the code and everything under it (OFFENCE=02*)`);
        if (!codes.includes(c)) codes.push(c);
      }
    }
    filters.set(key, { parameter: name, codes });
  }
  for (const key of [...filters.keys()].sort()) echo[key] = filters.get(key)!.codes.join(',');

  const descendantsText = params.get('descendants');
  if (descendantsText !== undefined && descendantsText !== 'true' && descendantsText !== 'false') {
    throw invalidParameter('descendants', `Invalid descendants "${descendantsText}": expected true or false`, ['true', 'false']);
  }
  const descendants = descendantsText === 'true';
  if (descendants) echo.descendants = true;

  const from = params.get('from');
  const to = params.get('to');
  const fromAt = from === undefined ? undefined : queryPeriodStart(from);
  const toAt = to === undefined ? undefined : queryPeriodEnd(to);
  if (from !== undefined && fromAt === undefined) throw invalidParameter('from', `Invalid from "${from}": expected ${PERIOD_FORMS}`);
  if (to !== undefined && toAt === undefined) throw invalidParameter('to', `Invalid to "${to}": expected ${PERIOD_FORMS}`);
  if (fromAt !== undefined && toAt !== undefined && fromAt > toAt) throw invalidParameter('from', `from "${from}" is after to "${to}"`);
  if (from !== undefined) echo.from = from;
  if (to !== undefined) echo.to = to;

  const { asOf, release } = pinParameters(params.get('asOf'), params.get('release'));
  if (asOf !== undefined) echo.asOf = asOf;
  if (release !== undefined) echo.release = release;

  const lang = languageOf(params.get('lang'), acceptLanguage);
  echo.lang = lang;

  const formatText = params.get('format');
  if (formatText !== undefined && !(OBSERVATION_FORMATS as readonly string[]).includes(formatText)) {
    throw invalidParameter('format', `Invalid format "${formatText}": expected one of ${OBSERVATION_FORMATS.join(', ')}`, OBSERVATION_FORMATS);
  }
  const format = (formatText as ObservationFormat | undefined) ?? formatFromAccept(accept);
  echo.format = format;

  const footnotesText = params.get('footnotes');
  if (footnotesText !== undefined && footnotesText !== 'true' && footnotesText !== 'false') {
    throw invalidParameter('footnotes', `Invalid footnotes "${footnotesText}": expected true or false`, ['true', 'false']);
  }
  const footnotes = footnotesText === 'true';
  if (footnotes && format === 'json') {
    throw invalidParameter('footnotes', 'footnotes=true is for format=csv (XLSX always has them on its Notes sheet; JSON links the metadata in links.metadata and the Link header)');
  }
  if (footnotes) echo.footnotes = true;

  const limitText = params.get('limit');
  let limit: number | undefined = format === 'json' ? DEFAULT_LIMIT : undefined;
  if (limitText !== undefined) {
    const n = Number(limitText);
    if (!/^\d+$/.test(limitText) || !Number.isSafeInteger(n) || n < 1 || n > MAX_LIMIT) {
      throw invalidParameter('limit', `Invalid limit "${limitText}": expected an integer from 1 to ${MAX_LIMIT}`);
    }
    limit = n;
  }
  if (limit !== undefined) echo.limit = limit;

  const cursor = params.get('cursor');
  if (cursor === '') throw invalidParameter('cursor', 'Empty cursor: give the cursor of the previous page, or none for the first page');

  return {
    idText,
    agency: params.get('agency'),
    version: params.get('version'),
    filters,
    descendants,
    from,
    to,
    asOf,
    release,
    lang,
    limit,
    cursor,
    format,
    footnotes,
    echo,
  };
}

/** The format the Accept header prefers among ours (q-values honoured); JSON unless CSV or XLSX ranks higher. */
function formatFromAccept(accept: string | undefined): ObservationFormat {
  if (!accept) return 'json';
  let best: ObservationFormat = 'json';
  let bestQ = -1;
  for (const part of accept.split(',')) {
    const [type = '', ...ps] = part.trim().toLowerCase().split(';');
    const q = Number(ps.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
    const format = (OBSERVATION_FORMATS as readonly ObservationFormat[]).find((f) => FORMAT_MEDIA_TYPES[f] === type.trim());
    if (format && Number.isFinite(q) && q > 0 && q > bestQ) {
      best = format;
      bestQ = q;
    }
  }
  return best;
}
