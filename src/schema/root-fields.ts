/**
 * The two root fields every PAM collection has: `x(id:)` (one object by global ID or PAM id, null when absent
 * or invisible) and `xs(first:, after:)` (a connection in ascending PAM id order).
 */
import type { ObjectRef } from '@pothos/core';
import type { GatewayContext } from '../context.js';
import type { PamCollection } from '../loaders/pam-collection.js';
import { type BuilderTypes, builder } from './builder.js';
import { pageArgs, toConnection, windowOf } from './connection.js';
import { pamIdArg } from './ids.js';

export interface RootFieldsSpec<T extends { id: number }, R> {
  typename: string;
  /** Lower-case noun, e.g. `server`; the list field is this plus `s`. */
  noun: string;
  ref: ObjectRef<BuilderTypes, R>;
  connection: ObjectRef<BuilderTypes, unknown>;
  /** Extra words for the one-object field's description, e.g. what "not visible" means for this type. */
  visibility?: string;
  /** Extra words for the list field's description. */
  listDescription?: string;
  collection: (ctx: GatewayContext) => PamCollection<T>;
}

export function pamRootFields<T extends { id: number }, R>(spec: RootFieldsSpec<T, R>): void {
  const { typename, noun } = spec;
  builder.queryFields((t) => ({
    [noun]: t.field({
      type: spec.ref,
      nullable: true,
      description: `One ${noun} by global ID or PAM id; null when it does not exist${spec.visibility ?? ''}.`,
      args: { id: t.arg.id({ required: true, description: `Global ID, or the PAM ${noun} id.` }) },
      resolve: (_root, args, ctx) =>
        spec.collection(ctx).byId.load(pamIdArg(String(args.id), typename)) as never,
    }),
    [`${noun}s`]: t.field({
      type: spec.connection,
      // Nullable: when the PAM API fails, the Audit API's fields of the same query still resolve.
      nullable: true,
      description: spec.listDescription ?? `${typename}s in ascending PAM id order.`,
      args: pageArgs(t.arg, `${noun}s`),
      resolve: async (_root, args, ctx) => {
        const window = windowOf(args, ctx.limits);
        return toConnection(
          await spec.collection(ctx).window(window.offset, window.first + 1),
          window,
        ) as never;
      },
    }),
  }));
}
