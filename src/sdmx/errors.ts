/**
 * The SDMX surface's side of the error catalogue (REST 1.5 4_7_errors.md; 2.0 status.md): each
 * SDMX error pairs an SDMX error code with its HTTP status, and `sdmxErrorOf` turns any
 * ServiceError (src/errors.ts) into one. Every SDMX error message is built here, so the mapping
 * lives in one place.
 */
import type { ServiceError } from '../errors.js';
import type { SdmxError } from './message.js';

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

/** Custom SDMX codes (1000 + the HTTP status) for statuses the standard gives no code. */
const custom = (status: number) => (text: string): SdmxError => ({ code: 1000 + status, status, text });

/** A ServiceError as the SDMX error of its kind, in the given API's numbering. */
export function sdmxErrorOf(err: ServiceError, api: '2.1' | '3.0'): SdmxError {
  const text = err.message;
  switch (err.kind) {
    case 'invalid-input': return SdmxErrors.syntax(text);
    case 'unprocessable': return SdmxErrors.semantic(text, api);
    case 'not-found': return SdmxErrors.noResults(text);
    case 'unauthenticated': return SdmxErrors.unauthorized(text);
    case 'too-large': return SdmxErrors.tooLarge(text);
    case 'not-acceptable': return SdmxErrors.notAcceptable(text);
    case 'uri-too-long': return SdmxErrors.uriTooLong(text);
    case 'method-not-allowed': return SdmxErrors.methodNotAllowed(text);
    case 'not-implemented': return SdmxErrors.notImplemented(text);
    case 'unavailable': return SdmxErrors.unavailable(text);
    case 'internal': return SdmxErrors.internal(text);
    case 'forbidden': return custom(403)(text);
    case 'conflict': return custom(409)(text);
    case 'unsupported-media-type': return custom(415)(text);
    case 'rate-limited': return custom(429)(text);
  }
}
