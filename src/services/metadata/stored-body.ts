/**
 * The stored form of a metadata set version: canonical JSON (keys sorted at every depth, no
 * validFrom), so the same content always gives the same text and the same SHA-256 whoever
 * built the object, and a reload can tell "unchanged" from "changed" by the hash alone.
 * validFrom is not content: it is the instant of the version's release, read at query time.
 */
import type { SourcedMetadataSet } from './check-metadata-set.js';

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortedKeys(v);
  }
  return out;
}

export function storedBodyOf(set: SourcedMetadataSet): string {
  const { validFrom: _validFrom, ...content } = set;
  return JSON.stringify(sortedKeys(content));
}

export function setOfStoredBody(body: string): SourcedMetadataSet {
  return JSON.parse(body) as SourcedMetadataSet;
}
