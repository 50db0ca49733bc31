/**
 * The query string of the people's JSON API (dataflows, codelists, observations), read the same
 * way on every route, from the raw text (a `+` stays a `+`, as on the SDMX routes):
 *
 * - a list parameter (a dimension filter, `code`) may be given several times, as most HTTP
 *   clients send lists (`REF_AREA=MEX&REF_AREA=GTM`, also axios' `REF_AREA[]=MEX`): the values
 *   add up, as if separated by commas;
 * - any other parameter takes one value: given twice, it is refused naming both values (never
 *   the first or the last silently);
 * - an unknown parameter is refused by name; one that SDMX or the key-based /api/v1/data API
 *   takes (`startPeriod`, `key`, `offset`…) is answered with what to use here, one that differs
 *   from ours only in letter case with ours.
 */
import { ServiceError, invalidParameter } from '../../errors.js';
import { parseInstant } from '../../sdmx/time-period.js';
import { nearNames } from './code-suggestions.js';

export interface QueryPair {
  /** Decoded, as written (letter case kept, a trailing `[]` too). */
  readonly name: string;
  readonly value: string;
}

function decode(text: string, whole: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ServiceError('invalid-input', `Malformed percent-encoding in query parameter "${whole}"`);
  }
}

/** `a=1&b=2&a=3` → the pairs in order; `a=1&&b` skips the empty piece, `b` alone is `b=''`. */
export function queryPairs(rawQuery: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = decode(eq < 0 ? piece : piece.slice(0, eq), piece);
    const value = eq < 0 ? '' : decode(piece.slice(eq + 1), piece);
    if (name === '') throw new ServiceError('invalid-input', `Query parameter without a name: "${piece}"`);
    pairs.push({ name, value });
  }
  return pairs;
}

/** A list parameter's name without the `[]` some clients append (`REF_AREA[]=MEX`). */
export function listName(name: string): string {
  return name.endsWith('[]') ? name.slice(0, -2) : name;
}

/**
 * Parameters people bring from SDMX REST or from the key-based JSON data API (/api/v1/data),
 * by lower-case name, with what to use on the people's routes instead.
 */
const FOREIGN: Readonly<Record<string, { readonly name: string; readonly advice: string }>> = {
  startperiod: { name: 'startPeriod', advice: 'use from (e.g. from=2010)' },
  endperiod: { name: 'endPeriod', advice: 'use to (e.g. to=2020)' },
  key: { name: 'key', advice: 'filter by dimension instead (REF_AREA=MEX&OFFENCE=0101), or use the key-based API /api/v1/data/{agency}/{id}/{version}?key=…' },
  offset: { name: 'offset', advice: 'pages here follow paging.next (a cursor); offset is a parameter of /api/v1/data' },
  dimensionatobservation: { name: 'dimensionAtObservation', advice: 'rows here are always one combination of codes and one period; other layouts are in the SDMX API (/sdmx)' },
  detail: { name: 'detail', advice: 'answers here always hold values and attributes; detail is a parameter of the SDMX API (/sdmx)' },
  updatedafter: { name: 'updatedAfter', advice: 'use asOf or release for a state of the data; updatedAfter is a parameter of the SDMX API (/sdmx)' },
  firstnobservations: { name: 'firstNObservations', advice: 'use from and to; firstNObservations is a parameter of the SDMX API (/sdmx)' },
  lastnobservations: { name: 'lastNObservations', advice: 'use from and to; lastNObservations is a parameter of the SDMX API (/sdmx)' },
  includehistory: { name: 'includeHistory', advice: 'use asOf or release for an earlier state; includeHistory is a parameter of the SDMX API (/sdmx)' },
  references: { name: 'references', advice: 'the dataflow detail (/api/v1/dataflows/{id}) lists its dimensions and codes; references is a parameter of the SDMX API (/sdmx)' },
  c: { name: 'c', advice: 'filter by dimension (REF_AREA=MEX,GTM) and with from and to; c[…] is a parameter of the SDMX 3.0 API (/sdmx/3.0)' },
  attributes: { name: 'attributes', advice: 'every value carries its flags and attributes; attributes is a parameter of the SDMX 3.0 API (/sdmx/3.0)' },
  measures: { name: 'measures', advice: 'every value is given; measures is a parameter of the SDMX 3.0 API (/sdmx/3.0)' },
  page: { name: 'page', advice: 'pages follow paging.next (a cursor)' },
  pagesize: { name: 'pageSize', advice: 'use limit' },
  per_page: { name: 'per_page', advice: 'use limit' },
  language: { name: 'language', advice: 'use lang (en or es)' },
  locale: { name: 'locale', advice: 'use lang (en or es)' },
};

/** What a parameter of another API is called here, when it is one (the sentence after "Unknown parameter x: "). */
export function foreignAdvice(name: string, accepted: readonly string[]): string | undefined {
  const known = FOREIGN[name.toLowerCase()];
  if (!known) return undefined;
  // On a route that takes neither from nor lang, say only that it is not a parameter here.
  if (/\buse (from|to|lang|limit)\b/.test(known.advice) && !accepted.some((a) => known.advice.includes(`use ${a}`))) return `${known.name} is not a parameter of this route`;
  return known.advice;
}

/**
 * An unknown parameter, refused by name: what to use instead when it is another API's, ours
 * when only the letter case differs, else every parameter the route accepts.
 */
export function unknownParameter(name: string, accepted: readonly string[], more = ''): ServiceError {
  const bare = listName(name);
  const advice = foreignAdvice(bare, accepted);
  if (advice) return invalidParameter(name, `Unknown parameter ${name}: ${advice}`, accepted);
  const sameLetters = accepted.find((a) => a.toLowerCase() === bare.toLowerCase());
  if (sameLetters) return invalidParameter(name, `Unknown parameter ${name}: did you mean ${sameLetters}? (parameter names are case-sensitive, dimension ids aside)`, accepted);
  const near = nearNames(bare, accepted);
  const guess = near.length ? ` Did you mean ${near.slice(0, 3).join(' or ')}?` : '';
  return invalidParameter(name, `Unknown parameter ${name}:${guess} Accepted are ${accepted.join(', ')}${more}`, accepted);
}

/** A single-valued parameter given more than once. */
export function givenTwice(name: string, values: readonly string[]): ServiceError {
  const shown = values.map((v) => `"${v}"`);
  const listed = shown.length === 2 ? `${shown[0]} and ${shown[1]}` : shown.join(', ');
  return invalidParameter(name, `${name} is given ${values.length === 2 ? 'twice' : `${values.length} times`} (${listed}): give it once`);
}

export interface ParameterSpec {
  /** Parameters taking one value. */
  readonly single: readonly string[];
  /** Parameters taking a list: given several times (or as `name[]`), their values add up. */
  readonly lists?: readonly string[];
  /**
   * Any other name: the key of the list it belongs to (the observations' dimension filters, by
   * upper-case id), or undefined for an unknown parameter. Asked only after the names another
   * API uses and the letter-case variants of ours are refused.
   */
  readonly other?: (name: string) => string | undefined;
  /**
   * Single parameters whose last value counts when the `when` parameter is present: a paging
   * `next` link with `&limit=50` appended changes the page size instead of being refused.
   */
  readonly lastWins?: { readonly names: readonly string[]; readonly when: string };
}

export interface OtherParameter {
  /** The names as written, in order (`REF_AREA`, `ref_area[]`). */
  readonly names: readonly string[];
  readonly values: readonly string[];
}

export interface ReadParameters {
  /** The one value of a single parameter (refused when given twice), undefined when absent. */
  single(name: string): string | undefined;
  /** A list parameter's values joined with commas, undefined when absent. */
  list(name: string): string | undefined;
  /** The `other` parameters by key, in the order first given. */
  readonly others: ReadonlyMap<string, OtherParameter>;
}

/**
 * The parameters of a route: `single` ones once each, `lists` any number of times (values joined
 * with commas), `other` names as the route decides. Anything else is refused (`unknownParameter`).
 * Names starting with `_` are cache busters (`_=1700000000`) and ignored.
 */
export function readParameters(rawQuery: string, spec: ParameterSpec): ReadParameters {
  const lists = spec.lists ?? [];
  const accepted = [...spec.single, ...lists];
  const values = new Map<string, string[]>();
  const others = new Map<string, { names: string[]; values: string[] }>();
  for (const { name, value } of queryPairs(rawQuery)) {
    if (name.startsWith('_')) continue;
    const listed = listName(name);
    const key = lists.includes(listed) ? listed : name;
    if (accepted.includes(key)) {
      const known = values.get(key);
      if (known) known.push(value);
      else values.set(key, [value]);
      continue;
    }
    if (foreignAdvice(listed, accepted) !== undefined || accepted.some((a) => a.toLowerCase() === listed.toLowerCase())) throw unknownParameter(name, accepted);
    const otherKey = spec.other?.(listed);
    if (otherKey === undefined) throw unknownParameter(name, accepted);
    const known = others.get(otherKey);
    if (known) {
      known.names.push(name);
      known.values.push(value);
    } else others.set(otherKey, { names: [name], values: [value] });
  }
  const lastWins = spec.lastWins && values.has(spec.lastWins.when) ? spec.lastWins.names : [];
  return {
    single(name) {
      const v = values.get(name);
      if (v && v.length > 1 && !lastWins.includes(name)) throw givenTwice(name, v);
      return v?.[v.length - 1];
    },
    list(name) {
      return values.get(name)?.join(',');
    },
    others,
  };
}

/** A value among a few, refused naming them. */
export function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw invalidParameter(name, `Invalid ${name} "${value}": expected ${allowed.length === 2 ? `${allowed[0]} or ${allowed[1]}` : `one of ${allowed.join(', ')}`}`, allowed);
  return value as T;
}

/**
 * `asOf` (an instant, normalised to ISO-8601 UTC) and `release` (a release code): each pins the
 * state of the data an answer reflects, so a request may give one, never both. The JSON API's
 * routes read them here, so they are worded the same everywhere.
 */
export function pinParameters(asOfText: string | undefined, release: string | undefined): { asOf?: string; release?: string } {
  let asOf: string | undefined;
  if (asOfText !== undefined) {
    asOf = parseInstant(asOfText);
    if (asOf === undefined) throw invalidParameter('asOf', `Invalid asOf "${asOfText}": expected an ISO-8601 instant such as 2021-01-31T12:00:00Z (or a date such as 2021-01-31)`);
  }
  if (release === '') throw invalidParameter('release', 'Empty release: give a release code such as UNCTS-2024');
  if (asOf !== undefined && release !== undefined) throw invalidParameter('release', 'Give asOf or release, not both: each names the state of the data the answer reflects');
  return { ...(asOf !== undefined ? { asOf } : {}), ...(release !== undefined ? { release } : {}) };
}
