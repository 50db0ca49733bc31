/**
 * The same file cut into 1-byte, 7-byte and random pieces reads into the same records as the
 * file given whole: every tokenizer resumes mid-token, mid-quote, mid-entity and mid-character
 * (the fixtures hold multi-byte UTF-8 text), for every format.
 */
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataWriterFactory } from '../../../src/sdmx/data/model.js';
import { csv10Writer } from '../../../src/sdmx/csv/csv10-writer.js';
import { csv20Writer } from '../../../src/sdmx/csv/csv20-writer.js';
import { jsonData10Writer } from '../../../src/sdmx/json10/data-writer.js';
import { jsonData20Writer } from '../../../src/sdmx/json20/data-writer.js';
import { genericDataWriter } from '../../../src/sdmx/ml21/data-generic-writer.js';
import { structureSpecificDataWriter } from '../../../src/sdmx/ml21/data-structure-specific-writer.js';
import { ml30DataWriter } from '../../../src/sdmx/ml30/data-writer.js';
import type { UploadFormat } from '../../../src/upload/records.js';
import { namedDataContext, sampleReleases, writeReleases } from '../../fixtures/sample-data.js';
import { fixture, readAll, type Chunking } from '../../fixtures/uploads/read.js';
import { DATA, SDMX_SAMPLES } from '../../helpers/shared.js';

const files: [string, UploadFormat][] = [
  ['sdmx-csv-10-labels.csv', 'sdmx-csv-1.0'],
  ['sdmx-csv-20.csv', 'sdmx-csv-2.0'],
  ['sdmx-csv-20-names.csv', 'sdmx-csv-2.0'],
  ['national.csv', 'csv-national'],
  ['generic-21.xml', 'sdmx-ml-2.1-generic'],
  ['generic-ts-21.xml', 'sdmx-ml-2.1-generic'],
  ['structure-specific-21.xml', 'sdmx-ml-2.1-structure-specific'],
  ['structure-specific-30.xml', 'sdmx-ml-3.0'],
  ['sdmx-json-10.json', 'sdmx-json-1.0'],
  ['sdmx-json-10-root-flat.json', 'sdmx-json-1.0'],
  ['sdmx-json-20.json', 'sdmx-json-2.0'],
];

const writers: [UploadFormat, DataWriterFactory][] = [
  ['sdmx-csv-1.0', csv10Writer],
  ['sdmx-csv-2.0', csv20Writer],
  ['sdmx-ml-2.1-generic', genericDataWriter],
  ['sdmx-ml-2.1-structure-specific', structureSpecificDataWriter],
  ['sdmx-ml-3.0', ml30DataWriter],
  ['sdmx-json-1.0', jsonData10Writer],
  ['sdmx-json-2.0', jsonData20Writer],
];

const chunkings: Chunking[] = [1, 7, 'random'];

async function sameWhateverTheChunks(t: Test, name: string, data: Buffer, format: UploadFormat, cuts = chunkings): Promise<void> {
  const whole = await readAll(data, format);
  t.ok(whole.length > 0, `${name}: has records`);
  const want = whole.map((r) => JSON.stringify(r));
  for (const chunking of cuts) {
    // compared as text: a deep comparison of thousands of records is slow in tap
    const got = (await readAll(data, format, chunking, 3)).map((r) => JSON.stringify(r));
    t.equal(got.length, want.length, `${name} in ${chunking} pieces: as many records`);
    const differs = got.findIndex((r, i) => r !== want[i]);
    t.equal(differs, -1, `${name} in ${chunking} pieces: the same records${differs === -1 ? '' : `; first difference: ${got[differs]} vs ${want[differs]}`}`);
  }
}

t.test('hand-written fixtures', async (t) => {
  for (const [file, format] of files) await sameWhateverTheChunks(t, file, fixture(file), format);
});

t.test('our own exports (labels and names included, so multi-byte text is cut too)', async (t) => {
  for (const [format, writer] of writers) {
    const text = writeReleases(writer(namedDataContext({ labels: 'both' })), sampleReleases);
    await sameWhateverTheChunks(t, format, Buffer.from(text), format);
  }
});

// Tiny pieces cost one await each, which tap's async tracking makes slow: the larger real files
// are cut at random (1 to 200 bytes), and in 7-byte pieces only where they are small.
t.test('real files: Eurostat SDMX-CSV, ECB generic, INSEE generic, OECD SDMX-JSON', async (t) => {
  const samples = path.join(SDMX_SAMPLES, 'khaeru-sdmx-test-data');
  const eurostat = readFileSync(path.join(DATA.eurostat, 'estat_crim_pris_age_sdmx-csv.csv'));
  await sameWhateverTheChunks(t, 'Eurostat', eurostat, 'sdmx-csv-1.0', ['random']);
  await sameWhateverTheChunks(t, 'Eurostat, first 500 lines', eurostat.subarray(0, eurostat.indexOf('\n', 40_000) + 1), 'sdmx-csv-1.0', [7]);
  await sameWhateverTheChunks(t, 'ECB', readFileSync(path.join(samples, 'ECB_EXR/1/M.USD.EUR.SP00.A.xml')), 'sdmx-ml-2.1-generic', [7, 'random']);
  await sameWhateverTheChunks(t, 'INSEE', readFileSync(path.join(samples, 'INSEE/IPI-2010-A21.xml')), 'sdmx-ml-2.1-generic', ['random']);
  await sameWhateverTheChunks(t, 'OECD', readFileSync(path.join(samples, 'OECD/data-PART2-all-all.json')), 'sdmx-json-1.0');
});
