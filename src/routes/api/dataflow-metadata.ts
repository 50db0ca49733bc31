/**
 * `GET /api/v1/dataflows/{id}/metadata`: the reference metadata of a dataflow for people who do
 * not speak SDMX (issue 15, docs/reference-metadata-design.md §3.7): its methodology and quality
 * report and, with `area=`, the area's country note, as nested sections named in the language
 * asked for, with the quality indicators the server measures, the versions public so far and
 * links to the same sets in SDMX. Also what the downloads' footnotes are made of (§3.8): the
 * headline concepts of the report and the country notes (`headlineFootnotes`).
 *
 * - Visibility is the metadata service's (services/metadata/): a version is public exactly
 *   when its release is; `asOf` and `release` mean what they mean on the observations route (an
 *   instant in the past, or the instant of a public release covering the dataflow), so an answer
 *   is reproducible.
 * - Names and labels come from the structures, never from code: section names are the concepts
 *   of the MSD's attributes (UNODC:CS_SIMS_CRIME), `computed` and `headline` its annotations
 *   (COMPUTED, HEADLINE, built from sdmx/sources/sims/concepts.csv), `sims` the concept's
 *   SIMS_CODE annotation, a coded value's label its codelist's.
 * - ETag: what is visible (the metadata service's visible-state tag at the instant, and the
 *   data's visible state, which the computed concepts follow), never the body (whose `asOf` and
 *   sentences move with the clock). Cache-Control: never past the next announced release instant.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../clock.js';
import { invalidParameter, ServiceError } from '../../errors.js';
import type { CacheLifetime } from '../../http/cache-lifetime.js';
import { isNotModified, lastModifiedSeconds, VARY } from '../../http/conditional-requests.js';
import { problemResponses } from '../../http/problem.js';
import type { MetadataSet, ReportedAttribute } from '../../sdmx/metadata/model.js';
import type { Dataflow, Text } from '../../sdmx/model.js';
import type { StructureRegistry } from '../../sdmx/structure-query/registry.js';
import { exactName, LANGUAGES, languageOf, parseArtefactName, pathNameOf, resolveArtefact, textIn, type Language } from '../../services/catalogue/artefacts.js';
import { pinParameters, readParameters } from '../../services/catalogue/query-parameters.js';
import type { DataService } from '../../services/data/data-service.js';
import type { SourcedMetadataSet } from '../../services/metadata/check-metadata-set.js';
import type { MetadataService } from '../../services/metadata/metadata-service.js';
import { metadataflowRef } from '../../services/metadata/report-structure.js';
import type { StructureService } from '../../services/structure-service.js';
import type { DataSelection } from '../../sdmx/data/query.js';
import type { CountryFootnote, HeadlineNote, MetadataFootnotes } from '../../formats/observation-writers.js';
import { SDMX_PREFIX } from '../sdmx-rest/index.js';
import { API_PREFIX } from './prefix.js';
import { idParam, refusingServiceErrors, validationFailure } from './json-api-http.js';
import { rawQueryOf } from '../../http/request-address.js';
import { DATAFLOW_METADATA_RESPONSE } from './schemas/dataflow-metadata.js';
import { attributeFactsOf, type AttributeFacts } from '../../services/metadata/attribute-facts.js';

/** What this route reads of the metadata service (app.metadata). */
export type MetadataReader = Pick<MetadataService, 'report' | 'sets' | 'visibleStateTag'>;

export interface DataflowMetadataOptions {
  readonly data: DataService;
  readonly structures: StructureService;
  readonly clock: Clock;
  readonly cacheLifetime: CacheLifetime;
  /** The metadata service; by default the app's (`app.metadata`, decorated before the JSON API is registered). */
  readonly metadata?: MetadataReader;
}

/** The dimension whose codes country notes are about. */
const AREA_DIMENSION = 'REF_AREA';

// ---- the sets as the JSON API shows them ----

export interface MetadataSection {
  readonly id: string;
  readonly sims: string | null;
  readonly name: string;
  readonly text?: string;
  readonly value?: string;
  readonly valueLabel?: string;
  readonly computed: boolean;
  readonly headline: boolean;
  readonly sections: readonly MetadataSection[];
}

function sectionsOf(reported: readonly ReportedAttribute[], facts: ReadonlyMap<string, AttributeFacts>, lang: Language): MetadataSection[] {
  return reported.map((r) => {
    const f = facts.get(r.id);
    const text = r.text ? textIn(r.text, lang) : null;
    const label = r.value !== undefined && f?.codes ? textIn(f.codes.get(r.value), lang) : null;
    return {
      id: r.id,
      sims: f?.sims ?? null,
      name: textIn(f?.name, lang) ?? r.id,
      ...(text !== null ? { text } : {}),
      ...(r.value !== undefined ? { value: r.value } : {}),
      ...(label !== null ? { valueLabel: label } : {}),
      computed: f?.computed ?? false,
      headline: f?.headline ?? false,
      sections: sectionsOf(r.children, facts, lang),
    };
  });
}

/**
 * The set in SDMX: this version as a 3.0 metadata set, and the REST 1.x query of its metadataflow
 * whose key is the set's target (`DATAFLOW` or `DATAFLOW.AREA`, sdmx/rest/metadata-request.ts).
 */
function sdmxLinksOf(set: MetadataSet): { sdmx30: string; sdmx21: string } {
  return {
    sdmx30: `${SDMX_PREFIX}/3.0/metadata/metadataset/${set.agencyID}/${set.id}/${set.version}`,
    sdmx21: sdmx21Of(set.metadataflow, set.target.dataflow.id, set.target.area?.id),
  };
}

function sdmx21Of(metadataflow: { agencyID: string; id: string; version: string }, dataflow: string, area?: string): string {
  return `${SDMX_PREFIX}/2.1/metadata/${metadataflow.agencyID},${metadataflow.id},${metadataflow.version}/${dataflow}${area !== undefined ? `.${area}` : ''}`;
}

function setJson(set: SourcedMetadataSet, registry: StructureRegistry, lang: Language, release: string | null) {
  return {
    set: set.id,
    agency: set.agencyID,
    version: set.version,
    release: set.release ?? release,
    validFrom: set.validFrom ?? null,
    name: textIn(set.name, lang) ?? set.id,
    metadataflow: exactName(set.metadataflow),
    sources: set.sources.map((s) => ({ title: s.title, ...(s.url !== undefined ? { url: s.url } : {}), ...(s.licence !== undefined ? { licence: s.licence } : {}) })),
    sections: sectionsOf(set.attributes, attributeFactsOf(registry, set), lang),
    links: sdmxLinksOf(set),
  };
}

/** The headline concepts of a set that hold something, in the MSD's order: a coded one as its code's label. */
function headlineNotesOf(set: MetadataSet, registry: StructureRegistry, lang: Language): HeadlineNote[] {
  const facts = attributeFactsOf(registry, set);
  const out: HeadlineNote[] = [];
  const visit = (reported: readonly ReportedAttribute[]) => {
    for (const r of reported) {
      const f = facts.get(r.id);
      if (f?.headline) {
        const text = r.text ? textIn(r.text, lang) : r.value !== undefined ? (f.codes ? textIn(f.codes.get(r.value), lang) : null) ?? r.value : null;
        if (text) out.push({ id: r.id, name: textIn(f.name, lang) ?? r.id, text });
      }
      visit(r.children);
    }
  };
  visit(set.attributes);
  return out;
}

/** The path of a dataflow's metadata route (its name in the people's API paths). */
export function metadataPathOf(registry: StructureRegistry, flow: Dataflow): string {
  return `${API_PREFIX}/dataflows/${pathNameOf(registry, flow)}/metadata`;
}

/**
 * The footnotes of a download (design §3.8): the headline concepts of the dataflow's report
 * and of every country note of the dataflow, as public at `at`, in `lang`. One read of the
 * metadata service per download; the writer keeps the notes of the areas its rows hold.
 */
export async function headlineFootnotes(metadata: MetadataReader, registry: StructureRegistry, flow: Dataflow, at: string, lang: Language, origin: string): Promise<MetadataFootnotes> {
  // Headline notes are authored, never computed: no quality scan for a download's notes.
  const sets = await metadata.sets({ dataflow: exactName(flow), at, version: 'latest', withComputed: false });
  const link = `${origin}${metadataPathOf(registry, flow)}`;
  const withLang = lang === 'en' ? '' : `lang=${lang}`;
  const areaNames = areaNamesOf(registry, flow);
  const countryNotes = new Map<string, CountryFootnote>();
  let report: MetadataFootnotes['report'] = null;
  for (const set of sets) {
    const note = {
      set: set.id,
      version: set.version,
      release: set.release ?? null,
      name: textIn(set.name, lang) ?? set.id,
      notes: headlineNotesOf(set, registry, lang),
    };
    const area = set.target.area?.id;
    if (area === undefined) report = { ...note, link: withLang ? `${link}?${withLang}` : link };
    else countryNotes.set(area, { ...note, areaName: textIn(areaNames?.get(area), lang), link: `${link}?area=${encodeURIComponent(area)}${withLang ? `&${withLang}` : ''}` });
  }
  return { report, countryNotes };
}

/** The names of the area codes of the dataflow's REF_AREA dimension. */
function areaNamesOf(registry: StructureRegistry, flow: Dataflow): ReadonlyMap<string, Text> | undefined {
  const dsd = registry.get(flow.structure);
  if (dsd?.class !== 'DataStructure') return undefined;
  const ref = dsd.dimensions.find((d) => d.id === AREA_DIMENSION)?.localRepresentation?.enumeration;
  const codelist = ref ? registry.get(ref) : undefined;
  return codelist?.class === 'Codelist' ? new Map(codelist.items.map((c) => [c.id, c.name])) : undefined;
}

// ---- the route ----

const METADATA_SCHEMA = {
  summary: 'How the figures of a dataflow are made: its methodology and quality report, and an area’s country note',
  description:
    'The reference metadata of the dataflow (SIMS 2.0 concepts for crime statistics, structure UNODC:MSD_CRIME_REPORT): one section per reported concept, named in the language asked for, nested as the structure nests them, with the counting rules, breaks in series and comparability notes; ' +
    'with area= also the area’s country note (UNODC:MSD_CRIME_COUNTRY_NOTE) and the area’s quality indicators. The sections marked computed, and `indicators`, are measured by the server from the public calendar and data at asOf (docs/quality-indicators.md). ' +
    'A new version of a report is public from its release’s instant on, as data are; asOf or release give an earlier state, and `versions` lists the versions public so far. The same sets in SDMX: links.sdmx30, links.sdmx21.',
  tags: ['dataflows'],
  params: idParam,
  querystring: {
    type: 'object',
    properties: {
      area: { type: 'string', description: 'A REF_AREA code (CL_AREA): adds the area’s country note, where there is one, and gives the area’s indicators', examples: ['KAZ'] },
      lang: { type: 'string', enum: [...LANGUAGES], description: 'Language of the names and texts; default from Accept-Language, else en. A text missing in the language is given in English' },
      // No examples: Swagger UI would fill both in, and asOf with release is refused.
      asOf: { type: 'string', description: 'ISO-8601 instant in the past, e.g. 2023-01-01T00:00:00Z: the metadata, indicators and versions as they were public then (reproducible). Not with release; an instant in the future is refused' },
      release: { type: 'string', description: 'A public release code covering this dataflow (its data or its metadata; see /api/v1/calendar): the metadata right after it was published. Not with asOf' },
      agency: { type: 'string', description: 'Narrows a bare id to one agency', examples: ['UNODC'] },
      version: { type: 'string', description: 'The dataflow’s version such as 1.0, or latest (default)', examples: ['1.0'] },
    },
    additionalProperties: false,
  },
  response: {
    200: DATAFLOW_METADATA_RESPONSE,
    304: { type: 'null', description: 'Not modified: the copy named by If-None-Match or If-Modified-Since is current' },
    ...problemResponses(400, 404),
  },
} as const;

const hash = (parts: readonly string[]) => createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32);

export async function dataflowMetadataRoutes(app: FastifyInstance, opts: DataflowMetadataOptions): Promise<void> {
  const metadata = (): MetadataReader => opts.metadata ?? app.metadata;

  app.get<{ Params: { id: string } }>('/dataflows/:id/metadata', { schema: METADATA_SCHEMA, attachValidation: true }, (request, reply) =>
    refusingServiceErrors(reply, async () => {
      const invalid = validationFailure(request);
      if (invalid) throw invalid;
      const q = readParameters(rawQueryOf(request), { single: ['area', 'lang', 'asOf', 'release', 'agency', 'version'] });
      const lang = languageOf(q.single('lang'), request.headers['accept-language']);
      const area = q.single('area');
      if (area === '') throw invalidParameter('area', 'Empty area: give a REF_AREA code such as KAZ');
      const { asOf, release: releaseCode } = pinParameters(q.single('asOf'), q.single('release'));
      const now = opts.clock.now();
      if (asOf !== undefined && Date.parse(asOf) > now.getTime()) {
        throw invalidParameter('asOf', `asOf ${asOf} is in the future (it is now ${now.toISOString()}): the metadata public then are not known yet. Leave asOf out for the metadata public now, or give an instant in the past`);
      }

      const { registry } = opts.structures;
      const flow = resolveArtefact<Dataflow>(registry, 'Dataflow', parseArtefactName(request.params.id, q.single('agency'), q.single('version')), 'dataflow', 'unknown-dataflow');
      const flowKey = exactName(flow);
      const selection: DataSelection = { api: '2.1', context: 'dataflow', flow: { agencyId: flow.agencyID, id: flow.id, version: flow.version }, filters: [], ...(asOf ? { asOf } : {}) };
      const { target, view } = opts.data.target(selection);

      // Which instant: right after a release, at asOf, or now. `release` as on the observations route.
      let at = asOf ?? now.toISOString();
      let viewAt = view;
      if (releaseCode !== undefined) {
        const through = opts.data.viewThrough(target, releaseCode);
        if (!through) throw new ServiceError('not-found', `No public release has the code "${releaseCode}"`, { code: 'unknown-release', parameter: 'release' });
        at = through.release.announcedAt;
        viewAt = through.view;
      }
      const pinned = asOf !== undefined || releaseCode !== undefined;

      const answer = await metadata().report(flowKey, area ?? null, at);
      if (releaseCode !== undefined) {
        // A release covers the dataflow by its data, or by a version of the dataflow's metadata it made public.
        const byMetadata = [...answer.versions.report, ...answer.versions.countryNote].some((v) => v.release === releaseCode);
        if (!byMetadata && !viewAt.releases.some((r) => r.code === releaseCode)) {
          const covering = [...new Set([...view.releases.map((r) => r.code), ...answer.versions.report.map((v) => v.release ?? '')].filter((c) => c !== ''))];
          const listed = covering.length ? `the releases that do are ${covering.join(', ')}` : 'no public release covers it yet';
          throw invalidParameter('release', `The release ${releaseCode} holds neither data nor metadata of ${flow.id}: ${listed}`, covering);
        }
      }

      const areaNames = area !== undefined ? areaNamesOf(registry, flow) : undefined;
      const path = metadataPathOf(registry, flow);
      const releaseOf = (versions: readonly { version: string; release: string | null }[], version: string) => versions.find((v) => v.version === version)?.release ?? null;
      const body = {
        dataflow: { id: flow.id, agency: flow.agencyID, version: flow.version, name: textIn(flow.name, lang) },
        area: area !== undefined ? { id: area, name: textIn(areaNames?.get(area), lang) } : null,
        asOf: answer.at,
        lang,
        report: answer.report ? setJson(answer.report, registry, lang, releaseOf(answer.versions.report, answer.report.version)) : null,
        countryNote: answer.countryNote ? setJson(answer.countryNote, registry, lang, releaseOf(answer.versions.countryNote, answer.countryNote.version)) : null,
        indicators: answer.indicators,
        versions: answer.versions,
        links: {
          self: area !== undefined ? `${path}?area=${encodeURIComponent(area)}` : path,
          dataflow: path.slice(0, -'/metadata'.length),
          sdmx30: answer.report ? sdmxLinksOf(answer.report).sdmx30 : null,
          sdmx21: answer.report ? sdmxLinksOf(answer.report).sdmx21 : sdmx21Of(metadataflowRef('report'), flow.id),
        },
      };

      // What is visible, not the body: an unpinned answer's asOf moves on every request, and its
      // sentences name the day (punctuality "due by"), hence the day for an unpinned answer.
      const etag = `W/"${hash(['dataflow-metadata', flowKey, area ?? '', lang, pinned ? at : `day ${at.slice(0, 10)}`, metadata().visibleStateTag(at), opts.data.visibleStateId()])}"`;
      const instants = [viewAt.lastModified.getTime(), ...[answer.report, answer.countryNote].map((s) => (s?.validFrom ? Date.parse(s.validFrom) : 0))];
      const seconds = lastModifiedSeconds(new Date(Math.max(...instants)));
      reply.headers({
        etag,
        'last-modified': new Date(seconds).toUTCString(),
        vary: VARY,
        'content-language': lang,
        'cache-control': opts.cacheLifetime.publicCacheControl(),
      });
      if (isNotModified(request, etag, seconds)) return reply.code(304).send();
      return reply.code(200).header('content-type', 'application/json; charset=utf-8').send(Buffer.from(JSON.stringify(body)));
    }),
  );
}
