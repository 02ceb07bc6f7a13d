/**
 * `INTROSPECTION=false`, for deployments that do not invite exploration: introspection queries are refused with
 * `INTROSPECTION_DISABLED`, and no error carries a "Did you mean …" suggestion, which would leak field, type,
 * argument and enum names one typo at a time. Federation's `_service { sdl }` is an ordinary field and keeps
 * answering (routers need it), so this hides names from exploration, not the schema from a determined caller.
 * (GraphiQL is switched off in `server.ts`.)
 */
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * graphql-js appends its suggestions as a last sentence: `Did you mean "name"?`, `Did you mean "a" or "b"?`,
 * `Did you mean the enum value "SSH"?` (the form graphql-armor's filter misses).
 */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** graphql-js' message for the `__schema` / `__type` fields refused by its NoSchemaIntrospection rule. */
const INTROSPECTION_REFUSED = /^GraphQL introspection has been disabled/;

function withoutSuggestion(error: GraphQLError): GraphQLError {
  const message = error.message.replace(SUGGESTION, '');
  if (message === error.message) return error;
  return new GraphQLError(message, {
    nodes: error.nodes,
    path: error.path,
    extensions: error.extensions,
  });
}

type ResultLike = { errors?: ReadonlyArray<GraphQLError> };

function stripResult<T extends ResultLike>(result: T): T {
  if (!result.errors?.length) return result;
  return { ...result, errors: result.errors.map(withoutSuggestion) };
}

async function* stripEach<T extends ResultLike>(results: AsyncIterable<T>): AsyncIterable<T> {
  for await (const result of results) yield stripResult(result);
}

export function useProductionPolicies(options: { introspection: boolean }): Plugin[] {
  if (options.introspection) return [];
  // graphql-js' own rule, as Yoga's disable-introspection plugin adds it, minus that plugin's per-request
  // bookkeeping (it can switch per request; here it is off for every request).
  const noIntrospection: Plugin = {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
      return ({ valid, result, setResult }) => {
        if (valid) return;
        setResult(
          result.map((error) =>
            INTROSPECTION_REFUSED.test(error.message)
              ? new GraphQLError('Introspection is disabled on this gateway (INTROSPECTION=false).', {
                  nodes: error.nodes,
                  extensions: { ...error.extensions, code: 'INTROSPECTION_DISABLED' },
                })
              : error,
          ),
        );
      };
    },
  };
  // The last hook before a response is written: validation, variable and execution errors all pass here.
  const noSuggestions: Plugin = {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map(stripResult));
      else if (Symbol.asyncIterator in result) setResult(stripEach(result));
      else setResult(stripResult(result));
    },
  };
  return [noIntrospection, noSuggestions];
}
