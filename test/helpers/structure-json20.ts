/**
 * Route tests of the SDMX 3.0 structure API: GET in SDMX-JSON 2.0, expect 200 and a body valid
 * against the official schema, and return its `data`; artefact ids of one member, sorted.
 */
import type { Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { MEDIA } from '../../src/sdmx/media-types.js';
import { JSON_SCHEMA } from './shared.js';
import { validateJson } from './validate.js';

export type StructureData = Record<string, { id: string; agencyID: string; [k: string]: unknown }[]>;

export function structureJson20(app: FastifyInstance) {
  return async (t: Test, url: string): Promise<StructureData> => {
    const res = await app.inject({ url, headers: { accept: MEDIA.structureJson20 } });
    t.equal(res.statusCode, 200, `${url}: 200`);
    const doc = res.json();
    t.same(validateJson(doc, JSON_SCHEMA.structure20), [], `${url}: SDMX-JSON 2.0.0`);
    return doc.data;
  };
}

export const idsOf = (d: StructureData, member: string): string[] => (d[member] ?? []).map((a) => a.id).sort();
