/**
 * Federation entities. Every domain type another subgraph may point at is resolvable by its global `id` and
 * by its upstream id (`pamId` / `auditId`), so a subgraph that stores only the PAM account number can join.
 * References resolve through the request's loaders, exactly like `node(id:)` and `account(id:)`: the same
 * credentials, the same batching (a router sends all references of one type in one `_entities` call, and
 * the loaders turn them into one paged list read), null for an object that is absent or not visible.
 */
import type { ObjectRef } from '@pothos/core';
import type DataLoader from 'dataloader';
import type { GatewayContext } from '../context.js';
import { type BuilderTypes, builder } from './builder.js';
import { auditIdArg, pamIdArg } from './ids.js';
import { AccountRef, AuditEntryRef, ListenerRef, SafeRef, ServerRef, UserRef } from './refs.js';

type PamKey = { id: string } | { pamId: string };

/**
 * Both keys, in this order in the printed SDL. A router sends key values as it received them: the `ID`
 * fields serialize to strings, but a hand-written representation may carry a number, so both are read.
 */
const pamKeys = [builder.selection<{ id: string }>('id'), builder.selection<{ pamId: string }>('pamId')];

/**
 * The PAM id a reference names. `pamIdArg` accepts both the global ID and the bare number and checks the
 * type a global ID was issued for, so a `Server` ID sent as an `Account` reference is refused.
 */
function pamIdOf(key: PamKey, typename: string): number {
  return pamIdArg(String('pamId' in key ? key.pamId : key.id), typename);
}

/**
 * A PAM type as an entity. `resolveReference` is async on purpose: a malformed key then fails only its own
 * item of `_entities`, never the whole list (a synchronous throw would abort every reference of the call).
 */
function pamEntity<Shape, Loaded extends Shape>(
  ref: ObjectRef<BuilderTypes, Shape>,
  typename: string,
  loaderOf: (ctx: GatewayContext) => DataLoader<number, Loaded | null>,
): void {
  builder.asEntity(ref, {
    key: pamKeys,
    resolveReference: async (key: PamKey, ctx) => loaderOf(ctx).load(pamIdOf(key, typename)),
  });
}

pamEntity(AccountRef, 'Account', (ctx) => ctx.loaders.accounts.byId);
pamEntity(ServerRef, 'Server', (ctx) => ctx.loaders.servers.byId);
pamEntity(SafeRef, 'Safe', (ctx) => ctx.loaders.safes.byId);
pamEntity(ListenerRef, 'Listener', (ctx) => ctx.loaders.listeners.byId);
pamEntity(UserRef, 'User', (ctx) => ctx.loaders.users.byId);

builder.asEntity(AuditEntryRef, {
  key: [builder.selection<{ id: string }>('id'), builder.selection<{ auditId: string }>('auditId')],
  resolveReference: async (key, ctx) =>
    ctx.loaders.auditEntries.byId.load(auditIdArg(String('auditId' in key ? key.auditId : key.id))),
});
