/** SDMX-ML 3.0 error message: valid against the official 3.0 XSD, code and text carried. */
import t from 'tap';
import { XMLParser } from 'fast-xml-parser';
import { writeErrorMl30 } from '../../../src/sdmx/ml30/error-writer.js';
import { validateXml30Official } from '../../helpers/validate.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });

t.test('a 3.0 error message validates and carries code and text', async (t) => {
  const xml = writeErrorMl30({ code: 100, text: 'No results matching the query: codelist/TEST/CL_X' });
  const errors = validateXml30Official(xml);
  t.same(errors, [], errors.join('\n'));
  const doc = parser.parse(xml);
  const msg = doc['message:Error']['message:ErrorMessage'];
  t.equal(msg['@code'], '100');
  t.equal(msg['common:Text']['#text'], 'No results matching the query: codelist/TEST/CL_X');
  t.equal(msg['common:Text']['@xml:lang'], 'en');
  t.equal(doc['message:Error']['@xmlns:message'], 'http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message');
});

t.test('error text is escaped', async (t) => {
  const xml = writeErrorMl30({ code: 400, text: 'Bad key "A&B" <here>' });
  t.same(validateXml30Official(xml), []);
  t.ok(xml.includes('Bad key "A&amp;B" &lt;here&gt;'));
  t.equal(parser.parse(xml)['message:Error']['message:ErrorMessage']['common:Text']['#text'], 'Bad key "A&B" <here>');
});
