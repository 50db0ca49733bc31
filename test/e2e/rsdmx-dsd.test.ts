/**
 * End to end with R's rsdmx reading labelled data, as an R user would: our server registered
 * as a service provider, `readSDMX(..., dsd = TRUE)` (which takes the data set's `structureRef`
 * for the DSD id and fetches `/datastructure/all/{structureRef}/latest/`) and
 * `as.data.frame(labels = TRUE)` (test/r/read-data-dsd.R). Every label column must carry the
 * names our codelists give each code, in English and Spanish.
 *
 * Needs `Rscript` with rsdmx (Debian: r-cran-rsdmx); skipped locally without it, failing on CI.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/shared.js';
import { startServer } from '../helpers/server-process.js';
import { R_ENV, rsdmxMissing } from '../helpers/rsdmx.js';
import { readStructureFiles } from '../../src/services/structure-files.js';
import type { Codelist, DataStructure } from '../../src/sdmx/model.js';

const R_SCRIPT = path.join(REPO_ROOT, 'test/r/read-data-dsd.R');
const FLOW = 'UNODC,DF_CTS_HOMICIDE,1.0';
const KEY = 'A.AUT+MEX+JPN.VIC_HOM.0101._T._T._T.NR+P_HTHAB';


function runR(base: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('Rscript', [R_SCRIPT, base, FLOW, KEY], { encoding: 'utf8', env: R_ENV, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${R_SCRIPT} failed (${err.message.split('\n')[0]}):\n${stderr}\n${stdout.slice(0, 2000)}`));
      else resolve(stdout);
    });
  });
}

/** Code names of the codelist each DSD_CTS dimension uses, from the structure files we serve. */
function codeNames(): Map<string, Map<string, Record<string, string>>> {
  const artefacts = readStructureFiles(path.join(REPO_ROOT, 'sdmx')).map((a) => a.artefact);
  const dsd = artefacts.find((a): a is DataStructure => a.class === 'DataStructure' && a.id === 'DSD_CTS')!;
  const codelists = artefacts.filter((a): a is Codelist => a.class === 'Codelist');
  const out = new Map<string, Map<string, Record<string, string>>>();
  for (const d of dsd.dimensions) {
    const ref = d.localRepresentation?.enumeration;
    const cl = codelists.find((c) => c.id === ref?.id && c.agencyID === ref?.agencyID);
    if (cl) out.set(d.id, new Map(cl.items.map((code) => [code.id, code.name])));
  }
  return out;
}

const missing = rsdmxMissing();
if (missing) {
  if (process.env.CI) t.fail(`rsdmx is required on CI: ${missing}`);
  else t.plan(0, `${missing}: the rsdmx dsd = TRUE test needs R (apt-get install r-base-core r-cran-rsdmx)`);
} else {
  const server = await startServer({ timeoutMs: 120_000 });
  t.teardown(() => server.stop());
  const lines = (await runR(server.baseUrl)).split('\n').map((l) => l.split('\t'));
  const field = (tag: string) => lines.find((l) => l[0] === tag)?.slice(1);
  t.ok(field('DONE') !== undefined, 'the R script ran to the end');
  t.same(field('DSDREF'), ['DSD_CTS'], "rsdmx reads the DSD's id from the data set's structureRef");
  t.same(field('DSD'), ['DSD_CTS'], 'and fetched and bound that DSD');
  const columns = field('COLUMNS')?.[0]?.split(',') ?? [];
  for (const d of ['REF_AREA', 'INDICATOR', 'OFFENCE', 'SEX', 'UNIT_MEASURE']) {
    t.ok(columns.includes(`${d}_label.en`) && columns.includes(`${d}_label.es`), `${d} has English and Spanish label columns`);
  }
  t.ok(Number(field('ROWS')?.[0]) > 20, 'three countries, two units, many years');

  const names = codeNames();
  const labels = lines.filter((l) => l[0] === 'LABEL');
  t.ok(labels.length >= 10, `${labels.length} code labels read`);
  let checked = 0;
  for (const [, column, code, label] of labels) {
    const [dimension, lang] = column!.split('_label.') as [string, string];
    const expected = names.get(dimension)?.get(code!)?.[lang];
    if (expected === undefined) continue;
    t.equal(label, expected, `${dimension} ${code} in ${lang}`);
    checked += 1;
  }
  t.ok(checked >= 10, `${checked} labels compared with our codelists`);
  const area = (code: string, lang: string) => labels.find((l) => l[1] === `REF_AREA_label.${lang}` && l[2] === code)?.[3];
  t.equal(area('MEX', 'es'), 'México', 'Spanish names as the codelist has them');
  t.equal(area('JPN', 'en'), 'Japan');
}
