/**
 * Reader for GNU gettext `.mo` catalogues (the binary format of Debian's iso-codes
 * translations), used once to derive the Spanish country names committed in
 * `sdmx/sources/areas/iso3166-1.csv`. Pure: takes the file's bytes.
 *
 * Format (GNU gettext manual, "The Format of GNU MO Files"): a magic number that also tells
 * the byte order, the string count N, and two tables of N (length, offset) pairs for the
 * original and the translated strings. Entries with a context (`msgctxt` + U+0004) and plural
 * forms (NUL-separated) are kept as the gettext runtime keys them; we only use plain entries.
 */

export class MoError extends Error {
  override name = 'MoError';
}

/** msgid → msgstr; the header entry (empty msgid) is left out. */
export function parseMo(bytes: Uint8Array): Map<string, string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 28) throw new MoError('file too short for a .mo header');
  const magic = view.getUint32(0, true);
  const little = magic === 0x950412de ? true : magic === 0xde120495 ? false : undefined;
  if (little === undefined) throw new MoError('not a .mo file (bad magic number)');
  const u32 = (at: number) => view.getUint32(at, little);
  const count = u32(8);
  const originals = u32(12);
  const translations = u32(16);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const str = (table: number, i: number) => {
    const length = u32(table + i * 8);
    const offset = u32(table + i * 8 + 4);
    if (offset + length > bytes.byteLength) throw new MoError(`string ${i} runs past the end of the file`);
    return decoder.decode(bytes.subarray(offset, offset + length));
  };
  const out = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const id = str(originals, i);
    if (id === '') continue;
    out.set(id, str(translations, i));
  }
  return out;
}
