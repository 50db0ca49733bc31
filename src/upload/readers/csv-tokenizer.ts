/**
 * An incremental RFC 4180 tokenizer: text goes in piece by piece, records (arrays of fields)
 * come out with the physical line they start on. Quoted fields may hold separators, doubled
 * quotes and line breaks; records end with LF or CRLF.
 *
 * Most records hold no quote at all, so a line without one is split natively; only records
 * with quotes go through the character-by-character state machine, which keeps its state
 * across pieces so a long quoted field is never rescanned. A quote inside an unquoted field is
 * kept as a character (common in hand-made files and unambiguous); text after a closing quote
 * is an error, as is a file that ends inside quotes.
 */
import { UploadFormatError } from '../records.js';
import { MAX_TOKEN } from './text-stream.js';

export type CsvRowSink = (fields: string[], line: number) => void;

const QUOTE = 34;
const LF = 10;
const CR = 13;

enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: an escaped quote or the field's end. */
  QuoteSeen,
  /** CR after a closing quote: must be followed by LF. */
  QuoteCr,
}

export class CsvTokenizer {
  private readonly sepCode: number;
  /**
   * An unfinished line (when no record is in progress in the state machine), in pieces: they
   * are joined once its line end arrives, so a long line costs no repeated copying.
   */
  private readonly carry: string[] = [];
  private carryLength = 0;
  /** Physical line (1-based) of the next character. */
  private line = 1;
  /** Record in progress in the state machine, if any. */
  private fields: string[] | undefined;
  private field = '';
  private state = State.FieldStart;
  private recordLine = 1;

  constructor(
    private readonly separator: string,
    private readonly onRow: CsvRowSink,
  ) {
    this.sepCode = separator.charCodeAt(0);
  }

  write(piece: string): void {
    if (!this.fields && piece.indexOf('\n') === -1) return this.keep(piece);
    const text = this.carry.length > 0 ? this.carry.join('') + piece : piece;
    this.carry.length = 0;
    this.carryLength = 0;
    const n = text.length;
    let pos = this.fields ? this.machine(text, 0) : 0;
    let quoteAt = -2;
    while (pos < n) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1) return this.keep(text.slice(pos));
      if (quoteAt !== -1 && quoteAt < pos) quoteAt = text.indexOf('"', pos);
      if (quoteAt === -1 || quoteAt > nl) {
        let end = nl;
        if (end > pos && text.charCodeAt(end - 1) === CR) end--;
        if (end > pos) this.onRow(text.slice(pos, end).split(this.separator), this.line);
        this.line++;
        pos = nl + 1;
      } else {
        this.fields = [];
        this.field = '';
        this.state = State.FieldStart;
        this.recordLine = this.line;
        pos = this.machine(text, pos);
      }
    }
  }

  /** The last record may lack a line end; a file may not end inside quotes. */
  end(): void {
    if (this.carryLength > 0 || this.fields) this.write('\n');
    if (this.fields) {
      throw new UploadFormatError('the file ends inside a quoted field', `line ${this.recordLine}`);
    }
  }

  private keep(text: string): void {
    this.carry.push(text);
    this.carryLength += text.length;
    if (this.carryLength > MAX_TOKEN) throw new UploadFormatError('no line end within 16 MiB: this is not a CSV file', `line ${this.line}`);
  }

  /** Runs the state machine from `pos`; returns where the record ended, or text.length. */
  private machine(text: string, pos: number): number {
    const fields = this.fields!;
    const sep = this.sepCode;
    const n = text.length;
    let field = this.field;
    let state = this.state;
    let from = pos;
    for (let i = pos; i < n; i++) {
      const c = text.charCodeAt(i);
      switch (state) {
        case State.FieldStart:
          if (c === QUOTE) {
            state = State.Quoted;
            from = i + 1;
          } else if (c === sep) fields.push('');
          else if (c === LF) {
            fields.push('');
            return this.emit(i);
          } else {
            state = State.Unquoted;
            from = i;
          }
          break;
        case State.Unquoted:
          if (c === sep) {
            fields.push(field + text.slice(from, i));
            field = '';
            state = State.FieldStart;
          } else if (c === LF) {
            let value = field + text.slice(from, i);
            if (value.charCodeAt(value.length - 1) === CR) value = value.slice(0, -1);
            fields.push(value);
            return this.emit(i);
          }
          break;
        case State.Quoted:
          if (c === QUOTE) {
            field += text.slice(from, i);
            state = State.QuoteSeen;
          } else if (c === LF) this.line++;
          break;
        case State.QuoteSeen:
          if (c === QUOTE) {
            field += '"';
            state = State.Quoted;
            from = i + 1;
          } else if (c === sep) {
            fields.push(field);
            field = '';
            state = State.FieldStart;
          } else if (c === LF) {
            fields.push(field);
            return this.emit(i);
          } else if (c === CR) state = State.QuoteCr;
          else throw new UploadFormatError(`unexpected ${JSON.stringify(text[i])} after a closing quote`, `line ${this.line}`);
          break;
        case State.QuoteCr:
          if (c !== LF) throw new UploadFormatError('a carriage return after a closing quote must end the line', `line ${this.line}`);
          fields.push(field);
          return this.emit(i);
      }
    }
    if (state === State.Unquoted || state === State.Quoted) field += text.slice(from, n);
    if (field.length > MAX_TOKEN) throw new UploadFormatError('a field is longer than 16 MiB', `line ${this.recordLine}`);
    this.field = field;
    this.state = state;
    return n;
  }

  /** The record in progress ends at the LF at `lf`. */
  private emit(lf: number): number {
    const fields = this.fields!;
    this.fields = undefined;
    this.field = '';
    this.line++;
    this.onRow(fields, this.recordLine);
    return lf + 1;
  }
}
