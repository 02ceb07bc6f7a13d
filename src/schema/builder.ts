/**
 * The only SchemaBuilder: plugins, scalars, context type and defaults. Domain files add types to it and
 * `index.ts` builds the schema once.
 */
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DirectivesPlugin from '@pothos/plugin-directives';
import ErrorsPlugin from '@pothos/plugin-errors';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import type { GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';
import { fieldCost } from '../limits.js';
import { decodeGlobalId, encodeGlobalId } from './global-id.js';

/** Most IDs `nodes(ids:)` accepts in one call. */
export const MAX_NODE_IDS = 100;

export interface PamgraphSchemaTypes {
  Context: GatewayContext;
  // Fields are non-null unless declared otherwise: nullability is a decision, made per field.
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
  Scalars: {
    // Upstream timestamps arrive as ISO 8601 strings; the scalar serializes them in UTC.
    DateTime: { Input: Date; Output: Date | string };
    IP: { Input: string; Output: string };
    Port: { Input: number; Output: number };
    NonNegativeInt: { Input: number; Output: number };
    PositiveInt: { Input: number; Output: number };
    ClockDuration: { Input: string; Output: string };
  };
}

/** The builder's resolved type parameters, for helpers typed against it. */
export type BuilderTypes = PothosSchemaTypes.ExtendDefaultTypes<PamgraphSchemaTypes>;

export const builder = new SchemaBuilder<PamgraphSchemaTypes>({
  // Federation (entities, `_service`, `_entities`) needs the directives plugin registered before it.
  plugins: [ComplexityPlugin, ErrorsPlugin, RelayPlugin, DirectivesPlugin, FederationPlugin],
  // Mutations list their typed errors explicitly (schema/mutations/errors.ts); nothing is caught by default.
  errors: { defaultTypes: [] },
  // Only the cost model lives here; the limits are checked per request at validation (limits.ts).
  complexity: { fieldComplexity: fieldCost },
  defaultFieldNullability: false,
  relay: {
    cursorType: 'String',
    edgesFieldOptions: {
      nullable: { list: false, items: false },
      description: 'The items of this page, in order.',
    },
    nodeFieldOptions: { nullable: false, description: 'The item at this position.' },
    cursorFieldOptions: { description: 'Opaque cursor of this position; pass it as `after` to continue.' },
    pageInfoFieldOptions: { description: 'Where this page stands in the whole list.' },
    hasNextPageFieldOptions: { description: 'Whether more items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Whether items precede this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first item of this page; null when empty.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of this page; null when empty.' },
    defaultEdgeTypeOptions: { description: 'One item of a connection with its cursor.' },
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    nodeTypeOptions: { description: 'An object with a global ID, refetchable through `node(id:)`.' },
    pageInfoTypeOptions: { description: 'Where a page of a connection stands in the whole list.' },
    idFieldOptions: { description: 'Opaque global ID; stable across releases, accepted by `node(id:)`.' },
    nodeQueryOptions: {
      description: 'Fetches any object by its global ID; null when absent or not visible.',
      args: { id: { description: 'A global ID, as found in any object’s `id` field.' } },
    },
    nodesQueryOptions: {
      args: { ids: { description: `Global IDs, at most ${MAX_NODE_IDS}.` } },
      description: `Fetches objects by their global IDs (at most ${MAX_NODE_IDS}), in the same order; null for each one absent.`,
      // A list of n ids costs like a connection of n items, not like an arbitrary list.
      complexity: (args: { ids?: unknown }) => ({
        field: 1,
        multiplier: Array.isArray(args.ids) ? args.ids.length : 1,
      }),
      resolve: (_root, args, _ctx, _info, resolveNodes) => {
        if (args.ids.length > MAX_NODE_IDS) {
          throw new GatewayError('BAD_USER_INPUT', `\`nodes\` accepts at most ${MAX_NODE_IDS} IDs.`);
        }
        return resolveNodes(args.ids);
      },
    },
  },
});

builder.queryType({ description: 'Read access to the PAM and Audit upstreams.' });

builder.mutationType({
  description:
    'One mutation per write endpoint of the PAM and Audit APIs. Expected failures are typed results ' +
    '(ValidationError, NotFoundError, ForbiddenError); writes are never retried.',
});
