/**
 * End to end with a real SDMX client reading data: the server starts as a process on an empty
 * database (so it publishes the real demo data), R's rsdmx reads a whole dataflow, a key
 * filter, a period window and structure-specific data (test/r/read-data.R) into data frames,
 * and every value rsdmx understood must equal what the server gives for the same query in
 * SDMX-CSV.
 *
 * Needs `Rscript` with rsdmx (Debian: r-cran-rsdmx); skipped locally without it, failing on CI.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/shared.js';
import { startServer } from '../helpers/server-process.js';
import { R_ENV, rsdmxMissing } from '../helpers/rsdmx.js';
import { parseCsv } from '../helpers/csv.js';

const R_SCRIPT = path.join(REPO_ROOT, 'test/r/read-data.R');
const DIMS = ['FREQ', 'REF_AREA', 'INDICATOR', 'OFFENCE', 'SEX', 'AGE', 'DISAGGREGATION', 'UNIT_MEASURE'];

/** The queries rsdmx runs: label → path under /sdmx/2.1. */
const QUERIES: Record<string, string> = {
  whole: '/data/UNODC,DF_CTS_COURTS,1.0',
  key: '/data/UNODC,DF_CTS_HOMICIDE,1.0/A.AUT+DEU......',
  window: '/data/UNODC,DF_CTS_HOMICIDE,1.0/A..VIC_HOM.0101._T._T._T.NR?startPeriod=2010&endPeriod=2012',
  revised: '/data/UNODC,DF_ESTAT_CRIM_OFF_CAT,1.0/A.BEL.OFF.0101._T._T._T.NR',
  structurespecific: '/data/UNODC,DF_CTS_HOMICIDE,1.0/A.AUT+DEU......?format=structurespecificdata',
};


function runR(base: string): Promise<string> {
  const args = Object.entries(QUERIES).flatMap(([label, p]) => [label, `${base}/sdmx/2.1${p}`]);
  return new Promise((resolve, reject) => {
    execFile('Rscript', [R_SCRIPT, ...args], { encoding: 'utf8', env: R_ENV, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${R_SCRIPT} failed (${err.message.split('\n')[0]}):\n${stderr}\n${stdout.slice(0, 2000)}`));
      else resolve(stdout);
    });
  });
}

/** label → `key|period` → value. */
type Points = Map<string, Map<string, number | null>>;

function parseROutput(stdout: string): { points: Points; rows: Map<string, number>; done: boolean } {
  const points: Points = new Map();
  const rows = new Map<string, number>();
  let done = false;
  for (const line of stdout.split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'ROWS') rows.set(f[1]!, Number(f[2]));
    else if (f[0] === 'OBS') {
      const byLabel = points.get(f[1]!) ?? new Map<string, number | null>();
      byLabel.set(`${f[2]}|${f[3]}`, f[4] === 'NA' ? null : Number(f[4]));
      points.set(f[1]!, byLabel);
    } else if (f[0] === 'DONE') done = true;
  }
  return { points, rows, done };
}

const missing = rsdmxMissing();
if (missing) {
  if (process.env.CI) t.fail(`rsdmx is required on CI: ${missing}`);
  // `1..0 # SKIP reason`: the whole file is reported as skipped.
  else t.plan(0, `${missing}: the rsdmx end-to-end data test needs R (apt-get install r-base-core r-cran-rsdmx)`);
} else {
  const server = await startServer({ timeoutMs: 120_000 });
  t.teardown(() => server.stop());
  const r = parseROutput(await runR(server.baseUrl));
  t.ok(r.done, 'the R script ran to the end');

  for (const [label, p] of Object.entries(QUERIES)) {
    t.test(`rsdmx reads "${label}" (${p}) with the values we serve`, async (t) => {
      // The same query in SDMX-CSV (a format the query names is replaced).
      const query = p.replace(/[?&]format=[^&]*$/, '');
      const res = await fetch(`${server.baseUrl}/sdmx/2.1${query}${query.includes('?') ? '&' : '?'}format=csv`);
      t.equal(res.status, 200);
      const ours = new Map(
        parseCsv(await res.text()).map((row) => [`${DIMS.map((d) => row[d]).join('.')}|${row.TIME_PERIOD}`, row.OBS_VALUE === '' ? null : Number(row.OBS_VALUE)]),
      );
      const theirs = r.points.get(label) ?? new Map();
      t.ok(ours.size > 0, 'the query has data');
      t.equal(r.rows.get(label), ours.size, 'one data-frame row per observation');
      t.same([...theirs.keys()].sort(), [...ours.keys()].sort(), 'the same keys and periods');
      let mismatches = 0;
      for (const [k, v] of ours) {
        const w = theirs.get(k);
        const same = v === null ? w === null : w !== null && w !== undefined && Math.abs(w - v) <= 1e-9 * Math.max(1, Math.abs(v));
        if (!same && mismatches++ < 5) t.fail(`${k}: rsdmx read ${w}, we serve ${v}`);
      }
      t.equal(mismatches, 0, 'every value equal');
      if (label === 'window') t.ok([...theirs.keys()].every((k) => ['2010', '2011', '2012'].includes(k.split('|')[1]!)), 'only the window');
      if (label === 'revised') t.equal(theirs.get('A.BEL.OFF.0101._T._T._T.NR|2018'), 192, 'the revised 2018 figure (Eurostat 2024), not the 2022 one');
    });
  }
}
