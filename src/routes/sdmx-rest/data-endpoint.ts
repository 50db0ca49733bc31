/**
 * One data query, end to end: answer a repeated request from the response cache before any
 * other work (public requests only: a `preview` token's answers are private,
 * auth/preview-access.ts); else choose the format (406 before any work), parse, resolve what is
 * visible, answer 304 when possible, decide the empty-result status before the first byte, then write
 * the message from the database pages through the writer: as one buffer when it is small,
 * streamed to the socket chunk by chunk when it is not.
 */
import { rawQueryOf } from '../../http/request-address.js';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SdmxErrors, sdmxErrorOf } from '../../sdmx/errors.js';
import type { Header } from '../../sdmx/message.js';
import { refOf } from '../../sdmx/model.js';
import type { DataMessageContext, DataWriter, TextSink } from '../../sdmx/data/model.js';
import type { DataQuery } from '../../sdmx/data/query.js';
import { parseDataRequest } from '../../sdmx/rest/data-request.js';
import { parseRawQuery } from '../../sdmx/rest/query-string.js';
import { MEDIA } from '../../sdmx/media-types.js';
import type { ApiVersion } from '../../sdmx/rest/structure-request.js';
import type { DataItem, PreparedData } from '../../services/data/data-service.js';
import { chooseDataFormat } from '../../formats/data-formats.js';
import { compressible, isNotModified, lastModifiedSeconds, VARY, weakEtag } from '../../http/conditional-requests.js';
import { preferredLanguages } from '../../http/language.js';
import { messageHeader, sendSdmxError, type SdmxRestOptions } from './reply.js';
import { requestKey } from '../../http/response-cache.js';
import { PREVIEW_CACHE_CONTROL, PREVIEW_ETAG_MARK, previewLastModified, PUBLIC_ACCESS, type ReadAccess } from '../../auth/preview-access.js';
import { ServiceError } from '../../errors.js';

/** Bytes handed to the socket at a time: few writes, bounded memory. */
const CHUNK_BYTES = 64 * 1024;

/** Fewer bytes than any format writes per observation (a CSV row of ids is 40 and more). */
const MIN_BYTES_PER_OBSERVATION = 16;

/** Up to this many observations (estimated) a message is written whole, then sent. */
const SMALL_ANSWER_OBSERVATIONS = 2000;

/**
 * Message ids: a random prefix drawn once per process, then a counter, in the 16 hexadecimal
 * digits of the shared header's ids. Reading randomness for every message cost as much as a
 * small message's SQL; unique ids are what a message id needs.
 */
const ID_PREFIX = randomBytes(4).toString('hex').toUpperCase();
let idCounter = 0;
function messageId(): string {
  idCounter = (idCounter + 1) >>> 0;
  return `IREF${ID_PREFIX}${idCounter.toString(16).toUpperCase().padStart(8, '0')}`;
}

/**
 * A data message's header: the shared one (reply.ts), made again only when the second or the
 * languages change, with a fresh id for each message.
 */
let template: { second: number; languages: string; header: Header } | undefined;
function dataMessageHeader(opts: SdmxRestOptions, languages: readonly string[]): Header {
  const second = Math.floor(opts.clock.now().getTime() / 1000);
  const langs = languages.length === 1 ? languages[0]! : languages.join(',');
  if (template?.second !== second || template.languages !== langs) template = { second, languages: langs, header: messageHeader(opts, languages) };
  return { ...template.header, id: messageId() };
}

/**
 * Parsed URLs (the query string's parameters and the data query): a URL always parses the same
 * way, and clients repeat theirs. Only URLs that parse are kept; the query is never modified.
 */
interface ParsedUrl {
  readonly params: ReadonlyMap<string, string>;
  readonly query: DataQuery;
  /** The query as JSON, for the ETag. */
  readonly text: string;
}
const parsedUrls = new Map<string, ParsedUrl>();
const PARSED_URLS = 512;

export async function handleDataQuery(
  request: FastifyRequest,
  reply: FastifyReply,
  api: ApiVersion,
  segments: readonly string[],
  opts: SdmxRestOptions,
  access: ReadAccess = PUBLIC_ACCESS,
): Promise<FastifyReply> {
  // Only public answers are cached: a preview (or refused) request neither reads nor fills it.
  const cache = opts.responseCache.enabled && access.kind === 'public' ? opts.responseCache : undefined;
  // Read before anything is prepared: an entry is never tagged with a newer state than its data.
  const state = cache ? opts.data.visibleStateId() : '';
  // Repeats are answered before the route runs (sdmx-rest/index.ts, http/public-answer-cache.ts).
  const cacheKey = cache ? requestKey(request) : '';

  const urlKey = `${api}\u0000${request.raw.url}`;
  const known = parsedUrls.get(urlKey);
  const rawQuery = known ? '' : rawQueryOf(request);
  const params = known?.params ?? parseRawQuery(rawQuery);
  const chosen = chooseDataFormat(api, request.headers.accept, params);
  const { format } = chosen;
  try {
    if (access.kind === 'refused') throw access.error;
    let query = known?.query;
    if (!query) {
      query = parseDataRequest(api, segments, rawQuery);
      if (parsedUrls.size >= PARSED_URLS) parsedUrls.clear();
      parsedUrls.set(urlKey, { params, query, text: JSON.stringify(query) });
    }
    const queryText = known?.text ?? JSON.stringify(query);
    const preview = access.kind === 'preview';
    const data = preview ? opts.data.previewing : opts.data;
    const prepared = data.prepare(query);
    if (preview) {
      access.read.dataflow = prepared.target.flowKey;
      access.read.embargoedReleases = data.embargoedReleasesIn(query);
    }
    const timeId = prepared.target.dsd.timeDimension.id;
    if (format.timeSeriesOnly && prepared.dimensionAtObservation !== timeId) {
      throw new ServiceError('invalid-input', `${format.mediaType} holds time series only: dimensionAtObservation must be ${timeId}`);
    }
    const languages = preferredLanguages(params.get('lang'), request.headers['accept-language']);
    const representation = `${format.mediaType}\u0000${JSON.stringify(chosen.options)}\u0000${languages.join(',')}`;
    const etag = etagOf(prepared, preview ? `${representation}\u0000${PREVIEW_ETAG_MARK}` : representation, queryText);
    const lastModifiedMs = lastModifiedSeconds(preview ? previewLastModified(prepared.lastModified, opts.clock.now()) : prepared.lastModified);
    // A 304 carries the headers the 200 would (RFC 9110 §15.4.5), whether cached or not.
    const headers: Record<string, string> = {
      etag,
      'last-modified': new Date(lastModifiedMs).toUTCString(),
      vary: VARY,
      'cache-control': preview ? PREVIEW_CACHE_CONTROL : opts.cacheLifetime.publicCacheControl(),
    };
    // The dataflow's reference metadata (methodology report, country notes), for every format:
    // SDMX data messages have no place for it that all formats share (RFC 8288 `describedby`).
    const flow = prepared.target.dataflow;
    headers.link = `</sdmx/3.0/metadata/structure/dataflow/${flow.agencyID}/${flow.id}/${flow.version}>; rel="describedby"; type="${MEDIA.metadataJson20}"`;
    if (chosen.viaParam && format.family === 'csv') {
      headers['content-disposition'] = `attachment; filename="${prepared.target.dataflow.id}.${format.fileExtension}"`;
    }
    reply.headers(headers);
    if (isNotModified(request, etag, lastModifiedMs)) return reply.code(304).send();

    prepared.checkSize();
    const items = prepared.items();
    const head = firstItems(items);
    if (!head.some((i) => i.kind === 'series')) {
      // Decided before the first byte: REST 1.x says 404 (and the TCK cannot read a 204);
      // REST 2.x prefers 204, an "empty but healthy" answer.
      if (api === '3.0') return reply.code(204).send();
      return sendSdmxError(reply, api, SdmxErrors.noResults('No data match the query'), format.errors);
    }
    const ctx: DataMessageContext = {
      header: dataMessageHeader(opts, languages),
      dataflow: prepared.target.dataflow,
      dsd: prepared.target.dsd,
      provisionAgreement: prepared.target.provisionAgreement ? refOf(prepared.target.provisionAgreement) : undefined,
      dimensionAtObservation: prepared.dimensionAtObservation,
      detail: prepared.detail,
      codelistOf: prepared.codelistOf,
      componentName: prepared.componentName,
    };
    const writer = format.writer(ctx, chosen.options);
    const store = (body: Buffer) =>
      cache?.set(cacheKey, { body, contentType: format.mediaType, headers, etag, lastModifiedMs, state }, compressible(format.mediaType));
    reply.code(200).header('Content-Type', format.mediaType);

    if (prepared.estimatedObservations() <= SMALL_ANSWER_OBSERVATIONS) {
      // A small message is one string, then one buffer: no chunks, no stream to set up.
      const body = smallBuffer(wholeText(writer, query.includeHistory, head, items));
      // A slice of a shared slab must not pin the slab in the cache: the cache gets a copy.
      if (cache) store(Buffer.from(body));
      return reply.send(body);
    }
    const chunks = bodyChunks(writer, query.includeHistory, head, items);
    const first = chunks.next().value ?? Buffer.alloc(0);
    const second = chunks.next();
    if (second.done) {
      // Filters left one chunk of a large estimate: sent as it is, kept as a copy of its size.
      store(Buffer.from(first));
      return reply.send(first);
    }
    // Chunks kept for the cache are memory held until the body ends or passes the limit: not
    // worth it for an answer that is certainly too large.
    const worthKeeping = cache && prepared.estimatedObservations() * MIN_BYTES_PER_OBSERVATION <= cache.maxEntryBytes;
    const rest = worthKeeping ? cacheWhileStreaming([first, second.value], chunks, store, cache.maxEntryBytes) : withHead([first, second.value], chunks);
    return reply.send(Readable.from(rest, { objectMode: false }));
  } catch (err) {
    if (err instanceof ServiceError) return sendSdmxError(reply, api, sdmxErrorOf(err, api), format.errors);
    throw err;
  }
}

/** Pulls items until the first series (or the end), so emptiness is known before replying. */
function firstItems(items: Generator<DataItem>): DataItem[] {
  const head: DataItem[] = [];
  for (let next = items.next(); !next.done; next = items.next()) {
    head.push(next.value);
    if (next.value.kind === 'series') break;
  }
  return head;
}

/**
 * ETags per prepared answer (which stands for one query against one visible state) and per
 * representation (format, options, languages): hashing them again for every request is waste.
 */
const etagsOf = new WeakMap<PreparedData, Map<string, string>>();
function etagOf(prepared: PreparedData, representation: string, queryText: string): string {
  let etags = etagsOf.get(prepared);
  if (!etags) etagsOf.set(prepared, (etags = new Map()));
  let etag = etags.get(representation);
  if (etag === undefined) {
    etag = weakEtag(representation, queryText, prepared.fingerprint);
    if (etags.size >= 64) etags.clear();
    etags.set(representation, etag);
  }
  return etag;
}

/**
 * Small bodies are cut from a shared slab, as Node's own buffer pool does for bodies under 4 KB:
 * allocating a buffer of its own for each message of a few kilobytes cost more than encoding it.
 */
const SLAB_BYTES = 256 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabUsed = 0;
function smallBuffer(text: string): Buffer {
  const most = text.length * 3;
  if (most > SLAB_BYTES / 8) return Buffer.from(text);
  if (slabUsed + most > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabUsed = 0;
  }
  const start = slabUsed;
  const end = start + slab.write(text, start);
  slabUsed = (end + 7) & ~7;
  return slab.subarray(start, end);
}

/** The whole message as one string (small answers). */
function wholeText(writer: DataWriter, dataSetsPerRelease: boolean, head: readonly DataItem[], rest: Iterator<DataItem>): string {
  let text = writer.start({ openDefaultDataSet: !dataSetsPerRelease });
  const write = (item: DataItem) => {
    text += item.kind === 'series' ? writer.series(item.series) : item.kind === 'begin' ? writer.beginDataSet(item.dataSet) : writer.endDataSet();
  };
  for (const item of head) write(item);
  for (let next = rest.next(); !next.done; next = rest.next()) write(next.value);
  return text + writer.end();
}

/**
 * The message as chunks of about CHUNK_BYTES: the writer's text is encoded straight into the
 * chunk (no long string is built and copied again; writers that can, write piece by piece), a
 * chunk is yielded when the next text would not fit. Always yields at least one chunk; the last
 * one ends the message.
 */
function* bodyChunks(writer: DataWriter, dataSetsPerRelease: boolean, head: readonly DataItem[], rest: Iterator<DataItem>): Generator<Buffer, void> {
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  const full: Buffer[] = [];
  const put = (text: string) => {
    // A UTF-16 unit takes at most 3 bytes in UTF-8: only a long text near the end needs measuring.
    if (used + text.length * 3 > CHUNK_BYTES) {
      const bytes = Buffer.byteLength(text);
      if (used + bytes > CHUNK_BYTES) {
        if (used > 0) {
          full.push(chunk.subarray(0, used));
          chunk = Buffer.allocUnsafe(CHUNK_BYTES);
          used = 0;
        }
        if (bytes > CHUNK_BYTES) {
          full.push(Buffer.from(text));
          return;
        }
      }
    }
    used += chunk.write(text, used);
  };
  const sink: TextSink = { put };
  const write = (item: DataItem) => {
    if (item.kind === 'series') {
      if (writer.seriesInto) writer.seriesInto(item.series, sink);
      else put(writer.series(item.series));
    }
    else if (item.kind === 'begin') put(writer.beginDataSet(item.dataSet));
    else put(writer.endDataSet());
  };
  put(writer.start({ openDefaultDataSet: !dataSetsPerRelease }));
  for (const item of head) write(item);
  for (let next = rest.next(); !next.done; next = rest.next()) {
    write(next.value);
    while (full.length) yield full.shift()!;
  }
  put(writer.end());
  while (full.length) yield full.shift()!;
  yield chunk.subarray(0, used);
}

function* withHead(head: readonly Buffer[], rest: Iterator<Buffer>): Generator<Buffer> {
  yield* head;
  for (let next = rest.next(); !next.done; next = rest.next()) yield next.value;
}

/** Passes chunks on; if the whole body stays under `limit` bytes, hands it to `store` at the end. */
function* cacheWhileStreaming(head: readonly Buffer[], rest: Iterator<Buffer>, store: (body: Buffer) => void, limit: number): Generator<Buffer> {
  let kept: Buffer[] | undefined = [];
  let size = 0;
  for (const chunk of withHead(head, rest)) {
    if (kept) {
      size += chunk.length;
      if (size > limit) kept = undefined;
      else kept.push(chunk);
    }
    yield chunk;
  }
  if (kept) store(Buffer.concat(kept));
}
