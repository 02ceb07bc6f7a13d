/**
 * `Listener`: an entry point through which safes expose accounts (PAM API §1.7).
 */
import type { GatewayContext } from '../context.js';
import { Listener } from '../resources/index.js';
import { builder } from './builder.js';
import { ListenerConnection } from './connections.js';
import { describedFields } from './derive.js';
import { ListenerList } from './list-defs.js';
import { ListenerRef, SafeRef } from './refs.js';
import { listOptions, loadList, loadOne, oneOptions } from './root-fields.js';
import { stubReader } from './stubs.js';

const read = stubReader((ctx: GatewayContext) => ctx.loaders.listeners.byId, 'listener');

builder.node(ListenerRef, {
  description: Listener.description,
  id: { resolve: (listener) => listener.id, parse: (id) => Number(id) },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.listeners.byId.load(id)),
  fields: (t) => ({
    ...describedFields(t, Listener, read),
    safes: t.field({
      type: [SafeRef],
      nullable: true,
      description: 'Safes that expose at least one account through this listener, ascending by id.',
      resolve: async (listener, _args, ctx) => {
        const index = await ctx.loaders.assignments.index();
        return (index.safesByListener.get(listener.id) ?? []).flatMap((id) => index.safes.get(id) ?? []);
      },
    }),
  }),
});

builder.queryFields((t) => ({
  listener: t.field({
    type: ListenerRef,
    ...oneOptions(t, 'listener'),
    resolve: (_root, args, ctx) => loadOne(ctx.loaders.listeners, args.id, 'Listener'),
  }),
  listeners: t.field({
    type: ListenerConnection,
    ...listOptions(t, 'listeners', 'Listeners in ascending PAM id order.', ListenerList),
    resolve: (_root, args, ctx) => loadList(ctx.loaders.listeners, ListenerList, args, ctx),
  }),
}));
