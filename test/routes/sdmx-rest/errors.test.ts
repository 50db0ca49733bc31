/**
 * Bad input of every kind gets a 4xx (or 501) with an SDMX error message that validates
 * against the official schema, in the family the client asked for; nothing answers 500.
 */
import t from 'tap';
import { XMLParser } from 'fast-xml-parser';
import { testApp } from '../../helpers/app.js';
import { validateJson, validateXml21, validateXml30 } from '../../helpers/validate.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';

const app = await testApp();
t.teardown(() => app.close());
const parser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true });

interface Case {
  url: string;
  status: number;
  code?: number;
  method?: 'GET' | 'POST' | 'DELETE' | 'HEAD';
  headers?: Record<string, string>;
}

const cases: Case[] = [
  // unknown or unserved resources
  { url: '/sdmx/2.1/foo', status: 400, code: 140 },
  // served since the reference metadata: an unknown one is a 404
  { url: '/sdmx/2.1/metadatastructure/UNODC/MSD_NOPE', status: 404, code: 100 },
  { url: '/sdmx/3.0/structure/metadataproviderscheme/UNODC', status: 501, code: 501 },
  // served since the VTL schemes: an unknown one is a 404
  { url: '/sdmx/2.1/transformationscheme/UNODC/TS_NOPE', status: 404, code: 100 },
  { url: '/sdmx/2.1/metadata/UNODC,MDF,1.0', status: 404, code: 100 },
  { url: '/sdmx/2.1/metadata/UNODC,MDF_CRIME_REPORT,1.0/all?detail=nothing', status: 400, code: 140 },
  { url: '/sdmx/3.0/metadata/metadataset/*/*/1.0+.0', status: 501, code: 501 },
  { url: '/sdmx/2.1/registration', status: 501, code: 501 },
  // data (this app holds no data: an existing flow has no results)
  { url: '/sdmx/2.1/data/DF_CTS_HOMICIDE', status: 404, code: 100 },
  { url: '/sdmx/2.1/data/UNODC,DF_NOPE,1.0', status: 404, code: 100 },
  { url: '/sdmx/2.1/data/DF_CTS_HOMICIDE/A.AUT', status: 400, code: 140 },
  { url: '/sdmx/2.1/data/DF_CTS_HOMICIDE/all?startPeriod=2019-Q5', status: 400, code: 140 },
  { url: '/sdmx/2.1/data/DF_CTS_HOMICIDE/all?lastNObservations=1.5', status: 400, code: 140 },
  { url: '/sdmx/2.1/data/DF_CTS_HOMICIDE/all/all/extra', status: 400, code: 140 },
  { url: '/sdmx/2.1/data/DF_CTS_HOMICIDE', status: 406, headers: { accept: 'application/vnd.sdmx.structure+xml;version=2.1' } },
  { url: '/sdmx/2.1/availableconstraint/UNODC,DF_NOPE,1.0', status: 404, code: 100 },
  { url: '/sdmx/2.1/schema/dataflow/UNODC/DF_NOPE', status: 404, code: 100 },
  { url: '/sdmx/3.0/structure/metadataconstraint', status: 501, code: 501 },
  { url: '/sdmx/3.0/structure/hierarchicalcodelist', status: 400, code: 140 },
  { url: '/sdmx/3.0/structure/foo', status: 400, code: 140 },
  { url: '/sdmx/3.0/codelist', status: 400, code: 140 },
  { url: '/sdmx/3.0/data/dataflow/UNODC/DF_NOPE', status: 404, code: 100 },
  { url: '/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE/1.0/A+B', status: 400, code: 140 },
  { url: '/sdmx/3.0/data/dataflow/UNODC/DF_CTS_HOMICIDE/1.0/*?c[TIME_PERIOD]=', status: 400, code: 140 },
  { url: '/sdmx/2.1', status: 404, code: 100 },
  { url: '/sdmx/2.1/', status: 404, code: 100 },
  { url: '/sdmx/9.9/codelist', status: 404, code: 100 },
  // malformed path parts
  { url: '/sdmx/2.1/codelist/1BAD', status: 400, code: 140 },
  { url: '/sdmx/2.1/codelist/UNODC/CL%20ICCS', status: 400, code: 140 },
  { url: '/sdmx/2.1/codelist/UNODC/CL_ICCS/1.x', status: 400, code: 140 },
  { url: '/sdmx/2.1/codelist/UNODC/CL_ICCS/latest+1.0', status: 400, code: 140 },
  { url: '/sdmx/2.1/codelist/UNODC/CL_ICCS/~', status: 400, code: 140 },
  { url: '/sdmx/3.0/structure/codelist/UNODC/CL_ICCS/latest', status: 400, code: 140 },
  { url: '/sdmx/3.0/structure/codelist/UNODC/CL_ICCS/1.x.0', status: 400, code: 140 },
  { url: '/sdmx/2.1/codelist/UNODC/CL_ICCS/1.0/01/extra', status: 400, code: 140 },
  { url: '/sdmx/2.1/codelist//CL_ICCS', status: 400, code: 140 },
  { url: '/sdmx/2.1/dataflow/UNODC/DF_CTS_HOMICIDE/1.0/A', status: 400, code: 140 },
  { url: '/sdmx/2.1/codelist/UNODC/CL_ICCS/1.0/0 1', status: 400, code: 140 },
  { url: '/sdmx/2.1/codelist/%zz', status: 400 },
  { url: `/sdmx/2.1/codelist/UNODC/${'A'.repeat(5000)}`, status: 414 },
  // parameters
  { url: '/sdmx/2.1/codelist?detail=everything', status: 400, code: 140 },
  { url: '/sdmx/2.1/codelist?detail=raw', status: 400, code: 140 },
  { url: '/sdmx/2.1/codelist?references=cousins', status: 400, code: 140 },
  { url: '/sdmx/2.1/codelist?references=ancestors', status: 400, code: 140 },
  { url: '/sdmx/2.1/codelist?references=children&references=parents', status: 400, code: 140 },
  { url: '/sdmx/2.1/codelist?foo=bar', status: 400, code: 140 },
  { url: '/sdmx/3.0/structure/codelist?references=children,cousins', status: 400, code: 140 },
  // nothing matches
  { url: '/sdmx/2.1/codelist/UNODC/CL_NOPE', status: 404, code: 100 },
  { url: '/sdmx/2.1/codelist/UNODC/CL_ICCS/9.9', status: 404, code: 100 },
  { url: '/sdmx/2.1/codelist/UNODC/CL_ICCS/1.0/NOPE', status: 404, code: 100 },
  { url: '/sdmx/2.1/actualconstraint', status: 404, code: 100 },
  { url: '/sdmx/3.0/structure/codelist/NOBODY', status: 404, code: 100 },
  // representations
  { url: '/sdmx/2.1/codelist', status: 406, headers: { accept: 'invalid representation query' } },
  { url: '/sdmx/2.1/codelist', status: 406, headers: { accept: 'text/csv' } },
  { url: '/sdmx/2.1/codelist', status: 406, headers: { accept: 'application/vnd.sdmx.structure+xml;version=9.9' } },
  { url: '/sdmx/2.1/codelist?format=excel', status: 406 },
  { url: '/sdmx/2.1/codelist?format=structure&formatVersion=4.0', status: 406 },
  // methods
  { url: '/sdmx/2.1/codelist', status: 405, method: 'POST' },
  { url: '/sdmx/3.0/structure/codelist', status: 405, method: 'DELETE' },
];

for (const c of cases) {
  t.test(`${c.method ?? 'GET'} ${c.url.slice(0, 90)} ${JSON.stringify(c.headers ?? {})}`, async (t) => {
    const res = await app.inject({ method: c.method ?? 'GET', url: c.url, headers: c.headers });
    t.equal(res.statusCode, c.status, res.body.slice(0, 300));
    t.ok(res.statusCode < 500 || res.statusCode === 501, 'never a server error');
    const type = String(res.headers['content-type']);
    if (type.startsWith('application/xml')) {
      const xsdProblems = c.url.startsWith('/sdmx/3.0') ? validateXml30(res.body) : validateXml21(res.body);
      t.same(xsdProblems, [], 'the error message validates against the SDMX-ML schema');
      const doc = parser.parse(res.body);
      const code = Number(doc.Error?.ErrorMessage?.['@_code']);
      if (c.code !== undefined) t.equal(code, c.code, 'SDMX error code');
      t.ok(String(doc.Error?.ErrorMessage?.Text?.['#text'] ?? doc.Error?.ErrorMessage?.Text).length > 5, 'a readable text');
    } else if (type.startsWith('application/json')) {
      const body = JSON.parse(res.body);
      const schema = c.url.startsWith('/sdmx/3.0') ? JSON_SCHEMA.structure20 : JSON_SCHEMA.structure10;
      t.same(validateJson(body, schema), [], 'the JSON error validates against the SDMX-JSON schema');
      t.ok(JSON.stringify(body.errors).length > 10, 'errors listed');
    } else {
      t.fail(`unexpected error content type ${type}`);
    }
  });
}

t.test('errors follow the negotiated family', async (t) => {
  const json = await app.inject({ url: '/sdmx/2.1/codelist/UNODC/CL_NOPE', headers: { accept: 'application/vnd.sdmx.structure+json;version=1.0.0' } });
  t.equal(json.statusCode, 404);
  t.match(json.headers['content-type'], /^application\/json/);
  const v30 = await app.inject({ url: '/sdmx/3.0/structure/codelist/UNODC/CL_NOPE' });
  t.equal(v30.statusCode, 404);
  t.match(v30.headers['content-type'], /^application\/json/, '3.0 defaults to JSON');
  const v30xml = await app.inject({ url: '/sdmx/3.0/structure/codelist/UNODC/CL_NOPE', headers: { accept: 'application/xml' } });
  t.match(v30xml.headers['content-type'], /^application\/xml/);
  t.same(validateXml30(v30xml.body), []);
});

t.test('paths outside the APIs', async (t) => {
  const res = await app.inject({ url: '/nope' });
  t.equal(res.statusCode, 404);
  t.equal(res.headers['content-type'], 'application/problem+json');
  t.equal(JSON.parse(res.body).status, 404);
});
