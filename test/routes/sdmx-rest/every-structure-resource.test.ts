/**
 * Every structure resource the official SDMX REST OpenAPI descriptions define (1.5.0 for the 2.1
 * API, 2.2.2 for the 3.0 API), asked of the demo: each answers 200 with at least one artefact,
 * in the API's default format and valid against its schema. The reference-metadata types are
 * published too (MSDs and metadataflows); the 3.0 metadata provider schemes, provision
 * agreements and constraints are the only ones left (501: we publish none). The resource lists are read from
 * the vendored OpenAPI files, so a resource the standard adds cannot be missed silently.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { testApp } from '../../helpers/app.js';
import { JSON_SCHEMA, SDMX_STANDARDS } from '../../helpers/shared.js';
import { validateJson, validateXml21 } from '../../helpers/validate.js';

const openapi = (version: string) => parse(readFileSync(path.join(SDMX_STANDARDS, `openapi/${version}/sdmx-rest.yaml`), 'utf8'));

/** 1.5.0: each structure resource is a path `/{resource}/{agencyID}/{resourceID}/{version}` tagged as a structure query. */
const api15 = openapi('v1.5.0');
const resources21 = Object.entries(api15.paths as Record<string, { get?: { tags?: string[] } }>)
  .filter(([p, op]) => /^\/\w+\/\{agencyID\}\/\{resourceID\}\/\{version\}$/.test(p) && op.get?.tags?.includes('Structure queries'))
  .map(([p]) => p.split('/')[1]!);

/** 2.2.2: `/structure/{structureType}/...` with the types as an enumeration. */
const api22 = openapi('v2.2.2');
const resources30 = api22.components.parameters.structureType.schema.enum as string[];

/** Reference-metadata resources we do not publish (no such artefacts): 501. */
const METADATA_21 = new Set<string>();
const METADATA_30 = new Set(['metadataproviderscheme', 'metadataprovisionagreement', 'metadataconstraint']);

const app = await testApp({ env: { DEMO_DATA: 'on' } });
t.teardown(() => app.close());

t.test('the OpenAPI files list what we expect to walk', async (t) => {
  t.ok(resources21.length >= 28, `${resources21.length} structure resources in REST 1.5`);
  t.ok(resources21.includes('transformationscheme') && resources21.includes('namealiasscheme') && resources21.includes('structureset'));
  t.ok(resources30.length >= 35, `${resources30.length} structure types in REST 2.2.2`);
  t.ok(resources30.includes('structuremap') && resources30.includes('valuelist') && resources30.includes('*'));
});

t.test('REST 1.5 (SDMX 2.1 API): every structure resource answers with artefacts', async (t) => {
  for (const resource of resources21) {
    const res = await app.inject({ url: `/sdmx/2.1/${resource}/all/all/latest`, headers: { accept: MEDIA.structureMl21 } });
    if (METADATA_21.has(resource)) {
      t.equal(res.statusCode, 501, `${resource}: not implemented yet (reference metadata)`);
      continue;
    }
    t.equal(res.statusCode, 200, `${resource}: 200`);
    t.match(res.body, /<message:Structures><structure:\w+><structure:\w+ /, `${resource}: at least one artefact`);
    t.same(validateXml21(res.body), [], `${resource}: SDMX-ML 2.1`);
  }
});

t.test('REST 2.2.2 (SDMX 3.0 API): every structure type answers with artefacts', async (t) => {
  for (const type of resources30) {
    const res = await app.inject({ url: `/sdmx/3.0/structure/${type}/*/*/~`, headers: { accept: MEDIA.structureJson20 } });
    if (METADATA_30.has(type)) {
      t.equal(res.statusCode, 501, `${type}: not implemented yet (reference metadata)`);
      continue;
    }
    t.equal(res.statusCode, 200, `${type}: 200`);
    const doc = res.json();
    t.ok(Object.values(doc.data as Record<string, unknown[]>).some((list) => list.length > 0), `${type}: at least one artefact`);
    t.same(validateJson(doc, JSON_SCHEMA.structure20), [], `${type}: SDMX-JSON 2.0.0`);
  }
});
