/**
 * `Safe`: what a safe exposes to users, and through which listeners (PAM API §1.4, §1.6).
 */

import { Safe } from '../resources/index.js';
import type { PamAssignment } from '../upstream/pam/index.js';
import { builder } from './builder.js';
import { SafeAccountConnection, SafeConnection, withListener } from './connections.js';
import { describedFields, direct } from './derive.js';
import { pageArgs, toConnection, windowOf } from './paging.js';
import { ListenerRef, SafeRef } from './refs.js';
import { listOptions, loadOne, loadWindow, oneOptions } from './root-fields.js';
import { stubOf } from './stubs.js';

/** Distinct listeners of a safe's assignments, ascending by id. */
function listenersOf(assignments: readonly PamAssignment[]) {
  const byId = new Map(assignments.map((a) => [a.listener.id, a.listener]));
  return [...byId.values()].sort((a, b) => a.id - b.id).map(stubOf);
}

builder.node(SafeRef, {
  description: Safe.description,
  id: { resolve: (safe) => safe.id, parse: (id) => Number(id) },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.safes.byId.load(id)),
  fields: (t) => ({
    ...describedFields(t, Safe, direct),
    accounts: t.field({
      type: SafeAccountConnection,
      nullable: true,
      description:
        'Accounts the safe exposes, each edge with the listener it is exposed through, in (account id, listener id) ' +
        'order. An account exposed through several listeners appears once per listener.',
      args: pageArgs(t.arg, 'accounts'),
      resolve: async (safe, args, ctx) => {
        const window = windowOf(args, ctx.limits);
        const assignments = (await ctx.loaders.assignments.bySafe.load(safe.id)) ?? [];
        const page = assignments.slice(window.offset, window.offset + window.first + 1);
        const connection = toConnection(page, window);
        const edges = connection.edges.map((e) =>
          withListener({ cursor: e.cursor, node: stubOf(e.node.account) }, stubOf(e.node.listener)),
        );
        return { ...connection, edges };
      },
    }),
    listeners: t.field({
      type: [ListenerRef],
      nullable: true,
      description: 'Listeners through which the safe exposes at least one account, ascending by id.',
      resolve: async (safe, _args, ctx) =>
        listenersOf((await ctx.loaders.assignments.bySafe.load(safe.id)) ?? []),
    }),
  }),
});

builder.queryFields((t) => ({
  safe: t.field({
    type: SafeRef,
    ...oneOptions(t, 'safe'),
    resolve: (_root, args, ctx) => loadOne(ctx.loaders.safes, args.id, 'Safe'),
  }),
  safes: t.field({
    type: SafeConnection,
    ...listOptions(t, 'safes', 'Safes in ascending PAM id order.'),
    resolve: (_root, args, ctx) => loadWindow(ctx.loaders.safes, args, ctx),
  }),
}));
