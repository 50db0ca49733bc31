/**
 * The shape every format reader has inside: text pieces in, records pushed onto the caller's
 * array as soon as they are complete, so the caller can hand them on in batches.
 */
export interface TextParser {
  /** The next piece of the file's text; may throw UploadFormatError. */
  write(text: string): void;
  /** The file is complete: finish the last record, or throw if the file is cut short. */
  end(): void;
}
