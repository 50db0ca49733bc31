/**
 * A structure the asked format cannot express: SDMX 3.0 has no attachment constraints, so the
 * 2.1 `attachmentconstraint` resource asked for in SDMX-ML 3.0 or SDMX-JSON 2.0 is refused with
 * 406 in that format (an empty message would read as "nothing there"); in the 2.1 formats it is
 * served, and a query that also matches other artefacts leaves only the attachment constraints out.
 */
import t from 'tap';
import { testApp } from '../../helpers/app.js';

const app = await testApp();
t.teardown(() => app.close());

const ML30 = 'application/vnd.sdmx.structure+xml;version=3.0.0';
const JSON20 = 'application/vnd.sdmx.structure+json;version=2.0.0';

t.test('attachment constraints in an SDMX 3.0 format: 406, said in that format', async (t) => {
  for (const accept of [ML30, JSON20]) {
    const res = await app.inject({ url: '/sdmx/2.1/attachmentconstraint', headers: { accept } });
    t.equal(res.statusCode, 406, accept);
    t.match(res.body, /cannot express AttachmentConstraint/, 'the reason');
    if (accept === JSON20) t.equal(JSON.parse(res.body).errors[0].code, 1406);
  }
});

t.test('attachment constraints in the 2.1 formats are served', async (t) => {
  for (const accept of ['application/vnd.sdmx.structure+xml;version=2.1', 'application/vnd.sdmx.structure+json;version=1.0.0']) {
    const res = await app.inject({ url: '/sdmx/2.1/attachmentconstraint', headers: { accept } });
    t.equal(res.statusCode, 200, accept);
    t.match(res.body, /AC_SDG_16_1_1/);
  }
});

t.test('a query that matches more than attachment constraints leaves them out in SDMX 3.0', async (t) => {
  const res = await app.inject({ url: '/sdmx/2.1/dataflow/UNODC/DF_CTS_HOMICIDE/1.0?references=parents', headers: { accept: JSON20 } });
  t.equal(res.statusCode, 200);
  t.notMatch(res.body, /AC_SDG_16_1_1/, 'no attachment constraint');
  t.match(res.body, /DF_CTS_HOMICIDE/);
});

t.test('SDMX 3.0 value lists asked for in a 2.1 format: 406, naming the 3.0 formats', async (t) => {
  const res = await app.inject({ url: '/sdmx/3.0/structure/valuelist', headers: { accept: 'application/vnd.sdmx.structure+xml;version=2.1' } });
  t.equal(res.statusCode, 406);
  t.match(res.body, /cannot express ValueList: ask for SDMX-ML 3.0 or SDMX-JSON 2.0/);
});
