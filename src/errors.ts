/**
 * Where a failure becomes what a client sees — the one module that answers it:
 *
 * - `GatewayError`: an expected failure with a stable code (upstream down, timed out, malformed answer, bad
 *   input…). Upstream clients and loaders throw it knowing nothing of GraphQL; `createErrorMasker` (Yoga's
 *   `maskedErrors`, wired in server.ts) turns it into a GraphQL error with its code and message, and masks
 *   everything else as `INTERNAL` (the original goes to the log only). Clients branch on `extensions.code`.
 * - The write path's expected failures: an upstream write answers a `WriteOutcome`, and `settle` turns a
 *   400/403/404 into a `ValidationError`, `ForbiddenError` or `NotFoundError`. Mutations return those as typed
 *   results (Pothos errors plugin, declared in src/schema/mutations/errors.ts), not as GraphQL errors.
 */
import { GraphQLError } from 'graphql';
import type { Logger } from './logger.js';
import { maskVariableError } from './variable-errors.js';
import type { InputIssue, WriteOutcome } from './write/types.js';

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
  // A subscription refused over MAX_SUBSCRIPTIONS or MAX_SUBSCRIPTIONS_PER_CREDENTIAL.
  'TOO_MANY_SUBSCRIPTIONS',
  // A subscriber fell too far behind its stream, which ended.
  'FEED_OVERFLOW',
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

// ---- The write path's typed results ----

/** The dedicated base class: a plain `Error` never becomes a result, so no arbitrary message is published. */
export class MutationError extends Error {
  override readonly name: string = 'MutationError';
}

/** Messages are written by the gateway, or are upstream field messages with every submitted secret redacted. */
export class ValidationError extends MutationError {
  override readonly name = 'ValidationError';

  constructor(readonly issues: InputIssue[]) {
    super(issues.length === 1 ? 'The input has a problem.' : `The input has ${issues.length} problems.`);
  }
}

export class NotFoundError extends MutationError {
  override readonly name = 'NotFoundError';
}

export class ForbiddenError extends MutationError {
  override readonly name = 'ForbiddenError';
}

/** An upstream write's outcome as the mutation's result: the value, or one of the typed errors. */
export function settle<T>(outcome: WriteOutcome<T>, what: string): T {
  switch (outcome.kind) {
    case 'ok':
      return outcome.value;
    case 'invalid':
      throw new ValidationError(outcome.issues);
    case 'not_found':
      throw new NotFoundError(`No such ${what}, or it is not visible to you.`);
    case 'forbidden':
      throw new ForbiddenError(`Your credentials do not permit changing this ${what}.`);
  }
}

/** Fails before any upstream request when the gateway's own checks found problems. */
export function rejectIssues(issues: InputIssue[]): void {
  if (issues.length > 0) throw new ValidationError(issues);
}

// ---- Everything else, as the client sees it ----

function findGatewayError(error: unknown) {
  // graphql-js, Yoga and Pothos may wrap the thrown error (`originalError`, `cause`); look through the chain.
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (isGatewayError(current)) return current;
    current =
      current instanceof GraphQLError && current.originalError ? current.originalError : current.cause;
  }
  return undefined;
}

/** Yoga's body-size refusal, under the gateway's own code and with the setting named. */
function requestTooLarge(error: GraphQLError): GraphQLError {
  return new GraphQLError('The request body is larger than this gateway accepts (MAX_REQUEST_BYTES).', {
    extensions: { ...error.extensions, code: 'REQUEST_TOO_LARGE' },
  });
}

/**
 * Yoga's request parsers put the JSON parser's own message in `extensions.originalError`, and Node's message
 * quotes the start of the body: a malformed body would be echoed back, secret and all. Never shown.
 */
function withoutOriginalError(error: GraphQLError): GraphQLError {
  if (!('originalError' in error.extensions)) return error;
  const { originalError: _dropped, http, ...extensions } = error.extensions;
  // Yoga answers 400 to a body it could not parse only while `originalError` is there; keep that status.
  const status = (http as { status?: number } | undefined)?.status;
  if (status) extensions.http = { status };
  return new GraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions });
}

/** A GET's `variables` or `extensions` parameter that is not JSON: the client's mistake, not ours. */
function malformedParameter(): GraphQLError {
  return new GraphQLError('A request parameter (variables or extensions) is not valid JSON.', {
    extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
  });
}

export function createErrorMasker(logger: Logger) {
  return (error: unknown): Error => {
    const cause = findGatewayError(error);
    if (!(error instanceof GraphQLError)) {
      if (cause) return new GraphQLError(cause.message, { extensions: { code: cause.code } });
      // Outside execution, only the request parsers call JSON.parse.
      if (error instanceof SyntaxError) return malformedParameter();
      logger.error({ err: error }, 'unexpected error outside execution');
      return new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL' } });
    }
    if (error.extensions.code === 'REQUEST_ENTITY_TOO_LARGE') return requestTooLarge(error);
    const variableError = maskVariableError(error);
    if (variableError) return variableError;
    if (cause) {
      const extensions: Record<string, unknown> = { code: cause.code };
      if (cause.details.upstream) extensions.upstream = cause.details.upstream;
      if (cause.details.reason) extensions.reason = cause.details.reason;
      return new GraphQLError(cause.message, { nodes: error.nodes, path: error.path, extensions });
    }
    // Syntax, validation, variable and request errors: safe, written by graphql-js or Yoga.
    if (!error.originalError) return withoutOriginalError(error);
    logger.error({ err: error.originalError, path: error.path }, 'unexpected resolver error');
    return new GraphQLError('Unexpected error.', {
      nodes: error.nodes,
      path: error.path,
      extensions: { code: 'INTERNAL' },
    });
  };
}
