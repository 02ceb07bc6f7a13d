/**
 * Query limits, all enforced while the operation is validated, before any resolver (and so any upstream
 * request) runs: depth, aliases, directives and tokens through graphql-armor; cost and breadth through
 * Pothos' complexity rule, in which a connection weighs by its `first` and a plain list by 10.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createComplexityRule } from '@pothos/plugin-complexity';
import { GraphQLError, type GraphQLField, getNullableType, isListType, validate } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface QueryLimits {
  /** Deepest selection (introspection excluded). */
  maxDepth: number;
  /** Most aliases in one operation. */
  maxAliases: number;
  /** Most lexical tokens in one document. */
  maxTokens: number;
  /** Highest cost (see `fieldCost`). */
  maxComplexity: number;
  /** Most selected fields in one operation. */
  maxFields: number;
  /** `first` assumed for a connection field that does not give it. */
  defaultPageSize: number;
}

/** What one element of a plain list is assumed to multiply its selection by. */
export const LIST_WEIGHT = 10;

/**
 * The cost of one field for Pothos' complexity calculation: 1, and its selection multiplied by `first` for a
 * connection, by LIST_WEIGHT for a plain list. `edges` costs nothing of its own: its connection already counted.
 */
export function fieldCost<Context extends object>(
  args: Record<string, unknown>,
  ctx: Context,
  field: GraphQLField<unknown, Context, Record<string, unknown>>,
): number | { field: number; multiplier: number } {
  if (field.name === 'edges') return { field: 0, multiplier: 1 };
  if (field.args.some((arg) => arg.name === 'first')) {
    const fallback = (ctx as { defaultPageSize?: number }).defaultPageSize ?? 20;
    const first = typeof args.first === 'number' ? args.first : fallback;
    return { field: 1, multiplier: Math.max(0, first) };
  }
  if (isListType(getNullableType(field.type))) return { field: 1, multiplier: LIST_WEIGHT };
  return 1;
}

/** Every limit error carries the same stable code, whichever check raised it. */
function tagAsLimit(_context: unknown, error: GraphQLError): void {
  (error.extensions as Record<string, unknown>).code = 'QUERY_TOO_COMPLEX';
}

/** Distinct variable sets whose verdict is kept per document. */
const VERDICTS_PER_DOCUMENT = 1000;

export function useQueryLimits(limits: QueryLimits): Plugin[] {
  const onReject = [tagAsLimit];
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, onReject },
    maxAliases: { n: limits.maxAliases, onReject },
    maxTokens: { n: limits.maxTokens, onReject },
    maxDirectives: { n: 50, onReject },
    // Cost is Pothos' job here (it knows `first`); armor's cost counts every list as one object.
    costLimit: { enabled: false },
    // GraphiQL relies on introspection anyway; suggestions help the people exploring it.
    blockFieldSuggestion: { enabled: false },
  }) as Plugin;
  // The verdict depends only on the document, its numeric variables and operation name: kept per document, bounded,
  // so that the same operation under load is costed once rather than walked again on every request.
  const verdicts = new WeakMap<object, Map<string, GraphQLError[]>>();
  const complexity: Plugin = {
    onValidate({ context, params: { schema, documentAST } }) {
      // Only a document that passed validation is costed: the rule assumes every selected field exists.
      return ({ valid, result, setResult }) => {
        if (!valid) return;
        const request = (
          context as { params?: { variables?: Record<string, unknown>; operationName?: string } }
        ).params;
        let byInput = verdicts.get(documentAST);
        if (!byInput) {
          byInput = new Map();
          verdicts.set(documentAST, byInput);
        }
        // Only numbers can change a cost (`first`); text variables (where secrets travel) are never kept.
        const numbers = Object.entries(request?.variables ?? {}).filter(([, v]) => typeof v === 'number');
        const key = JSON.stringify([request?.operationName ?? null, numbers]);
        let errors = byInput.get(key);
        if (!errors) {
          errors = costErrors(request);
          if (byInput.size >= VERDICTS_PER_DOCUMENT) byInput.clear();
          byInput.set(key, errors);
        }
        if (errors.length > 0) setResult([...result, ...errors]);
      };
      function costErrors(
        request: { variables?: Record<string, unknown>; operationName?: string } | undefined,
      ): GraphQLError[] {
        const rule = createComplexityRule({
          context: { defaultPageSize: limits.defaultPageSize },
          variableValues: request?.variables ?? {},
          operationName: request?.operationName ?? null,
          maxComplexity: limits.maxComplexity,
          maxBreadth: limits.maxFields,
        });
        // The rule also coerces variables and would report bad ones; execution reports those (with their
        // values masked), so only the complexity verdicts are kept here.
        return validate(schema, documentAST, [rule])
          .filter((e) => e.extensions.code === 'QUERY_COMPLEXITY')
          .map(
            (e) =>
              new GraphQLError(e.message, {
                nodes: e.nodes,
                extensions: { ...e.extensions, code: 'QUERY_TOO_COMPLEX' },
              }),
          );
      }
    },
  };
  return [armor, complexity];
}
