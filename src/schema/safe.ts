/**
 * `Safe`: what a safe exposes to users, and through which listeners (PAM API §1.4, §1.6).
 */
import type { PamAssignment } from '../upstream/pam/index.js';
import { builder } from './builder.js';
import { pageArgs, toConnection, windowOf } from './connection.js';
import { SafeAccountConnection, SafeConnection } from './connections.js';
import { NoteAccessEnum } from './enums.js';
import { ListenerRef, SafeRef } from './refs.js';
import { pamRootFields } from './root-fields.js';
import { stubOf } from './stubs.js';

/** Distinct listeners of a safe's assignments, ascending by id. */
function listenersOf(assignments: readonly PamAssignment[]) {
  const byId = new Map(assignments.map((a) => [a.listener.id, a.listener]));
  return [...byId.values()].sort((a, b) => a.id - b.id).map(stubOf);
}

builder.node(SafeRef, {
  description: 'A safe: a set of accounts exposed to users through listeners, with its access rules.',
  id: { resolve: (safe) => safe.id, parse: (id) => Number(id) },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.safes.byId.load(id)),
  fields: (t) => ({
    pamId: t.exposeID('id', { description: 'The safe’s id in the PAM API.' }),
    name: t.exposeString('name', { description: 'Unique safe name.' }),
    blocked: t.exposeBoolean('blocked', { description: 'Whether the safe is blocked.' }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why the safe is blocked.' }),
    loginReason: t.exposeBoolean('loginReason', {
      description: 'Whether users must give a reason to connect.',
    }),
    requireConfirmation: t.exposeBoolean('requireConfirmation', {
      description: 'Whether connections need confirmation.',
    }),
    requiredVotes: t.field({
      type: 'NonNegativeInt',
      description: 'Confirmations needed.',
      resolve: (s) => s.requiredVotes,
    }),
    webclient: t.exposeBoolean('webclient', { description: 'Whether the web client may be used.' }),
    inactivityLimit: t.field({
      type: 'NonNegativeInt',
      description: 'Minutes of inactivity before a session ends; 0 means off.',
      resolve: (s) => s.inactivityLimit,
    }),
    timeLimit: t.field({
      type: 'NonNegativeInt',
      description: 'Session time limit in minutes; 0 means off.',
      resolve: (s) => s.timeLimit,
    }),
    noteAccess: t.expose('noteAccess', {
      type: NoteAccessEnum,
      description: 'What users may do with session notes.',
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was created.',
      resolve: (s) => s.createdAt,
    }),
    modifiedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it last changed.',
      resolve: (s) => s.modifiedAt,
    }),
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
        const edges = connection.edges.map((e) => ({
          cursor: e.cursor,
          node: stubOf(e.node.account),
          listener: stubOf(e.node.listener),
        }));
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

pamRootFields({
  typename: 'Safe',
  noun: 'safe',
  ref: SafeRef,
  connection: SafeConnection,
  collection: (ctx) => ctx.loaders.safes,
});
