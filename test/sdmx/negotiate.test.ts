import t from 'tap';
import { negotiate, parseAccept, type Offer } from '../../src/sdmx/negotiate.js';

const ml21: Offer = { mediaType: 'application/vnd.sdmx.structure+xml;version=2.1', family: 'xml' };
const json10: Offer = { mediaType: 'application/vnd.sdmx.structure+json;version=1.0.0', family: 'json' };
const ml30: Offer = { mediaType: 'application/vnd.sdmx.structure+xml;version=3.0.0', family: 'xml' };
const json20: Offer = { mediaType: 'application/vnd.sdmx.structure+json;version=2.0.0', family: 'json' };
const offers21 = [ml21, json10, ml30, json20];
const offers30 = [json20, ml30, ml21, json10];

t.test('q-values and specificity (TCK S18 cases)', async (t) => {
  const cases: [string | undefined, Offer | undefined][] = [
    [undefined, ml21],
    ['', ml21],
    ['*/*', ml21],
    ['application/xml', ml21],
    ['text/xml', ml21],
    ['application/json', json10],
    ['application/vnd.sdmx.structure+xml;version=2.1', ml21],
    ['application/vnd.sdmx.structure+xml; version=2.1', ml21],
    ['application/vnd.sdmx.structure+json;version=1.0.0', json10],
    ['application/vnd.sdmx.structure+json;version=1.0', json10],
    ['application/vnd.sdmx.structure+xml;version=3.0.0', ml30],
    ['application/vnd.sdmx.structure+json;version=2.0.0', json20],
    ['application/vnd.sdmx.structure+xml;version=2.1, application/vnd.sdmx.structure+json;version=1.0.0;q=0.9', ml21],
    ['application/vnd.sdmx.structure+xml;version=2.1;q=0.9, application/vnd.sdmx.structure+json;version=1.0.0', json10],
    ['application/vnd.sdmx.structure+json;version=1.0.0;q=0.5, */*;q=0.8', ml21],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', ml21],
    ['invalid representation query', undefined],
    ['application/vnd.sdmx.structure+xml;version=9.9', undefined],
    ['text/csv', undefined],
    ['application/xml;q=0', undefined],
    ['application/vnd.sdmx.structure+xml', ml21],
  ];
  for (const [accept, expected] of cases) {
    t.equal(negotiate(accept, offers21, ml21), expected, `2.1 Accept: ${accept}`);
  }
  t.equal(negotiate('*/*', offers30, json20), json20, '3.0 default is SDMX-JSON 2.0');
  t.equal(negotiate('application/xml', offers30, json20), ml30, '3.0 generic XML is SDMX-ML 3.0');
  t.equal(negotiate('application/vnd.sdmx.structure+xml', offers30, json20), ml30, 'versionless type picks the API preference');
});

t.test('parseAccept skips junk and clamps q', async (t) => {
  const entries = parseAccept('a/b;q=2, nonsense, c/d;q=0.3;foo="x"');
  t.same(
    entries.map((e) => [e.type, e.subtype, e.q, e.params]),
    [
      ['a', 'b', 0, {}],
      ['c', 'd', 0.3, { foo: 'x' }],
    ],
  );
});
