/** SDMX-JSON 1.0 error messages: valid against the structure schema's `errors`, with and without meta. */
import t from 'tap';
import { jsonError10 } from '../../../src/sdmx/json10/error.js';
import { sampleHeader } from '../../fixtures/sample-structures.js';
import { validateJson } from '../../helpers/validate.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

t.test('standard code: standard title, specific detail', async (t) => {
  const doc = jsonError10({ code: 100, text: 'No codelist matches TEST:CL_NONE(1.0)' }) as J;
  t.same(validateJson(doc, JSON_SCHEMA.structure10), []);
  t.same(doc, {
    errors: [
      {
        code: 100,
        title: 'No results found',
        titles: { en: 'No results found' },
        detail: 'No codelist matches TEST:CL_NONE(1.0)',
        details: { en: 'No codelist matches TEST:CL_NONE(1.0)' },
      },
    ],
  });
  t.notOk('data' in doc);
});

t.test('custom code: the text is the title; a header adds meta', async (t) => {
  const doc = jsonError10({ code: 1001, text: 'Database offline' }, sampleHeader) as J;
  t.same(validateJson(doc, JSON_SCHEMA.structure10), []);
  t.same(doc.errors, [{ code: 1001, title: 'Database offline', titles: { en: 'Database offline' } }]);
  t.equal(doc.meta.id, 'IREF000001');
  t.equal(doc.meta.sender.id, 'TEST');
  t.same(doc.meta.contentLanguages, ['en']);
});

t.test('the schema checks errors (code is required)', async (t) => {
  t.ok(validateJson({ errors: [{ title: 'x' }] }, JSON_SCHEMA.structure10).length > 0);
});
