/**
 * graphql-js reports a bad variable as `Variable "$x" got invalid value <the whole value>; <reason>` — and the
 * value may hold a secret (a mutation's password, say). These errors are rewritten to name the variable, the
 * path and the kind of problem, never the value, and are not logged: they are the client's mistake.
 */
import { GraphQLError } from 'graphql';

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
