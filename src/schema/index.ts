/**
 * Imports every domain file and builds the schema once; the served subgraph schema wraps the same types.
 */
import { builder } from './builder.js';
import { federationLink, toSubgraphSchema } from './subgraph.js';
import './scalars.js';
import './account.js';
import './credentials.js';
import './server.js';
import './safe.js';
import './listener.js';
import './user.js';
import './audit-entry.js';
import './subscription.js';
import './mutations/index.js';
import './entities.js';

/** The Federation spec version the subgraph links; `@key` is the only directive it uses. */
export const FEDERATION_LINK_URL = 'https://specs.apollo.dev/federation/v2.6';

/**
 * What clients see, in declaration order: printed to `schema.graphql`, walked by the schema tests. The
 * `@link` extension is invisible to clients; it only marks the subgraph print as Federation v2.
 */
export const schema = builder.toSchema({
  sortSchema: false,
  extensions: federationLink(FEDERATION_LINK_URL, ['@key']),
});

/**
 * The served schema: the same types and fields, plus federation's own `_service` and `_entities` fields and
 * their types. `subgraph.graphql` is its SDL.
 */
export const subgraphSchema = toSubgraphSchema(schema);
