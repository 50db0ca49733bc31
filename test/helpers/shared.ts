/**
 * Where the tests find the official SDMX files and the real sample messages and data: all in the
 * repository, so a fresh clone passes `npm test` on its own.
 *
 * - test/fixtures/sdmx-standards/: the SDMX-ML XSD sets, SDMX-JSON schemas and SDMX-CSV field
 *   guides the tests use, unmodified copies of the files in the shared specification folder
 *   (provenance, blob hashes and licences in its README.md and MANIFEST.tsv);
 * - test/fixtures/shared-samples/: the sample messages and the ICCS tables the tests read, with
 *   the same paths as in the shared folder (`sdmx-samples/...`, `data/iccs/...`);
 * - data/demo/: the real Eurostat and UNODC files, already in the repository for the demo and
 *   identical to the shared folder's `data/eurostat/` and `data/unodc/`.
 *
 * `SHARED` (the shared folder CI puts beside the checkout) is read by one test only, which checks
 * that these copies still equal their originals and is skipped when the folder is absent. Other
 * tests must not read it. The product never reads any of this.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The shared folder beside the checkout; only test/harness/vendored-copies.test.ts reads it. */
export const SHARED = path.resolve(REPO_ROOT, '../shared');

/** Copies of the shared folder's `sdmx/` files the tests use (same sub-paths). */
export const SDMX_STANDARDS = path.join(REPO_ROOT, 'test/fixtures/sdmx-standards');
/** Copies of the shared folder's sample messages and ICCS tables the tests read (same sub-paths). */
export const SHARED_SAMPLES = path.join(REPO_ROOT, 'test/fixtures/shared-samples');

/** The complete official XSD sets, one folder each (files import each other by relative path). */
export const XSD_DIR = {
  v21: path.join(SDMX_STANDARDS, 'xsd/2.1'),
  v30: path.join(SDMX_STANDARDS, 'xsd/3.0'),
  /** SDMX-ML 3.0.1: the 3.0.0 set with the published errata fixed. */
  v301: path.join(SDMX_STANDARDS, 'xsd/3.0.1'),
} as const;
export const XSD_21 = path.join(XSD_DIR.v21, 'SDMXMessage.xsd');
export const XSD_30 = path.join(XSD_DIR.v30, 'SDMXMessage.xsd');
/** SDMX-ML 3.0.1: the 3.0.0 set with the published errata fixed (sdmx-standards/README.md). */
export const XSD_301 = path.join(XSD_DIR.v301, 'SDMXMessage.xsd');
export const JSON_SCHEMA = {
  structure10: path.join(SDMX_STANDARDS, 'json-schema/1.0/sdmx-json-structure-schema.json'),
  structure20: path.join(SDMX_STANDARDS, 'json-schema/2.0.0/sdmx-json-structure-schema.json'),
  data10: path.join(SDMX_STANDARDS, 'json-schema/1.0/sdmx-json-data-schema.json'),
  data20: path.join(SDMX_STANDARDS, 'json-schema/2.0.0/sdmx-json-data-schema.json'),
} as const;
/** The SDMX-CSV data message field guides (normative text). */
export const CSV_FIELD_GUIDE = {
  v10: path.join(SDMX_STANDARDS, 'csv/1.0/data-message-field-guide.md'),
  v20: path.join(SDMX_STANDARDS, 'csv/2.0.0/data-message-field-guide.md'),
} as const;

/** Sample messages: `sdmx-samples/` of the shared folder (khaeru-sdmx-test-data/, validation/). */
export const SDMX_SAMPLES = path.join(SHARED_SAMPLES, 'sdmx-samples');
/** Real data files, by the shared folder's `data/` sub-folder. */
export const DATA = {
  /** Eurostat SDMX-CSV 1.0 exports and bulk TSV (the demo's copy). */
  eurostat: path.join(REPO_ROOT, 'data/demo/eurostat'),
  /** UNODC UN-CTS exports and Global Study on Homicide 2019 tables (the demo's copy). */
  unodc: path.join(REPO_ROOT, 'data/demo/unodc'),
  /** The ICCS codelist and the UN-CTS category mapping, as in the shared folder. */
  iccs: path.join(SHARED_SAMPLES, 'data/iccs'),
} as const;
