/**
 * Reads an uploaded data file, as a stream, into batches of flat records (src/upload/records.ts)
 * whatever its format. Nothing is held but the record in progress and one batch, so memory
 * stays flat whatever the file's size; a file that is not readable as its format fails with an
 * UploadFormatError that says where.
 */
import { UploadFormatError, type UploadFormat, type UploadRecord } from '../records.js';
import { csvParser, isCsvFormat } from './csv-reader.js';
import { sdmxJsonSteps } from './sdmx-json-reader.js';
import { sdmxMlParser } from './sdmx-ml-reader.js';
import { decodeUtf8, type ByteCounter } from './text-stream.js';
import type { TextParser } from './text-parser.js';

export interface UploadReadOptions {
  /** records per yielded batch */
  batchSize?: number /* default 1000 */;
}

/** Reads `input` (a byte stream, e.g. a Fastify request body) as `format` and yields batches of records in file order. */
export async function* readUpload(
  input: AsyncIterable<Buffer | Uint8Array | string>,
  format: UploadFormat,
  options: UploadReadOptions = {},
): AsyncGenerator<UploadRecord[]> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1000));
  const out: UploadRecord[] = [];
  const counter: ByteCounter = { bytes: 0 };
  const source = new FailureWatch(input);
  const texts = decodeUtf8(source, counter);
  const steps =
    format === 'sdmx-json-1.0' || format === 'sdmx-json-2.0'
      ? sdmxJsonSteps(texts, out)
      : drive(isCsvFormat(format) ? csvParser(format, out) : sdmxMlParser(format, out), texts);
  try {
    for await (const _ of steps) {
      while (out.length >= batchSize) yield out.splice(0, batchSize);
    }
  } catch (e) {
    // a failing request stream (client gone) or file system (the JSON spool) is not a format
    // problem: pass it on as it is
    if (e instanceof UploadFormatError || source.failed || (e as { syscall?: string }).syscall !== undefined) throw e;
    throw new UploadFormatError(`the file could not be read as ${format}: ${(e as Error).message}`, `byte ${counter.bytes}`);
  }
  while (out.length > 0) yield out.splice(0, batchSize);
}

async function* drive(parser: TextParser, texts: AsyncIterable<string>): AsyncGenerator<void> {
  for await (const text of texts) {
    parser.write(text);
    yield;
  }
  parser.end();
  yield;
}

/** The input stream, noting whether it was the stream itself that failed. */
class FailureWatch implements AsyncIterable<Buffer | Uint8Array | string> {
  failed = false;
  constructor(private readonly input: AsyncIterable<Buffer | Uint8Array | string>) {}

  async *[Symbol.asyncIterator]() {
    const it = this.input[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<Buffer | Uint8Array | string>;
        try {
          next = await it.next();
        } catch (e) {
          this.failed = true;
          throw e;
        }
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await it.return?.();
    }
  }
}
