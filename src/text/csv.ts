/**
 * RFC 4180 CSV tokenising, the one CSV parser of the project: text in, records out (arrays of
 * string fields, each with the physical line it starts on). Quoted fields may hold separators,
 * doubled quotes and line breaks; CRLF and LF end a record, and so does a lone CR unless
 * `lineBreaks: 'lf'`. What the fields mean (header, widths, trimming) is the callers' business,
 * and so is the wording of their errors: a malformed text throws CsvSyntaxError, which names the
 * line and column.
 *
 * Two forms of one state machine: CsvTokenizer takes text piece by piece (a piece may end
 * anywhere, inside a quoted field or between CR and LF), tokenizeCsv a whole text (a leading
 * byte-order mark dropped; streams drop theirs when decoding). Most records hold no quote, so a
 * line without one is split natively; only records with quotes (or lone CRs) go through the
 * character-by-character machine, which keeps its state across pieces so a long quoted field is
 * never rescanned.
 */

export interface CsvOptions {
  /** One character (default `,`). */
  readonly separator?: string;
  /** `any` (default): CRLF, LF or a lone CR end a record. `lf`: a lone CR is data, a CR before LF is dropped. */
  readonly lineBreaks?: 'any' | 'lf';
  /** A quote inside an unquoted field (`ab"c`): `error` (default, RFC 4180) or `keep` it as a character. */
  readonly strayQuotes?: 'error' | 'keep';
  /** A line with nothing on it yields no record (default: a record of one empty field). */
  readonly skipEmptyLines?: boolean;
  /** Longest line without a line end, and longest field, kept waiting for (UTF-16 units; default unlimited). */
  readonly maxLength?: number;
}

export interface CsvRecord {
  /** 1-based physical line the record starts on. */
  readonly line: number;
  readonly fields: string[];
}

export type CsvRecordSink = (fields: string[], line: number) => void;

export type CsvSyntaxReason = 'unterminated' | 'text-after-quote' | 'quote-in-field' | 'line-too-long' | 'field-too-long';

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(
    readonly reason: CsvSyntaxReason,
    /** Where: the opening quote of an unterminated field, the offending character otherwise. */
    readonly line: number,
    /** 1-based, in UTF-16 units from the start of `line`. */
    readonly column: number,
    /** The line the record in progress starts on. */
    readonly recordLine: number,
    /** The field as read so far (inside its quotes), for callers that show the value. */
    readonly field: string,
    /** text-after-quote: the character found (`\r` when a CR after a closing quote is not followed by LF). */
    readonly char: string,
    limit = 0,
  ) {
    super(`line ${line}, column ${column}: ${describe(reason, char, limit)}`);
  }
}

function describe(reason: CsvSyntaxReason, char: string, limit: number): string {
  switch (reason) {
    case 'unterminated':
      return 'unterminated quoted field';
    case 'text-after-quote':
      return `unexpected ${JSON.stringify(char)} after a closing quote`;
    case 'quote-in-field':
      return 'quote inside an unquoted field';
    case 'line-too-long':
      return `no line end within ${limit} characters`;
    case 'field-too-long':
      return `a field is longer than ${limit} characters`;
  }
}

/** Every record of a whole text, with the line it starts on. Throws CsvSyntaxError. */
export function tokenizeCsv(text: string, options: CsvOptions = {}): CsvRecord[] {
  const out: CsvRecord[] = [];
  const tokenizer = new CsvTokenizer((fields, line) => out.push({ line, fields }), options);
  tokenizer.write(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  tokenizer.end();
  return out;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: an escaped quote or the field's end. */
  QuoteSeen,
  /** CR after a closing quote (lineBreaks `lf`): must be followed by LF. */
  QuoteCr,
}

/** Text in, piece by piece (`write`, then `end`); each complete record goes to the sink at once. */
export class CsvTokenizer {
  private readonly separator: string;
  private readonly sepCode: number;
  private readonly anyBreak: boolean;
  private readonly strict: boolean;
  private readonly skipEmpty: boolean;
  private readonly maxLength: number;
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
  /** Characters of the current line in earlier pieces, while the machine holds a record. */
  private lineChars = 0;
  private quoteLine = 1;
  private quoteColumn = 1;
  /** A record ended with a CR at the end of the last piece: an LF starting the next one belongs to it. */
  private pendingCr = false;

  constructor(
    private readonly onRecord: CsvRecordSink,
    options: CsvOptions = {},
  ) {
    this.separator = options.separator ?? ',';
    if (this.separator.length !== 1 || this.separator === '"' || this.separator === '\n' || this.separator === '\r') {
      throw new Error(`a CSV separator is one character other than a quote or a line break, not ${JSON.stringify(this.separator)}`);
    }
    this.sepCode = this.separator.charCodeAt(0);
    this.anyBreak = (options.lineBreaks ?? 'any') === 'any';
    this.strict = (options.strayQuotes ?? 'error') === 'error';
    this.skipEmpty = options.skipEmptyLines ?? false;
    this.maxLength = options.maxLength ?? Infinity;
  }

  write(piece: string): void {
    let start = 0;
    if (this.pendingCr && piece.length > 0) {
      this.pendingCr = false;
      if (piece.charCodeAt(0) === LF) start = 1;
    }
    if (!this.fields && piece.indexOf('\n', start) === -1 && (!this.anyBreak || piece.indexOf('\r', start) === -1)) {
      return this.keep(start === 0 ? piece : piece.slice(start));
    }
    // the carry is empty while a record is in the machine or a CR is pending
    const text = this.carry.length > 0 ? this.carry.join('') + piece : piece;
    this.carry.length = 0;
    this.carryLength = 0;
    const n = text.length;
    const sep = this.separator;
    const skipEmpty = this.skipEmpty;
    let pos = this.fields ? this.machine(text, start, -this.lineChars) : start;
    let quoteAt = -2;
    /** First CR at or after pos: only looked for when a lone CR ends a record. */
    let crAt = this.anyBreak ? -2 : -1;
    while (pos < n) {
      const nl = text.indexOf('\n', pos);
      if (crAt !== -1 && crAt < pos) crAt = text.indexOf('\r', pos);
      if (nl === -1 && (crAt === -1 || crAt === n - 1)) return this.keep(text.slice(pos));
      if (quoteAt !== -1 && quoteAt < pos) quoteAt = text.indexOf('"', pos);
      const end = nl === -1 ? n : nl;
      if ((quoteAt === -1 || quoteAt > end) && (crAt === -1 || crAt >= end - 1)) {
        let stop = nl;
        if (stop > pos && text.charCodeAt(stop - 1) === CR) stop--;
        if (stop > pos || !skipEmpty) this.onRecord(text.slice(pos, stop).split(sep), this.line);
        this.line++;
        pos = nl + 1;
      } else {
        this.fields = [];
        this.field = '';
        this.state = State.FieldStart;
        this.recordLine = this.line;
        pos = this.machine(text, pos, pos);
      }
    }
  }

  /** The last record may lack a line end; the text may not end inside quotes. */
  end(): void {
    let added = false;
    if (this.carryLength > 0 || (this.fields && this.state !== State.Quoted)) {
      this.write('\n');
      added = true;
    }
    if (this.fields) {
      // still inside quotes, which took in the line end added above
      const field = added ? this.field.slice(0, -1) : this.field;
      throw new CsvSyntaxError('unterminated', this.quoteLine, this.quoteColumn, this.recordLine, field, '"');
    }
  }

  private keep(text: string): void {
    this.carry.push(text);
    this.carryLength += text.length;
    if (this.carryLength > this.maxLength) {
      throw new CsvSyntaxError('line-too-long', this.line, this.carryLength, this.line, '', '', this.maxLength);
    }
  }

  /**
   * Runs the state machine from `pos`, where the current physical line starts at `lineStart`
   * (negative when it started in an earlier piece); returns where the record ended, or
   * text.length.
   */
  private machine(text: string, pos: number, lineStart: number): number {
    const fields = this.fields!;
    const sep = this.sepCode;
    const anyBreak = this.anyBreak;
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
            this.quoteLine = this.line;
            this.quoteColumn = i - lineStart + 1;
          } else if (c === sep) fields.push('');
          else if (c === LF) {
            fields.push('');
            return this.emit(i + 1);
          } else if (c === CR && anyBreak) {
            fields.push('');
            return this.emitAtCr(text, i);
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
            return this.emit(i + 1);
          } else if (c === CR && anyBreak) {
            fields.push(field + text.slice(from, i));
            return this.emitAtCr(text, i);
          } else if (c === QUOTE && this.strict) {
            throw new CsvSyntaxError('quote-in-field', this.line, i - lineStart + 1, this.recordLine, field + text.slice(from, i), '"');
          }
          break;
        case State.Quoted:
          if (c === QUOTE) {
            field += text.slice(from, i);
            state = State.QuoteSeen;
          } else if (c === LF) {
            this.line++;
            lineStart = i + 1;
          }
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
            return this.emit(i + 1);
          } else if (c === CR) {
            if (anyBreak) {
              fields.push(field);
              return this.emitAtCr(text, i);
            }
            state = State.QuoteCr;
          } else throw new CsvSyntaxError('text-after-quote', this.line, i - lineStart + 1, this.recordLine, field, text[i]!);
          break;
        case State.QuoteCr:
          if (c !== LF) throw new CsvSyntaxError('text-after-quote', this.line, i - lineStart, this.recordLine, field, '\r');
          fields.push(field);
          return this.emit(i + 1);
      }
    }
    if (state === State.Unquoted || state === State.Quoted) field += text.slice(from, n);
    if (field.length > this.maxLength) throw new CsvSyntaxError('field-too-long', this.recordLine, 1, this.recordLine, '', '', this.maxLength);
    this.field = field;
    this.state = state;
    this.lineChars = n - lineStart;
    return n;
  }

  /** A lone CR (or the CR of a CRLF) at `cr` ends the record in progress. */
  private emitAtCr(text: string, cr: number): number {
    if (cr + 1 === text.length) {
      this.pendingCr = true;
      return this.emit(cr + 1);
    }
    return this.emit(text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1);
  }

  /** The record in progress is complete; the next one starts at `next`. */
  private emit(next: number): number {
    const fields = this.fields!;
    this.fields = undefined;
    this.field = '';
    this.line++;
    this.onRecord(fields, this.recordLine);
    return next;
  }
}
