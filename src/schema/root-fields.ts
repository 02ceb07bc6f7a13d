/**
 * What the two root fields of every PAM collection share: `x(id:)` (one object by global ID or PAM id, null when
 * absent or invisible) and `xs(first:, after:)` (a connection in ascending PAM id order). Each type's file
 * declares its two fields by name, with these options and a one-line resolver.
 */
import type { GatewayContext } from '../context.js';
import type { Collection } from '../loaders/pam-collection.js';
import type { BuilderTypes } from './builder.js';
import { pamIdArg } from './ids.js';
import { type Connection, type ConnectionArgs, pageArgs, toConnection, windowOf } from './paging.js';

type QueryBuilder = PothosSchemaTypes.QueryFieldBuilder<BuilderTypes, BuilderTypes['Root']>;

/** `visibility`: extra words on what "not visible" means for this type. */
export function oneOptions(t: QueryBuilder, noun: string, visibility = '') {
  return {
    nullable: true as const,
    description: `One ${noun} by global ID or PAM id; null when it does not exist${visibility}.`,
    args: { id: t.arg.id({ required: true, description: `Global ID, or the PAM ${noun} id.` }) },
  };
}

export function listOptions(t: QueryBuilder, plural: string, description: string) {
  return {
    // Nullable: when the PAM API fails, the Audit API's fields of the same query still resolve.
    nullable: true as const,
    description,
    args: pageArgs(t.arg, plural),
  };
}

/** One object of a collection by the `id` argument. */
export function loadOne<T extends { id: number }>(
  collection: Collection<T>,
  id: string | number,
  typename: string,
) {
  return collection.byId.load(pamIdArg(String(id), typename));
}

/** The window of a collection the connection arguments ask for. */
export async function loadWindow<T extends { id: number }>(
  collection: Collection<T>,
  args: ConnectionArgs,
  ctx: GatewayContext,
): Promise<Connection<T>> {
  const window = windowOf(args, ctx.limits);
  return toConnection(await collection.window(window.offset, window.first + 1), window);
}
