/**
 * Streamed answers: text pieces, as a writer yields them, regrouped into buffers of about
 * CHUNK_CHARS characters, so the socket gets few writes and memory stays bounded by a chunk.
 */
import { Readable } from 'node:stream';

/** Characters handed to the socket at a time in a streamed answer. */
export const CHUNK_CHARS = 64 * 1024;

export function* inChunks(pieces: Iterable<string>, chunkChars = CHUNK_CHARS): Generator<Buffer> {
  let pending = '';
  for (const piece of pieces) {
    pending += piece;
    if (pending.length >= chunkChars) {
      yield Buffer.from(pending);
      pending = '';
    }
  }
  if (pending !== '') yield Buffer.from(pending);
}

/** A byte stream of the pieces, for `reply.send`. */
export function chunkedStream(pieces: Iterable<string>): Readable {
  return Readable.from(inChunks(pieces), { objectMode: false });
}
