/**
 * SDMX-JSON 1.0 and 2.0 data messages into records, streamed (json-tokenizer.ts).
 *
 * The positional indices of a data set mean nothing without the message's structure section,
 * and writers put it where they like: ours and OECD's write `dataSets` first. When the data sets
 * come first, their text is spooled to a temporary file (memory stays flat) and replayed once
 * the structure is known. Both `data.{structure(s),dataSets}` (1.0 and 2.0) and the early 1.0
 * layout with those members at the root are read.
 *
 * Each observation becomes a record of: data set dimensions (their one value) and attributes,
 * dimension-group attributes (2.0), series dimensions and attributes, observation dimensions,
 * measures and attributes. Data set members that change records (`action`, `structure`,
 * `attributes`, `dimensionGroupAttributes`) must come before its `series`/`observations`;
 * series `attributes` may come after the series' observations, which are then held until the
 * series ends. Record locations: `dataSets[0].series["0:1"].observations["4"]`.
 */
import { open, mkdtemp, rm, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UploadFormatError, type UploadRecord } from '../records.js';
import { JsonTokenizer, type JsonPath, type JsonValue, type JsonVisitor, type Treatment } from './json-tokenizer.js';
import { JsonDataSet } from './sdmx-json-data-set.js';
import { jsonStructure, type JsonStructure } from './sdmx-json-structure.js';

const SPOOL_BLOCK = 64 * 1024;

/** Members of a data set that must come before its data. */
const DATA_SET_HEAD = new Set(['action', 'structure', 'attributes', 'dimensionGroupAttributes']);

export async function* sdmxJsonSteps(texts: AsyncIterable<string>, out: UploadRecord[]): AsyncGenerator<void> {
  const reader = new SdmxJsonReader(out);
  const tapped: string[] = [];
  let tappedLength = 0;
  let tokenizer = new JsonTokenizer(reader, (text) => {
    tapped.push(text);
    tappedLength += text.length;
  });
  reader.tokenizer = tokenizer;
  let spool: Spool | undefined;
  const flush = async () => {
    spool ??= await Spool.create();
    await spool.append(tapped.splice(0));
    tappedLength = 0;
  };
  try {
    for await (const text of texts) {
      tokenizer.write(text);
      // written in blocks: small pieces of input must not each cost a file write
      if (tappedLength >= SPOOL_BLOCK) await flush();
      yield;
    }
    tokenizer.end();
    if (tapped.length > 0) await flush();
    if (spool) {
      reader.startReplay();
      tokenizer = new JsonTokenizer(reader);
      reader.tokenizer = tokenizer;
      tokenizer.write(reader.replayPrefix);
      for await (const text of spool.read()) {
        tokenizer.write(text);
        yield;
      }
      tokenizer.end();
    }
    reader.finish();
    yield;
  } finally {
    await spool?.remove();
  }
}

class SdmxJsonReader implements JsonVisitor {
  tokenizer!: JsonTokenizer;
  replayPrefix = '';
  private structures: JsonStructure[] | undefined;
  private replaying = false;
  private sawDataSets = false;
  /** Depth of the `dataSets` member (1 at the root, 2 under `data`). */
  private base = -1;
  private dataSet: JsonDataSet | undefined;

  constructor(private readonly out: UploadRecord[]) {}

  enter(p: JsonPath): Treatment {
    const depth = p.length;
    if (depth === 0) return 'descend';
    if (depth === 1 && p[0] === 'data') return 'descend';
    if (depth === 1 || (depth === 2 && p[0] === 'data')) return this.member(p[depth - 1], depth);
    const rel = depth - this.base;
    if (this.base < 0 || rel < 1) return 'skip';
    if (rel === 1) {
      if (typeof p[depth - 1] !== 'number') this.fail('dataSets must be an array');
      this.dataSet = new JsonDataSet(p[depth - 1] as number, this.out, (index) => this.structureAt(index));
      return 'descend';
    }
    const ds = this.dataSet!;
    if (rel === 2) {
      const name = p[depth - 1] as string;
      if (name === 'series' || name === 'observations') {
        ds.startData();
        return 'descend';
      }
      if (!DATA_SET_HEAD.has(name)) return 'skip';
      if (ds.dataStarted) this.fail(`"${name}" must come before the series and observations of its data set`);
      return 'capture';
    }
    const level = p[this.base + 1];
    if (level === 'observations') return rel === 3 ? 'capture' : 'skip';
    if (rel === 3) {
      ds.startSeries(p[depth - 1] as string);
      return 'descend';
    }
    if (rel === 4) return p[depth - 1] === 'attributes' ? 'capture' : p[depth - 1] === 'observations' ? 'descend' : 'skip';
    return rel === 5 && p[depth - 2] === 'observations' ? 'capture' : 'skip';
  }

  value(p: JsonPath, value: JsonValue): void {
    const depth = p.length;
    if (depth === 0) this.fail('the document is not a JSON object');
    if (depth === 1 || (depth === 2 && p[0] === 'data')) {
      const name = p[depth - 1];
      if (name === 'structure') this.structures = [jsonStructure(value, 'structure')];
      else if (name === 'structures') {
        if (!Array.isArray(value)) this.fail('structures must be an array');
        this.structures = value.map((s, i) => jsonStructure(s, `structures[${i}]`));
      }
      return;
    }
    const rel = depth - this.base;
    const ds = this.dataSet;
    if (this.base < 0 || !ds || rel < 2) return;
    if (rel === 2) return ds.head(p[depth - 1] as string, value);
    if (p[this.base + 1] === 'observations') return ds.observation(undefined, p[depth - 1] as string, value);
    if (rel === 4 && p[depth - 1] === 'attributes') return ds.seriesAttributes(value);
    if (rel === 5) ds.observation(p[this.base + 2] as string, p[depth - 1] as string, value);
  }

  leave(p: JsonPath): void {
    const rel = p.length - this.base;
    if (this.base < 0 || !this.dataSet) return;
    if (rel === 1) {
      this.dataSet.end();
      this.dataSet = undefined;
    } else if (rel === 3 && p[this.base + 1] === 'series') this.dataSet.endSeries();
  }

  startReplay(): void {
    if (!this.structures) this.fail('the message has data sets but no structure section to read them with');
    this.replaying = true;
  }

  finish(): void {
    if (!this.structures && !this.sawDataSets) {
      this.fail('not an SDMX-JSON data message: no data.dataSets and no structure section');
    }
  }

  private member(name: string | number, depth: number): Treatment {
    if (name === 'structure' || name === 'structures') return this.replaying ? 'skip' : 'capture';
    if (name !== 'dataSets') return 'skip';
    if (this.replaying) {
      this.base = depth;
      return 'descend';
    }
    if (this.sawDataSets) this.fail('a second dataSets member');
    this.sawDataSets = true;
    if (this.structures) {
      this.base = depth;
      return 'descend';
    }
    // data before structure: keep its text aside and read it once the structure is known
    this.replayPrefix = depth === 2 ? '{"data":{"dataSets":' : '{"dataSets":';
    this.tokenizer.tap();
    return 'skip';
  }

  private structureAt(index: number): JsonStructure {
    const s = this.structures?.[index];
    if (!s) this.fail(`the data set refers to structure ${index}, which the message does not have`);
    return s;
  }

  private fail(message: string): never {
    throw new UploadFormatError(message, this.tokenizer.where());
  }
}

/** Text of data sets waiting for their structure, in a temporary file. */
class Spool {
  private constructor(
    private readonly dir: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(): Promise<Spool> {
    const dir = await mkdtemp(path.join(tmpdir(), 'sdmx-json-upload-'));
    return new Spool(dir, await open(path.join(dir, 'data-sets.json'), 'w'));
  }

  async append(texts: string[]): Promise<void> {
    await this.handle.write(texts.join(''));
  }

  read(): AsyncIterable<string> {
    return createReadStream(path.join(this.dir, 'data-sets.json'), { encoding: 'utf8', highWaterMark: 64 * 1024 });
  }

  async remove(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
