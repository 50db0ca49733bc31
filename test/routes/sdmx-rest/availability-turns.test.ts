/**
 * A whole dataflow's availability, the longest computation of the public API, is made in turns
 * (services/turns.ts): requests that arrive while it runs are answered before it ends. What it
 * answers is checked by availability.test.ts, which goes through the same route.
 */
import t from 'tap';
import { demoApp } from '../../helpers/json-api-demo.js';

const WHOLE_PRISONS = '/sdmx/2.1/availableconstraint/UNODC,DF_CTS_PRISONS,1.0';

t.test('requests that arrive during a whole-dataflow availability are answered before it ends', async (t) => {
  const { app } = await demoApp();
  t.teardown(() => app.close());
  const finished: string[] = [];
  const started = performance.now();
  const availability = app.inject({ url: WHOLE_PRISONS }).then((res) => {
    finished.push('availability');
    return res;
  });
  // Asked once the availability has started (inject dispatches on the next turn of the loop).
  await new Promise((resolve) => setTimeout(resolve, 1));
  const quick = await Promise.all(
    ['/health', '/sdmx/2.1/codelist/UNODC/CL_SEX', '/api/v1/calendar'].map((url) =>
      app.inject({ url }).then((res) => {
        finished.push(url);
        return res;
      }),
    ),
  );
  const answer = await availability;
  const ms = performance.now() - started;
  t.equal(answer.statusCode, 200);
  t.match(answer.body, /series_count/, 'the constraint counts its series');
  for (const res of quick) t.equal(res.statusCode, 200);
  t.comment(`whole DF_CTS_PRISONS availability: ${ms.toFixed(0)} ms`);
  t.equal(finished.at(-1), 'availability', `the three short requests ended first (${finished.join(', ')})`);
});
