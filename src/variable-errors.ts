/**
 * graphql-js reports a bad variable as `Variable "$x" got invalid value <the whole value>; <reason>` — and the
 * value may hold a secret (a mutation's password, say). These errors are rewritten to name the variable, the
 * path and the kind of problem, never the value, and are not logged: they are the client's mistake.
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const VARIABLE_ERROR = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" got invalid value /;
const AT_PATH = / at "([_0-9A-Za-z.[\]]+)"; /;

/** The reason without any value: kept when it names only fields and types, rephrased otherwise. */
function reasonOf(inner: string): string {
  if (/^Field "[_0-9A-Za-z]+" of required type "[_0-9A-Za-z!\][]+" was not provided\.$/.test(inner))
    return inner;
  if (/^Field "[_0-9A-Za-z]+" is not defined by type "[_0-9A-Za-z]+"\./.test(inner))
    return inner.replace(/ Did you mean.*$/, '');
  if (/^Expected non-nullable type "[^"]+" not to be null\.$/.test(inner)) return inner;
  const enumName = /does not exist in "([_0-9A-Za-z]+)" enum/.exec(inner)?.[1];
  if (enumName) return `Not a value of the ${enumName} enum.`;
  const scalar =
    /^([_0-9A-Za-z]+) cannot represent/.exec(inner)?.[1] ??
    /^Expected type "([_0-9A-Za-z]+)"/.exec(inner)?.[1];
  if (scalar) return `Not a valid ${scalar}.`;
  return 'Invalid value.';
}

/** A safe replacement for a variable-coercion error, or undefined when `error` is not one. */
export function maskVariableError(error: GraphQLError): GraphQLError | undefined {
  const name = VARIABLE_ERROR.exec(error.message)?.[1];
  if (!name) return undefined;
  const at = AT_PATH.exec(error.message)?.[1];
  const reason = reasonOf(
    error.originalError?.message ?? error.message.slice(error.message.lastIndexOf('; ') + 2),
  );
  const where = at ? ` at "${at}"` : '';
  return new GraphQLError(`Variable "$${name}" has an invalid value${where}: ${reason}`, {
    nodes: error.nodes,
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

/** Rewrites of graphql-js validation messages that quote a literal written in the query document. */
const LITERAL_ECHOES: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^Expected value of type "([^"]+)", found /, (m) => `Expected a value of type "${m[1]}".`],
  [/^Enum "([_0-9A-Za-z]+)" cannot represent /, (m) => `Not a value of the ${m[1]} enum.`],
  [/does not exist in "([_0-9A-Za-z]+)" enum/, (m) => `Not a value of the ${m[1]} enum.`],
  [/^([_A-Za-z][_0-9A-Za-z]*) cannot represent /, (m) => `Not a valid ${m[1]}.`],
  [/^Argument "([_0-9A-Za-z]+)" has invalid value /, (m) => `Argument "${m[1]}" has an invalid value.`],
];

/** A validation error that quotes a literal from the document, rewritten without it; others unchanged. */
export function maskLiteralError(error: GraphQLError): GraphQLError {
  for (const [pattern, rewrite] of LITERAL_ECHOES) {
    const match = pattern.exec(error.message);
    if (match) {
      return new GraphQLError(rewrite(match), { nodes: error.nodes, extensions: { ...error.extensions } });
    }
  }
  return error;
}

/**
 * A secret typed straight into a query (a password literal in the wrong place) would come back in graphql-js'
 * validation message; those messages are rewritten without the literal, like variable errors.
 */
export function useNoLiteralEcho(): Plugin {
  return {
    onValidate() {
      return ({ valid, result, setResult }) => {
        if (!valid) setResult(result.map((error) => maskLiteralError(error)));
      };
    },
  };
}
