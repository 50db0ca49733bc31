/**
 * Content negotiation for SDMX REST (1.5 4_6_conneg.md; 2.0 index.md "Content negotiation").
 *
 * Accept entries are ranked by q-value, then by specificity (a concrete SDMX type beats
 * `application/xml`, which beats `*\/*`), then by their order in the header. A `version`
 * parameter must equal the offer's version exactly ("2.1" or "2.1.0" for 2.1); other parameters
 * of the offer (e.g. CSV `labels`) are the caller's business. Spaces around `;` are tolerated
 * because the SDMX-CSV guide writes them. Generic `application/xml` / `text/xml` and
 * `application/json` pick the API's default of that family; a missing header or `*\/*` picks
 * the default. Nothing acceptable → undefined (the caller answers 406).
 */

export interface Offer {
  /** Exact media type string, e.g. application/vnd.sdmx.structure+xml;version=2.1 */
  readonly mediaType: string;
  readonly family: 'xml' | 'json' | 'csv';
}

export interface AcceptEntry {
  readonly type: string;
  readonly subtype: string;
  readonly params: Readonly<Record<string, string>>;
  readonly q: number;
  readonly order: number;
}

/** Parses an Accept header; malformed entries are skipped. */
export function parseAccept(header: string | undefined): AcceptEntry[] {
  if (header === undefined || header.trim() === '') return [];
  const out: AcceptEntry[] = [];
  header.split(',').forEach((raw, order) => {
    const [range, ...paramParts] = raw.split(';').map((s) => s.trim());
    const m = /^([A-Za-z0-9!#$&^_.+*-]+)\/([A-Za-z0-9!#$&^_.+*-]+)$/.exec(range ?? '');
    if (!m) return;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of paramParts) {
      const eq = p.indexOf('=');
      if (eq <= 0) continue;
      const name = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (name === 'q') {
        const n = Number(value);
        q = Number.isFinite(n) && n >= 0 && n <= 1 ? n : 0;
      } else params[name] = value;
    }
    out.push({ type: (m[1] as string).toLowerCase(), subtype: (m[2] as string).toLowerCase(), params, q, order });
  });
  return out;
}

function splitMediaType(mt: string): { type: string; subtype: string; params: Record<string, string> } {
  const [range, ...ps] = mt.split(';');
  const [type, subtype] = (range as string).split('/') as [string, string];
  const params: Record<string, string> = {};
  for (const p of ps) {
    const [k, v] = p.split('=');
    if (k && v !== undefined) params[k.trim().toLowerCase()] = v.trim();
  }
  return { type, subtype, params };
}

const sameVersion = (requested: string, offered: string) =>
  requested === offered || requested.replace(/(\.0)+$/, '') === offered.replace(/(\.0)+$/, '');

/** Specificity of an entry that matches an offer: 3 exact type, 2 generic family, 1 wildcard. */
function matchScore(e: AcceptEntry, offer: Offer, defaults: DefaultOffers): number {
  const o = splitMediaType(offer.mediaType);
  if (e.type === '*' && e.subtype === '*') return offer === defaults.any ? 1 : 0;
  if (e.type === o.type && e.subtype === o.subtype) {
    if (e.params.version !== undefined && !sameVersion(e.params.version, o.params.version ?? '')) return 0;
    // Without a version, the API's default version of that type is meant.
    if (e.params.version === undefined && !defaults.preferredOfSubtype(offer)) return 0;
    return 3;
  }
  const generic = `${e.type}/${e.subtype}`;
  if ((generic === 'application/xml' || generic === 'text/xml') && offer === defaults.xml) return 2;
  if (generic === 'application/json' && offer === defaults.json) return 2;
  if ((generic === 'text/csv' || generic === 'application/csv') && offer === defaults.csv) return 2;
  if (e.type === 'application' && e.subtype === '*' && offer === defaults.any) return 1;
  return 0;
}

export interface DefaultOffers {
  readonly any: Offer;
  readonly xml?: Offer;
  readonly json?: Offer;
  readonly csv?: Offer;
  /** True when `offer` is the one meant by its type without a version parameter. */
  preferredOfSubtype(offer: Offer): boolean;
}

/** Builds the defaults: the first offer of each family, and the first offer of each subtype. */
export function defaultsFor(offers: readonly Offer[], any: Offer): DefaultOffers {
  const firstOfSubtype = new Map<string, Offer>();
  for (const o of offers) {
    const { type, subtype } = splitMediaType(o.mediaType);
    if (!firstOfSubtype.has(`${type}/${subtype}`)) firstOfSubtype.set(`${type}/${subtype}`, o);
  }
  return {
    any,
    xml: any.family === 'xml' ? any : offers.find((o) => o.family === 'xml'),
    json: any.family === 'json' ? any : offers.find((o) => o.family === 'json'),
    csv: any.family === 'csv' ? any : offers.find((o) => o.family === 'csv'),
    preferredOfSubtype: (o) => {
      const { type, subtype } = splitMediaType(o.mediaType);
      return firstOfSubtype.get(`${type}/${subtype}`) === o;
    },
  };
}

/**
 * Picks the offer for an Accept header. `offers` are in preference order of the server (the
 * first is not necessarily the default: `any` is).
 */
export function negotiate(acceptHeader: string | undefined, offers: readonly Offer[], any: Offer): Offer | undefined {
  const entries = parseAccept(acceptHeader);
  if (entries.length === 0) {
    // A header that is absent or empty means "anything"; one that is present but all junk means
    // nothing we can name, which is a 406 (the TCK's "invalid representation" test).
    return acceptHeader === undefined || acceptHeader.trim() === '' ? any : undefined;
  }
  const defaults = defaultsFor(offers, any);
  let best: { offer: Offer; q: number; score: number; order: number } | undefined;
  for (const e of entries) {
    if (e.q <= 0) continue;
    for (const offer of offers) {
      const score = matchScore(e, offer, defaults);
      if (score === 0) continue;
      const better =
        !best || e.q > best.q || (e.q === best.q && (score > best.score || (score === best.score && e.order < best.order)));
      if (better) best = { offer, q: e.q, score, order: e.order };
    }
  }
  return best?.offer;
}

/** The Accept entry that selected `offer`, for reading its extra parameters (CSV labels...). */
export function acceptParamsFor(acceptHeader: string | undefined, offer: Offer): Readonly<Record<string, string>> {
  const o = splitMediaType(offer.mediaType);
  const e = parseAccept(acceptHeader).find((x) => x.type === o.type && x.subtype === o.subtype && x.q > 0);
  return e?.params ?? {};
}
