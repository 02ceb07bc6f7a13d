/**
 * What the two root fields of every PAM collection share: `x(id:)` (one object by global ID or PAM id, null when
 * absent or invisible) and `xs(first:, after:, filter:, orderBy:)` (a connection, by default in ascending PAM id
 * order, with its `totalCount`). Each type's file
 * declares its two fields by name, with these options and a one-line resolver.
 */
import type { GatewayContext } from '../context.js';
import type { Collection } from '../loaders/pam-collection.js';
import type { BuilderTypes } from './builder.js';
import { pamIdArg } from './ids.js';
import { type ListArgs, type ListDef, listArgs, resolveList } from './lists.js';

type QueryBuilder = PothosSchemaTypes.QueryFieldBuilder<BuilderTypes, BuilderTypes['Root']>;

/** `visibility`: extra words on what "not visible" means for this type. */
export function oneOptions(t: QueryBuilder, noun: string, visibility = '') {
  return {
    nullable: true as const,
    description: `One ${noun} by global ID or PAM id; null when it does not exist${visibility}.`,
    args: { id: t.arg.id({ required: true, description: `Global ID, or the PAM ${noun} id.` }) },
  };
}

export function listOptions<N extends object>(
  t: QueryBuilder,
  plural: string,
  description: string,
  def: ListDef<N>,
) {
  return {
    // Nullable: when the PAM API fails, the Audit API's fields of the same query still resolve.
    nullable: true as const,
    description,
    args: listArgs(t.arg, def, plural, 'ID, ASC'),
  };
}

/** A page of a whole collection, filtered, ordered and counted as the arguments say. */
export function loadList<T extends { id: number }>(
  collection: Collection<T>,
  def: ListDef<T>,
  args: ListArgs,
  ctx: GatewayContext,
) {
  return resolveList(def, args, ctx, {
    all: () => collection.all(),
    window: (offset, count) => collection.window(offset, count),
  });
}

/** One object of a collection by the `id` argument. */
export function loadOne<T extends { id: number }>(
  collection: Collection<T>,
  id: string | number,
  typename: string,
) {
  return collection.byId.load(pamIdArg(String(id), typename));
}
