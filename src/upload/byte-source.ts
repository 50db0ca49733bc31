/**
 * The request body as the upload pipeline reads it: counted (a size cap that does not wait for
 * the end), hashed on the way through (idempotency by content), with the first bytes available
 * before reading starts (format sniffing), and drainable after a fatal error so the client gets
 * its answer on a healthy connection.
 */
import { createHash, type Hash } from 'node:crypto';

export class UploadTooLargeError extends Error {
  override name = 'UploadTooLargeError';
  constructor(readonly limit: number) {
    super(`The upload is larger than the limit of ${limit} bytes`);
  }
}

const HEAD_BYTES = 64 * 1024;

export class ByteSource {
  private readonly hash: Hash = createHash('sha256');
  private readonly iterator: AsyncIterator<Buffer | Uint8Array | string>;
  private pending: Buffer[] = [];
  private received = 0;
  private ended = false;

  constructor(
    body: AsyncIterable<Buffer | Uint8Array | string>,
    private readonly maxBytes: number,
  ) {
    this.iterator = body[Symbol.asyncIterator]();
  }

  /** The first bytes (up to 64 KiB, fewer for a short file); they are read again by `chunks`. */
  async head(): Promise<Buffer> {
    let size = this.pending.reduce((n, b) => n + b.length, 0);
    while (size < HEAD_BYTES) {
      const chunk = await this.next();
      if (!chunk) break;
      this.pending.push(chunk);
      size += chunk.length;
    }
    return Buffer.concat(this.pending).subarray(0, HEAD_BYTES);
  }

  /** Every byte of the body, the peeked head first. */
  async *chunks(): AsyncGenerator<Buffer> {
    while (this.pending.length) yield this.pending.shift()!;
    for (let chunk = await this.next(); chunk; chunk = await this.next()) yield chunk;
  }

  /** Reads and discards the rest (still counted and hashed, still capped). */
  async drain(): Promise<void> {
    this.pending = [];
    while (await this.next());
  }

  get bytes(): number {
    return this.received;
  }

  /** SHA-256 (hex) of the whole body; only meaningful once it has been read to the end. */
  digest(): string {
    if (!this.ended) throw new Error('The body has not been read to the end');
    return this.hash.digest('hex');
  }

  private async next(): Promise<Buffer | undefined> {
    if (this.ended) return undefined;
    const { value, done } = await this.iterator.next();
    if (done) {
      this.ended = true;
      return undefined;
    }
    const chunk = typeof value === 'string' ? Buffer.from(value) : Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    this.received += chunk.length;
    if (this.received > this.maxBytes) throw new UploadTooLargeError(this.maxBytes);
    this.hash.update(chunk);
    return chunk;
  }
}
