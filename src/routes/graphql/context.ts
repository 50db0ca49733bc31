/**
 * What every GraphQL resolver gets: the services (the same objects the SDMX and JSON surfaces
 * use: no resolver reads storage), the request's language and access (public or preview), a
 * deadline, and per-request memos that batch reads (one calendar per request, one dataflow
 * detail per dataflow, one read of observations per page of series).
 */
import type { Clock } from '../../clock.js';
import { ServiceError } from '../../errors.js';
import { graphqlError } from './errors.js';
import type { PreviewRead } from '../../auth/preview-access.js';
import type { Codelist, Dataflow } from '../../sdmx/model.js';
import type { CalendarEntry, CalendarService } from '../../services/calendar/calendar.js';
import type { CodelistCatalogue } from '../../services/catalogue/codelists.js';
import type { DataflowCatalogue, DataflowDetail } from '../../services/catalogue/dataflows.js';
import { exactName, textIn, type Language } from '../../services/catalogue/artefacts.js';
import type { ObservationsApi } from '../../services/data/observations.js';
import type { MetadataService } from '../../services/metadata/metadata-service.js';
import type { StructureService } from '../../services/structure-service.js';
import type { Text } from '../../sdmx/model.js';

/** The services behind the schema, made once by the plugin. */
export interface GraphqlServices {
  readonly structures: StructureService;
  readonly dataflows: DataflowCatalogue;
  readonly codelists: CodelistCatalogue;
  readonly observations: ObservationsApi;
  readonly calendar: CalendarService;
  readonly metadata: Pick<MetadataService, 'report'>;
  readonly clock: Clock;
}

export interface GraphqlContext {
  readonly services: GraphqlServices;
  /** The request's language (Accept-Language), for fields asked without `lang`. */
  readonly lang: Language;
  /** Set for a `preview` token: series read scheduled releases too (as on the data routes). */
  readonly preview: PreviewRead | undefined;
  /** Epoch ms after which resolvers stop with a TIMEOUT error. */
  readonly deadline: number;
  readonly memo: RequestMemo;
}

/** Reads shared by every resolver of one request. */
export class RequestMemo {
  private calendar: Map<string, CalendarEntry> | undefined;
  private readonly details = new Map<string, Promise<DataflowDetail>>();

  constructor(private readonly services: GraphqlServices) {}

  /** The public calendar now, by release code, computed once per request. */
  releases(): ReadonlyMap<string, CalendarEntry> {
    return (this.calendar ??= new Map(this.services.calendar.view().items.map((i) => [i.entry.code, i.entry])));
  }

  /** A dataflow as the JSON API's detail describes it (counts, codes with data), once per dataflow and request. */
  detail(flow: Dataflow): Promise<DataflowDetail> {
    const key = exactName(flow);
    let found = this.details.get(key);
    if (!found) {
      found = this.services.dataflows.detail(key, undefined, undefined, 'en').then((a) => a.body.dataflow);
      this.details.set(key, found);
    }
    return found;
  }
}

/** The enum value of a `lang` argument, else the request's language. */
export function languageArg(args: { readonly lang?: string | null }, ctx: GraphqlContext): Language {
  return args.lang === 'ES' ? 'es' : args.lang === 'EN' ? 'en' : ctx.lang;
}

/** A text in the language asked (else English, else any). */
export function label(text: Text | undefined, args: { readonly lang?: string | null }, ctx: GraphqlContext): string | null {
  return textIn(text, languageArg(args, ctx));
}

/** Every language of a text, as LocalisedText. */
export function localised(text: Text | Readonly<Record<string, string>> | undefined): { lang: string; text: string }[] {
  return Object.entries(text ?? {}).map(([lang, t]) => ({ lang, text: t }));
}

/** Stops a resolver once the request's time is up. */
export function checkDeadline(ctx: GraphqlContext): void {
  if (Date.now() >= ctx.deadline) {
    throw graphqlError('TIMEOUT', 'The query took longer than this service allows: ask for fewer series or observations per page');
  }
}

// ---- global ids ----

export type NodeType = 'Dataflow' | 'Codelist' | 'Release' | 'Series';
const NODE_TYPES: readonly NodeType[] = ['Dataflow', 'Codelist', 'Release', 'Series'];

/** `Type:key` in base64url: opaque to clients, stable across processes and versions. */
export function globalId(type: NodeType, key: string): string {
  return Buffer.from(`${type}:${key}`).toString('base64url');
}

/** The type and key of a global id, or undefined when the text is not one of ours. */
export function fromGlobalId(id: string): { type: NodeType; key: string } | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return undefined;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  const type = text.slice(0, colon) as NodeType;
  if (colon < 0 || !NODE_TYPES.includes(type) || Buffer.from(text).toString('base64url') !== id) return undefined;
  return { type, key: text.slice(colon + 1) };
}

/** A dataflow named by id, AGENCY:ID(VERSION) or global id (not-found: unknown-dataflow). */
export function dataflowNamed(ctx: GraphqlContext, id: string): Dataflow {
  const global = fromGlobalId(id);
  if (global && global.type !== 'Dataflow') throw new ServiceError('not-found', `${id} is the id of a ${global.type}, not of a dataflow`, { code: 'unknown-dataflow', parameter: 'dataflow' });
  return named(() => ctx.services.dataflows.resolve(global ? global.key : id));
}

/** A codelist named by id, AGENCY:ID(VERSION) or global id. */
export function codelistNamed(ctx: GraphqlContext, id: string): Codelist {
  const global = fromGlobalId(id);
  if (global && global.type !== 'Codelist') throw new ServiceError('not-found', `${id} is the id of a ${global.type}, not of a codelist`, { parameter: 'id' });
  return named(() => ctx.services.codelists.resolve(global ? global.key : id));
}

/** The catalogue's refusal of an id several agencies use, worded for GraphQL (no agency parameter here: the full reference). */
function named<T>(resolve: () => T): T {
  try {
    return resolve();
  } catch (err) {
    const allowed = err instanceof ServiceError ? err.details.allowed : undefined;
    if (!(err instanceof ServiceError) || !allowed || !/^Several agencies/.test(err.message)) throw err;
    throw new ServiceError(err.kind, `${err.message.replace(/ or with the agency parameter$/, '')}: ${allowed.join(' or ')}`, err.details);
  }
}
