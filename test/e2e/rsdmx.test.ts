/**
 * End to end with a real SDMX client: starts the server as a process, has R's rsdmx read the
 * dataflows, the DSD with its codelists and CL_ICCS (test/r/read-structures.R), and checks that
 * what rsdmx understood equals what the server serves, what the ICCS source table says and, for
 * the descriptions of CL_ICCS, what the ICCS notes (sdmx/sources/iccs/iccs-notes.json) say.
 *
 * Needs `Rscript` with the rsdmx package (Debian: r-base-core, r-cran-rsdmx). Without them the
 * test is skipped locally and fails on CI (`CI` set), so CI cannot pass by not running it.
 *
 * Known rsdmx limitations: up to 0.6-2 rsdmx reads a code's parent only from the SDMX 2.0
 * `parentCode` attribute, not from the SDMX 2.1 `<str:Parent><Ref id=".."/>`; the R script
 * says which behaviour is installed and parents are compared only when rsdmx can read them.
 * rsdmx 0.6-2 has no class for hierarchical codelists and refuses a message of HCLs only, so
 * the test checks that it still reads every codelist and the DSD of messages that also hold
 * our HCLs (a codelist with its parents, structure/all), and that it refuses HCL_DISAGGREGATION
 * for that known reason rather than misreading it.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseCsvRecords } from '../../src/cli/structures/csv.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { startServer } from '../helpers/server-process.js';
import { R_ENV, rsdmxMissing } from '../helpers/rsdmx.js';

const R_SCRIPT = path.join(REPO_ROOT, 'test/r/read-structures.R');
const ICCS_CSV = path.join(REPO_ROOT, 'sdmx/sources/iccs/iccs-codelist.csv');
const ICCS_NOTES = path.join(REPO_ROOT, 'sdmx/sources/iccs/iccs-notes.json');
const AGENCY = 'UNODC';
const DSD = 'DSD_CTS';
const ICCS = 'CL_ICCS';
const VERSION = '1.0';
const HCL = 'HCL_DISAGGREGATION';
const HCL_CODELIST = 'CL_DISAGGREGATION';

function runR(api: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'Rscript',
      [R_SCRIPT, api, AGENCY, DSD, ICCS, VERSION, HCL, HCL_CODELIST],
      { encoding: 'utf8', env: R_ENV, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${R_SCRIPT} failed (${err.message.split('\n')[0]}):\n${stderr}\n${stdout}`));
        else resolve(stdout);
      },
    );
  });
}

interface RResult {
  readsParent21: boolean;
  dataflowCount: number;
  dataflows: { id: string; agency: string; version: string; dsd: string }[];
  dsd: string;
  dimensions: { concept: string; codelist: string }[];
  timeDimension?: string;
  primaryMeasure?: string;
  attributes: string[];
  codelists: Map<string, number>;
  iccsRows: number;
  codes: Map<string, { parent: string; en: string; es: string }>;
  /** CL_ICCS code → its English description as rsdmx read it ('NA' for none). */
  descriptions: Map<string, string>;
  hclRead?: { ok: boolean; detail: string };
  /** Per message holding HCLs: the rsdmx class, its codelists (id → codes) and DSD ids. */
  mixed: Map<string, { cls: string; codelists: Map<string, number>; dsds: string[] }>;
  done: boolean;
}

/** The TAB-separated lines of read-structures.R; `k=v` fields keyed by k. */
function parseROutput(stdout: string): RResult {
  const r: RResult = {
    readsParent21: false,
    dataflowCount: -1,
    dataflows: [],
    dsd: '',
    dimensions: [],
    attributes: [],
    codelists: new Map(),
    iccsRows: -1,
    codes: new Map(),
    descriptions: new Map(),
    mixed: new Map(),
    done: false,
  };
  const mixed = (name: string) => {
    const m = r.mixed.get(name) ?? { cls: '', codelists: new Map<string, number>(), dsds: [] };
    r.mixed.set(name, m);
    return m;
  };
  for (const line of stdout.split('\n')) {
    const [tag, first = '', ...rest] = line.split('\t');
    const kv = Object.fromEntries(
      rest.map((f) => {
        const i = f.indexOf('=');
        return [f.slice(0, i), f.slice(i + 1)];
      }),
    );
    switch (tag) {
      case 'RSDMX_READS_21_PARENT':
        r.readsParent21 = first === 'TRUE';
        break;
      case 'DATAFLOWS':
        r.dataflowCount = Number(first);
        break;
      case 'DATAFLOW':
        r.dataflows.push({ id: first, agency: kv.agency, version: kv.version, dsd: kv.dsd });
        break;
      case 'DSD':
        r.dsd = first;
        break;
      case 'DIMENSION':
        r.dimensions.push({ concept: first, codelist: kv.codelist });
        break;
      case 'TIME_DIMENSION':
        r.timeDimension = first;
        break;
      case 'PRIMARY_MEASURE':
        r.primaryMeasure = first;
        break;
      case 'ATTRIBUTE':
        r.attributes.push(first);
        break;
      case 'CODELIST':
        r.codelists.set(first, Number(rest[0]));
        break;
      case 'ICCS_ROWS':
        r.iccsRows = Number(first);
        break;
      case 'CODE':
        r.codes.set(first, { parent: kv.parent, en: kv.en, es: kv.es });
        break;
      case 'DESCRIPTION':
        r.descriptions.set(first, kv.en);
        break;
      case 'HCL_READ':
        r.hclRead = { ok: first === 'TRUE', detail: kv.reason ?? kv.class ?? '' };
        break;
      case 'MIXED':
        mixed(first).cls = kv.class;
        break;
      case 'MIXED_CODELIST':
        mixed(first).codelists.set(rest[0], Number(rest[1]));
        break;
      case 'MIXED_DSD':
        mixed(first).dsds.push(rest[0]);
        break;
      case 'DONE':
        r.done = true;
        break;
    }
  }
  return r;
}

// What the server itself says, read with an ordinary XML parser.
const ARRAYS = new Set(['Dataflow', 'DataStructure', 'Dimension', 'Attribute', 'Codelist', 'Code', 'HierarchicalCodelist', 'Hierarchy']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => ARRAYS.has(name),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any;

async function getStructures(url: string): Promise<Node> {
  const res = await fetch(url, { headers: { accept: 'application/xml' } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}\n${body.slice(0, 500)}`);
  return parser.parse(body).Structure.Structures;
}

const refId = (el: Node): string | undefined => el?.Ref?.['@_id'];

const missing = rsdmxMissing();
if (missing) {
  if (process.env.CI) {
    t.fail(`${missing}: CI must install the Debian packages r-base-core and r-cran-rsdmx`);
  } else {
    // `1..0 # SKIP reason`: the whole file is reported as skipped.
    t.plan(0, `${missing}: the rsdmx end-to-end test needs R (apt-get install r-base-core r-cran-rsdmx)`);
  }
} else {
  // Structures only: no demo data to load (and protect) before the server answers.
  const server = await startServer({ env: { DEMO_DATA: 'off' } });
  t.teardown(() => server.stop());
  const api = `${server.baseUrl}/sdmx/2.1`;

  const [stdout, flowsMsg, dsdMsg, iccsMsg, parentsMsg, allMsg] = await Promise.all([
    runR(api),
    getStructures(`${api}/dataflow`),
    getStructures(`${api}/datastructure/${AGENCY}/${DSD}/${VERSION}?references=children`),
    getStructures(`${api}/codelist/${AGENCY}/${ICCS}/${VERSION}`),
    getStructures(`${api}/codelist/${AGENCY}/${HCL_CODELIST}/${VERSION}?references=parents`),
    getStructures(`${api}/structure/all/all/all`),
  ]);
  const r = parseROutput(stdout);
  t.ok(r.done, 'the R script ran to the end', { stdout: stdout.slice(-2000) });

  t.test('rsdmx reads every dataflow the server lists', async (t) => {
    const ours: Node[] = flowsMsg.Dataflows.Dataflow;
    t.ok(ours.length > 0, 'the server lists dataflows');
    t.equal(r.dataflowCount, ours.length, 'as.data.frame has one row per dataflow');
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    t.same(
      [...r.dataflows].sort(byId),
      ours
        .map((f) => ({ id: f['@_id'], agency: f['@_agencyID'], version: f['@_version'], dsd: refId(f.Structure) }))
        .sort(byId),
      'ids, agencies, versions and DSD references',
    );
  });

  t.test('rsdmx reads the DSD components in order', async (t) => {
    const dsd: Node = dsdMsg.DataStructures.DataStructure.find((d: Node) => d['@_id'] === DSD);
    t.ok(dsd, `the server returns ${DSD}`);
    const comps = dsd.DataStructureComponents;
    t.equal(r.dsd, DSD, 'rsdmx finds the DSD');
    // rsdmx keeps, per dimension, the ConceptIdentity and Enumeration Ref ids (no dimension id).
    t.same(
      r.dimensions,
      comps.DimensionList.Dimension.map((d: Node) => ({
        concept: refId(d.ConceptIdentity),
        codelist: refId(d.LocalRepresentation?.Enumeration) ?? 'NA',
      })),
      'dimensions: concepts and codelists, in DSD order',
    );
    t.equal(r.timeDimension, refId(comps.DimensionList.TimeDimension?.ConceptIdentity), 'time dimension');
    t.equal(r.primaryMeasure, refId(comps.MeasureList?.PrimaryMeasure?.ConceptIdentity), 'primary measure');
    t.same(
      r.attributes,
      (comps.AttributeList?.Attribute ?? []).map((a: Node) => refId(a.ConceptIdentity)),
      'attributes, in DSD order',
    );
  });

  t.test('rsdmx reads the codelists returned with the DSD', async (t) => {
    const ours = new Map<string, number>(
      dsdMsg.Codelists.Codelist.map((cl: Node) => [cl['@_id'], (cl.Code ?? []).length] as const),
    );
    t.ok(ours.size > 0, 'references=children returns codelists');
    t.same(Object.fromEntries(r.codelists), Object.fromEntries(ours), 'codelist ids and number of codes');
  });

  t.test('rsdmx reads CL_ICCS as the ICCS source table', async (t) => {
    const csv = parseCsvRecords(readFileSync(ICCS_CSV, 'utf8'), ['code', 'parent', 'label_en', 'label_es'] as const);
    t.equal(csv.length, 320, 'the source table has the 320 ICCS codes');
    t.equal(iccsMsg.Codelists.Codelist[0].Code.length, 320, 'the server serves 320 codes');
    t.equal(r.iccsRows, 320, 'as.data.frame has 320 rows');
    t.same([...r.codes.keys()], csv.map((row) => row.code), 'codes, in source order');
    if (!r.readsParent21) {
      t.comment('this rsdmx reads parents only from the SDMX 2.0 parentCode attribute: parents checked in our XML only');
    }
    // Parents as served (<str:Parent><Ref id=".."/>), whatever rsdmx can read.
    t.same(
      iccsMsg.Codelists.Codelist[0].Code.map((c: Node) => [c['@_id'], refId(c.Parent) ?? '']),
      csv.map((row) => [row.code, row.parent]),
      'the served CL_ICCS has the parents of the source table',
    );
    const wrong = csv.filter((row) => {
      const got = r.codes.get(row.code);
      const parent = r.readsParent21 ? row.parent || 'NA' : 'NA';
      return !got || got.en !== row.label_en || got.es !== row.label_es || got.parent !== parent;
    });
    t.same(
      wrong.map((row) => ({ code: row.code, expected: row, rsdmx: r.codes.get(row.code) })),
      [],
      'every code has the labels (en, es) and parent of the source table',
    );
    // A readable sample in the TAP output.
    t.same(r.codes.get('0101'), {
      parent: r.readsParent21 ? '01' : 'NA',
      en: 'Intentional homicide',
      es: 'Homicidio intencional',
    });
  });

  t.test('rsdmx reads the ICCS descriptions of CL_ICCS (sdmx/sources/iccs/iccs-notes.json)', async (t) => {
    const notes = JSON.parse(readFileSync(ICCS_NOTES, 'utf8')) as { categories: { code: string; description: string | null }[] };
    // read-structures.R prints line breaks as spaces.
    const expected = notes.categories.map((n) => [n.code, n.description === null ? 'NA' : n.description.replace(/[\t\r\n]+/g, ' ')]);
    t.same([...r.descriptions], expected, 'every code: its description, NA for the 11 sections');
    t.equal(r.descriptions.get('0101'), 'Unlawful death inflicted upon a person with the intent to cause death or serious injury.');
  });

  t.test('rsdmx still reads the codelists and the DSD of messages that hold our HCLs', async (t) => {
    const cases = [
      ['parents', parentsMsg, `${HCL_CODELIST} with references=parents`],
      ['all', allMsg, 'structure/all/all/all'],
    ] as const;
    for (const [name, msg, label] of cases) {
      const hcls: Node[] = msg.HierarchicalCodelists?.HierarchicalCodelist ?? [];
      t.ok(hcls.some((h) => h['@_id'] === HCL), `${label}: the server's message holds ${HCL}`);
      const got = r.mixed.get(name);
      t.equal(got?.cls, 'SDMXDataStructureDefinition', `${label}: rsdmx reads the message`);
      t.same(
        Object.fromEntries(got?.codelists ?? []),
        Object.fromEntries(msg.Codelists.Codelist.map((cl: Node) => [cl['@_id'], (cl.Code ?? []).length])),
        `${label}: every codelist, with all its codes`,
      );
      t.same(got?.dsds, msg.DataStructures.DataStructure.map((d: Node) => d['@_id']), `${label}: the DSD`);
    }
    t.equal(allMsg.HierarchicalCodelists.HierarchicalCodelist.length, 7, 'structure/all holds the seven HCLs');
    // The reference-metadata structures are in it too: rsdmx reads the message with them.
    t.same(allMsg.MetadataStructures.MetadataStructure.map((m: Node) => m['@_id']).sort(), ['MSD_CRIME_COUNTRY_NOTE', 'MSD_CRIME_REPORT'], 'structure/all holds the two MSDs');
    t.equal(allMsg.Metadataflows.Metadataflow.length, 2, 'and their metadataflows');
  });

  t.test('rsdmx and a message of HCLs only', async (t) => {
    t.ok(r.hclRead, 'the R script tried to read an HCL');
    if (r.hclRead?.ok) {
      t.fail(`this rsdmx reads HCL messages (${r.hclRead.detail}): extend test/r/read-structures.R to compare their hierarchies`);
    } else {
      // rsdmx 0.6-2 has no HCL class: it refuses the message by its type, which is correct SDMX.
      t.match(r.hclRead?.detail, /^Unsupported SDMX Type 'HierarchicalCodelistsType'/, 'refused for the known reason, not misread');
      t.comment('rsdmx cannot read hierarchical codelists: checked that it reads everything else beside them');
    }
  });
}
