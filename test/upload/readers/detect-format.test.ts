/**
 * detectUploadFormat: SDMX media types with and without versions, generic types sniffed by
 * the first bytes (XML root and namespace, SDMX-JSON layout, first CSV header cell), and the
 * reasons given when a file is none of these. Every expected format is also checked against the
 * real samples and our own exports.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { detectUploadFormat } from '../../../src/upload/detect-format.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { csv10Writer } from '../../../src/sdmx/csv/csv10-writer.js';
import { csv20Writer } from '../../../src/sdmx/csv/csv20-writer.js';
import { jsonData10Writer } from '../../../src/sdmx/json10/data-writer.js';
import { jsonData20Writer } from '../../../src/sdmx/json20/data-writer.js';
import { genericDataWriter } from '../../../src/sdmx/ml21/data-generic-writer.js';
import { structureSpecificDataWriter } from '../../../src/sdmx/ml21/data-structure-specific-writer.js';
import { ml30DataWriter } from '../../../src/sdmx/ml30/data-writer.js';
import type { DataWriterFactory } from '../../../src/sdmx/data/model.js';
import type { UploadFormat } from '../../../src/upload/records.js';
import { sampleDataContext, sampleReleases, writeReleases } from '../../fixtures/sample-data.js';
import { fixture } from '../../fixtures/uploads/read.js';
import { DATA, SDMX_SAMPLES } from '../../helpers/shared.js';

const SAMPLES = path.join(SDMX_SAMPLES, 'khaeru-sdmx-test-data');
const sample = (file: string) => readFileSync(path.join(SAMPLES, file));

const xmlRoot = (name: string, ns: string) => Buffer.from(`<?xml version="1.0"?>\n<!-- c --><x:${name} xmlns:x="${ns}"><x:Header>`);
const MSG21 = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message';
const MSG30 = 'http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message';
const CSV10 = Buffer.from('DATAFLOW,FREQ,OBS_VALUE\r\nA:B(1.0),A,1\r\n');
const CSV20 = Buffer.from('STRUCTURE,STRUCTURE_ID,ACTION,FREQ\ndataflow,A:B(1.0),I,A\n');
const JSON10 = Buffer.from('{"data":{"structure":{},"dataSets":[]}}');
const ANY = Buffer.from('anything');

t.test('Content-Type decides when it names an SDMX data format', async (t) => {
  const table: [string | undefined, Buffer, UploadFormat][] = [
    [MEDIA.genericDataMl21, ANY, 'sdmx-ml-2.1-generic'],
    [MEDIA.genericTimeSeriesDataMl21, ANY, 'sdmx-ml-2.1-generic'],
    [MEDIA.structureSpecificDataMl21, ANY, 'sdmx-ml-2.1-structure-specific'],
    [MEDIA.structureSpecificTimeSeriesDataMl21, ANY, 'sdmx-ml-2.1-structure-specific'],
    [MEDIA.dataMl30, ANY, 'sdmx-ml-3.0'],
    [MEDIA.dataJson10, ANY, 'sdmx-json-1.0'],
    [MEDIA.dataJson20, ANY, 'sdmx-json-2.0'],
    [MEDIA.dataCsv10, ANY, 'sdmx-csv-1.0'],
    [MEDIA.dataCsv20, ANY, 'sdmx-csv-2.0'],
    ['application/vnd.sdmx.data+csv; version="2.0.0"; charset=utf-8', ANY, 'sdmx-csv-2.0'],
    ['Application/VND.SDMX.data+JSON ; Version=1.0', ANY, 'sdmx-json-1.0'],
    ['application/vnd.sdmx.genericdata+xml', ANY, 'sdmx-ml-2.1-generic'],
    ['text/csv;version=2.0.0', ANY, 'sdmx-csv-2.0'],
    // a versionless SDMX type: sniffed within its family
    ['application/vnd.sdmx.data+csv', CSV20, 'sdmx-csv-2.0'],
    ['application/vnd.sdmx.data+json', JSON10, 'sdmx-json-1.0'],
    ['application/vnd.sdmx.data+xml', xmlRoot('StructureSpecificData', MSG30), 'sdmx-ml-3.0'],
  ];
  for (const [type, head, format] of table) t.strictSame(detectUploadFormat(type, head), { format }, `${type}`);
});

t.test('generic or missing Content-Type: the first bytes decide', async (t) => {
  const table: [string | undefined, Buffer | string, UploadFormat][] = [
    [undefined, xmlRoot('GenericData', MSG21), 'sdmx-ml-2.1-generic'],
    ['application/xml', xmlRoot('GenericTimeSeriesData', MSG21), 'sdmx-ml-2.1-generic'],
    ['text/xml; charset=UTF-8', xmlRoot('StructureSpecificData', MSG21), 'sdmx-ml-2.1-structure-specific'],
    ['application/octet-stream', xmlRoot('StructureSpecificTimeSeriesData', MSG21), 'sdmx-ml-2.1-structure-specific'],
    ['application/xml', xmlRoot('StructureSpecificData', MSG30), 'sdmx-ml-3.0'],
    ['application/xml', '\uFEFF  <GenericData xmlns="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">', 'sdmx-ml-2.1-generic'],
    ['text/csv', CSV10, 'sdmx-csv-1.0'],
    [undefined, CSV20, 'sdmx-csv-2.0'],
    ['text/csv', '"DATAFLOW";"FREQ"\n', 'sdmx-csv-1.0'],
    ['text/csv', 'STRUCTURE[;],STRUCTURE_ID,ACTION\n', 'sdmx-csv-2.0'],
    ['text/csv', '\uFEFFSTRUCTURE|STRUCTURE_ID\n', 'sdmx-csv-2.0'],
    ['text/csv', 'Country,Offence,Year,Value\nIS,0101,2014,3\n', 'csv-national'],
    ['text/plain', 'DATAFLOWS,A\n', 'csv-national'],
    [undefined, 'REF_AREA;VALUE\n', 'csv-national'],
    ['application/csv', 'STRUCTURE_ID,X\n', 'csv-national'],
    ['application/json', '{"meta":{"schema":"https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/2.0.0/sdmx-json-data-schema.json"},"data":{}}', 'sdmx-json-2.0'],
    ['application/json', '{"meta":{"schema":"https://example.org/schemas/1.0/sdmx-json-data-schema.json"}}', 'sdmx-json-1.0'],
    ['application/json', '{"data":{"structures":[', 'sdmx-json-2.0'],
    [undefined, '{"data":{"structure":{', 'sdmx-json-1.0'],
    [undefined, '{"header":{"id":"x"},"structure":{}}', 'sdmx-json-1.0'],
    [undefined, '{"meta":{"id":"x"},"data":{"dataSets":[{"structure":0,"action":"I', 'sdmx-json-2.0'],
    [undefined, '{"data":{"dataSets":[{"action":"Information","series":{"0":', 'sdmx-json-1.0'],
    [undefined, '{"data":{"dataSets":[{"dimensionGroupAttributes":{}', 'sdmx-json-2.0'],
  ];
  for (const [type, head, format] of table) {
    t.strictSame(detectUploadFormat(type, Buffer.from(head)), { format }, `${type ?? '(no type)'}: ${String(head).slice(0, 50)}`);
  }
});

t.test('files that cannot be read say why', async (t) => {
  const table: [string | undefined, Buffer | string, RegExp][] = [
    ['application/vnd.sdmx.structure+xml;version=2.1', ANY, /structure message/],
    ['application/vnd.sdmx.data+json;version=2.1.0', ANY, /version 2\.1\.0 is not supported \(supported: 1\.0\.0, 1\.0, 2\.0\.0, 2\.0\)/],
    ['application/vnd.sdmx.genericdata+xml;version=3.0.0', ANY, /not supported/],
    ['text/html', ANY, /not a data format we read/],
    ['multipart/form-data; boundary=x', ANY, /not as a form/],
    ['application/gzip', ANY, /uncompressed/],
    ['text/csv; charset=iso-8859-1', CSV10, /must be UTF-8/],
    [undefined, Buffer.from([0x1f, 0x8b, 8, 0]), /gzip-compressed/],
    [undefined, Buffer.from('PK\x03\x04rest', 'latin1'), /spreadsheet/],
    [undefined, Buffer.from([0x41, 0, 0x42]), /binary/],
    [undefined, '', /empty/],
    ['text/csv', '   \n\n', /empty/],
    ['text/csv', '\nA,B\n', /header\) is empty/],
    ['application/json', xmlRoot('GenericData', MSG21), /says JSON but the file looks like XML/],
    ['application/xml', CSV10, /says XML but the file looks like CSV/],
    ['text/csv', JSON10, /says CSV but the file looks like JSON/],
    [undefined, xmlRoot('Structure', MSG21), /structure message/],
    [undefined, xmlRoot('Error', MSG30), /error message/],
    [undefined, xmlRoot('GenericMetadata', MSG21), /not an SDMX data message we read/],
    [undefined, xmlRoot('GenericData', 'urn:not-sdmx'), /in namespace urn:not-sdmx is not an SDMX-ML data message/],
    [undefined, '<x:GenericData xmlns:y="urn:y">', /malformed XML: unbound namespace prefix/],
    [undefined, '<?xml version="1.0"?><!-- only a comment', /no XML root element/],
    [undefined, '[1,2,3]', /not an SDMX-JSON data message/],
    [undefined, '{"foo":1}', /not an SDMX-JSON data message/],
    [undefined, '{"data":', /could not tell SDMX-JSON 1\.0 from 2\.0/],
    [undefined, '{"data": tru', /could not tell/],
    [undefined, '{"data": x', /malformed JSON/],
  ];
  for (const [type, head, reason] of table) {
    const got = detectUploadFormat(type, Buffer.from(head));
    t.match(got, { error: reason }, `${type ?? '(no type)'}: ${JSON.stringify(String(head).slice(0, 40))} → ${'error' in got ? got.error : got.format}`);
  }
});

t.test('real samples, our fixtures and our own exports are recognised from their first 64 KiB', async (t) => {
  const head = (b: Buffer) => b.subarray(0, 64 * 1024);
  const table: [Buffer, UploadFormat][] = [
    [readFileSync(path.join(DATA.eurostat, 'estat_crim_off_cat_sdmx-csv.csv')), 'sdmx-csv-1.0'],
    [sample('v3/csv/example-01.csv'), 'sdmx-csv-2.0'],
    [sample('ECB_EXR/1/M.USD.EUR.SP00.A.xml'), 'sdmx-ml-2.1-generic'],
    [sample('ECB_EXR/ng-ts.xml'), 'sdmx-ml-2.1-generic'],
    [sample('ECB_EXR/ng-ts-ss.xml'), 'sdmx-ml-2.1-structure-specific'],
    [sample('ISTAT/22_289.xml'), 'sdmx-ml-2.1-structure-specific'],
    [sample('v3/xml/ECB_EXR0.xml'), 'sdmx-ml-3.0'],
    [sample('ECB_EXR/ts.json'), 'sdmx-json-1.0'],
    [sample('OECD/data-PART2-all-all.json'), 'sdmx-json-1.0'],
    [sample('v3/json/data/exr-time-series.json'), 'sdmx-json-2.0'],
    [fixture('sdmx-csv-10-labels.csv'), 'sdmx-csv-1.0'],
    [fixture('sdmx-csv-20.csv'), 'sdmx-csv-2.0'],
    [fixture('national.csv'), 'csv-national'],
    [fixture('generic-21.xml'), 'sdmx-ml-2.1-generic'],
    [fixture('structure-specific-30.xml'), 'sdmx-ml-3.0'],
    [fixture('sdmx-json-20.json'), 'sdmx-json-2.0'],
  ];
  for (const [bytes, format] of table) t.strictSame(detectUploadFormat(undefined, head(bytes)), { format }, format);
  const writers: [UploadFormat, DataWriterFactory][] = [
    ['sdmx-csv-1.0', csv10Writer],
    ['sdmx-csv-2.0', csv20Writer],
    ['sdmx-ml-2.1-generic', genericDataWriter],
    ['sdmx-ml-2.1-structure-specific', structureSpecificDataWriter],
    ['sdmx-ml-3.0', ml30DataWriter],
    ['sdmx-json-1.0', jsonData10Writer],
    ['sdmx-json-2.0', jsonData20Writer],
  ];
  for (const [format, writer] of writers) {
    const text = Buffer.from(writeReleases(writer(sampleDataContext()), sampleReleases));
    t.strictSame(detectUploadFormat('application/octet-stream', text), { format }, `our ${format} export`);
    t.strictSame(detectUploadFormat(undefined, text.subarray(0, 40)).constructor, Object, 'a cut head never throws');
  }
});
