/**
 * Where the shared specification files live for tests: CI checks out `shared/` beside the
 * repository. Only tests read it; the product never does.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = path.resolve(REPO_ROOT, '../shared');
export const XSD_21 = path.join(SHARED, 'sdmx/xsd/2.1/SDMXMessage.xsd');
export const XSD_30 = path.join(SHARED, 'sdmx/xsd/3.0/SDMXMessage.xsd');
/** SDMX-ML 3.0.1: the 3.0.0 set with the published errata fixed (shared/sdmx/SOURCES.md). */
export const XSD_301 = path.join(SHARED, 'sdmx/xsd/3.0.1/SDMXMessage.xsd');
export const JSON_SCHEMA = {
  structure10: path.join(SHARED, 'sdmx/json-schema/1.0/sdmx-json-structure-schema.json'),
  structure20: path.join(SHARED, 'sdmx/json-schema/2.0.0/sdmx-json-structure-schema.json'),
  data10: path.join(SHARED, 'sdmx/json-schema/1.0/sdmx-json-data-schema.json'),
  data20: path.join(SHARED, 'sdmx/json-schema/2.0.0/sdmx-json-data-schema.json'),
} as const;
