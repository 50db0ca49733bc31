/**
 * SDMX-JSON 2.0.0 metadata message writer (SDMX 3.0; schema sdmx-json-metadata-schema.json
 * 2.0.0, field guide metadata-message-field-guide.md 2.0.0), for the media type
 * application/vnd.sdmx.metadata+json;version=2.0.0. Returns a plain object; the caller
 * serialises it. The message type and the 3.0 URN helpers are shared with the SDMX-ML 3.0
 * writer (../ml30/metadata-writer.ts), so both formats name the same objects.
 *
 * Message: `{ meta, data: { metadataSets } }`. `meta` is the one every SDMX-JSON writer writes
 * (../json10/common.ts: schema URL, id, test, prepared, sender, contentLanguages), built last so
 * contentLanguages lists every language met in the sets.
 *
 * A metadata set: `id`, `agencyID`, `version`, `name`/`names` (the best-match string and every
 * language, as the structure writers write names), `metadataflow` (URN), `validFrom` (the
 * release instant), `links` with the MSD (`rel: "metadatastructure"`, as the guide's sample
 * does), `targets` (the dataflow URN; a country note adds the area code URN) and `attributes`.
 * No self link: the schema's URN pattern has no MetadataSet class.
 *
 * An attribute: `id`; `value` = for text, a localised object (the schema's `localisedText`)
 * holding the languages that match the header's preferences by RFC 4647 "Filtering" (the
 * guide's rule for localised objects: a preference `en` keeps `en` and `en-GB`), or, when none
 * matches, the single best-match language (the guide lets a service fall back to a default
 * language), or every language when the header states no preference; for a code or number the
 * string as held (the model does not say which attributes are numeric, so no number is
 * guessed); nested `attributes` (omitted when empty: minItems 1). Text wins when a malformed
 * attribute carries both text and value (one `value` only).
 *
 * Stubs: the schema has no stub form (every set requires `targets` and a non-empty
 * `attributes`), so `detail=allstubs` cannot be written without breaking the schema or inventing
 * content. METADATA_DETAILS_JSON20 says so, for the route to answer 406 (naming the SDMX-ML 3.0
 * media type, which can write stubs) before calling this; asked anyway, this writer throws. No sets is an empty `metadataSets` (valid: the array
 * has no minItems); a set without attributes throws (the schema requires at least one).
 */
import type { MetadataSet, ReportedAttribute } from '../metadata/model.js';
import type { Text } from '../model.js';
import { bestLanguage, clean, dateTime, Localiser, meta } from '../json10/common.js';
import { urn30 } from '../urn30.js';
import { metadataTargetUrns30, requireDetail, type MetadataDetail, type MetadataMessage } from '../ml30/metadata-writer.js';

type Json = Record<string, unknown>;

export const METADATA_SCHEMA_URL_20 =
  'https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/metadata-message/tools/schemas/2.0.0/sdmx-json-metadata-schema.json';

/** The details this writer can express: full only (see the module comment). */
export const METADATA_DETAILS_JSON20: readonly MetadataDetail[] = ['full'];

/**
 * The languages of `text` that the preferences ask for (RFC 4647 §3.3.1 basic filtering; `*`
 * matches all); when none matches, the best-match language alone; all when there are no preferences.
 */
export function filterLanguages(text: Text, prefs: readonly string[]): Text {
  const langs = Object.keys(text);
  const ranges = prefs.map((p) => p.trim().toLowerCase()).filter((p) => p !== '');
  if (ranges.length === 0 || ranges.includes('*')) return text;
  const kept = langs.filter((l) => {
    const tag = l.toLowerCase();
    return ranges.some((r) => tag === r || tag.startsWith(`${r}-`));
  });
  const chosen = kept.length > 0 ? kept : [bestLanguage(langs, prefs)].filter((l): l is string => l !== undefined);
  return Object.fromEntries(chosen.map((l) => [l, text[l]]));
}

function attribute(loc: Localiser, prefs: readonly string[], a: ReportedAttribute): Json {
  const hasText = Object.keys(a.text ?? {}).length > 0;
  // Localiser.pair records the languages for meta.contentLanguages; `all` is the filtered copy.
  const value = hasText ? loc.pair(filterLanguages(a.text!, prefs)).all : a.value;
  return clean({
    id: a.id,
    value,
    attributes: a.children.length > 0 ? a.children.map((c) => attribute(loc, prefs, c)) : undefined,
  });
}

function metadataSet(loc: Localiser, prefs: readonly string[], s: MetadataSet): Json {
  if (s.attributes.length === 0) throw new Error(`metadata set ${s.agencyID}:${s.id}(${s.version}) has no attributes`);
  const name = loc.pair(Object.keys(s.name).length > 0 ? s.name : { en: s.id }); // name is required
  return clean({
    id: s.id,
    agencyID: s.agencyID,
    version: s.version,
    name: name.one,
    names: name.all,
    metadataflow: urn30(s.metadataflow),
    validFrom: dateTime(s.validFrom),
    validTo: dateTime(s.validTo),
    links: [{ rel: 'metadatastructure', urn: urn30(s.structure) }],
    targets: metadataTargetUrns30(s),
    attributes: s.attributes.map((a) => attribute(loc, prefs, a)),
  });
}

/** The SDMX-JSON 2.0.0 metadata message for the message's sets. */
export function writeMetadataJson20(msg: MetadataMessage): object {
  requireDetail(msg.detail ?? 'full', METADATA_DETAILS_JSON20, 'SDMX-JSON 2.0');
  const prefs = msg.header.languages ?? [];
  const loc = new Localiser(prefs);
  const metadataSets = msg.sets.map((s) => metadataSet(loc, prefs, s));
  // meta last: it lists the languages met while writing the sets.
  return { meta: meta(msg.header, METADATA_SCHEMA_URL_20, loc), data: { metadataSets } };
}
