/** RFC 4180 field quoting for the SDMX-CSV writers. */
import t from 'tap';
import { CSV_EOL, csvField, csvRecord } from '../../../src/sdmx/csv/csv-text.js';

t.test('fields are quoted only when RFC 4180 §2.6 requires it', async (t) => {
  t.equal(csvField('A'), 'A');
  t.equal(csvField(''), '');
  t.equal(csvField(' padded '), ' padded ', 'spaces are data (§2.4)');
  t.equal(csvField('x & <y>; z'), 'x & <y>; z');
  t.equal(csvField('Normal, special'), '"Normal, special"');
  t.equal(csvField('say "hi"'), '"say ""hi"""', 'inner quotes doubled (§2.7)');
  t.equal(csvField('line\nbreak'), '"line\nbreak"');
  t.equal(csvField('cr\rhere'), '"cr\rhere"');
});

t.test('records are comma-separated and end with CRLF', async (t) => {
  t.equal(CSV_EOL, '\r\n');
  t.equal(csvRecord(['a', 'b,c', '']), 'a,"b,c",\r\n');
});
