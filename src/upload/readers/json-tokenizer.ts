/**
 * An incremental JSON parser for uploads: text goes in piece by piece and a visitor decides,
 * value by value, what to do with it, so a reader walks a document of any size while only the
 * small parts it asks for are built in memory:
 * - `descend`: walk into the container; its scalars come to `value()` one by one, and
 *   `leave()` says when it closes;
 * - `capture`: build the whole value (object, array or scalar) and hand it to `value()`;
 * - `skip`: check its syntax and forget it.
 * Numbers are kept as written (JsonNumber), never converted. A reader may also ask for the rest
 * of the text from the value being entered (`tap`), to replay it later.
 */
import { UploadFormatError } from '../records.js';
import { MAX_TOKEN } from './text-stream.js';

/** A JSON number exactly as written in the file. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = string | JsonNumber | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonPath = readonly (string | number)[];
export type Treatment = 'descend' | 'capture' | 'skip';

export interface JsonVisitor {
  /** A value starts at `path` (inside a descended container, or the document itself). */
  enter(path: JsonPath): Treatment;
  /** A captured value, or a scalar inside a descended container. */
  value(path: JsonPath, value: JsonValue): void;
  /** A descended container at `path` closes. */
  leave(path: JsonPath): void;
}

const OBJECT = 0;
const ARRAY = 1;
// frame states
const OPENED = 0; // after { or [
const COLON = 1; // after a key
const VALUE = 2; // after : or , in an array
const AFTER = 3; // after a value
const KEY = 4; // after , in an object

interface Frame {
  readonly type: typeof OBJECT | typeof ARRAY;
  readonly treatment: Treatment;
  state: number;
  /** The container being built (capture). */
  readonly built?: JsonValue[] | { [key: string]: JsonValue };
  /** Object key waiting for its value (capture). */
  key?: string;
  /** This container is the captured value itself, not part of it. */
  readonly captureRoot: boolean;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const CONTROL = /[\u0000-\u001f]/;
const BAD_ESCAPE = /\\(?!["\\/bfnrt]|u[0-9a-fA-F]{4})|[\u0000-\u001f]/;

export class JsonTokenizer {
  private carry = '';
  /** Pieces that cannot finish a string cut short (no quote in them), joined when one can. */
  private readonly waiting: string[] = [];
  private waitingLength = 0;
  private consumed = 0;
  private buf = '';
  private pos = 0;
  private final = false;
  private readonly frames: Frame[] = [];
  private readonly path: (string | number)[] = [];
  private done = false;
  /** Characters of an unfinished string already searched for its closing quote. */
  private scanned = 0;
  private tapping = false;
  private tapStart = -1;
  /** Index of the next backslash in `buf` (-1: none left, -2: not searched yet). */
  private backslashAt = -2;
  /** Treatment of a scalar not complete yet. */
  private pending: Treatment | undefined;

  constructor(
    private readonly visitor: JsonVisitor,
    private readonly onTap?: (text: string) => void,
  ) {}

  /** From within `enter()`: hand every character from the value being entered on to onTap. */
  tap(): void {
    this.tapStart = this.pos;
  }

  write(piece: string): void {
    if (this.tapping) this.onTap!(piece);
    if (this.carry.charCodeAt(0) === 34 && piece.indexOf('"') === -1) {
      this.waiting.push(piece);
      this.waitingLength += piece.length;
      if (this.carry.length + this.waitingLength > MAX_TOKEN) this.fail('a string longer than 16 MiB');
      return;
    }
    this.buf = this.carry + (this.waiting.length > 0 ? this.waiting.join('') : '') + piece;
    this.waiting.length = 0;
    this.waitingLength = 0;
    this.pos = 0;
    this.backslashAt = -2;
    this.run();
    if (this.tapStart !== -1) {
      this.onTap!(this.buf.slice(this.tapStart));
      this.tapStart = -1;
      this.tapping = true;
    }
    this.carry = this.buf.slice(this.pos);
    if (this.carry.length > MAX_TOKEN) this.fail('a token longer than 16 MiB');
    this.consumed += Buffer.byteLength(this.pos === this.buf.length ? this.buf : this.buf.slice(0, this.pos));
  }

  end(): void {
    this.buf = this.carry + this.waiting.join('');
    this.pos = 0;
    this.backslashAt = -2;
    this.final = true;
    this.run();
    if (!this.done) this.fail(this.frames.length > 0 || this.buf.trim() !== '' ? 'the document ends too early' : 'the file is empty');
  }

  /** Where the parser is: byte offset and the path of the innermost descended container. */
  where(): string {
    const bytes = this.consumed + Buffer.byteLength(this.buf.slice(0, this.pos));
    return `byte ${bytes}${this.path.length > 0 ? ` in ${formatPath(this.path)}` : ''}`;
  }

  private fail(message: string): never {
    throw new UploadFormatError(`malformed JSON: ${message}`, this.where());
  }

  private run(): void {
    const buf = this.buf;
    const n = buf.length;
    for (;;) {
      let c = buf.charCodeAt(this.pos);
      while (c === 32 || c === 10 || c === 13 || c === 9) c = buf.charCodeAt(++this.pos);
      if (this.pos >= n) return;
      const top = this.frames[this.frames.length - 1];
      if (!top) {
        if (this.done) this.fail('text after the end of the document');
        if (!this.value(c, undefined)) return;
        continue;
      }
      switch (top.state) {
        case OPENED:
        case AFTER:
          if (c === (top.type === OBJECT ? 125 : 93) /* } ] */) {
            this.pos++;
            this.closeContainer();
            continue;
          }
          if (top.state === AFTER) {
            if (c !== 44 /* , */) this.fail(`expected , or ${top.type === OBJECT ? '}' : ']'}`);
            this.pos++;
            top.state = top.type === OBJECT ? KEY : VALUE;
            continue;
          }
          if (top.type === ARRAY) {
            top.state = VALUE;
            continue;
          }
        // an object just opened expects a key
        // falls through
        case KEY: {
          if (c !== 34) this.fail('expected a member name');
          const key = this.string(top.treatment !== 'skip');
          if (key === undefined) return;
          if (top.treatment === 'descend') this.path[this.path.length - 1] = key;
          else if (top.treatment === 'capture') top.key = key;
          top.state = COLON;
          continue;
        }
        case COLON:
          if (c !== 58 /* : */) this.fail('expected :');
          this.pos++;
          top.state = VALUE;
          continue;
        case VALUE:
          if (top.type === ARRAY && top.treatment === 'descend') (this.path[this.path.length - 1] as number)++;
          if (!this.value(c, top)) {
            if (top.type === ARRAY && top.treatment === 'descend') (this.path[this.path.length - 1] as number)--;
            return;
          }
          continue;
      }
    }
  }

  /** A value starts at pos; false when it is not complete yet (nothing consumed). */
  private value(c: number, parent: Frame | undefined): boolean {
    // a scalar cut by the end of a piece is tried again with the next one: enter() it only once
    const treatment: Treatment =
      this.pending ?? (!parent || parent.treatment === 'descend' ? this.visitor.enter(this.path) : parent.treatment);
    this.pending = undefined;
    if (c === 123 /* { */ || c === 91 /* [ */) {
      const type = c === 123 ? OBJECT : ARRAY;
      this.pos++;
      this.frames.push({
        type,
        treatment,
        state: OPENED,
        built: treatment === 'capture' ? (type === OBJECT ? {} : []) : undefined,
        captureRoot: treatment === 'capture' && parent?.treatment !== 'capture',
      });
      if (treatment === 'descend') this.path.push(type === OBJECT ? '' : -1);
      return true;
    }
    let scalar: JsonValue | undefined;
    if (c === 34) scalar = this.string(treatment !== 'skip');
    else if (c === 45 || (c >= 48 && c <= 57)) scalar = this.number();
    else if (c === 116) scalar = this.literal('true', true);
    else if (c === 102) scalar = this.literal('false', false);
    else if (c === 110) scalar = this.literal('null', null);
    else this.fail(`unexpected ${JSON.stringify(this.buf[this.pos])}`);
    if (scalar === undefined) {
      this.pending = treatment;
      return false;
    }
    if (treatment === 'descend' || (treatment === 'capture' && parent?.treatment !== 'capture')) this.visitor.value(this.path, scalar);
    else if (treatment === 'capture') this.addTo(parent!, scalar);
    this.afterValue(parent);
    return true;
  }

  private afterValue(parent: Frame | undefined): void {
    if (parent) parent.state = AFTER;
    else this.done = true;
  }

  private closeContainer(): void {
    const frame = this.frames.pop()!;
    const parent = this.frames[this.frames.length - 1];
    if (frame.treatment === 'descend') {
      this.path.pop();
      this.visitor.leave(this.path);
    } else if (frame.captureRoot) this.visitor.value(this.path, frame.built!);
    else if (frame.treatment === 'capture') this.addTo(parent!, frame.built!);
    this.afterValue(parent);
  }

  private addTo(parent: Frame, value: JsonValue): void {
    if (parent.type === ARRAY) (parent.built as JsonValue[]).push(value);
    else (parent.built as Record<string, JsonValue>)[parent.key!] = value;
  }

  /** The string at pos (decoded when `decode`), or undefined when it is not complete yet. */
  private string(decode: boolean): string | undefined {
    const buf = this.buf;
    const start = this.pos;
    let i = start + Math.max(1, this.scanned);
    for (;;) {
      const q = buf.indexOf('"', i);
      if (q === -1) {
        if (this.final) this.fail('unterminated string');
        this.scanned = Math.max(1, buf.length - start - 1);
        return undefined;
      }
      let k = q - 1;
      while (buf.charCodeAt(k) === 92 /* \ */) k--;
      if ((q - 1 - k) % 2 === 1) {
        i = q + 1;
        continue;
      }
      this.scanned = 0;
      this.pos = q + 1;
      // the next backslash in the text is remembered, so strings without one cost no search
      if (this.backslashAt !== -1 && this.backslashAt <= start) this.backslashAt = buf.indexOf('\\', start + 1);
      if (this.backslashAt !== -1 && this.backslashAt < q) {
        const raw = buf.slice(start, q + 1);
        if (!decode && !BAD_ESCAPE.test(raw)) return '';
        try {
          return JSON.parse(raw) as string;
        } catch {
          this.pos = start;
          this.fail('bad escape in a string');
        }
      }
      if (!decode) return '';
      const raw = buf.slice(start + 1, q);
      if (CONTROL.test(raw)) {
        this.pos = start;
        this.fail('control character in a string');
      }
      return raw;
    }
  }

  private number(): JsonNumber | undefined {
    const buf = this.buf;
    let end = this.pos;
    for (let c = buf.charCodeAt(end); (c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45 || c === 101 || c === 69; ) {
      c = buf.charCodeAt(++end);
    }
    if (end === buf.length && !this.final) return undefined;
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(buf);
    if (!m || NUMBER.lastIndex !== end) this.fail(`bad number ${JSON.stringify(buf.slice(this.pos, end))}`);
    this.pos = end;
    return new JsonNumber(m[0]);
  }

  private literal<T extends boolean | null>(word: string, value: T): T | undefined {
    if (this.buf.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    if (!this.final && word.startsWith(this.buf.slice(this.pos))) return undefined;
    this.fail(`unexpected ${JSON.stringify(this.buf.slice(this.pos, this.pos + 8))}`);
  }
}

/** `dataSets[0].series["0:1"]` */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}
