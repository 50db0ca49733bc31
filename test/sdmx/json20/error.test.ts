/** SDMX-JSON 2.0.0 error messages: valid against the structure schema's `errors`, with and without meta. */
import t from 'tap';
import { jsonError20 } from '../../../src/sdmx/json20/error.js';
import { sampleHeader } from '../../fixtures/sample-structures.js';
import { validateJson } from '../../helpers/validate.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

t.test('standard code: standard title, specific detail', async (t) => {
  const doc = jsonError20({ code: 140, text: 'Unknown parameter foo' }) as J;
  t.same(validateJson(doc, JSON_SCHEMA.structure20), []);
  t.same(doc, {
    errors: [
      {
        code: 140,
        title: 'Syntax error',
        titles: { en: 'Syntax error' },
        detail: 'Unknown parameter foo',
        details: { en: 'Unknown parameter foo' },
      },
    ],
  });
});

t.test('a header adds meta; the text equal to the title is not repeated', async (t) => {
  const doc = jsonError20({ code: 501, text: 'Not implemented' }, sampleHeader) as J;
  t.same(validateJson(doc, JSON_SCHEMA.structure20), []);
  t.same(doc.errors, [{ code: 501, title: 'Not implemented', titles: { en: 'Not implemented' } }]);
  t.equal(doc.meta.prepared, '2026-11-21T05:30:01Z');
  t.match(doc.meta.schema, /2\.0\.0/);
  t.notOk('data' in doc);
});

t.test('the schema checks errors (code must be a number)', async (t) => {
  t.ok(validateJson({ errors: [{ code: '100' }] }, JSON_SCHEMA.structure20).length > 0);
});
