/**
 * The served schema: the client-facing schema as a Federation v2 subgraph, with the same type objects
 * (so every field, description and resolver is the client's own, in declaration order) plus federation's
 * `_entities` and `_service` fields. Pothos' `toSubGraphSchema` does the same but sorts every type and
 * field by name, which would reorder GraphiQL's documentation and the introspection clients see.
 */
import { printSubgraphSchema } from '@apollo/subgraph';
// Not re-exported by the package's index; @pothos/plugin-federation imports the same module.
import { EntityType, entitiesField, serviceField } from '@apollo/subgraph/dist/types.js';
import { hasResolvableKey } from '@pothos/plugin-federation';
import {
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLUnionType,
  isObjectType,
} from 'graphql';

/** The `@link` schema directive a subgraph carries: the Federation spec version and what it imports. */
export function federationLink(url: string, imports: readonly string[]) {
  return { directives: [{ name: 'link', args: { url, import: [...imports] } }] };
}

export function toSubgraphSchema(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  if (!query) throw new Error('A subgraph needs a Query type.');
  const types = Object.values(schema.getTypeMap());
  const entity = new GraphQLUnionType({
    ...EntityType.toConfig(),
    types: types.filter(isObjectType).filter(hasResolvableKey),
  });
  // `_service { sdl }` answers the subgraph's own print, known only once the schema exists.
  let sdl = '';
  const { fields, ...queryConfig } = query.toConfig();
  const federatedQuery = new GraphQLObjectType({
    ...queryConfig,
    fields: {
      ...fields,
      _entities: { ...entitiesField, type: new GraphQLNonNull(new GraphQLList(entity)) },
      _service: { ...serviceField, resolve: () => ({ sdl }) },
    },
  });
  const subgraph = new GraphQLSchema({
    ...schema.toConfig(),
    query: federatedQuery,
    types: [...types.filter((t) => t !== query), federatedQuery],
  });
  sdl = printSubgraphSchema(subgraph);
  return subgraph;
}
