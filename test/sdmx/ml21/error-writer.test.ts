/**
 * SDMX-ML 2.1 error message: valid against SDMXMessage.xsd, code and text as given, escaped.
 */
import t from 'tap';
import { writeErrorMl21 } from '../../../src/sdmx/ml21/error-writer.js';
import { attr, kid, parseXml, text } from '../../../src/sdmx/ml21/xml-tree.js';
import { validateXml21 } from '../../helpers/validate.js';

t.test('error message validates and carries code and text', async (tt) => {
  const xml = writeErrorMl21({ code: 100, text: 'No results found for codelist/UNODC/CL_X & <friends>' });
  tt.same(validateXml21(xml), [], 'validates against the SDMX-ML 2.1 XSD (diff shows xmllint errors)');
  tt.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
  const root = parseXml(xml);
  tt.equal(root.name, 'Error');
  const em = kid(root.node, 'ErrorMessage');
  tt.equal(attr(em, 'code'), '100');
  tt.equal(text(kid(em, 'Text')), 'No results found for codelist/UNODC/CL_X & <friends>');
  tt.equal(attr(kid(em, 'Text'), 'lang'), 'en');
  tt.match(xml, '<message:ErrorMessage code="100"><common:Text xml:lang="en">');
});

t.test('every SDMX error code of REST 1.5 gives a valid message', async (tt) => {
  for (const code of [100, 110, 130, 140, 150, 500, 501, 503, 510, 1000]) {
    tt.same(validateXml21(writeErrorMl21({ code, text: `error ${code}` })), [], `code ${code}`);
  }
});
