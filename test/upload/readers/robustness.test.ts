/**
 * Damaged files: every fixture cut short, with bytes dropped, doubled or replaced by syntax
 * characters, must either read or fail with an UploadFormatError that the reader itself raised
 * with a location; never another error, and never an internal error that readUpload had to
 * wrap ("could not be read as").
 */
import t from 'tap';
import type { UploadFormat } from '../../../src/upload/records.js';
import { UploadFormatError } from '../../../src/upload/records.js';
import { fixture, readAll, seeded } from '../../fixtures/uploads/read.js';

const files: [string, UploadFormat][] = [
  ['sdmx-csv-10-labels.csv', 'sdmx-csv-1.0'],
  ['sdmx-csv-20.csv', 'sdmx-csv-2.0'],
  ['national.csv', 'csv-national'],
  ['generic-21.xml', 'sdmx-ml-2.1-generic'],
  ['structure-specific-21.xml', 'sdmx-ml-2.1-structure-specific'],
  ['structure-specific-30.xml', 'sdmx-ml-3.0'],
  ['sdmx-json-10.json', 'sdmx-json-1.0'],
  ['sdmx-json-10-root-flat.json', 'sdmx-json-1.0'],
  ['sdmx-json-20.json', 'sdmx-json-2.0'],
];

const SYNTAX = Buffer.from('<>/"\'=&;:,\n\r{}[]0-');

function damage(data: Buffer, random: () => number): Buffer {
  const at = Math.floor(random() * data.length);
  const kind = Math.floor(random() * 4);
  if (kind === 0) return data.subarray(0, at);
  if (kind === 1) return Buffer.concat([data.subarray(0, at), data.subarray(at + 1 + Math.floor(random() * 20))]);
  if (kind === 2) return Buffer.concat([data.subarray(0, at), data.subarray(at, at + 15), data.subarray(at)]);
  const copy = Buffer.from(data);
  copy[at] = SYNTAX[Math.floor(random() * SYNTAX.length)]!;
  return copy;
}

t.test('damaged fixtures read or fail cleanly', async (t) => {
  const random = seeded(2024);
  let failures = 0;
  let reads = 0;
  for (const [file, format] of files) {
    const data = fixture(file);
    for (let i = 0; i < 150; i++) {
      const damaged = damage(data, random);
      try {
        await readAll(damaged, format, random() < 0.5 ? 'whole' : 'random');
        reads++;
      } catch (e) {
        failures++;
        if (!(e instanceof UploadFormatError) || /could not be read as/.test(e.message) || !e.at) {
          t.fail(`${file}: ${(e as Error).message} (${(e as UploadFormatError).at}) for ${JSON.stringify(damaged.toString())}`);
          return;
        }
      }
    }
  }
  t.ok(failures > 100, `${failures} damaged files refused with a located UploadFormatError`);
  t.ok(reads > 100, `${reads} damaged files still readable (damage inside values)`);
});
