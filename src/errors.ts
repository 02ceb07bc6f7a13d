/**
 * The error taxonomy shared by every layer. Clients branch on `extensions.code`, never on message text.
 * Upstream clients and loaders throw `GatewayError`s (they know nothing of GraphQL); `server.ts` turns them
 * into GraphQL errors with their code and safe message, and masks everything else as `INTERNAL`.
 */

export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'QUERY_TOO_COMPLEX',
  'UPSTREAM_BUDGET_EXCEEDED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_BAD_RESPONSE',
  'INTERNAL',
  // Refused at the HTTP layer, before the request is parsed or executed.
  'BAD_REQUEST',
  'CSRF_PREVENTED',
  'HOST_NOT_ALLOWED',
  'REQUEST_TOO_LARGE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_ONLY',
  'INTROSPECTION_DISABLED',
  // The operation ran past REQUEST_TIMEOUT_MS; its upstream calls were aborted.
  'OPERATION_TIMEOUT',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Which upstream an error came from, so a client can tell a PAM outage from an Audit one. */
export type UpstreamName = 'pam' | 'audit';

/**
 * An expected failure with a stable code. Its message is shown to clients, so it must be written by us,
 * never copied from an upstream body, a URL or a header.
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: {
      upstream?: UpstreamName;
      status?: number;
      retryable?: boolean;
      /** Shown as `extensions.reason`, e.g. `circuit open`. */
      reason?: string;
    } = {},
  ) {
    super(message);
  }
}

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}

/** A field whose upstream call the operation's deadline cut; a write's outcome is then unknown. */
export function operationTimeout(timeoutMs: number, write = false): GatewayError {
  const outcome = write ? '; the outcome of the write is unknown' : '';
  return new GatewayError(
    'OPERATION_TIMEOUT',
    `The operation ran longer than ${timeoutMs} ms (REQUEST_TIMEOUT_MS) and was cancelled${outcome}.`,
  );
}
