/**
 * The SDMX error catalogue (REST 1.5 4_7_errors.md; 2.0 status.md): each error pairs an SDMX
 * error code with its HTTP status. Every error a surface sends is built here, so the mapping
 * lives in one place.
 */
import type { SdmxError } from './message.js';

export class SdmxRequestError extends Error {
  constructor(readonly error: SdmxError) {
    super(error.text);
  }
}

export const SdmxErrors = {
  noResults: (text: string): SdmxError => ({ code: 100, status: 404, text }),
  unauthorized: (text: string): SdmxError => ({ code: 110, status: 401, text }),
  tooLarge: (text: string): SdmxError => ({ code: 130, status: 413, text }),
  syntax: (text: string): SdmxError => ({ code: 140, status: 400, text }),
  /** 1.x semantic error is 403; 2.x made it 422 (status.md). */
  semantic: (text: string, api: '2.1' | '3.0'): SdmxError => ({ code: 150, status: api === '2.1' ? 403 : 422, text }),
  internal: (text: string): SdmxError => ({ code: 500, status: 500, text }),
  notImplemented: (text: string): SdmxError => ({ code: 501, status: 501, text }),
  unavailable: (text: string): SdmxError => ({ code: 503, status: 503, text }),
  /** No SDMX code exists for these HTTP statuses; custom codes are allowed (1000+). */
  notAcceptable: (text: string): SdmxError => ({ code: 1406, status: 406, text }),
  uriTooLong: (text: string): SdmxError => ({ code: 1414, status: 414, text }),
  methodNotAllowed: (text: string): SdmxError => ({ code: 1405, status: 405, text }),
} as const;
