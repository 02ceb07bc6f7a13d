/**
 * Turns any error raised while executing an operation into what a client may see: a `GatewayError`
 * keeps its own message and stable code; GraphQL's own validation errors pass through; everything else
 * becomes "Unexpected error." with code `INTERNAL`, and the original goes to the log, not the client.
 */
import { GraphQLError } from 'graphql';
import { isGatewayError } from './errors.js';
import type { Logger } from './logger.js';

function gatewayCause(error: GraphQLError): ReturnType<typeof findGatewayError> {
  return findGatewayError(error.originalError);
}

function findGatewayError(error: unknown) {
  // Pothos and graphql-js may wrap the thrown error once or twice; look through the chain.
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (isGatewayError(current)) return current;
    current = current instanceof GraphQLError ? current.originalError : undefined;
  }
  return undefined;
}

export function createErrorMasker(logger: Logger) {
  return (error: unknown): Error => {
    if (!(error instanceof GraphQLError)) {
      logger.error({ err: error }, 'unexpected error outside execution');
      return new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL' } });
    }
    const cause = gatewayCause(error);
    if (cause) {
      const extensions: Record<string, unknown> = { code: cause.code };
      if (cause.details.upstream) extensions.upstream = cause.details.upstream;
      return new GraphQLError(cause.message, { nodes: error.nodes, path: error.path, extensions });
    }
    if (!error.originalError) return error; // syntax, validation and variable errors: safe, written by graphql-js
    logger.error({ err: error.originalError, path: error.path }, 'unexpected resolver error');
    return new GraphQLError('Unexpected error.', {
      nodes: error.nodes,
      path: error.path,
      extensions: { code: 'INTERNAL' },
    });
  };
}
