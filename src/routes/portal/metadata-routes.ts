/**
 * A dataflow's reference metadata for people: `/{lang}/dataflows/{id}/metadata` (its methodology
 * and quality report), `?area=KAZ` (the area's country note and the area's quality indicators),
 * `?asOf=` (either as it was public at an earlier instant, as on the JSON API).
 *
 * Everything is read through the metadata service at the request instant (or `asOf`), exactly as
 * `/api/v1/dataflows/{id}/metadata` reads it, so a version published by a scheduled release
 * appears at its instant and not before. Names and labels come from the structures
 * (attribute-facts.ts), as the JSON API's do. An unknown dataflow is the portal's 404 page; an
 * area the dataflow's area list does not hold, or a bad `asOf`, is a 400 page saying which.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { rawQueryOf } from '../../http/request-address.js';
import { ServiceError } from '../../errors.js';
import type { MetadataSet, ReportedAttribute } from '../../sdmx/metadata/model.js';
import type { Codelist, Dataflow, MaintainableRef, Text } from '../../sdmx/model.js';
import type { StructureRegistry } from '../../sdmx/structure-query/registry.js';
import { parseInstant } from '../../sdmx/time-period.js';
import { exactName, pathNameOf, textIn } from '../../services/catalogue/artefacts.js';
import { queryPairs } from '../../services/catalogue/query-parameters.js';
import { attributeFactsOf, type AttributeFacts } from '../../services/metadata/attribute-facts.js';
import type { SourcedMetadataSet } from '../../services/metadata/check-metadata-set.js';
import type { DataflowMetadata } from '../../services/metadata/metadata-service.js';
import { metadataflowRef } from '../../services/metadata/report-structure.js';
import { metadataPathOf } from '../api/dataflow-metadata.js';
import { SDMX_PREFIX } from '../sdmx-rest/index.js';
import { MESSAGES, type PortalLanguage } from './i18n.js';
import {
  InvalidRequestPage,
  METADATA_WORDS,
  MetadataPage,
  UnknownAreaPage,
  type AreaNote,
  type Localised,
  type MetadataPageData,
  type SectionView,
  type SetView,
} from './metadata-page.js';
import { HIDDEN_ROUTE, sendNotFound, sendPage } from './page-reply.js';
import type { PortalScope, PortalServices } from './scope.js';

/** The dimension whose codes country notes are about (as in the JSON API). */
const AREA_DIMENSION = 'REF_AREA';
const UNIT_DIMENSION = 'UNIT_MEASURE';

export function metadataPages(app: FastifyInstance, scope: PortalScope): void {
  const { lang, services } = scope;

  app.get<{ Params: { id: string } }>('/dataflows/:id/metadata', HIDDEN_ROUTE, async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const w = METADATA_WORDS[lang];
    const flow = dataflowOf(services, request.params.id);
    if (!flow) return sendNotFound(reply, lang, MESSAGES[lang].notFoundDataflow);
    const registry = services.structures.registry;
    const flowPath = pathNameOf(registry, flow);
    const flowName = localised(flow.name, lang) ?? { text: flow.id };

    // The page's own parameters; anything else (a campaign tag, a cache buster) is ignored.
    const query = readQuery(rawQueryOf(request), lang);
    if ('refused' in query) return refusal(request, reply, scope, flowPath, flowName, query.refused);
    const { area, asOf } = query;
    if (area === '') return refusal(request, reply, scope, flowPath, flowName, w.emptyArea);
    const now = services.clock.now();
    let at = now.toISOString();
    if (asOf !== undefined) {
      const instant = parseInstant(asOf);
      if (instant === undefined) return refusal(request, reply, scope, flowPath, flowName, w.badAsOf(asOf));
      if (Date.parse(instant) > now.getTime()) return refusal(request, reply, scope, flowPath, flowName, w.futureAsOf(asOf));
      at = instant;
    }

    const flowKey = exactName(flow);
    const areas = areaCodelistOf(registry, flow);
    let answer: DataflowMetadata;
    try {
      answer = await services.metadata.report(flowKey, area ?? null, at);
    } catch (err) {
      // The metadata service refuses an area that is not a code of the dataflow's area list.
      if (area !== undefined && err instanceof ServiceError && err.kind === 'invalid-input' && err.details.parameter === 'area') {
        reply.code(400);
        const notes = await areaNotes(services, flowKey, areas, at, lang);
        return sendPage(
          request,
          reply,
          UnknownAreaPage({ lang, area, codelist: areas?.id ?? null, flow: { id: flow.id, path: flowPath, name: flowName }, notes, asOf: asOf !== undefined ? at : undefined }),
          scope.cacheLifetime,
        );
      }
      throw err;
    }

    const shown = area !== undefined ? answer.countryNote : answer.report;
    const notes = area === undefined ? await areaNotes(services, flowKey, areas, at, lang) : [];
    const releaseTitles = new Map([...services.calendar.releaseTexts()].map(([code, t]) => [code, t.title]));
    const jsonParams = [
      ...(area !== undefined ? [`area=${encodeURIComponent(area)}`] : []),
      ...(lang !== 'en' ? [`lang=${lang}`] : []),
      ...(asOf !== undefined ? [`asOf=${encodeURIComponent(at)}`] : []),
    ];
    const jsonPath = metadataPathOf(registry, flow);
    const data: MetadataPageData = {
      lang,
      at: answer.at,
      pinned: asOf !== undefined,
      flow: { id: flow.id, path: flowPath, name: flowName },
      area: area !== undefined ? { id: area, name: localised(areas?.items.find((c) => c.id === area)?.name, lang) ?? { text: area } } : null,
      set: shown ? setView(shown, registry, lang) : null,
      reportName: answer.report ? localised(answer.report.name, lang) : null,
      indicators: answer.indicators,
      versions: area !== undefined ? answer.versions.countryNote : answer.versions.report,
      releaseTitles,
      notes,
      links: {
        json: `${jsonPath}${jsonParams.length ? `?${jsonParams.join('&')}` : ''}`,
        ...(shown ? sdmxLinksOf(shown) : { sdmx30: null, sdmx21: sdmx21Of(metadataflowRef(area !== undefined ? 'countryNote' : 'report'), flow.id, area) }),
      },
      dimensionNames: dimensionNamesOf(registry, flow, lang),
      unitNames: codeNamesOf(registry, flow, UNIT_DIMENSION, lang),
    };
    return sendPage(request, reply, MetadataPage(data), scope.cacheLifetime);
  });
}

// ---- reading the request ----

type PageQuery = { readonly area?: string; readonly asOf?: string } | { readonly refused: string };

/** `area` and `asOf`, each at most once (which of two values was meant cannot be guessed). */
function readQuery(raw: string, lang: PortalLanguage): PageQuery {
  const w = METADATA_WORDS[lang];
  let pairs;
  try {
    pairs = queryPairs(raw);
  } catch (err) {
    if (err instanceof ServiceError) return { refused: w.malformedQuery };
    throw err;
  }
  const out: { area?: string; asOf?: string } = {};
  for (const { name, value } of pairs) {
    if (name !== 'area' && name !== 'asOf') continue;
    const first = out[name];
    if (first !== undefined) return { refused: w.givenTwice(name, first, value) };
    out[name] = value;
  }
  return out;
}

async function refusal(request: FastifyRequest, reply: FastifyReply, scope: PortalScope, flowPath: string, flowName: Localised, message: string) {
  reply.code(400);
  return sendPage(request, reply, InvalidRequestPage({ lang: scope.lang, flow: { path: flowPath, name: flowName }, message }), scope.cacheLifetime);
}

/** The dataflow a path names (bare id or AGENCY:ID(VERSION)), or null when the structures define none. */
function dataflowOf(services: PortalServices, id: string): Dataflow | null {
  try {
    return services.catalogue.resolve(id);
  } catch (err) {
    if (err instanceof ServiceError && (err.kind === 'not-found' || err.kind === 'invalid-input')) return null;
    throw err;
  }
}

// ---- the sets as the page shows them ----

/** A text in the page's language, else English, else any, with the language it is in when that is not the page's. */
export function localised(text: Text | undefined, lang: PortalLanguage): Localised | null {
  const shown = textIn(text, lang);
  if (shown === null || !text) return null;
  const inLang = text[lang] !== undefined ? lang : text.en !== undefined ? 'en' : Object.keys(text)[0];
  return inLang === lang || inLang === undefined ? { text: shown } : { text: shown, lang: inLang };
}

/**
 * The reported attributes with what the MSD says of each (names, SIMS codes, computed and
 * headline marks, code labels), as the JSON API's sections are made (its own builder is private
 * to routes/api/dataflow-metadata.ts), plus the language each text is in.
 */
function sectionsOf(reported: readonly ReportedAttribute[], facts: ReadonlyMap<string, AttributeFacts>, lang: PortalLanguage): SectionView[] {
  return reported.map((r) => {
    const f = facts.get(r.id);
    const text = r.text ? localised(r.text, lang) : null;
    const label = r.value !== undefined && f?.codes ? localised(f.codes.get(r.value), lang) : null;
    return {
      id: r.id,
      sims: f?.sims ?? null,
      name: localised(f?.name, lang) ?? { text: r.id },
      ...(text ? { text } : {}),
      ...(r.value !== undefined ? { value: r.value } : {}),
      ...(label ? { valueLabel: label } : {}),
      computed: f?.computed ?? false,
      headline: f?.headline ?? false,
      sections: sectionsOf(r.children, facts, lang),
    };
  });
}

function setView(set: SourcedMetadataSet, registry: StructureRegistry, lang: PortalLanguage): SetView {
  return {
    set: set.id,
    agency: set.agencyID,
    version: set.version,
    name: localised(set.name, lang) ?? { text: set.id },
    release: set.release ?? null,
    validFrom: set.validFrom ?? null,
    sources: set.sources,
    sections: sectionsOf(set.attributes, attributeFactsOf(registry, set), lang),
  };
}

/**
 * The set in SDMX, the links the JSON API gives (`report.links`, `countryNote.links`): this
 * version as a 3.0 metadata set, and the REST 1.x query of its metadataflow keyed by its target.
 * The JSON API's own `sdmxLinksOf` is private to routes/api/dataflow-metadata.ts; the tests
 * check that both give the same addresses.
 */
function sdmxLinksOf(set: MetadataSet): { sdmx30: string; sdmx21: string } {
  return {
    sdmx30: `${SDMX_PREFIX}/3.0/metadata/metadataset/${set.agencyID}/${set.id}/${set.version}`,
    sdmx21: sdmx21Of(set.metadataflow, set.target.dataflow.id, set.target.area?.id),
  };
}

function sdmx21Of(metadataflow: MaintainableRef, dataflow: string, area?: string): string {
  return `${SDMX_PREFIX}/2.1/metadata/${metadataflow.agencyID},${metadataflow.id},${metadataflow.version}/${dataflow}${area !== undefined ? `.${area}` : ''}`;
}

/** The areas with a country note on the dataflow public at the instant, by name (authored sets only: no indicator is needed). */
async function areaNotes(services: PortalServices, flowKey: string, areas: Codelist | undefined, at: string, lang: PortalLanguage): Promise<AreaNote[]> {
  const sets = await services.metadata.sets({ dataflow: flowKey, at, version: 'latest', withComputed: false });
  const names = new Map(areas?.items.map((c) => [c.id, c.name]));
  const out: AreaNote[] = [];
  for (const set of sets) {
    const code = set.target.area?.id;
    if (code === undefined) continue;
    out.push({ area: code, name: localised(names.get(code), lang) ?? { text: code } });
  }
  return out.sort((a, b) => a.name.text.localeCompare(b.name.text, lang));
}

// ---- names from the dataflow's structure ----

function dsdOf(registry: StructureRegistry, flow: Dataflow) {
  const dsd = registry.get(flow.structure);
  return dsd?.class === 'DataStructure' ? dsd : undefined;
}

/** The codelist of the dataflow's area dimension. */
function areaCodelistOf(registry: StructureRegistry, flow: Dataflow): Codelist | undefined {
  const ref = dsdOf(registry, flow)?.dimensions.find((d) => d.id === AREA_DIMENSION)?.localRepresentation?.enumeration;
  const codelist = ref ? registry.get(ref) : undefined;
  return codelist?.class === 'Codelist' ? codelist : undefined;
}

/** Names of the codes of one dimension (the units of measure a revision is counted in). */
function codeNamesOf(registry: StructureRegistry, flow: Dataflow, dimension: string, lang: PortalLanguage): ReadonlyMap<string, Localised> {
  const ref = dsdOf(registry, flow)?.dimensions.find((d) => d.id === dimension)?.localRepresentation?.enumeration;
  const codelist = ref ? registry.get(ref) : undefined;
  const out = new Map<string, Localised>();
  if (codelist?.class === 'Codelist') for (const c of codelist.items) out.set(c.id, localised(c.name, lang) ?? { text: c.id });
  return out;
}

/** The dimensions' names: their concepts' (completeness is counted per dimension). */
function dimensionNamesOf(registry: StructureRegistry, flow: Dataflow, lang: PortalLanguage): ReadonlyMap<string, Localised> {
  const out = new Map<string, Localised>();
  for (const d of dsdOf(registry, flow)?.dimensions ?? []) {
    const scheme = registry.get(d.conceptIdentity.scheme);
    const concept = scheme?.class === 'ConceptScheme' ? scheme.items.find((c) => c.id === d.conceptIdentity.id) : undefined;
    out.set(d.id, localised(concept?.name, lang) ?? { text: d.id });
  }
  return out;
}
