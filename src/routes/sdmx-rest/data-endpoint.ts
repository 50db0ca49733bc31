/**
 * One data query, end to end: choose the format (406 before any work), parse, resolve what is
 * visible, answer 304 or from the response cache when possible, decide the empty-result status
 * before the first byte, then stream the message from the database pages through the writer
 * to the socket.
 */
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SdmxErrors, SdmxRequestError } from '../../sdmx/errors.js';
import { refOf } from '../../sdmx/model.js';
import { acceptParamsFor, negotiate } from '../../sdmx/negotiate.js';
import type { DataMessageContext, DataWriter } from '../../sdmx/data/model.js';
import { parseDataRequest } from '../../sdmx/rest/data-request.js';
import { parseRawQuery } from '../../sdmx/rest/query-string.js';
import type { ApiVersion } from '../../sdmx/rest/structure-request.js';
import type { DataItem } from '../../services/data/data-service.js';
import { DATA_OFFERS, dataFormatFromParam, type DataFormat, type DataFormatOptions } from './data-formats.js';
import { answerConditional, weakEtag } from './http-cache.js';
import { preferredLanguages } from './language.js';
import { messageHeader, sendSdmxError, type SdmxRestOptions } from './reply.js';

/** Bytes handed to the socket at a time: few writes, bounded memory. */
const CHUNK_BYTES = 64 * 1024;

interface Chosen {
  readonly format: DataFormat;
  readonly options: DataFormatOptions;
  /** The client asked through `format=`: a CSV then downloads as a file. */
  readonly viaParam: boolean;
}

export function rawQueryOf(request: FastifyRequest): string {
  const url = request.raw.url ?? '';
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

function chooseFormat(request: FastifyRequest, api: ApiVersion, params: ReadonlyMap<string, string>): Chosen {
  const labelsParam = params.get('labels');
  const format = params.get('format');
  let chosen: Chosen;
  if (format !== undefined) {
    const f = dataFormatFromParam(api, format, params.get('formatVersion'));
    if (!f) throw new SdmxRequestError(SdmxErrors.notAcceptable(`Unsupported format "${format}"${params.has('formatVersion') ? ` version ${params.get('formatVersion')}` : ''}`));
    chosen = { format: f.format, options: { labels: f.labels }, viaParam: true };
  } else {
    const { offers, fallback } = DATA_OFFERS[api];
    const f = negotiate(request.headers.accept, offers, fallback) as DataFormat | undefined;
    if (!f) {
      throw new SdmxRequestError(SdmxErrors.notAcceptable(`None of the requested representations is offered. Available: ${offers.map((o) => o.mediaType).join(', ')}`));
    }
    const accept = acceptParamsFor(request.headers.accept, f);
    chosen = { format: f, options: { labels: accept.labels as DataFormatOptions['labels'], keys: accept.keys as DataFormatOptions['keys'] }, viaParam: false };
  }
  const labels = labelsParam ?? chosen.options.labels;
  if (labels !== undefined) {
    if (!chosen.format.labelChoices?.includes(labels as 'id')) {
      throw new SdmxRequestError(
        SdmxErrors.notAcceptable(`labels=${labels} is not offered for ${chosen.format.mediaType}${chosen.format.labelChoices ? ` (use ${chosen.format.labelChoices.join(', ')})` : ''}`),
      );
    }
    chosen = { ...chosen, options: { ...chosen.options, labels: labels as DataFormatOptions['labels'] } };
  }
  const keys = chosen.options.keys;
  if (keys !== undefined && !['none', 'obs', 'series', 'both'].includes(keys)) {
    throw new SdmxRequestError(SdmxErrors.notAcceptable(`keys=${keys} is not offered (use none, obs, series or both)`));
  }
  return chosen;
}

export async function handleDataQuery(
  request: FastifyRequest,
  reply: FastifyReply,
  api: ApiVersion,
  segments: readonly string[],
  opts: SdmxRestOptions,
): Promise<FastifyReply> {
  const rawQuery = rawQueryOf(request);
  const params = parseRawQuery(rawQuery);
  const chosen = chooseFormat(request, api, params);
  const { format } = chosen;
  try {
    const query = parseDataRequest(api, segments, rawQuery);
    const prepared = opts.data.prepare(query);
    const timeId = prepared.target.dsd.timeDimension.id;
    if (format.timeSeriesOnly && prepared.dimensionAtObservation !== timeId) {
      throw new SdmxRequestError(SdmxErrors.syntax(`${format.mediaType} holds time series only: dimensionAtObservation must be ${timeId}`));
    }
    const languages = preferredLanguages(params.get('lang'), request.headers['accept-language']);
    const etag = weakEtag(format.mediaType, JSON.stringify(chosen.options), languages.join(','), JSON.stringify(query), prepared.fingerprint);
    if (answerConditional(request, reply, etag, prepared.lastModified)) return reply;
    reply.header('Cache-Control', 'public, max-age=300');
    if (chosen.viaParam && format.family === 'csv') {
      reply.header('Content-Disposition', `attachment; filename="${prepared.target.dataflow.id}.${format.fileExtension}"`);
    }
    const cached = opts.responseCache.get(etag);
    if (cached) return reply.code(200).header('Content-Type', cached.contentType).send(cached.body);

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
      header: messageHeader(opts, languages),
      dataflow: prepared.target.dataflow,
      dsd: prepared.target.dsd,
      provisionAgreement: prepared.target.provisionAgreement ? refOf(prepared.target.provisionAgreement) : undefined,
      dimensionAtObservation: prepared.dimensionAtObservation,
      detail: prepared.detail,
      codelistOf: prepared.codelistOf,
      componentName: prepared.componentName,
    };
    const writer = format.writer(ctx, chosen.options);
    const body = Readable.from(
      cacheWhileStreaming(bodyChunks(writer, query.includeHistory, head, items), (buffer) =>
        opts.responseCache.set(etag, { body: buffer, contentType: format.mediaType, headers: {} }),
      opts.responseCache.maxEntryBytes),
      { objectMode: false },
    );
    return reply.code(200).header('Content-Type', format.mediaType).send(body);
  } catch (err) {
    if (err instanceof SdmxRequestError) return sendSdmxError(reply, api, err.error, format.errors);
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

function* bodyChunks(writer: DataWriter, dataSetsPerRelease: boolean, head: readonly DataItem[], rest: Iterator<DataItem>): Generator<Buffer> {
  let text = writer.start({ openDefaultDataSet: !dataSetsPerRelease });
  const write = (item: DataItem) => {
    if (item.kind === 'series') text += writer.series(item.series);
    else if (item.kind === 'begin') text += writer.beginDataSet(item.dataSet);
    else text += writer.endDataSet();
  };
  for (const item of head) write(item);
  for (let next = rest.next(); !next.done; next = rest.next()) {
    write(next.value);
    if (text.length >= CHUNK_BYTES) {
      yield Buffer.from(text);
      text = '';
    }
  }
  text += writer.end();
  yield Buffer.from(text);
}

/** Passes chunks on; if the whole body stays under `limit` bytes, hands it to `store` at the end. */
function* cacheWhileStreaming(chunks: Iterable<Buffer>, store: (body: Buffer) => void, limit: number): Generator<Buffer> {
  let kept: Buffer[] | undefined = [];
  let size = 0;
  for (const chunk of chunks) {
    if (kept) {
      size += chunk.length;
      if (size > limit) kept = undefined;
      else kept.push(chunk);
    }
    yield chunk;
  }
  if (kept) store(Buffer.concat(kept));
}
