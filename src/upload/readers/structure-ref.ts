/**
 * The structure a data message declares, written the way SDMX-CSV writes it
 * (`AGENCY:ID(VERSION)`), whichever form the message used: a 2.1 `Ref` element, a URN, or a
 * REST link (SDMX-JSON `links[].href`).
 */

export function refFromParts(agencyID: string | undefined, id: string | undefined, version: string | undefined): string | undefined {
  if (!agencyID || !id) return undefined;
  return `${agencyID}:${id}(${version || '1.0'})`;
}

/** `urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_TEST(1.0)` → `TEST:DF_TEST(1.0)`. */
export function refFromUrn(urn: string): string | undefined {
  const m = /=([^:=\s]+):([^(=\s]+)\(([^)\s]+)\)/.exec(urn);
  return m ? `${m[1]}:${m[2]}(${m[3]})` : undefined;
}

/** `.../dataflow/ECB/EXR/1.0` → `ECB:EXR(1.0)` (SDMX REST structure paths). */
export function refFromRestUrl(href: string): string | undefined {
  const m = /\/(?:dataflow|datastructure|provisionagreement)\/([^/?#]+)\/([^/?#]+)\/([^/?#]+)/.exec(href);
  return m ? refFromParts(m[1], m[2], m[3]) : undefined;
}
