/**
 * The error catalogue: what can go wrong, in terms every surface shares and without HTTP.
 *
 * Services, parsers and plugins throw a `ServiceError`: its `kind` says what sort of failure it
 * is (each surface maps kinds to its own status codes and bodies: an SDMX error message in
 * sdmx/errors.ts, problem+json in http/problem-errors.ts, and later GraphQL error codes and HTML
 * pages), its `code` says which failure exactly (stable, listed in ERROR_CODES and in
 * docs/api-errors.md; the JSON surfaces name it in the problem `type`), and its message is the
 * sentence a user reads. Nothing here knows a status code.
 */

/** What sort of failure: the one thing every surface needs to choose its answer. */
export const ERROR_KINDS = [
  /** The request is malformed: a bad parameter, path segment, key or body. */
  'invalid-input',
  /** Well formed, but it breaks a rule (an upload that does not conform to its DSD). */
  'unprocessable',
  /** No such resource, or nothing matches. */
  'not-found',
  /** It clashes with what is stored, or with the state something is in. */
  'conflict',
  /** No valid credentials where they are needed (or a bad token where none is needed). */
  'unauthenticated',
  /** Valid credentials whose role may not do this. */
  'forbidden',
  /** The answer or the body would be larger than the service allows. */
  'too-large',
  /** None of the representations the client accepts can express the answer. */
  'not-acceptable',
  'uri-too-long',
  'method-not-allowed',
  'unsupported-media-type',
  /** Too many requests (or failed authentications) from this client. */
  'rate-limited',
  /** Part of a standard this service does not serve (yet). */
  'not-implemented',
  /** The service cannot answer now (closing, overloaded). */
  'unavailable',
  /** Our fault: logged, and masked in every answer. */
  'internal',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/**
 * Which failure exactly. The JSON surfaces publish these as problem types under PROBLEM_BASE,
 * so they never change meaning; docs/api-errors.md documents each (a test holds the two equal).
 */
export const ERROR_CODES = {
  'invalid-request': 'a malformed parameter, path or body; `parameter` or `errors` names what is at fault',
  'not-found': 'no such resource',
  'unknown-dataflow': 'no dataflow with this agency, id and version',
  'unknown-release': 'no public release has this code (embargoed, draft and cancelled releases get the same answer)',
  'too-large': 'the answer would hold more observations than the service allows',
  'not-acceptable': 'no offered representation fits the Accept header or format parameter',
  'not-implemented': 'a resource the standard defines that this service does not serve',
  'unauthorized': 'no token, or an unknown, expired or revoked one',
  'forbidden': 'a valid token whose role may not do this',
  'auth-locked': 'too many failed authentications from this address',
  'rate-limited': 'the public rate limit',
  'invalid-upload': 'an upload that does not conform to the DSD',
  'unreadable-upload': 'an upload not readable as its format',
  'upload-refused': 'an upload refused before its data was read',
  'invalid-correspondence-table': 'a correspondence table that breaks a rule',
  'correspondence-conflict': 'a correspondence table whose ids clash with stored structures',
  'release-exists': 'a new release whose code is taken',
  'release-state': 'a release move its state does not allow',
  'release-not-publishable': 'scheduling a draft that holds no data or has not passed disclosure control',
  'method-not-allowed': 'a method the resource does not accept',
  'uri-too-long': 'a URL longer than the service reads',
  'unsupported-media-type': 'a body in a media type the route does not read',
  'unavailable': 'the service cannot answer now',
  'internal': 'an error on our side; it has been logged',
  'invalid-metadata-set': 'a metadata set that breaks a rule of its metadata structure, or names a release that does not exist or does not publish its dataflow; `errors` names each field',
  'metadata-set-exists': 'a new metadata set version whose set and version are taken',
  'metadata-set-file-owned': 'a change over the API to a metadata set version that comes from a file under metadata/',
  'metadata-set-public': 'a change to a metadata set version that is already public: publish a new version',
  'metadata-release-closed': 'a metadata set version attached to a release that is already public or cancelled',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** The code an error of each kind has unless it names a more precise one. */
const DEFAULT_CODE: Record<ErrorKind, ErrorCode> = {
  'invalid-input': 'invalid-request',
  unprocessable: 'invalid-request',
  'not-found': 'not-found',
  conflict: 'invalid-request',
  unauthenticated: 'unauthorized',
  forbidden: 'forbidden',
  'too-large': 'too-large',
  'not-acceptable': 'not-acceptable',
  'uri-too-long': 'uri-too-long',
  'method-not-allowed': 'method-not-allowed',
  'unsupported-media-type': 'unsupported-media-type',
  'rate-limited': 'rate-limited',
  'not-implemented': 'not-implemented',
  unavailable: 'unavailable',
  internal: 'internal',
};

export interface ErrorDetails {
  /** A more precise code than the kind's default. */
  readonly code?: ErrorCode;
  /** The request parameter at fault. */
  readonly parameter?: string;
  /** The values that parameter accepts, when they are few enough to list. */
  readonly allowed?: readonly string[];
  /** Surface-neutral extras a surface may show (e.g. `errors`, `problems`). */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export class ServiceError extends Error {
  override name = 'ServiceError';
  readonly code: ErrorCode;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.code = details.code ?? DEFAULT_CODE[kind];
  }
}

/** A bad value of one request parameter. */
export function invalidParameter(parameter: string, message: string, allowed?: readonly string[]): ServiceError {
  return new ServiceError('invalid-input', message, { parameter, ...(allowed ? { allowed } : {}) });
}
