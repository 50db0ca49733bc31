/**
 * Turns an upload's byte stream into UTF-8 text pieces for the format readers: strict decoding
 * (a file that is not UTF-8 is refused rather than silently mangled), the byte-order mark
 * dropped, and pieces kept small so a caller that hands over one huge string or buffer still
 * gets records in bounded batches.
 */
import { UploadFormatError } from '../records.js';

/** Text handed to a reader at once, at most (UTF-16 code units). */
const PIECE = 64 * 1024;

/**
 * Longest single token (CSV record, XML tag, JSON string...) a reader keeps waiting for: past
 * this the file is not what it claims (a binary file has no line ends) and buffering more would
 * make memory grow with the file.
 */
export const MAX_TOKEN = 16 * 1024 * 1024;

/** Counts bytes read so far, for error locations of readers that know no better place. */
export interface ByteCounter {
  bytes: number;
}

export async function* decodeUtf8(
  input: AsyncIterable<Buffer | Uint8Array | string>,
  counter: ByteCounter = { bytes: 0 },
): AsyncGenerator<string> {
  // ignoreBOM: false (the default) drops a leading BOM
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  const split = function* (text: string): Generator<string> {
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    while (start < text.length) {
      let end = Math.min(start + PIECE, text.length);
      // never split a surrogate pair: readers slice pieces into values
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
      yield start === 0 && end === text.length ? text : text.slice(start, end);
      start = end;
    }
  };
  for await (const chunk of input) {
    let text: string;
    try {
      text = typeof chunk === 'string' ? decoder.decode() + chunk : decoder.decode(chunk, { stream: true });
    } catch {
      throw new UploadFormatError('the file is not valid UTF-8 text', `byte ${counter.bytes}`);
    }
    counter.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    yield* split(text);
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw new UploadFormatError('the file ends inside a UTF-8 character', `byte ${counter.bytes}`);
  }
  yield* split(rest);
}
