/**
 * The data formats each API offers, in server preference order, with their writers and error
 * bodies. Defaults (REST 1.5 4_6_conneg.md; 2.0 data.md): SDMX-ML 2.1 generic on the 2.1 API,
 * SDMX-JSON 2.0 on the 3.0 API. Generic `application/xml` picks the API's XML format,
 * `application/json` its JSON, `text/csv` its CSV. The non-normative `format=` parameter
 * (REST 2.2.2 extend.md) wins over Accept, for browsers and spreadsheets. Negotiation results
 * are kept per Accept header text (clients repeat the same few).
 */
import { MEDIA } from '../sdmx/media-types.js';
import type { DataMessageContext, DataWriter } from '../sdmx/data/model.js';
import { acceptParamsFor, negotiate, type Offer } from '../sdmx/negotiate.js';
import type { ApiVersion } from '../sdmx/rest/structure-request.js';
import { genericDataWriter, genericTimeSeriesDataWriter } from '../sdmx/ml21/data-generic-writer.js';
import { structureSpecificDataWriter, structureSpecificTimeSeriesDataWriter } from '../sdmx/ml21/data-structure-specific-writer.js';
import { ml30DataWriter } from '../sdmx/ml30/data-writer.js';
import { jsonData10Writer } from '../sdmx/json10/data-writer.js';
import { jsonData20Writer } from '../sdmx/json20/data-writer.js';
import { csv10Writer } from '../sdmx/csv/csv10-writer.js';
import { csv20Writer, type CsvKeys } from '../sdmx/csv/csv20-writer.js';
import { STRUCTURE_OFFERS, type StructureFormat } from './structure-formats.js';
import { ServiceError } from '../errors.js';

export interface DataFormatOptions {
  readonly labels?: 'id' | 'both' | 'name';
  readonly keys?: CsvKeys;
}

export interface DataFormat extends Offer {
  /** Short name for logs, file names and cache keys. */
  readonly name: string;
  readonly fileExtension: 'xml' | 'json' | 'csv';
  /** Formats whose schema allows only TIME_PERIOD at the observation level. */
  readonly timeSeriesOnly?: boolean;
  /** The label variants the format understands (CSV). */
  readonly labelChoices?: readonly ('id' | 'both' | 'name')[];
  writer(ctx: DataMessageContext, options: DataFormatOptions): DataWriter;
  /** Error bodies in the same family (CSV errors use the API's default family). */
  readonly errors: Pick<StructureFormat, 'writeError'>;
}

const errors = (api: ApiVersion, family: 'xml' | 'json' | 'csv'): Pick<StructureFormat, 'writeError'> => {
  const { offers, fallback } = STRUCTURE_OFFERS[api];
  if (family === 'csv') return fallback;
  const preferred = api === '2.1' ? (family === 'xml' ? offers[0] : offers[1]) : family === 'json' ? offers[0] : offers[1];
  return preferred ?? fallback;
};

function formats(api: ApiVersion) {
  const xml = errors(api, 'xml');
  const json = errors(api, 'json');
  const csv = errors(api, 'csv');
  const f = {
    generic21: { name: 'genericdata-2.1', mediaType: MEDIA.genericDataMl21, family: 'xml', fileExtension: 'xml', writer: (c) => genericDataWriter(c), errors: xml },
    structureSpecific21: {
      name: 'structurespecificdata-2.1',
      mediaType: MEDIA.structureSpecificDataMl21,
      family: 'xml',
      fileExtension: 'xml',
      writer: (c) => structureSpecificDataWriter(c),
      errors: xml,
    },
    genericTimeSeries21: {
      name: 'generictimeseriesdata-2.1',
      mediaType: MEDIA.genericTimeSeriesDataMl21,
      family: 'xml',
      fileExtension: 'xml',
      timeSeriesOnly: true,
      writer: (c) => genericTimeSeriesDataWriter(c),
      errors: xml,
    },
    structureSpecificTimeSeries21: {
      name: 'structurespecifictimeseriesdata-2.1',
      mediaType: MEDIA.structureSpecificTimeSeriesDataMl21,
      family: 'xml',
      fileExtension: 'xml',
      timeSeriesOnly: true,
      writer: (c) => structureSpecificTimeSeriesDataWriter(c),
      errors: xml,
    },
    ml30: { name: 'data-xml-3.0', mediaType: MEDIA.dataMl30, family: 'xml', fileExtension: 'xml', writer: (c) => ml30DataWriter(c), errors: xml },
    json10: { name: 'data-json-1.0', mediaType: MEDIA.dataJson10, family: 'json', fileExtension: 'json', writer: (c) => jsonData10Writer(c), errors: json },
    json20: { name: 'data-json-2.0', mediaType: MEDIA.dataJson20, family: 'json', fileExtension: 'json', writer: (c) => jsonData20Writer(c), errors: json },
    csv10: {
      name: 'data-csv-1.0',
      mediaType: MEDIA.dataCsv10,
      family: 'csv',
      fileExtension: 'csv',
      labelChoices: ['id', 'both'],
      writer: (c, o) => csv10Writer({ ...c, labels: o.labels ?? 'id' }),
      errors: csv,
    },
    csv20: {
      name: 'data-csv-2.0',
      mediaType: MEDIA.dataCsv20,
      family: 'csv',
      fileExtension: 'csv',
      labelChoices: ['id', 'both', 'name'],
      writer: (c, o) => csv20Writer({ ...c, labels: o.labels ?? 'id' }, { keys: o.keys }),
      errors: csv,
    },
  } satisfies Record<string, DataFormat>;
  return f as Record<keyof typeof f, DataFormat>;
}

const BY_API = { '2.1': formats('2.1'), '3.0': formats('3.0') };

export const DATA_OFFERS: Record<ApiVersion, { readonly offers: readonly DataFormat[]; readonly fallback: DataFormat }> = {
  '2.1': (() => {
    const f = BY_API['2.1'];
    return {
      offers: [f.generic21, f.structureSpecific21, f.genericTimeSeries21, f.structureSpecificTimeSeries21, f.json10, f.csv10, f.ml30, f.json20, f.csv20],
      fallback: f.generic21,
    };
  })(),
  '3.0': (() => {
    const f = BY_API['3.0'];
    return {
      offers: [f.json20, f.ml30, f.csv20, f.generic21, f.structureSpecific21, f.genericTimeSeries21, f.structureSpecificTimeSeries21, f.json10, f.csv10],
      fallback: f.json20,
    };
  })(),
};

/**
 * `format=` values: the SDMX names of extend.md with `formatVersion`, plus the short names
 * people type (`csv`, `json`, `xml`) and .Stat Suite's `csvfile` / `csvfilewithlabels`.
 * Returns undefined for an unknown name or version (406). `labels` is set by the label variants.
 */
export function dataFormatFromParam(
  api: ApiVersion,
  format: string,
  formatVersion: string | undefined,
): { format: DataFormat; labels?: 'both' } | undefined {
  const f = BY_API[api];
  const v = formatVersion?.replace(/(\.0)+$/, '');
  const pick = (byVersion: Record<string, DataFormat>, fallback: DataFormat) => (v === undefined ? fallback : byVersion[v]);
  const csv = pick({ '1': f.csv10, '2': f.csv20 }, api === '2.1' ? f.csv10 : f.csv20);
  switch (format) {
    case 'genericdata':
      return wrap(pick({ '2.1': f.generic21 }, f.generic21));
    case 'structurespecificdata':
      return wrap(pick({ '2.1': f.structureSpecific21, '3': f.ml30 }, api === '2.1' ? f.structureSpecific21 : f.ml30));
    case 'generictimeseriesdata':
      return wrap(pick({ '2.1': f.genericTimeSeries21 }, f.genericTimeSeries21));
    case 'structurespecifictimeseriesdata':
      return wrap(pick({ '2.1': f.structureSpecificTimeSeries21 }, f.structureSpecificTimeSeries21));
    case 'xml':
    case 'sdmx-ml':
      return wrap(pick({ '2.1': f.generic21, '3': f.ml30 }, api === '2.1' ? f.generic21 : f.ml30));
    case 'jsondata':
    case 'json':
    case 'sdmx-json':
      return wrap(pick({ '1': f.json10, '2': f.json20 }, api === '2.1' ? f.json10 : f.json20));
    case 'csvdata':
    case 'csv':
    case 'sdmx-csv':
    case 'csvfile':
      return wrap(csv);
    case 'csvfilewithlabels':
    case 'csvwithlabels':
      return csv ? { format: csv, labels: 'both' } : undefined;
    default:
      return undefined;
  }
}

function wrap(format: DataFormat | undefined): { format: DataFormat } | undefined {
  return format ? { format } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Choosing the format of a request

export interface Chosen {
  readonly format: DataFormat;
  readonly options: DataFormatOptions;
  /** The client asked through `format=`: a CSV then downloads as a file. */
  readonly viaParam: boolean;
}

/** Negotiation by Accept alone, per API and header text: clients repeat the same few headers. */
const negotiated = new Map<string, Chosen>();
const NEGOTIATED_ENTRIES = 256;

function negotiateAccept(api: ApiVersion, accept: string | undefined): Chosen {
  const key = `${api}\u0000${accept ?? '\u0001'}`;
  const known = negotiated.get(key);
  if (known) return known;
  const { offers, fallback } = DATA_OFFERS[api];
  const f = negotiate(accept, offers, fallback) as DataFormat | undefined;
  if (!f) {
    throw new ServiceError('not-acceptable', `None of the requested representations is offered. Available: ${offers.map((o) => o.mediaType).join(', ')}`);
  }
  const params = acceptParamsFor(accept, f);
  const chosen: Chosen = { format: f, options: { labels: params.labels as DataFormatOptions['labels'], keys: params.keys as DataFormatOptions['keys'] }, viaParam: false };
  if (negotiated.size >= NEGOTIATED_ENTRIES) negotiated.clear();
  negotiated.set(key, chosen);
  return chosen;
}

/** The format of a data request: `format=` first, else Accept; `labels`/`keys` checked (406). */
export function chooseDataFormat(api: ApiVersion, accept: string | undefined, params: ReadonlyMap<string, string>): Chosen {
  const labelsParam = params.get('labels');
  const format = params.get('format');
  let chosen: Chosen;
  if (format !== undefined) {
    const f = dataFormatFromParam(api, format, params.get('formatVersion'));
    if (!f) throw new ServiceError('not-acceptable', `Unsupported format "${format}"${params.has('formatVersion') ? ` version ${params.get('formatVersion')}` : ''}`);
    chosen = { format: f.format, options: { labels: f.labels }, viaParam: true };
  } else {
    chosen = negotiateAccept(api, accept);
  }
  const labels = labelsParam ?? chosen.options.labels;
  if (labels !== undefined) {
    if (!chosen.format.labelChoices?.includes(labels as 'id')) {
      throw new ServiceError('not-acceptable', `labels=${labels} is not offered for ${chosen.format.mediaType}${chosen.format.labelChoices ? ` (use ${chosen.format.labelChoices.join(', ')})` : ''}`);
    }
    if (labels !== chosen.options.labels) chosen = { ...chosen, options: { ...chosen.options, labels: labels as DataFormatOptions['labels'] } };
  }
  const keys = chosen.options.keys;
  if (keys !== undefined && !['none', 'obs', 'series', 'both'].includes(keys)) {
    throw new ServiceError('not-acceptable', `keys=${keys} is not offered (use none, obs, series or both)`);
  }
  return chosen;
}
