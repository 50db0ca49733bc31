/**
 * The upload size limit is enforced while streaming (413 before the end of an oversized body,
 * nothing stored), also for a small gzip body that inflates beyond it.
 */
import t from 'tap';
import { gzipSync } from 'node:zlib';
import { fixedClock } from '../../../src/clock.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { dataApp } from '../../helpers/data-app.js';

const FLOW = 'UNODC:DF_CTS_HOMICIDE(1.0)';
const { app, repositories } = await dataApp([], { clock: fixedClock('2026-11-21T12:00:00.000Z'), env: { UPLOAD_MAX_MB: '1' } });
t.teardown(() => app.close());
const token = app.tokens.create({ name: 'p', role: 'producer', dataflows: [FLOW], createdBy: 'cli' }).token;

const HEADER = 'DATAFLOW,FREQ,REF_AREA,INDICATOR,OFFENCE,SEX,AGE,DISAGGREGATION,UNIT_MEASURE,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n';
// 1.5 MB of rows: the size is refused while streaming, whatever the rows hold.
const rows: string[] = [];
// A running length: joining all rows on every pass made building the body quadratic (minutes).
for (let i = 0, length = 0; length < 1.5 * 1024 * 1024; i += 1) {
  const row = `${FLOW},A,AUT,VIC_HOM,0101,_T,_T,_T,NR,${1000 + (i % 1000)}-${String(1 + Math.floor(i / 1000) % 12).padStart(2, '0')},1,A\n`;
  rows.push(row);
  length += row.length;
}
const body = HEADER + rows.join('');

for (const [name, payload, headers] of [
  ['a plain body over the limit', body, {}],
  ['a gzip body that inflates over the limit', gzipSync(body), { 'content-encoding': 'gzip' }],
] as const) {
  t.test(name, async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/uploads?dataflow=${encodeURIComponent(FLOW)}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': MEDIA.dataCsv10, ...headers },
      payload,
    });
    t.equal(res.statusCode, 413);
    t.equal(res.headers['content-type'], 'application/problem+json');
    t.same(res.json(), {
      type: 'https://iccs-sdmx.org/problems/upload-refused',
      title: 'Content Too Large',
      status: 413,
      detail: 'The upload is larger than the limit of 1048576 bytes; split the file or ask the administrator to raise UPLOAD_MAX_MB',
    });
    t.same(repositories.releases.list(), [], 'no draft release created');
  });
}
