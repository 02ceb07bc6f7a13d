/**
 * Turns any error raised while executing an operation into what a client may see: a `GatewayError`
 * keeps its own message and stable code; GraphQL's own validation errors pass through; everything else
 * becomes "Unexpected error." with code `INTERNAL`, and the original goes to the log, not the client.
 */
import { GraphQLError } from 'graphql';
import { isGatewayError } from './errors.js';
import type { Logger } from './logger.js';
import { maskVariableError } from './variable-errors.js';

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
