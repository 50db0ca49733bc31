/**
 * What a request to the JSON data API asks, checked: the dataflow, the key (SDMX key syntax),
 * the period, which state of the data (now, `asOf` an instant, or right after a `release`),
 * the label language and a page of series. Syntax only, from the raw query string so that a `+`
 * in a key stays a `+`; whether the key fits the dataflow's DSD is checked once it is resolved
 * (`checkKeyCodes`). Every refusal is a ServiceError naming the parameter at fault.
 */
import type { Codelist, DataStructure } from '../../sdmx/model.js';
import type { KeyPattern } from '../../sdmx/data/query.js';

import { parseRawQuery } from '../../sdmx/rest/query-string.js';
import { queryPeriodEnd, queryPeriodStart } from '../../sdmx/time-period.js';
import { invalidParameter } from '../../errors.js';
import { pinParameters } from '../catalogue/query-parameters.js';

/** Label languages the structures carry. */
export const JSON_API_LANGUAGES = ['en', 'es'] as const;
export type JsonApiLanguage = (typeof JSON_API_LANGUAGES)[number];


export interface JsonDataFlow {
  readonly agency: string;
  readonly id: string;
  /** An exact version or `latest`. */
  readonly version: string;
}

export interface JsonDataRequest {
  readonly flow: JsonDataFlow;
  /** undefined = every series. */
  readonly key?: KeyPattern;
  readonly startPeriod?: string;
  readonly endPeriod?: string;
  /** Normalised ISO-8601 UTC instant. */
  readonly asOf?: string;
  /** A release code: the data right after it was published. */
  readonly release?: string;
  readonly lang: JsonApiLanguage;
  readonly limit?: number;
  readonly offset: number;
  /** The parameters as given and normalised, echoed in the answer (`query`) and part of its ETag. */
  readonly echo: Readonly<Record<string, string | number>>;
}

const PARAMETERS = ['key', 'startPeriod', 'endPeriod', 'asOf', 'release', 'lang', 'limit', 'offset'] as const;
/** A permalink names its state in the path: `asOf` and `release` would contradict it. */
const PERMALINK_PARAMETERS = PARAMETERS.filter((p) => p !== 'asOf' && p !== 'release');

const AGENCY = /^[A-Za-z][A-Za-z\d_-]*(\.[A-Za-z][A-Za-z\d_-]*)*$/;
const RESOURCE_ID = /^[A-Za-z\d_@$-]+$/;
const VERSION = /^(latest|\d+(\.\d+)*)$/;
const CODE = /^[A-Za-z\d_@$-]+$/;
const PERIOD_FORMS = 'a period such as 2019, 2019-Q3, 2019-07, 2019-W27, 2019-D180 or 2019-07-01';

/**
 * Reads a request. `rawQuery` is the text after `?`, still percent-encoded; `permalink` refuses
 * `asOf` and `release` (the path names the release).
 */
export function parseJsonDataRequest(flow: JsonDataFlow, rawQuery: string, acceptLanguage: string | undefined, permalink = false): JsonDataRequest {
  // A malformed query string is refused by parseRawQuery itself (invalid input, 400).
  const params = parseRawQuery(rawQuery);
  const accepted: readonly string[] = permalink ? PERMALINK_PARAMETERS : PARAMETERS;
  for (const name of params.keys()) {
    if (accepted.includes(name) || name.startsWith('_')) continue;
    const why = permalink && (name === 'asOf' || name === 'release') ? 'a permalink names its release in the path' : `accepted are ${accepted.join(', ')}`;
    throw invalidParameter(name, `Unknown query parameter "${name}": ${why}`);
  }
  checkFlow(flow);
  const echo: Record<string, string | number> = {};
  const text = (name: string) => {
    const value = params.get(name);
    if (value !== undefined) echo[name] = value;
    return value;
  };

  const keyText = text('key');
  const key = keyText === undefined || keyText === '' || keyText === 'all' ? undefined : parseKey(keyText);

  const startPeriod = text('startPeriod');
  const endPeriod = text('endPeriod');
  const from = startPeriod === undefined ? undefined : queryPeriodStart(startPeriod);
  const to = endPeriod === undefined ? undefined : queryPeriodEnd(endPeriod);
  if (startPeriod !== undefined && from === undefined) throw invalidParameter('startPeriod', `Invalid startPeriod "${startPeriod}": expected ${PERIOD_FORMS}`);
  if (endPeriod !== undefined && to === undefined) throw invalidParameter('endPeriod', `Invalid endPeriod "${endPeriod}": expected ${PERIOD_FORMS}`);
  if (from !== undefined && to !== undefined && from > to) throw invalidParameter('startPeriod', `startPeriod "${startPeriod}" is after endPeriod "${endPeriod}"`);

  const { asOf, release } = pinParameters(params.get('asOf'), text('release'));
  if (asOf !== undefined) echo.asOf = asOf;

  const langText = params.get('lang');
  if (langText !== undefined && !(JSON_API_LANGUAGES as readonly string[]).includes(langText)) {
    throw invalidParameter('lang', `Invalid lang "${langText}": expected one of ${JSON_API_LANGUAGES.join(', ')}`);
  }
  const lang = (langText as JsonApiLanguage | undefined) ?? languageOf(acceptLanguage);
  echo.lang = lang;

  const limit = count('limit', text('limit'), 1);
  const offset = count('offset', text('offset'), 0) ?? 0;
  if (limit !== undefined) echo.limit = limit;
  if (params.has('offset')) echo.offset = offset;
  return { flow, key, startPeriod, endPeriod, asOf, release, lang, limit, offset, echo };
}

function checkFlow(flow: JsonDataFlow): void {
  if (!AGENCY.test(flow.agency)) throw invalidParameter('agency', `Invalid agency "${flow.agency}": expected an id such as UNODC`);
  if (!RESOURCE_ID.test(flow.id)) throw invalidParameter('id', `Invalid dataflow id "${flow.id}": expected an id such as DF_CTS_HOMICIDE`);
  if (!VERSION.test(flow.version)) throw invalidParameter('version', `Invalid version "${flow.version}": expected latest or a version such as 1.0`);
}

/** SDMX key syntax: codes by dimension separated by `.`, alternatives by `+`, empty = any. */
function parseKey(text: string): KeyPattern {
  return text.split('.').map((position) => {
    if (position === '') return undefined;
    return position.split('+').map((code) => {
      if (!CODE.test(code)) throw invalidParameter('key', `Invalid code "${code}" in key "${text}": codes are letters, digits, _, @, $ or -`);
      return code;
    });
  });
}

function count(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw invalidParameter(name, `Invalid ${name} "${text}": expected an integer of at least ${min}`);
  }
  return n;
}

/** The first of our languages in Accept-Language order (q-values honoured), else English. */
function languageOf(acceptLanguage: string | undefined): JsonApiLanguage {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { lang: tag.trim().toLowerCase().split('-')[0]!, q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((x) => x.q > 0 && (JSON_API_LANGUAGES as readonly string[]).includes(x.lang))
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return (ranked[0]?.lang as JsonApiLanguage | undefined) ?? 'en';
}

/**
 * A key checked against the DSD: one position per dimension, and each code one of its
 * dimension's codelist (a code that cannot exist is a mistake, not an empty answer).
 */
export function checkKeyCodes(dsd: DataStructure, key: KeyPattern, codelistOf: (dimensionId: string) => Codelist | undefined): void {
  const ids = dsd.dimensions.map((d) => d.id);
  if (key.length !== ids.length) {
    throw invalidParameter('key', `The key has ${key.length} positions; ${dsd.id} has ${ids.length} dimensions (${ids.join('.')})`);
  }
  key.forEach((codes, i) => {
    const codelist = codelistOf(ids[i]!);
    if (!codes || !codelist) return;
    for (const code of codes) {
      if (!codelist.items.some((c) => c.id === code)) {
        throw invalidParameter('key', `"${code}" is not a code of ${ids[i]} (codelist ${codelist.id}), at position ${i + 1} of the key`);
      }
    }
  });
}
