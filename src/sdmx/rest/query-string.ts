/**
 * Splits an SDMX REST query string into parameters. Unlike form decoding, `+` stays a `+`: in
 * SDMX it is an operator (`c[X]=A+B`, `1.0+.0`, REST 1.x OR), so `+` and `%2B` both decode to `+`
 * and a space must be sent as `%20`.
 */
import { ServiceError } from '../../errors.js';

const syntax = (text: string) => new ServiceError('invalid-input', text);

function decode(text: string, whole: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw syntax(`Malformed percent-encoding in query parameter "${whole}"`);
  }
}

/**
 * @param rawQuery the text after `?`, still percent-encoded.
 * @returns decoded name → decoded value; a parameter without `=` has the value `''`.
 */
export function parseRawQuery(rawQuery: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of rawQuery.split('&')) {
    // `a=1&&b=2` and a trailing `&` carry no parameter.
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq), pair);
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1), pair);
    if (name === '') throw syntax(`Query parameter without a name: "${pair}"`);
    // A repeat is ambiguous (which one wins?); SDMX gives each parameter once, lists go in one value.
    if (params.has(name)) throw syntax(`Query parameter "${name}" is given more than once`);
    params.set(name, value);
  }
  return params;
}
