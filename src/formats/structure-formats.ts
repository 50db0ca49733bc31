/**
 * The structure formats each API offers, in server preference order, with their writers and
 * the matching error writers. The default (`*\/*`, no Accept) is SDMX-ML 2.1 on the 2.1 API and
 * SDMX-JSON 2.0 on the 3.0 API (REST 1.5 4_6_conneg.md; 2.0 structures.md "Response types").
 */
import { MEDIA } from '../sdmx/media-types.js';
import type { StructureMessage } from '../sdmx/message.js';
import { VTL_ITEM_CLASS_OF, type MaintainableClass } from '../sdmx/model.js';
import { negotiate, type Offer } from '../sdmx/negotiate.js';
import type { ApiVersion } from '../sdmx/rest/structure-request.js';
import { writeStructureMl21 } from '../sdmx/ml21/structure-writer.js';
import { writeStructureMl30 } from '../sdmx/ml30/structure-writer.js';
import { writeStructureJson10 } from '../sdmx/json10/structure-writer.js';
import { writeStructureJson20 } from '../sdmx/json20/structure-writer.js';
import { writeErrorMl21 } from '../sdmx/ml21/error-writer.js';
import { writeErrorMl30 } from '../sdmx/ml30/error-writer.js';
import { jsonError10 } from '../sdmx/json10/error.js';
import { jsonError20 } from '../sdmx/json20/error.js';
import { ServiceError } from '../errors.js';

export interface StructureFormat extends Offer {
  write(msg: StructureMessage): string;
  /**
   * Classes the format cannot express (SDMX 3.0 has no attachment constraints, SDMX 2.1 no
   * hierarchy associations or value lists): left out; a request that matches only these answers 406.
   */
  readonly omits?: ReadonlySet<MaintainableClass>;
  /** The formats to name instead when a query matches only what this one omits (those classes). */
  readonly alternatives?: string | ((classes: readonly MaintainableClass[]) => string);
  /** Error body in the same family, and the Content-Type to send it with. */
  writeError(err: { code: number; text: string }): { body: string; contentType: string };
}

const xmlError21 = (err: { code: number; text: string }) => ({ body: writeErrorMl21(err), contentType: MEDIA.xml });
const xmlError30 = (err: { code: number; text: string }) => ({ body: writeErrorMl30(err), contentType: MEDIA.xml });
const jsonErrorOf10 = (err: { code: number; text: string }) => ({ body: JSON.stringify(jsonError10(err)), contentType: MEDIA.json });
const jsonErrorOf20 = (err: { code: number; text: string }) => ({ body: JSON.stringify(jsonError20(err)), contentType: MEDIA.json });

/** What SDMX 3.0 added and we serve: no SDMX 2.1 form (a 2.1 StructureMap cannot hold fixed values). */
const NOT_IN_SDMX_21: ReadonlySet<MaintainableClass> = new Set(['HierarchyAssociation', 'ValueList', 'StructureMap']);

export const STRUCTURE_ML21: StructureFormat = {
  mediaType: MEDIA.structureMl21,
  family: 'xml',
  write: writeStructureMl21,
  omits: NOT_IN_SDMX_21,
  alternatives: 'SDMX-ML 3.0 or SDMX-JSON 2.0',
  writeError: xmlError21,
};
/** What SDMX 3.0 dropped from 2.1 and we still serve. */
const NOT_IN_SDMX_30: ReadonlySet<MaintainableClass> = new Set(['AttachmentConstraint']);

export const STRUCTURE_ML30: StructureFormat = {
  mediaType: MEDIA.structureMl30,
  family: 'xml',
  write: writeStructureMl30,
  omits: NOT_IN_SDMX_30,
  alternatives: 'SDMX-ML 2.1 or SDMX-JSON 1.0',
  writeError: xmlError30,
};
/** The VTL classes (SDMX-ML 2.1 and 3.0, SDMX-JSON 2.0 have them; SDMX-JSON 1.0 does not). */
const VTL_CLASSES: ReadonlySet<MaintainableClass> = new Set(Object.keys(VTL_ITEM_CLASS_OF) as MaintainableClass[]);
const NOT_IN_SDMX_JSON_10: ReadonlySet<MaintainableClass> = new Set([...NOT_IN_SDMX_21, ...VTL_CLASSES]);

export const STRUCTURE_JSON10: StructureFormat = {
  mediaType: MEDIA.structureJson10,
  family: 'json',
  write: (msg) => JSON.stringify(writeStructureJson10(msg)),
  omits: NOT_IN_SDMX_JSON_10,
  // Only VTL artefacts matched: SDMX-ML 2.1 has them too.
  alternatives: (classes) =>
    classes.every((c) => VTL_CLASSES.has(c)) ? 'SDMX-ML 2.1, SDMX-ML 3.0 or SDMX-JSON 2.0' : 'SDMX-ML 3.0 or SDMX-JSON 2.0',
  writeError: jsonErrorOf10,
};
export const STRUCTURE_JSON20: StructureFormat = {
  mediaType: MEDIA.structureJson20,
  family: 'json',
  omits: NOT_IN_SDMX_30,
  alternatives: 'SDMX-ML 2.1 or SDMX-JSON 1.0',
  write: (msg) => JSON.stringify(writeStructureJson20(msg)),
  writeError: jsonErrorOf20,
};

export const STRUCTURE_OFFERS: Record<ApiVersion, { readonly offers: readonly StructureFormat[]; readonly fallback: StructureFormat }> = {
  '2.1': { offers: [STRUCTURE_ML21, STRUCTURE_JSON10, STRUCTURE_ML30, STRUCTURE_JSON20], fallback: STRUCTURE_ML21 },
  '3.0': { offers: [STRUCTURE_JSON20, STRUCTURE_ML30, STRUCTURE_ML21, STRUCTURE_JSON10], fallback: STRUCTURE_JSON20 },
};

/**
 * The browser-friendly `format=` parameter (REST v2.2.2 extend.md, non-normative): it wins
 * over the Accept header. Returns undefined for an unknown format or version (406).
 */
export function structureFormatFromParam(api: ApiVersion, format: string, formatVersion: string | undefined): StructureFormat | undefined {
  const xmlDefault = api === '2.1' ? STRUCTURE_ML21 : STRUCTURE_ML30;
  const jsonDefault = api === '2.1' ? STRUCTURE_JSON10 : STRUCTURE_JSON20;
  const v = formatVersion?.replace(/(\.0)+$/, '');
  switch (format) {
    case 'structure':
    case 'sdmx-ml':
    case 'xml':
      if (v === undefined) return xmlDefault;
      return v === '2.1' ? STRUCTURE_ML21 : v === '3' ? STRUCTURE_ML30 : undefined;
    case 'jsonstructure':
    case 'sdmx-json':
    case 'json':
      if (v === undefined) return jsonDefault;
      return v === '1' ? STRUCTURE_JSON10 : v === '2' ? STRUCTURE_JSON20 : undefined;
    default:
      return undefined;
  }
}

/**
 * The structure format of a request: `format=` (with `formatVersion`) wins over Accept; nothing
 * acceptable is a 406, raised before any work is done.
 */
export function chooseStructureFormat(api: ApiVersion, accept: string | undefined, format: unknown, formatVersion: unknown): StructureFormat {
  if (format !== undefined) {
    const f =
      typeof format === 'string' && (formatVersion === undefined || typeof formatVersion === 'string')
        ? structureFormatFromParam(api, format, formatVersion as string | undefined)
        : undefined;
    if (!f) throw new ServiceError('not-acceptable', `Unsupported format "${String(format)}"${formatVersion ? ` version ${String(formatVersion)}` : ''}`);
    return f;
  }
  const { offers, fallback } = STRUCTURE_OFFERS[api];
  const chosen = negotiate(accept, offers, fallback);
  if (!chosen) {
    throw new ServiceError('not-acceptable', `None of the requested representations is offered. Available: ${offers.map((o) => o.mediaType).join(', ')}`);
  }
  return chosen as StructureFormat;
}
