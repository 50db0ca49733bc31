/**
 * Where the server process writes its log: standard output, in batches. pino's default
 * destination makes one write system call per line; at the default level that is a call per
 * request (the access log, http/access-log.ts), and on a cached answer it cost about as much
 * as sending the answer itself. Here lines below `warn` are gathered and written together when
 * `maxBytes` have gathered or `maxDelayMs` after the first of them, whichever comes first;
 * a line at `warn` or above is written at once, with everything gathered before it, so order
 * is kept. What is still gathered when the process exits is written then. A process killed
 * outright (SIGKILL, out of memory) loses at most `maxDelayMs` of lines below `warn`.
 *
 * pino tells the output each line's level (`lastLevel`) when the output asks for it with the
 * `pino.metadata` symbol.
 */

/** pino's numeric levels: warn is 40. */
const URGENT_LEVEL = 40;
/** pino's request for the level of each line (`stream[Symbol.for('pino.metadata')] === true`). */
const PINO_METADATA: unique symbol = Symbol.for('pino.metadata') as never;

export interface LogOutputOptions {
  /** Written to when a batch is due (default: process.stdout). */
  readonly out?: { write(text: string): unknown };
  readonly maxBytes?: number;
  readonly maxDelayMs?: number;
}

export class BatchedLogOutput {
  /** Asks pino to set `lastLevel` before each write. */
  readonly [PINO_METADATA] = true;
  /** The level of the line being written (set by pino). */
  lastLevel = 0;
  private pending = '';
  private timer: NodeJS.Timeout | undefined;
  private readonly out: { write(text: string): unknown };
  private readonly maxBytes: number;
  private readonly maxDelayMs: number;

  constructor(options: LogOutputOptions = {}) {
    this.out = options.out ?? process.stdout;
    this.maxBytes = options.maxBytes ?? 16 * 1024;
    this.maxDelayMs = options.maxDelayMs ?? 250;
  }

  write(line: string): void {
    this.pending += line;
    if (this.lastLevel >= URGENT_LEVEL || this.pending.length >= this.maxBytes) this.flush();
    // Unreferenced: a pending batch never keeps the process alive (exit writes it).
    else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs).unref();
  }

  /** Writes what has gathered, now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.out.write(text);
  }
}

/** The process's log output: batched standard output, written out when the process exits. */
export function processLogOutput(options: LogOutputOptions = {}): BatchedLogOutput {
  const output = new BatchedLogOutput(options);
  process.once('exit', () => output.flush());
  return output;
}
