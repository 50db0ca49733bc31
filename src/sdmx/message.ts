/**
 * Message envelopes shared by every format writer: a header, the artefacts of a structure
 * message, and an SDMX error. Writers receive these; they never look anything up themselves.
 */
import type { Maintainable } from './model.js';

export interface Party {
  readonly id: string;
  readonly name?: Readonly<Record<string, string>>;
}

export interface Header {
  /** Message id (xs:ID-compatible: starts with a letter). */
  readonly id: string;
  readonly test: boolean;
  /** xs:dateTime in UTC, e.g. 2026-11-21T05:30:01Z */
  readonly prepared: string;
  readonly sender: Party;
  /** Preferred languages for JSON formats that carry one label only (first wins). */
  readonly languages?: readonly string[];
}

export interface StructureMessage {
  readonly header: Header;
  /** In the order they should appear; writers group them by class as each schema requires. */
  readonly artefacts: readonly Maintainable[];
}

/** SDMX error codes (REST 1.5 4_7_errors.md) and the HTTP status each maps to. */
export interface SdmxError {
  readonly code: number;
  readonly status: number;
  readonly text: string;
}
