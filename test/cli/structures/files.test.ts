/**
 * The committed `sdmx/` files: exactly what the builder produces now (nobody hand-edits them
 * without regenerating: run `npx tsx src/cli/build-structures.ts`), each valid against the
 * SDMX-ML 2.1 XSD, and read back by the 2.1 reader into the same model objects.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { buildStructures, SDMX_DIR } from '../../../src/cli/structures/index.js';
import { STRUCTURE_FOLDERS, indentXml, renderStructureFiles, structureFileOf } from '../../../src/cli/structures/files.js';
import { readStructureMl21 } from '../../../src/sdmx/ml21/structure-reader.js';
import { validateXml21 } from '../../helpers/validate.js';

const artefacts = buildStructures();
const files = renderStructureFiles(artefacts);

t.test('one file per artefact, in class folders', async (t) => {
  t.equal(files.size, artefacts.length);
  t.equal(structureFileOf(artefacts.find((a) => a.id === 'CL_ICCS')!), 'codelists/UNODC-CL_ICCS-1.0.xml');
  t.equal(structureFileOf(artefacts.find((a) => a.id === 'DSD_CTS')!), 'datastructures/UNODC-DSD_CTS-1.0.xml');
  t.equal(structureFileOf(artefacts.find((a) => a.id === 'AGENCIES')!), 'agencyschemes/SDMX-AGENCIES-1.0.xml');
  t.same(renderStructureFiles([...artefacts].reverse()), files, 'output does not depend on input order');
});

t.test('the committed sdmx/ files equal the build (regenerate with: npx tsx src/cli/build-structures.ts)', async (t) => {
  const committed = new Set<string>();
  for (const folder of Object.values(STRUCTURE_FOLDERS)) {
    const dir = path.join(SDMX_DIR, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) if (name.endsWith('.xml')) committed.add(`${folder}/${name}`);
  }
  t.same([...committed].sort(), [...files.keys()], 'same set of files (none missing, none stale)');
  for (const [rel, xml] of files) {
    const file = path.join(SDMX_DIR, rel);
    if (!existsSync(file)) continue;
    t.ok(readFileSync(file, 'utf8') === xml, `sdmx/${rel} is up to date`);
  }
});

t.test('every file validates against the SDMX-ML 2.1 XSD', async (t) => {
  for (const [rel, xml] of files) t.same(validateXml21(xml), [], rel);
});

t.test('every file reads back into the artefact it was written from', async (t) => {
  for (const a of artefacts) {
    const back = readStructureMl21(files.get(structureFileOf(a))!);
    t.equal(back.length, 1, a.id);
    t.same(back[0], a, `${a.class} ${a.id} round-trips`);
  }
});

t.test('indentXml only adds whitespace between elements', async (t) => {
  const compact = '<?xml version="1.0"?><a x="1&gt;"><b>t &lt; u</b><c/><d></d><e><f>1</f></e></a>';
  const pretty = indentXml(compact);
  t.equal(pretty, '<?xml version="1.0"?>\n<a x="1&gt;">\n  <b>t &lt; u</b>\n  <c/>\n  <d></d>\n  <e>\n    <f>1</f>\n  </e>\n</a>\n');
  t.equal(pretty.replace(/>\s+</g, '><').trim(), compact);
  t.throws(() => indentXml('<a>x<b/></a>'), /mixed content/);
});
