/**
 * Memory stays flat whatever the file's size: ~50 MB of SDMX-CSV, ~50 MB of structure-specific
 * SDMX-ML and ~20 MB of SDMX-JSON whose data sets come before the structure (the spooled path)
 * are generated while they are read, never held whole, and the heap must not grow by more than
 * 60 MB while reading them (retained heap after a collection, when one can be forced). Records
 * per second and MB per second are reported.
 */
import t, { type Test } from 'tap';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readUpload } from '../../../src/upload/readers/index.js';
import type { UploadFormat } from '../../../src/upload/records.js';

const MB = 1024 * 1024;
const LIMIT = 60 * MB;

/** A forced garbage collection, so the heap measured is what reading keeps, not litter. */
function collector(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

/** Text parts grouped into ~64 KiB buffers, as a request body arrives. */
async function* body(parts: Iterable<string>, bytes: { total: number }): AsyncGenerator<Buffer> {
  let pending: string[] = [];
  let size = 0;
  for (const p of parts) {
    pending.push(p);
    size += p.length;
    if (size >= 64 * 1024) {
      const chunk = Buffer.from(pending.join(''));
      bytes.total += chunk.length;
      yield chunk;
      pending = [];
      size = 0;
    }
  }
  const last = Buffer.from(pending.join(''));
  bytes.total += last.length;
  yield last;
}

function* csv(size: number): Generator<string> {
  yield 'DATAFLOW,FREQ,REF_AREA,OFFENCE,TIME_PERIOD,OBS_VALUE,OBS_STATUS,COMMENT\r\n';
  for (let i = 0, written = 0; written < size; i++) {
    const line = `UNODC:DF_ICCS_CTS(1.0),A,C${i % 200},0${i % 97},${2000 + (i % 20)},${(i * 7.3).toFixed(1)},A,"row ${i}, quoted"\r\n`;
    written += line.length;
    yield line;
  }
}

function* structureSpecific(size: number): Generator<string> {
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">';
  yield '<message:Header><message:ID>BIG</message:ID><message:Test>false</message:Test><message:Prepared>2024-05-01T10:00:00Z</message:Prepared><message:Sender id="X"/>';
  yield '<message:Structure structureID="S"><common:StructureUsage><Ref agencyID="UNODC" id="DF_ICCS_CTS" version="1.0"/></common:StructureUsage></message:Structure></message:Header>';
  yield '<message:DataSet ss:structureRef="S" ss:action="Replace">\n';
  for (let s = 0, written = 0; written < size; s++) {
    let series = `<Series FREQ="A" REF_AREA="C${s % 200}" OFFENCE="0${s % 97}" COMMENT="series ${s} &amp; more">\n`;
    for (let y = 0; y < 20; y++) series += `  <Obs TIME_PERIOD="${2000 + y}" OBS_VALUE="${(s * 7.3 + y).toFixed(1)}" OBS_STATUS="A"/>\n`;
    series += '</Series>\n';
    written += series.length;
    yield series;
  }
  yield '</message:DataSet></message:StructureSpecificData>\n';
}

/** SDMX-JSON with the data sets first, as our own writer and OECD do: read through the spool. */
function* jsonDataFirst(size: number): Generator<string> {
  yield '{"data":{"dataSets":[{"action":"Replace","series":{';
  for (let s = 0, written = 0; written < size; s++) {
    let series = `${s === 0 ? '' : ','}"0:${s % 200}:${s % 97}":{"attributes":[0],"observations":{`;
    for (let y = 0; y < 20; y++) series += `${y === 0 ? '' : ','}"${y}":[${(s * 7.3 + y).toFixed(1)},0]`;
    series += '}}';
    written += series.length;
    yield series;
  }
  const values = (n: number, id: (i: number) => string) => Array.from({ length: n }, (_, i) => `{"id":"${id(i)}"}`).join(',');
  yield '}}],"structure":{"links":[{"rel":"dataflow","urn":"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=UNODC:DF_ICCS_CTS(1.0)"}],';
  yield `"dimensions":{"series":[{"id":"FREQ","values":[{"id":"A"}]},{"id":"REF_AREA","values":[${values(200, (i) => `C${i}`)}]},{"id":"OFFENCE","values":[${values(97, (i) => `0${i}`)}]}],`;
  yield `"observation":[{"id":"TIME_PERIOD","values":[${values(20, (i) => String(2000 + i))}]}]},`;
  yield '"attributes":{"series":[{"id":"COMMENT","values":[{"name":"a comment"}]}],"observation":[{"id":"OBS_STATUS","values":[{"id":"A"}]}]}}}}';
}

const gc = collector();

async function measure(t: Test, format: UploadFormat, parts: Iterable<string>): Promise<void> {
  gc?.();
  const baseline = process.memoryUsage().heapUsed;
  const bytes = { total: 0 };
  let records = 0;
  let batches = 0;
  let peak = 0;
  let last: Readonly<Record<string, string>> | undefined;
  const started = performance.now();
  for await (const batch of readUpload(body(parts, bytes), format)) {
    records += batch.length;
    last = batch[batch.length - 1]?.values;
    if (++batches % 100 === 0) {
      gc?.();
      peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  gc?.();
  peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
  t.ok(records > 500_000, `${format}: ${records} records read`);
  t.ok(last?.OBS_VALUE !== undefined && last?.TIME_PERIOD !== undefined, `${format}: the last record is complete`);
  t.ok(peak < LIMIT, `${format}: heap grew by ${(peak / MB).toFixed(1)} MB (limit ${LIMIT / MB} MB)${gc ? ', measured after collections' : ''}`);
  t.comment(
    `${format}: ${(bytes.total / MB).toFixed(1)} MB in ${seconds.toFixed(2)} s = ${(bytes.total / MB / seconds).toFixed(1)} MB/s, ${Math.round(records / seconds)} records/s`,
  );
}

t.test('SDMX-CSV 1.0, ~50 MB', async (t) => {
  await measure(t, 'sdmx-csv-1.0', csv(50 * MB));
});

t.test('structure-specific SDMX-ML 2.1, ~50 MB', async (t) => {
  await measure(t, 'sdmx-ml-2.1-structure-specific', structureSpecific(50 * MB));
});

t.test('SDMX-JSON 1.0 with data sets before the structure, ~20 MB', async (t) => {
  await measure(t, 'sdmx-json-1.0', jsonDataFirst(20 * MB));
});
