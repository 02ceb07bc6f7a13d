/**
 * `Safe`: what a safe exposes to users, and through which listeners (PAM API §1.4, §1.6).
 */

import type { GatewayContext } from '../context.js';
import { Safe } from '../resources/index.js';
import type { PamAccount, PamAssignment } from '../upstream/pam/index.js';
import { builder } from './builder.js';
import { SafeAccountConnection, SafeConnection, withListener } from './connections.js';
import { describedFields, direct } from './derive.js';
import { AccountList, SafeList } from './list-defs.js';
import { listArgs, resolveList } from './lists.js';
import { ListenerRef, SafeRef } from './refs.js';
import { listOptions, loadList, loadOne, oneOptions } from './root-fields.js';
import { stubOf } from './stubs.js';

/**
 * A safe's assignments with whole accounts in place of their `{id, name}` references; an account the caller cannot
 * see (or that was deleted since) keeps its reference and then meets no condition beyond its id and name.
 */
async function withAccounts(assignments: readonly PamAssignment[], ctx: GatewayContext) {
  const accounts = await ctx.loaders.accounts.byId.loadMany(assignments.map((a) => a.account.id));
  return assignments.map((a, i) => {
    const account = accounts[i];
    return account && !(account instanceof Error) ? { ...a, account } : a;
  });
}

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
        'order unless `orderBy` says otherwise. An account exposed through several listeners appears once per ' +
        'listener; `filter` applies to the account, and `totalCount` counts edges.',
      args: listArgs(t.arg, AccountList, 'accounts', 'ID, ASC'),
      resolve: async (safe, args, ctx) => {
        const connection = await resolveList(AccountList, args, ctx, {
          all: async () => (await ctx.loaders.assignments.bySafe.load(safe.id)) ?? [],
          // An assignment carries the account's id and name: a filter or order on anything else needs the account.
          complete: (assignments) => withAccounts(assignments, ctx),
          nodeOf: (edge) => edge.account as PamAccount,
          // Edges of one account: by listener id.
          tie: (a, b) => a.account.id - b.account.id || a.listener.id - b.listener.id,
        });
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
    ...listOptions(t, 'safes', 'Safes in ascending PAM id order.', SafeList),
    resolve: (_root, args, ctx) => loadList(ctx.loaders.safes, SafeList, args, ctx),
  }),
}));
